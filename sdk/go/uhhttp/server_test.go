package uhhttp_test

// These tests run the middleware and handlers in an httptest server against a real
// UserHarbor (test/sdk/verifiers.test.ts starts one, with REQUIRE_VERIFIED_EMAIL=false and no
// API keys, and runs `go test` with UH_SERVER_URL; without it they skip). They cover what the
// conformance suite (test/integrations/, over examples/go-nethttp) cannot reach: OptionalUser,
// RequireVerifiedEmail, CSRF on a guarded POST route, WriteError for the app's own calls,
// development cookies, malformed login bodies, the deadline, and trusted proxies end to end.
// Calls to UserHarbor are counted by a gRPC interceptor passed in Config.DialOptions.

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
	"github.com/userharbor/userharbor/sdk/go/uhhttp"
	"google.golang.org/grpc"
)

var secureNames = uhhttp.SecureCookieNames

func TestOptionalUserIsAnonymousWithoutASessionAndClearsADeadOne(t *testing.T) {
	a := newApp(t, uhhttp.Config{})
	anonymous := send(t, "GET", a.url+"/maybe", "", nil)
	if anonymous.StatusCode != 200 || anonymous.json(t)["user"] != nil || len(anonymous.Cookies()) != 0 {
		t.Fatalf("no session: %d %s", anonymous.StatusCode, anonymous.body)
	}
	u := a.newUser(t, secureNames, nil)
	signedIn := send(t, "GET", a.url+"/maybe", "", map[string]string{"Cookie": u.cookies})
	if got := signedIn.json(t)["user"].(map[string]any); got["accountId"] != u.id || got["username"] != u.name || got["emailVerified"] != false {
		t.Fatalf("signed in: %s", signedIn.body)
	}
	if _, leaked := signedIn.json(t)["user"].(map[string]any)["sessionToken"]; leaked || strings.Contains(string(signedIn.body), "uhs_") {
		t.Fatalf("the user carries the token: %s", signedIn.body)
	}
	// A session UserHarbor does not know: anonymous, and both cookies cleared.
	dead := secureNames.Session + "=uhs_" + strings.Repeat("A", 43)
	before := a.calls.of("VerifySession")
	gone := send(t, "GET", a.url+"/maybe", "", map[string]string{"Cookie": dead})
	if gone.StatusCode != 200 || gone.json(t)["user"] != nil || a.calls.of("VerifySession") != before+1 {
		t.Fatalf("dead session: %d %s", gone.StatusCode, gone.body)
	}
	for _, name := range []string{secureNames.Session, secureNames.Assertion} {
		if c := gone.cookie(name); c == nil || c.Value != "" || c.MaxAge != -1 || !c.Secure || !c.HttpOnly {
			t.Errorf("%s not cleared: %+v", name, c)
		}
	}
	// Junk is not even asked about.
	junk := send(t, "GET", a.url+"/maybe", "", map[string]string{"Authorization": "Bearer not-a-token"})
	if junk.StatusCode != 200 || a.calls.of("VerifySession") != before+1 {
		t.Fatalf("junk bearer: %d, %d calls", junk.StatusCode, a.calls.of("VerifySession")-before)
	}
}

func TestRequireVerifiedEmailAsksOnceBeforeRefusingAndPassesOnceVerified(t *testing.T) {
	a := newApp(t, uhhttp.Config{})
	u := a.newUser(t, secureNames, nil)
	before := a.calls.of("VerifySession")
	refused := send(t, "GET", a.url+"/verified", "", map[string]string{"Cookie": u.cookies})
	expectProblem(t, refused, 403, "EMAIL_NOT_VERIFIED")
	if got := a.calls.of("VerifySession") - before; got != 1 {
		t.Fatalf("%d VerifySession calls before refusing, want 1 (the assertion may predate a verification)", got)
	}
	if _, err := a.admin.MarkEmailVerified(context.Background(), &userharborv1.MarkEmailVerifiedRequest{AccountId: u.id}); err != nil {
		t.Fatal(err)
	}
	passed := send(t, "GET", a.url+"/verified", "", map[string]string{"Cookie": u.cookies})
	if passed.StatusCode != 200 || passed.json(t)["user"].(map[string]any)["emailVerified"] != true {
		t.Fatalf("verified: %d %s", passed.StatusCode, passed.body)
	}
	if c := passed.cookie(secureNames.Assertion); c == nil || c.Value == "" || c.MaxAge < 290 {
		t.Fatalf("no new (verified) assertion cookie: %+v", c)
	}
	// The plain guard kept using the old cookie's assertion: no call.
	calls := a.calls.of("VerifySession")
	if me := send(t, "GET", a.url+"/me", "", map[string]string{"Cookie": u.cookies}); me.StatusCode != 200 || a.calls.of("VerifySession") != calls {
		t.Fatalf("/me: %d, %d calls", me.StatusCode, a.calls.of("VerifySession")-calls)
	}
}

