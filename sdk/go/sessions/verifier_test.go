package sessions_test

// These tests run against a real UserHarbor server (test/sdk/verifiers.test.ts starts one
// and runs `go test` with UH_SERVER_URL set; without it they skip). Key fetches are counted
// by a wrapping KeyFetcher, VerifySession calls by a gRPC client interceptor.

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
	"github.com/userharbor/userharbor/sdk/go/sessions"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

const password = "verifier correct horse battery"

// clock is real time plus an offset the test moves, like the server's manual clock.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time                  { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration)         { c.offset.Add(int64(d)) }
func (c *clock) reset()                          { c.offset.Store(0) }
func (c *clock) until(t time.Time) time.Duration { return t.Sub(c.now()) }

// env is one test's view of the server: a gRPC client whose calls are counted, a key
// fetcher whose fetches are counted, and a clock.
type env struct {
	url      string
	accounts userharborv1.AccountServiceClient
	clock    *clock
	mu       sync.Mutex
	calls    []string
	fetches  atomic.Int64
}

func newEnv(t *testing.T) *env {
	t.Helper()
	url := os.Getenv("UH_SERVER_URL")
	if url == "" {
		t.Skip("UH_SERVER_URL is not set: run through test/sdk/verifiers.test.ts, or point it at a server with REQUIRE_VERIFIED_EMAIL=false")
	}
	e := &env{url: url, clock: &clock{}}
	count := func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		e.mu.Lock()
		e.calls = append(e.calls, method[strings.LastIndex(method, "/")+1:])
		e.mu.Unlock()
		return invoker(ctx, method, req, reply, cc, opts...)
	}
	conn, err := grpc.NewClient(strings.TrimPrefix(url, "http://"),
		grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithUnaryInterceptor(count))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	e.accounts = userharborv1.NewAccountServiceClient(conn)
	return e
}

// callsTo lists the RPCs made through e.accounts named method (the test's own calls
// included, so tests read it around the verifier's calls only).
func (e *env) callsTo(method string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, c := range e.calls {
		if c == method {
			n++
		}
	}
	return n
}

