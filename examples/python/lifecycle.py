"""Runs every UserHarbor account flow against a running server over gRPC, checking each answer."""

import json
import os
import secrets
import sys
import time
from typing import NoReturn

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from userharbor.sessions import SessionVerifier
from userharbor.v1 import accounts_pb2 as pb
from userharbor.v1 import admin_pb2 as admin_pb
from userharbor.v1.accounts_pb2_grpc import AccountServiceStub
from userharbor.v1.admin_pb2_grpc import AdminServiceStub


def error_info(error: grpc.RpcError) -> error_details_pb2.ErrorInfo:
    """The google.rpc.ErrorInfo of a failed call; grpc_status decodes it from grpc-status-details-bin."""
    status = rpc_status.from_call(error)  # google.rpc.Status, None if the error has no details
    info = error_details_pb2.ErrorInfo()
    for detail in status.details if status else []:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            detail.Unpack(info)
    return info


def main() -> None:
    with grpc.insecure_channel(os.environ.get("USERHARBOR_ADDR", "127.0.0.1:50051")) as channel:
        accounts = AccountServiceStub(channel)
        username = f"py-{secrets.token_hex(4)}"
        email, password = f"{username}@example.com", "correct horse battery staple"
        user = accounts.Register(pb.RegisterRequest(username=username, email=email, password=password)).user
        print("registered", user.username, "email_verified:", user.email_verified)
        expect("Register user.username", user.username, username)
        expect("Register user.email_verified", user.email_verified, False)
        # A failed call raises grpc.RpcError; its stable reason is in the ErrorInfo detail.
        try:
            accounts.Login(pb.LoginRequest(username=username, password=password))
            fail("Login before VerifyEmail succeeded")
        except grpc.RpcError as error:
            print("Login:", error.code().name, error_info(error).reason)
            expect("Login before VerifyEmail", error_info(error).reason, "EMAIL_NOT_VERIFIED")
        # The account's permanent id (UUIDv7): what a backend stores as its foreign key.
        ok("Register", f"{username} ({user.id})")
        lifecycle(accounts, user.id, username, email, password)
        # Operators' RPCs: with API keys configured, this stub needs a key with the `admin` scope.
        admin_flow(accounts, AdminServiceStub(channel))
        print("lifecycle complete over grpc")


def lifecycle(accounts: AccountServiceStub, id: str, username: str, email: str, password: str) -> None:
    verified = accounts.VerifyEmail(pb.VerifyEmailRequest(token=token_from_mailbox("verification", email)))
    expect("VerifyEmail user.email_verified", verified.user.email_verified, True)
    ok("VerifyEmail", email)

    login = accounts.Login(pb.LoginRequest(username=username, password=password))
    expect("Login user.username", login.user.username, username)
    expect("Login token prefix", login.session_token[:4], "uhs_")
    expect("Login device token prefix", login.device_token[:4], "uhd_")
    session = login.session_token
    ok("Login", f"session until {login.expire_time.ToDatetime().isoformat()}Z")

    live = accounts.VerifySession(pb.VerifySessionRequest(session_token=session))
    expect("VerifySession valid", live.valid, True)
    expect("VerifySession username", live.username, username)
    expect("VerifySession user_id", live.user_id, id)
    ok("VerifySession", "valid")

    # Session assertions (userharbor.sessions): Login's signed assertion checks the session
    # locally, against the published key set, with no VerifySession per request until it expires.
    verifier = SessionVerifier(
        jwks_url=f"http://{os.environ.get('USERHARBOR_ADDR', '127.0.0.1:50051')}/.well-known/jwks.json",
        issuer="userharbor",
        client=accounts,  # asked only when the assertion is stale (or with strict=True)
    )
    checked = verifier.check(session, login.session_assertion) or fail("check: the session is not valid")
    expect("check from_server", checked.from_server, False)
    expect("check user.account_id", checked.user.account_id, id)
    expect("check user.email_verified", checked.user.email_verified, True)
    ok("SessionAssertion", f"verified locally until {checked.user.expires_at.isoformat()}")

    current = accounts.GetCurrentUser(pb.GetCurrentUserRequest(session_token=session)).user
    expect("GetCurrentUser email", current.email, email)
    expect("GetCurrentUser email_verified", current.email_verified, True)
    ok("GetCurrentUser", current.username)

    changed = "second correct horse battery"
    accounts.ChangePassword(
        pb.ChangePasswordRequest(session_token=session, old_password=password, new_password=changed)
    )
    ok("ChangePassword")

    revoked = accounts.LogoutAll(pb.LogoutAllRequest(session_token=session)).revoked_count
    expect("LogoutAll revoked_count", revoked, 1)
    dead = accounts.VerifySession(pb.VerifySessionRequest(session_token=session))
    expect("session after LogoutAll valid", dead.valid, False)
    ok("LogoutAll", f"{revoked} session revoked")

    accounts.SendPasswordReset(pb.SendPasswordResetRequest(email=email))
    reset_token = token_from_mailbox("password_reset", email)
    ok("SendPasswordReset", "token read from the mailbox")

    reset = "third correct horse battery"
    accounts.ResetPassword(pb.ResetPasswordRequest(token=reset_token, new_password=reset))
    ok("ResetPassword")

    relogin = accounts.Login(pb.LoginRequest(username=username, password=reset))
    expect("Login (new password) user.username", relogin.user.username, username)
    ok("Login", "with the reset password")

    # ChangeEmail mails a link to the new address; the email changes when VerifyEmail uses it,
    # and every other session ends: the one passed as session_token stays.
    new_email = f"{username}.new@example.com"
    accounts.ChangeEmail(
        pb.ChangeEmailRequest(session_token=relogin.session_token, password=reset, new_email=new_email)
    )
    # Opened from this session, the confirmation keeps it; every other session ends.
    moved = accounts.VerifyEmail(
        pb.VerifyEmailRequest(
            token=token_from_mailbox("verification", new_email), session_token=relogin.session_token
        )
    )
    expect("ChangeEmail user.email", moved.user.email, new_email)
    expect("ChangeEmail user.id", moved.user.id, id)
    ok("ChangeEmail", f"now {new_email}")

    accounts.DeleteAccount(pb.DeleteAccountRequest(session_token=relogin.session_token, password=reset))
    ok("DeleteAccount")

    try:
        accounts.Login(pb.LoginRequest(username=username, password=reset))
        fail("Login after DeleteAccount succeeded")
    except grpc.RpcError as error:
        info = error_info(error)
        expect("failed Login code", error.code(), grpc.StatusCode.UNAUTHENTICATED)
        expect("failed Login ErrorInfo.domain", info.domain, "userharbor.v1")
        expect("failed Login ErrorInfo.reason", info.reason, "INVALID_CREDENTIALS")
        ok("Login (deleted)", f"{error.code().name} {info.reason}")