func TestCrossSiteCookieRequestsAreRefusedBeforeAskingUserHarbor(t *testing.T) {
	a := newApp(t, uhhttp.Config{AllowedOrigins: []string{"https://admin.example"}})
	u := a.newUser(t, secureNames, nil)
	before := a.calls.of("VerifySession")
	cross := map[string]string{"Cookie": u.cookies, "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
	expectProblem(t, send(t, "POST", a.url+"/notes", "", cross), 403, "CROSS_SITE_REQUEST")
	expectProblem(t, send(t, "POST", a.url+"/notes", "", map[string]string{"Cookie": u.cookies, "Origin": "null"}), 403, "CROSS_SITE_REQUEST")
	expectProblem(t, send(t, "POST", a.url+"/logout", "", cross), 403, "CROSS_SITE_REQUEST")
	expectProblem(t, send(t, "POST", a.url+"/login", `{"username":"`+u.name+`","password":"`+password+`"}`,
		map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "same-site", "Origin": "https://sibling.example"}), 403, "CROSS_SITE_REQUEST")
	if a.calls.of("VerifySession") != before || a.calls.of("Logout") != 0 || a.calls.of("Login") != 1 {
		t.Fatal("a refused request asked UserHarbor")
	}
	// Without a session there is nothing to forge: the guard's own 401.
	expectProblem(t, send(t, "POST", a.url+"/notes", "", map[string]string{"Sec-Fetch-Site": "cross-site"}), 401, "INVALID_SESSION")
	passes := map[string]map[string]string{
		"same-origin":                  {"Cookie": u.cookies, "Sec-Fetch-Site": "same-origin", "Origin": a.url},
		"the app's own Origin":         {"Cookie": u.cookies, "Origin": a.url},
		"an allowed origin":            {"Cookie": u.cookies, "Sec-Fetch-Site": "cross-site", "Origin": "https://admin.example"},
		"no browser headers":           {"Cookie": u.cookies},
		"bearer, whatever the headers": {"Authorization": "Bearer " + u.login.cookie(secureNames.Session).Value, "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
	}
	for name, headers := range passes {
		if r := send(t, "POST", a.url+"/notes", "", headers); r.StatusCode != http.StatusCreated {
			t.Errorf("%s: %d %s", name, r.StatusCode, r.body)
		}
	}
}

func TestWriteErrorAnswersTheAppsOwnCallsAsProblems(t *testing.T) {
	a := newApp(t, uhhttp.Config{})
	u := a.newUser(t, secureNames, nil)
	ok := send(t, "GET", a.url+"/profile", "", map[string]string{"Cookie": u.cookies})
	if ok.StatusCode != 200 || ok.json(t)["email"] != u.name+"@example.com" {
		t.Fatalf("profile: %d %s", ok.StatusCode, ok.body)
	}
	refused := send(t, "GET", a.url+"/profile", "", map[string]string{"Authorization": "Bearer uhs_" + strings.Repeat("Z", 43)})
	expectProblem(t, refused, 401, "INVALID_SESSION")
	if detail := refused.json(t)["detail"].(string); detail == "" || strings.Contains(detail, "uhs_") {
		t.Fatalf("detail %q", detail)
	}
}

func TestLoginSetsTheThreeCookiesAndInsecureDevCookiesDropSecure(t *testing.T) {
	for _, dev := range []bool{false, true} {
		a := newApp(t, uhhttp.Config{InsecureDevCookies: dev})
		names := map[bool]uhhttp.CookieNames{false: uhhttp.SecureCookieNames, true: uhhttp.DevCookieNames}[dev]
		u := a.newUser(t, names, nil)
		body := u.login.json(t)
		if body["user"].(map[string]any)["username"] != u.name || u.login.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("dev %v: %s", dev, u.login.body)
		}
		expiresAt, err := time.Parse(time.RFC3339, body["expiresAt"].(string))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range u.login.Cookies() {
			got = append(got, c.Name)
			if !c.HttpOnly || c.Secure == dev || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
				t.Errorf("dev %v: %s has the wrong attributes: %s", dev, c.Name, c.Raw)
			}
			if strings.Contains(string(u.login.body), c.Value) {
				t.Errorf("dev %v: the body holds the %s value", dev, c.Name)
			}
		}
		if strings.Join(got, " ") != names.Session+" "+names.Assertion+" "+names.Device {
			t.Errorf("dev %v: cookies %v", dev, got)
		}
		if left := time.Until(expiresAt).Seconds(); float64(u.login.cookie(names.Session).MaxAge) > left+1 || float64(u.login.cookie(names.Session).MaxAge) < left-5 {
			t.Errorf("dev %v: session Max-Age %d, %f s left", dev, u.login.cookie(names.Session).MaxAge, left)
		}
		if c := u.login.cookie(names.Device); c.MaxAge != 15_552_000 || !strings.HasPrefix(c.Value, "uhd_") {
			t.Errorf("dev %v: device cookie %s", dev, c.Raw)
		}
		if me := send(t, "GET", a.url+"/me", "", map[string]string{"Cookie": u.cookies}); me.StatusCode != 200 {
			t.Errorf("dev %v: the cookies do not pass /me: %d", dev, me.StatusCode)
		}
	}
}

