// Command lifecycle runs every UserHarbor account flow against a running server over gRPC,
// checking each answer: `go run .` with USERHARBOR_ADDR and DEV_MAILBOX_FILE set.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
	"github.com/userharbor/userharbor/sdk/go/sessions"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

func main() {
	addr := cmp.Or(os.Getenv("USERHARBOR_ADDR"), "127.0.0.1:50051")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fail(err)
	}
	defer conn.Close()
	accounts := userharborv1.NewAccountServiceClient(conn)

	ctx := context.Background()
	username := "go-" + strings.ToLower(rand.Text()[:8])
	email, password := username+"@example.com", "correct horse battery staple"
	registered, err := accounts.Register(ctx, &userharborv1.RegisterRequest{
		Username: username, Email: email, Password: password,
	})
	if err != nil {
		fail(err)
	}
	expect("Register user.username", registered.GetUser().GetUsername(), username)
	expect("Register user.email_verified", registered.GetUser().GetEmailVerified(), false)
	// The account's permanent id (UUIDv7): what a backend stores as its foreign key.
	id := registered.GetUser().GetId()
	ok("Register", username+" ("+id+")")

	verified := must(accounts.VerifyEmail(ctx, &userharborv1.VerifyEmailRequest{
		Token: tokenFromMailbox("verification", email),
	}))
	expect("VerifyEmail user.email_verified", verified.GetUser().GetEmailVerified(), true)
	ok("VerifyEmail", email)

	login := must(accounts.Login(ctx, &userharborv1.LoginRequest{Username: username, Password: password}))
	expect("Login user.username", login.GetUser().GetUsername(), username)
	session := login.GetSessionToken()
	expect("Login token prefix", session[:4], "uhs_")
	expect("Login device token prefix", login.GetDeviceToken()[:4], "uhd_")
	ok("Login", "session until "+login.GetExpireTime().AsTime().Format(time.RFC3339))

	live := must(accounts.VerifySession(ctx, &userharborv1.VerifySessionRequest{SessionToken: session}))
	expect("VerifySession valid", live.GetValid(), true)
	expect("VerifySession username", live.GetUsername(), username)
	expect("VerifySession user_id", live.GetUserId(), id)
	ok("VerifySession", "valid")

	// Session assertions (sdk/go, package sessions): Login's signed assertion checks the session
	// locally, against the published key set, with no VerifySession per request until it expires.
	verifier, err := sessions.NewVerifier(sessions.Config{
		JWKSURL: "http://" + addr + "/.well-known/jwks.json",
		Issuer:  "userharbor",
		Client:  accounts, // asked only when the assertion is stale (or by CheckStrict)
	})
	if err != nil {
		fail(err)
	}
	checked := must(verifier.Check(ctx, session, login.GetSessionAssertion()))
	expect("Check FromServer", checked.FromServer, false)
	expect("Check Claims.AccountID", checked.Claims.AccountID, id)
	expect("Check Claims.EmailVerified", checked.Claims.EmailVerified, true)
	ok("SessionAssertion", "verified locally until "+checked.Claims.ExpiresAt.UTC().Format(time.RFC3339))

	current := must(accounts.GetCurrentUser(ctx, &userharborv1.GetCurrentUserRequest{SessionToken: session}))
	expect("GetCurrentUser email", current.GetUser().GetEmail(), email)
	expect("GetCurrentUser email_verified", current.GetUser().GetEmailVerified(), true)
	ok("GetCurrentUser", current.GetUser().GetUsername())

	changed := "second correct horse battery"
	must(accounts.ChangePassword(ctx, &userharborv1.ChangePasswordRequest{
		SessionToken: session, OldPassword: password, NewPassword: changed,
	}))
	ok("ChangePassword", "")

	all := must(accounts.LogoutAll(ctx, &userharborv1.LogoutAllRequest{SessionToken: session}))
	expect("LogoutAll revoked_count", all.GetRevokedCount(), int32(1))
	dead := must(accounts.VerifySession(ctx, &userharborv1.VerifySessionRequest{SessionToken: session}))
	expect("session after LogoutAll valid", dead.GetValid(), false)
	ok("LogoutAll", fmt.Sprintf("%d session revoked", all.GetRevokedCount()))

	must(accounts.SendPasswordReset(ctx, &userharborv1.SendPasswordResetRequest{Email: email}))
	resetToken := tokenFromMailbox("password_reset", email)
	ok("SendPasswordReset", "token read from the mailbox")

	reset := "third correct horse battery"
	must(accounts.ResetPassword(ctx, &userharborv1.ResetPasswordRequest{Token: resetToken, NewPassword: reset}))
	ok("ResetPassword", "")

	relogin := must(accounts.Login(ctx, &userharborv1.LoginRequest{Username: username, Password: reset}))
	expect("Login (new password) user.username", relogin.GetUser().GetUsername(), username)
	ok("Login", "with the reset password")

	// ChangeEmail mails a link to the new address; the email changes when VerifyEmail uses it,
	// and every other session ends: the one passed as SessionToken stays.
	newEmail := username + ".new@example.com"
	must(accounts.ChangeEmail(ctx, &userharborv1.ChangeEmailRequest{
		SessionToken: relogin.GetSessionToken(), Password: reset, NewEmail: newEmail,
	}))
	// Opened from this session, the confirmation keeps it; every other session ends.
	moved := must(accounts.VerifyEmail(ctx, &userharborv1.VerifyEmailRequest{
		Token:        tokenFromMailbox("verification", newEmail),
		SessionToken: relogin.GetSessionToken(),
	}))
	expect("ChangeEmail user.email", moved.GetUser().GetEmail(), newEmail)
	expect("ChangeEmail user.id", moved.GetUser().GetId(), id)
	ok("ChangeEmail", "now "+newEmail)

	must(accounts.DeleteAccount(ctx, &userharborv1.DeleteAccountRequest{
		SessionToken: relogin.GetSessionToken(), Password: reset,
	}))
	ok("DeleteAccount", "")

	// A failed call returns a status error; the reason is in its google.rpc.ErrorInfo detail.
	_, err = accounts.Login(ctx, &userharborv1.LoginRequest{Username: username, Password: reset})
	if err == nil {
		fail(errors.New("Login after DeleteAccount succeeded"))
	}
	st, _ := status.FromError(err)
	var reason string
	for _, detail := range st.Details() {
		if info, isInfo := detail.(*errdetails.ErrorInfo); isInfo && info.GetDomain() == "userharbor.v1" {
			reason = info.GetReason()
		}
	}
	expect("failed Login code", st.Code(), codes.Unauthenticated)
	expect("failed Login ErrorInfo.reason", reason, "INVALID_CREDENTIALS")
	ok("Login (deleted)", fmt.Sprintf("%s %s", st.Code(), reason))

	fmt.Println("lifecycle complete over grpc")
}

