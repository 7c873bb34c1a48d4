package dev.userharbor.examples;

import com.google.gson.JsonParser;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.userharbor.sessions.CheckResult;
import dev.userharbor.sessions.SessionVerifier;
import dev.userharbor.v1.*;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Runs every UserHarbor account flow against a running server over gRPC, checking each answer. */
public final class Lifecycle {
  public static void main(String[] args) throws Exception {
    String addr = Objects.requireNonNullElse(System.getenv("USERHARBOR_ADDR"), "127.0.0.1:50051");
    ManagedChannel channel = Grpc.newChannelBuilder(addr, InsecureChannelCredentials.create()).build();
    try {
      var accounts = AccountServiceGrpc.newBlockingStub(channel);
      String username = "java-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
      String email = username + "@example.com", password = "correct horse battery staple";
      User user = accounts.register(RegisterRequest.newBuilder()
          .setUsername(username).setEmail(email).setPassword(password).build()).getUser();
      expect("Register user.username", user.getUsername(), username);
      expect("Register user.email_verified", user.getEmailVerified(), false);
      // The account's permanent id (UUIDv7): what a backend stores as its foreign key.
      ok("Register", username + " (" + user.getId() + ")");
      lifecycle(accounts, addr, user.getId(), username, email, password);
    } catch (StatusRuntimeException e) { // any other failed call: say which status it was
      fail(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static void lifecycle(AccountServiceGrpc.AccountServiceBlockingStub accounts, String addr, String id,
      String username, String email, String password) throws Exception {
    var verified = accounts.verifyEmail(VerifyEmailRequest.newBuilder()
        .setToken(tokenFromMailbox("verification", email)).build());
    expect("VerifyEmail user.email_verified", verified.getUser().getEmailVerified(), true);
    ok("VerifyEmail", email);

    var login = accounts.login(LoginRequest.newBuilder().setUsername(username).setPassword(password).build());
    expect("Login user.username", login.getUser().getUsername(), username);
    expect("Login token prefix", login.getSessionToken().substring(0, 4), "uhs_");
    expect("Login device token prefix", login.getDeviceToken().substring(0, 4), "uhd_");
    String session = login.getSessionToken();
    ok("Login", "session until " + Instant.ofEpochSecond(login.getExpireTime().getSeconds()));

    var live = accounts.verifySession(VerifySessionRequest.newBuilder().setSessionToken(session).build());
    expect("VerifySession valid", live.getValid(), true);
    expect("VerifySession username", live.getUsername(), username);
    expect("VerifySession user_id", live.getUserId(), id);
    ok("VerifySession", "valid");

    // Session assertions (dev.userharbor.sessions): Login's signed assertion checks the session
    // locally, against the published key set, with no VerifySession per request until it expires.
    SessionVerifier verifier = SessionVerifier.builder()
        .jwksUri(URI.create("http://" + addr + "/.well-known/jwks.json"))
        .issuer("userharbor")
        .client(accounts::verifySession) // asked only when the assertion is stale (or strict)
        .build();
    CheckResult checked = verifier.check(session, login.getSessionAssertion())
        .orElseGet(() -> fail("check: the session is not valid"));
    expect("check fromServer", checked.fromServer(), false);
    expect("check user.accountId", checked.user().accountId(), id);
    expect("check user.emailVerified", checked.user().emailVerified(), true);
    ok("SessionAssertion", "verified locally until " + checked.user().expiresAt());

    User current = accounts.getCurrentUser(
        GetCurrentUserRequest.newBuilder().setSessionToken(session).build()).getUser();
    expect("GetCurrentUser email", current.getEmail(), email);
    expect("GetCurrentUser email_verified", current.getEmailVerified(), true);
    ok("GetCurrentUser", current.getUsername());

    String changed = "second correct horse battery";
    accounts.changePassword(ChangePasswordRequest.newBuilder()
        .setSessionToken(session).setOldPassword(password).setNewPassword(changed).build());
    ok("ChangePassword", "");

    int revoked = accounts.logoutAll(LogoutAllRequest.newBuilder().setSessionToken(session).build())
        .getRevokedCount();
    expect("LogoutAll revoked_count", revoked, 1);
    var dead = accounts.verifySession(VerifySessionRequest.newBuilder().setSessionToken(session).build());
    expect("session after LogoutAll valid", dead.getValid(), false);
    ok("LogoutAll", revoked + " session revoked");

    accounts.sendPasswordReset(SendPasswordResetRequest.newBuilder().setEmail(email).build());
    String resetToken = tokenFromMailbox("password_reset", email);
    ok("SendPasswordReset", "token read from the mailbox");

    String reset = "third correct horse battery";
    accounts.resetPassword(ResetPasswordRequest.newBuilder().setToken(resetToken).setNewPassword(reset).build());
    ok("ResetPassword", "");

    var relogin = accounts.login(LoginRequest.newBuilder().setUsername(username).setPassword(reset).build());
    expect("Login (new password) user.username", relogin.getUser().getUsername(), username);
    ok("Login", "with the reset password");

    // ChangeEmail mails a link to the new address; the email changes when VerifyEmail uses it,
    // and every other session ends: the one passed as session_token stays.
    String newEmail = username + ".new@example.com";
    accounts.changeEmail(ChangeEmailRequest.newBuilder()
        .setSessionToken(relogin.getSessionToken()).setPassword(reset).setNewEmail(newEmail).build());
    // Opened from this session, the confirmation keeps it; every other session ends.
    var moved = accounts.verifyEmail(VerifyEmailRequest.newBuilder()
        .setToken(tokenFromMailbox("verification", newEmail))
        .setSessionToken(relogin.getSessionToken()).build());
    expect("ChangeEmail user.email", moved.getUser().getEmail(), newEmail);
    expect("ChangeEmail user.id", moved.getUser().getId(), id);
    ok("ChangeEmail", "now " + newEmail);

    accounts.deleteAccount(DeleteAccountRequest.newBuilder()
        .setSessionToken(relogin.getSessionToken()).setPassword(reset).build());
    ok("DeleteAccount", "");

    // A failed call throws StatusRuntimeException; the reason is in its google.rpc.ErrorInfo detail.
    try {
      accounts.login(LoginRequest.newBuilder().setUsername(username).setPassword(reset).build());
      fail("Login after DeleteAccount succeeded");
    } catch (StatusRuntimeException e) {
      ErrorInfo info = errorInfo(e);
      expect("failed Login code", e.getStatus().getCode(), Status.Code.UNAUTHENTICATED);
      expect("failed Login ErrorInfo.domain", info.getDomain(), "userharbor.v1");
      expect("failed Login ErrorInfo.reason", info.getReason(), "INVALID_CREDENTIALS");
      ok("Login (deleted)", e.getStatus().getCode() + " " + info.getReason());
    }
    System.out.println("lifecycle complete over grpc");
  }

  /** The ErrorInfo detail of a failed call (empty if it has none). */
  static ErrorInfo errorInfo(StatusRuntimeException e) throws InvalidProtocolBufferException {
    com.google.rpc.Status status = StatusProto.fromThrowable(e); // null without details
    for (Any detail : status == null ? List.<Any>of() : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) return detail.unpack(ErrorInfo.class);
    }
    return ErrorInfo.getDefaultInstance();
  }

  /** Polls the dev mailbox file (one JSON line per mail) for the token mailed to {@code to}. */
  static String tokenFromMailbox(String kind, String to) throws IOException, InterruptedException {
    String path = System.getenv("DEV_MAILBOX_FILE");
    if (path == null || path.isEmpty()) fail("set DEV_MAILBOX_FILE to the server's mailbox file");
    for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
      String text;
      try {
        text = Files.readString(Path.of(path));
      } catch (NoSuchFileException e) {
        continue;
      }
      // Only complete lines: the server may be writing the last one right now.
      for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
        if (line.isEmpty()) continue;
        var mail = JsonParser.parseString(line).getAsJsonObject();
        if (mail.get("kind").getAsString().equals(kind) && mail.get("to").getAsString().equals(to)
            && mail.has("token")) {
          return mail.get("token").getAsString();
        }
      }
    }
    return fail("no " + kind + " mail for " + to + " in " + path + " within 10 s");
  }

  static void expect(String what, Object got, Object want) {
    if (!Objects.equals(got, want)) fail(what + ": got " + got + ", want " + want);
  }

  static <T> T fail(String why) {
    System.err.println("FAIL: " + why);
    System.exit(1);
    return null;
  }

  static void ok(String step, String detail) {
    System.out.printf("ok  %-18s %s%n", step, detail);
  }
}