func TestAMissingAssertionCostsOneCallAndIsSetAFreshOneNone(t *testing.T) {
	a := newApp(t, uhhttp.Config{})
	u := a.newUser(t, secureNames, nil)
	sessionOnly := secureNames.Session + "=" + u.login.cookie(secureNames.Session).Value
	before := a.calls.of("VerifySession")
	first := send(t, "GET", a.url+"/me", "", map[string]string{"Cookie": sessionOnly})
	assertion := first.cookie(secureNames.Assertion)
	if first.StatusCode != 200 || assertion == nil || assertion.MaxAge < 290 || a.calls.of("VerifySession") != before+1 {
		t.Fatalf("first: %d, cookie %+v, %d calls", first.StatusCode, assertion, a.calls.of("VerifySession")-before)
	}
	again := send(t, "GET", a.url+"/me", "", map[string]string{"Cookie": sessionOnly + "; " + secureNames.Assertion + "=" + assertion.Value})
	if again.StatusCode != 200 || len(again.Cookies()) != 0 || a.calls.of("VerifySession") != before+1 {
		t.Fatalf("again: %d, %d cookies, %d calls", again.StatusCode, len(again.Cookies()), a.calls.of("VerifySession")-before)
	}
	// An assertion cookie alone is no session.
	expectProblem(t, send(t, "GET", a.url+"/me", "", map[string]string{"Cookie": secureNames.Assertion + "=" + assertion.Value}), 401, "INVALID_SESSION")
}

func TestBearerLogoutForgetsTheRememberedAssertion(t *testing.T) {
	a := newApp(t, uhhttp.Config{})
	u := a.newUser(t, secureNames, nil)
	bearer := map[string]string{"Authorization": "Bearer " + u.login.cookie(secureNames.Session).Value}
	for range 2 {
		if r := send(t, "GET", a.url+"/me", "", bearer); r.StatusCode != 200 {
			t.Fatalf("bearer: %d", r.StatusCode)
		}
	}
	out := send(t, "POST", a.url+"/logout", "", bearer)
	if out.StatusCode != 204 || len(out.Cookies()) != 0 {
		t.Fatalf("bearer logout: %d, cookies %v", out.StatusCode, out.Cookies())
	}
	// Without the remembered assertion the default route asks at once: no revocation lag.
	expectProblem(t, send(t, "GET", a.url+"/me", "", bearer), 401, "INVALID_SESSION")
}