def admin_flow(accounts: AccountServiceStub, admin: AdminServiceStub) -> None:
    """Finds an account, disables it (its session ends, login refused), enables it, deletes it."""
    username = f"py-admin-{secrets.token_hex(4)}"
    email, password = f"{username}@example.com", "correct horse battery staple"
    id = accounts.Register(pb.RegisterRequest(username=username, email=email, password=password)).user.id
    admin.MarkEmailVerified(admin_pb.MarkEmailVerifiedRequest(account_id=id))
    session = accounts.Login(pb.LoginRequest(username=username, password=password)).session_token
    found = admin.GetAccount(admin_pb.GetAccountRequest(email=email)).account
    expect("GetAccount account.id", found.id, id)
    expect("GetAccount live_session_count", found.live_session_count, 1)
    ok("GetAccount", f"{found.username}, {found.live_session_count} live session")

    listed, page_token = [], ""
    while True:  # pages of 2 in id order; the token carries on after the last id seen
        page = admin.ListAccounts(admin_pb.ListAccountsRequest(page_size=2, page_token=page_token, verified=True))
        listed += [account.id for account in page.accounts]
        page_token = page.next_page_token
        if not page_token:
            break
    expect("ListAccounts (verified) includes the account", id in listed, True)
    ok("ListAccounts", f"{len(listed)} verified accounts, in pages of 2")

    admin.DisableAccount(admin_pb.DisableAccountRequest(account_id=id, reason="SDK example"))
    expect("session after DisableAccount valid", accounts.VerifySession(pb.VerifySessionRequest(session_token=session)).valid, False)
    try:
        accounts.Login(pb.LoginRequest(username=username, password=password))
        fail("Login of a disabled account succeeded")
    except grpc.RpcError as error:
        expect("disabled Login code", error.code(), grpc.StatusCode.FAILED_PRECONDITION)
        ok("DisableAccount", f"Login: {error.code().name}")
    admin.EnableAccount(admin_pb.EnableAccountRequest(account_id=id))
    accounts.Login(pb.LoginRequest(username=username, password=password))
    ok("EnableAccount", "Login works again")

    admin.DeleteAccountAsAdmin(admin_pb.DeleteAccountAsAdminRequest(account_id=id))
    try:
        admin.GetAccount(admin_pb.GetAccountRequest(id=id))
        fail("GetAccount after DeleteAccountAsAdmin succeeded")
    except grpc.RpcError as error:
        expect("deleted GetAccount code", error.code(), grpc.StatusCode.NOT_FOUND)
        ok("DeleteAccountAsAdmin", f"then GetAccount: {error.code().name}")


def token_from_mailbox(kind: str, to: str) -> str:
    """Polls the dev mailbox file (one JSON line per mail) for the token mailed to `to`."""
    path = os.environ.get("DEV_MAILBOX_FILE") or fail("set DEV_MAILBOX_FILE to the server's mailbox file")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with open(path, encoding="utf-8") as mailbox:
                lines = mailbox.read().split("\n")[:-1]  # the last piece may still be being written
        except FileNotFoundError:
            lines = []
        for mail in map(json.loads, lines):
            if mail["kind"] == kind and mail["to"] == to and mail.get("token"):
                return mail["token"]
        time.sleep(0.1)
    fail(f"no {kind} mail for {to} in {path} within 10 s")


def expect(what: str, got: object, want: object) -> None:
    if got != want:
        fail(f"{what}: got {got!r}, want {want!r}")


def fail(why: str) -> NoReturn:
    sys.exit(f"FAIL: {why}")


def ok(step: str, detail: str = "") -> None:
    print(f"ok  {step:<18} {detail}", flush=True)


if __name__ == "__main__":
    try:
        main()
    except grpc.RpcError as error:  # any other failed call: say which status it was
        fail(f"{error.code().name}: {error.details()}")