// verifier builds a Verifier on e's clock whose key fetches are counted; cfg fields that
// are set override the defaults.
func (e *env) verifier(t *testing.T, cfg sessions.Config) *sessions.Verifier {
	t.Helper()
	http := sessions.HTTPKeyFetcher(e.url+"/.well-known/jwks.json", nil)
	cfg.FetchKeys = func(ctx context.Context) ([]byte, error) {
		e.fetches.Add(1)
		return http(ctx)
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "userharbor"
	}
	if cfg.Client == nil {
		cfg.Client = e.accounts
	}
	cfg.Now = e.clock.now
	v, err := sessions.NewVerifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

type session struct {
	username, token, assertion, accountID, sessionID string
}

// newSession registers an account and logs in (the server runs with REQUIRE_VERIFIED_EMAIL=false).
func (e *env) newSession(t *testing.T) session {
	t.Helper()
	ctx := context.Background()
	name := "go" + strings.ToLower(rand.Text()[:10])
	reg, err := e.accounts.Register(ctx, &userharborv1.RegisterRequest{Username: name, Email: name + "@example.com", Password: password})
	if err != nil {
		t.Fatal(err)
	}
	login, err := e.accounts.Login(ctx, &userharborv1.LoginRequest{Username: name, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	listed, err := e.accounts.ListSessions(ctx, &userharborv1.ListSessionsRequest{SessionToken: login.GetSessionToken()})
	if err != nil || len(listed.GetSessions()) != 1 {
		t.Fatalf("ListSessions: %v", err)
	}
	return session{name, login.GetSessionToken(), login.GetSessionAssertion(), reg.GetUser().GetId(), listed.GetSessions()[0].GetId()}
}

// jws is an assertion taken apart, to build tampered ones.
type jws struct {
	header, payload map[string]any
	raw             [3]string
}

func split(t *testing.T, assertion string) jws {
	t.Helper()
	parts := strings.Split(assertion, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %q", assertion)
	}
	var j jws
	copy(j.raw[:], parts)
	for i, dest := range []*map[string]any{&j.header, &j.payload} {
		data, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil || json.Unmarshal(data, dest) != nil {
			t.Fatalf("part %d: %v", i, err)
		}
	}
	return j
}

func b64(value any) string {
	data, _ := json.Marshal(value)
	return base64.RawURLEncoding.EncodeToString(data)
}

func with(m map[string]any, key string, value any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	if value == nil {
		delete(out, key)
	} else {
		out[key] = value
	}
	return out
}

// codeOf is the Code Verify refuses with, or "verified".
func codeOf(t *testing.T, v *sessions.Verifier, assertion string) string {
	t.Helper()
	_, err := v.Verify(context.Background(), assertion)
	if err == nil {
		return "verified"
	}
	var refused *sessions.AssertionError
	if !errors.As(err, &refused) {
		t.Fatalf("Verify: not an AssertionError: %v", err)
	}
	return string(refused.Code)
}

func TestVerifyReturnsTheClaimsOfAServerIssuedAssertion(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{})
	got, err := v.Verify(context.Background(), s.assertion)
	if err != nil {
		t.Fatal(err)
	}
	exp := int64(split(t, s.assertion).payload["exp"].(float64))
	want := sessions.Claims{AccountID: s.accountID, SessionID: s.sessionID, Username: s.username, EmailVerified: false, ExpiresAt: time.Unix(exp, 0)}
	if got != want {
		t.Fatalf("claims %+v, want %+v", got, want)
	}
	if _, err := v.Verify(context.Background(), e.newSession(t).assertion); err != nil {
		t.Fatal(err)
	}
	if n := e.fetches.Load(); n != 1 {
		t.Fatalf("key set fetched %d times for two assertions, want 1", n)
	}
}

// The assertion every language verifies (test/sdk/verifiers.test.ts compares the claims).
func TestVerifyTheSharedAssertion(t *testing.T) {
	e := newEnv(t)
	assertion, out := os.Getenv("UH_SHARED_ASSERTION"), os.Getenv("UH_SHARED_CLAIMS_OUT")
	if assertion == "" || out == "" {
		t.Skip("UH_SHARED_ASSERTION / UH_SHARED_CLAIMS_OUT not set")
	}
	c, err := e.verifier(t, sessions.Config{}).Verify(context.Background(), assertion)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(map[string]any{
		"accountId": c.AccountID, "sessionId": c.SessionID, "username": c.Username,
		"emailVerified": c.EmailVerified, "expiresAt": c.ExpiresAt.Unix(),
	})
	if err := os.WriteFile(out, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyWorksWithTheURLAloneAndWithGetSessionKeys(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	byURL, err := sessions.NewVerifier(sessions.Config{JWKSURL: e.url + "/.well-known/jwks.json", Issuer: "userharbor"})
	if err != nil {
		t.Fatal(err)
	}
	byRPC, err := sessions.NewVerifier(sessions.Config{FetchKeys: sessions.RPCKeyFetcher(e.accounts), Issuer: "userharbor"})
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]*sessions.Verifier{"JWKSURL": byURL, "RPCKeyFetcher": byRPC} {
		c, err := v.Verify(context.Background(), s.assertion)
		if err != nil || c.SessionID != s.sessionID {
			t.Fatalf("%s: %+v, %v", name, c, err)
		}
	}
	if e.callsTo("GetSessionKeys") != 1 {
		t.Fatalf("GetSessionKeys calls: %d, want 1", e.callsTo("GetSessionKeys"))
	}
}

func TestVerifyRefusesEachKindOfBadAssertionWithItsTypedError(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{})
	j := split(t, s.assertion)
	ownKid := j.header["kid"].(string)
	keys, err := e.accounts.GetSessionKeys(context.Background(), &userharborv1.GetSessionKeysRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var published struct{ Keys []struct{ Kid string } }
	if err := json.Unmarshal([]byte(keys.GetJwksJson()), &published); err != nil {
		t.Fatal(err)
	}
	otherKid := ""
	for _, k := range published.Keys {
		if k.Kid != ownKid {
			otherKid = k.Kid
		}
	}
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: stranger},
		(&jose.SignerOptions{}).WithHeader("kid", ownKid))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(j.payload)
	signed, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := signed.CompactSerialize()
	header, sig := j.raw[0], j.raw[2]

	cases := []struct{ name, assertion, want string }{
		{"the real one", s.assertion, "verified"},
		{"a tampered payload", header + "." + b64(with(j.payload, "username", "admin")) + "." + sig, "bad_signature"},
		{"signed by another key under our kid", forged, "bad_signature"},
		{"another published kid", b64(with(j.header, "kid", otherKid)) + "." + j.raw[1] + "." + sig, "bad_signature"},
		{"a kid nobody published", b64(with(j.header, "kid", "no-such-key")) + "." + j.raw[1] + "." + sig, "unknown_key"},
		{"alg none", b64(map[string]any{"alg": "none", "kid": ownKid}) + "." + j.raw[1] + ".", "malformed"},
		{"no kid", b64(with(j.header, "kid", nil)) + "." + j.raw[1] + "." + sig, "malformed"},
		{"not a JWS", "not-a-jws", "malformed"},
		{"empty", "", "malformed"},
		{"three dots of junk", "a.b.c", "malformed"},
	}
	for _, c := range cases {
		if got := codeOf(t, v, c.assertion); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if otherKid == "" {
		t.Fatal("the published set has only one key")
	}

	wrongIssuer := e.verifier(t, sessions.Config{Issuer: "https://someone-else.example"})
	_, err = wrongIssuer.Verify(context.Background(), s.assertion)
	if !errors.Is(err, sessions.ErrWrongIssuer) {
		t.Fatalf("another issuer: %v, want ErrWrongIssuer", err)
	}
	wrongAudience := e.verifier(t, sessions.Config{Audience: "shop-backend"})
	if _, err := wrongAudience.Verify(context.Background(), s.assertion); !errors.Is(err, sessions.ErrWrongAudience) {
		t.Fatalf("a required audience: %v, want ErrWrongAudience", err)
	}
	// errors.Is matches by kind, and the JOSE library's error stays reachable.
	_, err = v.Verify(context.Background(), header+"."+b64(with(j.payload, "username", "admin"))+"."+sig)
	if !errors.Is(err, sessions.ErrBadSignature) || errors.Is(err, sessions.ErrExpired) || !errors.Is(err, jose.ErrCryptoFailure) {
		t.Fatalf("tampered: %v", err)
	}
}

func TestVerifyRefusesAnExpiredAssertionEvenACachedOneWithinFiveSecondsOfLeeway(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{})
	c, err := v.Verify(context.Background(), s.assertion)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.advance(e.clock.until(c.ExpiresAt) + 4*time.Second) // 4 s late: within the leeway
	if got := codeOf(t, v, s.assertion); got != "verified" {
		t.Fatalf("4 s after exp: %s", got)
	}
	e.clock.advance(2 * time.Second) // 6 s late
	_, err = v.Verify(context.Background(), s.assertion)
	if !errors.Is(err, sessions.ErrExpired) {
		t.Fatalf("6 s after exp: %v, want ErrExpired", err)
	}
	strictClock := e.verifier(t, sessions.Config{Leeway: -1})
	e.clock.reset()
	e.clock.advance(e.clock.until(c.ExpiresAt) + time.Second)
	if got := codeOf(t, strictClock, s.assertion); got != "expired" {
		t.Fatalf("no leeway, 1 s after exp: %s", got)
	}
}

func TestUnknownKidRefetchesAtMostOncePer30Seconds(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{})
	if _, err := v.Verify(context.Background(), s.assertion); err != nil {
		t.Fatal(err)
	}
	j := split(t, s.assertion)
	garbage := func(n int) string {
		return b64(map[string]any{"alg": "EdDSA", "kid": fmt.Sprintf("garbage-%d", n)}) + "." + j.raw[1] + "." + j.raw[2]
	}
	for n := range 50 {
		if got := codeOf(t, v, garbage(n)); got != "unknown_key" {
			t.Fatalf("garbage kid: %s", got)
		}
	}
	if n := e.fetches.Load(); n != 1 {
		t.Fatalf("fetches after 50 garbage kids: %d, want 1 (fetched just now)", n)
	}
	e.clock.advance(sessions.RefetchCooldown)
	for n := 50; n < 100; n++ {
		if got := codeOf(t, v, garbage(n)); got != "unknown_key" {
			t.Fatalf("garbage kid: %s", got)
		}
	}
	if n := e.fetches.Load(); n != 2 || v.Stats().KeyFetches != 2 {
		t.Fatalf("fetches after 30 s and 50 more: %d (stats %d), want 2: one refetch for the burst", n, v.Stats().KeyFetches)
	}
}