func TestMalformedLoginBodiesAre400AndCallNothing(t *testing.T) {
	a := newApp(t, uhhttp.Config{URL: "http://127.0.0.1:9"}) // nothing listens: a call would show
	bodies := []struct {
		name, contentType, body string
		fields                  []string
	}{
		{"not JSON", "application/json", "{nope", nil},
		{"another content type", "text/plain", `{"username":"a","password":"b"}`, nil},
		{"no content type", "", `{"username":"a","password":"b"}`, nil},
		{"an array", "application/json", `["a","b"]`, nil},
		{"null", "application/json", `null`, nil},
		{"trailing data", "application/json", `{"username":"a","password":"b"} x`, nil},
		{"too large", "application/json", `{"username":"a","password":"` + strings.Repeat("p", uhhttp.LoginBodyMaxBytes) + `"}`, nil},
		{"fields missing", "application/json", `{}`, []string{"username", "password"}},
		{"empty username", "application/json; charset=utf-8", `{"username":"","password":"b"}`, []string{"username"}},
		{"a number for a password", "application/vnd.api+json", `{"username":"a","password":12}`, []string{"password"}},
	}
	for _, b := range bodies {
		r := send(t, "POST", a.url+"/login", b.body, map[string]string{"Content-Type": b.contentType})
		expectProblem(t, r, 400, "INVALID_REQUEST")
		var named []string
		if list, ok := r.json(t)["errors"].([]any); ok {
			for _, e := range list {
				named = append(named, e.(map[string]any)["field"].(string))
			}
		}
		if strings.Join(named, ",") != strings.Join(b.fields, ",") {
			t.Errorf("%s: errors name %v, want %v", b.name, named, b.fields)
		}
	}
	if n := a.calls.of("Login"); n != 0 {
		t.Fatalf("%d Login calls", n)
	}
	// GET is no logout (it would skip the CSRF check): the handler insists on POST.
	r := send(t, "GET", a.url+"/logout", "", map[string]string{"Cookie": secureNames.Session + "=uhs_x"})
	expectProblem(t, r, 405, "METHOD_NOT_ALLOWED")
	if r.Header.Get("Allow") != "POST" || len(r.Cookies()) != 0 || a.calls.of("Logout") != 0 {
		t.Errorf("GET /logout: Allow %q, cookies %v", r.Header.Get("Allow"), r.Cookies())
	}
}

func TestASilentUserHarborIsA503AtTheDeadlineAndAFailedLogoutKeepsTheCookies(t *testing.T) {
	real := newApp(t, uhhttp.Config{})
	u := real.newUser(t, secureNames, nil)
	sessionOnly := secureNames.Session + "=" + u.login.cookie(secureNames.Session).Value
	a := newApp(t, uhhttp.Config{URL: silentServer(t), Timeout: 300 * time.Millisecond})
	requests := []struct {
		name, method, path, body string
		headers                  map[string]string
	}{
		{"login", "POST", "/login", `{"username":"a","password":"b"}`, map[string]string{"Content-Type": "application/json"}},
		{"a cookie with its assertion (the key set fetch waits)", "GET", "/me", "", map[string]string{"Cookie": u.cookies}},
		{"a session cookie alone", "GET", "/me", "", map[string]string{"Cookie": sessionOnly}},
		{"strict", "GET", "/me/strict", "", map[string]string{"Cookie": u.cookies}},
		{"logout", "POST", "/logout", "", map[string]string{"Cookie": u.cookies}},
	}
	for _, req := range requests {
		start := time.Now()
		r := send(t, req.method, a.url+req.path, req.body, req.headers)
		took := time.Since(start)
		expectProblem(t, r, 503, "USERHARBOR_UNAVAILABLE")
		if r.Header.Get("Retry-After") != "1" || took < 250*time.Millisecond || took > 2*time.Second {
			t.Errorf("%s: Retry-After %q after %s", req.name, r.Header.Get("Retry-After"), took)
		}
		if len(r.Cookies()) != 0 {
			t.Errorf("%s: cookies changed: %v", req.name, r.Cookies())
		}
	}
}