// tokenFromMailbox polls the dev mailbox file (one JSON line per mail) for the token mailed to `to`.
func tokenFromMailbox(kind, to string) string {
	path := os.Getenv("DEV_MAILBOX_FILE")
	if path == "" {
		fail(errors.New("set DEV_MAILBOX_FILE to the file the server appends its mail to"))
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		data, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			fail(err)
		}
		lines := strings.Split(string(data), "\n")
		for _, line := range lines[:len(lines)-1] { // the last piece may still be being written
			var mail struct{ Kind, To, Token string }
			check(json.Unmarshal([]byte(line), &mail))
			if mail.Kind == kind && mail.To == to && mail.Token != "" {
				return mail.Token
			}
		}
	}
	fail(fmt.Errorf("no %s mail for %s in %s within 10s", kind, to, path))
	return ""
}

// must returns a call's result, or ends the program with the call's error.
func must[T any](result T, err error) T {
	check(err)
	return result
}

func check(err error) {
	if err != nil {
		fail(err)
	}
}

// expect ends the program unless got equals want.
func expect[T comparable](what string, got, want T) {
	if got != want {
		fail(fmt.Errorf("%s: got %v, want %v", what, got, want))
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "FAIL:", err)
	os.Exit(1)
}

func ok(step, detail string) { fmt.Printf("ok  %-18s %s\n", step, detail) }