func TestTheHeldKeySetIsRefreshedOnItsSchedule(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{RefreshInterval: time.Minute, CacheSize: -1})
	if _, err := v.Verify(context.Background(), s.assertion); err != nil {
		t.Fatal(err)
	}
	e.clock.advance(59 * time.Second)
	if _, err := v.Verify(context.Background(), s.assertion); err != nil || e.fetches.Load() != 1 {
		t.Fatalf("before the interval: %v, %d fetches", err, e.fetches.Load())
	}
	e.clock.advance(time.Second)
	if _, err := v.Verify(context.Background(), s.assertion); err != nil {
		t.Fatal(err) // answered from the held set while the refresh runs
	}
	deadline := time.Now().Add(5 * time.Second)
	for e.fetches.Load() != 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := e.fetches.Load(); n != 2 {
		t.Fatalf("fetches after the refresh interval: %d, want 2", n)
	}
}

func TestNewVerifierRefusesBadConfig(t *testing.T) {
	base := sessions.Config{JWKSURL: "http://127.0.0.1:9/.well-known/jwks.json", Issuer: "userharbor"}
	bad := map[string]func(c *sessions.Config){
		"leeway over 5 s":     func(c *sessions.Config) { c.Leeway = 6 * time.Second },
		"refresh under 30 s":  func(c *sessions.Config) { c.RefreshInterval = 29 * time.Second },
		"refresh over 30 min": func(c *sessions.Config) { c.RefreshInterval = 31 * time.Minute },
		"no key source":       func(c *sessions.Config) { c.JWKSURL = "" },
		"two key sources":     func(c *sessions.Config) { c.FetchKeys = sessions.HTTPKeyFetcher("http://x", nil) },
		"no issuer":           func(c *sessions.Config) { c.Issuer = "" },
	}
	for name, change := range bad {
		cfg := base
		change(&cfg)
		if _, err := sessions.NewVerifier(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := sessions.NewVerifier(base); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyWithoutAKeySetSaysSoAndRetriesOnlyAfterTheCooldown(t *testing.T) {
	var fetches atomic.Int64
	now := &clock{}
	v, err := sessions.NewVerifier(sessions.Config{
		FetchKeys: func(context.Context) ([]byte, error) { fetches.Add(1); return nil, errors.New("connection refused") },
		Issuer:    "userharbor", Now: now.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	assertion := b64(map[string]any{"alg": "EdDSA", "kid": "k"}) + "." + b64(map[string]any{}) + ".c2ln"
	for range 3 {
		if _, err := v.Verify(context.Background(), assertion); !errors.Is(err, sessions.ErrKeySetUnavailable) {
			t.Fatalf("%v, want ErrKeySetUnavailable", err)
		}
	}
	now.advance(sessions.RefetchCooldown)
	_, _ = v.Verify(context.Background(), assertion)
	if n := fetches.Load(); n != 2 {
		t.Fatalf("fetches: %d, want 2", n)
	}
}

func TestCheckMakesNoServerCallWhileTheAssertionIsFreshAndARepeatVerifiesNoSignature(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{})
	first, err := v.Check(context.Background(), s.token, s.assertion)
	if err != nil {
		t.Fatal(err)
	}
	if first.FromServer || first.Assertion != s.assertion || first.Claims.AccountID != s.accountID || first.Claims.SessionID != s.sessionID {
		t.Fatalf("first check: %+v", first)
	}
	checks := v.Stats().SignatureChecks
	for range 20 {
		again, err := v.Check(context.Background(), s.token, s.assertion)
		if err != nil || again.Claims != first.Claims || again.FromServer {
			t.Fatalf("repeat: %+v, %v", again, err)
		}
	}
	st := v.Stats()
	if st.SignatureChecks != checks || st.CacheHits != 20 || st.ServerCalls != 0 || e.callsTo("VerifySession") != 0 {
		t.Fatalf("stats %+v, VerifySession calls %d: want no new signature check, 20 hits, no call", st, e.callsTo("VerifySession"))
	}
}

func TestCheckMakesExactlyOneVerifySessionWhenTheAssertionIsStale(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{})
	exp := time.Unix(int64(split(t, s.assertion).payload["exp"].(float64)), 0)
	e.clock.advance(e.clock.until(exp) + 6*time.Second) // past exp and the leeway
	renewed, err := v.Check(context.Background(), s.token, s.assertion)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.callsTo("VerifySession"); n != 1 {
		t.Fatalf("VerifySession calls: %d, want 1", n)
	}
	// (The server signs the same bytes again within the same second: its clock did not move.)
	if !renewed.FromServer || renewed.Assertion == "" || renewed.Claims.SessionID != s.sessionID {
		t.Fatalf("renewed: %+v", renewed)
	}
	// The server's clock did not move: back on it, the new assertion answers with no call.
	e.clock.reset()
	next, err := v.Check(context.Background(), s.token, renewed.Assertion)
	if err != nil || next.FromServer || e.callsTo("VerifySession") != 1 {
		t.Fatalf("with the renewed assertion: %+v, %v, %d calls", next, err, e.callsTo("VerifySession"))
	}
	// No assertion at all, or a forged one: one call each, never a local yes.
	if r, err := v.Check(context.Background(), s.token, ""); err != nil || !r.FromServer {
		t.Fatalf("no assertion: %+v, %v", r, err)
	}
	forged := renewed.Assertion[:len(renewed.Assertion)-4] + "AAAA"
	if r, err := v.Check(context.Background(), s.token, forged); err != nil || !r.FromServer {
		t.Fatalf("forged: %+v, %v", r, err)
	}
	if n := e.callsTo("VerifySession"); n != 3 || v.Stats().ServerCalls != 3 {
		t.Fatalf("VerifySession calls: %d, want 3", n)
	}
}

func TestCheckStrictReportsARevokedSessionAtOnceWhileCheckKeepsTheDocumentedLag(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{})
	if _, err := e.accounts.Logout(context.Background(), &userharborv1.LogoutRequest{SessionToken: s.token}); err != nil {
		t.Fatal(err)
	}
	if r, err := v.CheckStrict(context.Background(), s.token); !errors.Is(err, sessions.ErrInvalidSession) || r != nil {
		t.Fatalf("strict after Logout: %+v, %v, want ErrInvalidSession", r, err)
	}
	if n := e.callsTo("VerifySession"); n != 1 {
		t.Fatalf("VerifySession calls: %d, want 1", n)
	}
	if r, err := v.Check(context.Background(), s.token, s.assertion); err != nil || r.FromServer {
		t.Fatalf("non-strict until exp: %+v, %v", r, err)
	}
	e.clock.advance(306 * time.Second)
	if _, err := v.Check(context.Background(), s.token, s.assertion); !errors.Is(err, sessions.ErrInvalidSession) {
		t.Fatalf("after exp: %v, want ErrInvalidSession", err)
	}
	if n := e.callsTo("VerifySession"); n != 2 {
		t.Fatalf("VerifySession calls: %d, want 2", n)
	}
}

func TestCheckWithNoTokenAndNoUsableAssertionAsksNobody(t *testing.T) {
	e := newEnv(t)
	v := e.verifier(t, sessions.Config{})
	for _, assertion := range []string{"", "not-a-jws"} {
		if _, err := v.Check(context.Background(), "", assertion); !errors.Is(err, sessions.ErrInvalidSession) {
			t.Fatalf("%q: %v", assertion, err)
		}
	}
	if n := e.callsTo("VerifySession"); n != 0 {
		t.Fatalf("VerifySession calls: %d, want 0", n)
	}
	if _, err := v.Check(context.Background(), "uhs_"+strings.Repeat("A", 43), ""); !errors.Is(err, sessions.ErrInvalidSession) {
		t.Fatalf("unknown token: %v", err)
	}
	if n := e.callsTo("VerifySession"); n != 1 {
		t.Fatalf("VerifySession calls: %d, want 1", n)
	}
}

func TestTheCacheKeepsAtMostCacheSizeAssertionsAndNoneWhenOff(t *testing.T) {
	e := newEnv(t)
	ss := []session{e.newSession(t), e.newSession(t), e.newSession(t)}
	v := e.verifier(t, sessions.Config{CacheSize: 2})
	for _, s := range ss {
		if _, err := v.Verify(context.Background(), s.assertion); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = v.Verify(context.Background(), ss[2].assertion) // still held
	if n := v.Stats().SignatureChecks; n != 3 {
		t.Fatalf("signature checks: %d, want 3", n)
	}
	_, _ = v.Verify(context.Background(), ss[0].assertion) // evicted: verified again
	if n := v.Stats().SignatureChecks; n != 4 {
		t.Fatalf("signature checks: %d, want 4", n)
	}
	off := e.verifier(t, sessions.Config{CacheSize: -1})
	for range 3 {
		_, _ = off.Verify(context.Background(), ss[0].assertion)
	}
	if st := off.Stats(); st.SignatureChecks != 3 || st.CacheHits != 0 {
		t.Fatalf("cache off: %+v", st)
	}
}

func TestConcurrentVerifiesShareOneKeyFetch(t *testing.T) {
	e := newEnv(t)
	s := e.newSession(t)
	v := e.verifier(t, sessions.Config{CacheSize: -1})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			if _, err := v.Verify(context.Background(), s.assertion); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := e.fetches.Load(); n != 1 {
		t.Fatalf("fetches: %d, want 1", n)
	}
}