func TestXForwardedForCountsOnlyFromATrustedProxy(t *testing.T) {
	proxies, err := uhhttp.ParseTrustedProxies("127.0.0.1/32")
	if err != nil {
		t.Fatal(err)
	}
	plain := newApp(t, uhhttp.Config{})
	proxied := newApp(t, uhhttp.Config{TrustedProxies: proxies})
	headers := func() map[string]string {
		return map[string]string{"X-Forwarded-For": "198.51.100.66, 203.0.113.7", "User-Agent": "uhhttp-test/1.0"}
	}
	ipSeen := func(a *app, localAddr string) string {
		u := a.newUser(t, secureNames, headers(), localAddr)
		listed, err := a.accounts.ListSessions(context.Background(), &userharborv1.ListSessionsRequest{SessionToken: u.login.cookie(secureNames.Session).Value})
		if err != nil || len(listed.GetSessions()) != 1 {
			t.Fatalf("ListSessions: %v", err)
		}
		if agent := listed.GetSessions()[0].GetUserAgent(); agent != "uhhttp-test/1.0" {
			t.Errorf("user agent %q", agent)
		}
		return listed.GetSessions()[0].GetIp()
	}
	// 127.0.0.2 is neither the header's address nor this process's own toward UserHarbor.
	for name, got := range map[string]string{
		"untrusted peer, no proxies":   ipSeen(plain, "127.0.0.2"),
		"untrusted peer, one proxy":    ipSeen(proxied, "127.0.0.2"),
		"a trusting app, direct proxy": ipSeen(proxied, "127.0.0.1"),
		"a trusted peer, no proxies":   ipSeen(plain, "127.0.0.1"),
	} {
		want := map[string]string{
			"untrusted peer, no proxies":   "127.0.0.2",
			"untrusted peer, one proxy":    "127.0.0.2",
			"a trusting app, direct proxy": "203.0.113.7", // the rightmost untrusted hop, not the spoofable leftmost
			"a trusted peer, no proxies":   "127.0.0.1",
		}[name]
		if got != want {
			t.Errorf("%s: UserHarbor saw %q, want %q", name, got, want)
		}
	}
}

// misbehaving answers VerifySession "valid" without the assertion it was asked for: an answer
// UserHarbor never gives, so only a stand-in can show what the integration does with it.
type misbehaving struct {
	userharborv1.UnimplementedAccountServiceServer
}

func (misbehaving) VerifySession(context.Context, *userharborv1.VerifySessionRequest) (*userharborv1.VerifySessionResponse, error) {
	return &userharborv1.VerifySessionResponse{Valid: true}, nil
}

func TestAMalformedAnswerIsA502AndIsLoggedNotAStack(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := grpc.NewServer()
	userharborv1.RegisterAccountServiceServer(server, misbehaving{})
	go server.Serve(listener)
	t.Cleanup(server.Stop)
	var logged strings.Builder
	var mu sync.Mutex
	a := newApp(t, uhhttp.Config{
		URL:    "http://" + listener.Addr().String(),
		Logger: slog.New(slog.NewTextHandler(lockedWriter{&mu, &logged}, nil)),
	})
	token := "uhs_" + strings.Repeat("Q", 43)
	strict := send(t, "GET", a.url+"/me/strict", "", map[string]string{"Authorization": "Bearer " + token})
	expectProblem(t, strict, 502, "USERHARBOR_ERROR")
	// Unimplemented RPCs (Login here) are UserHarbor's errors too: 502, nothing logged.
	login := send(t, "POST", a.url+"/login", `{"username":"a","password":"b"}`, map[string]string{"Content-Type": "application/json"})
	expectProblem(t, login, 502, "USERHARBOR_ERROR")
	mu.Lock()
	defer mu.Unlock()
	if n := strings.Count(logged.String(), "unexpected failure talking to UserHarbor"); n != 1 || strings.Contains(logged.String(), token) {
		t.Fatalf("log (%d lines about it): %s", n, logged.String())
	}
}
