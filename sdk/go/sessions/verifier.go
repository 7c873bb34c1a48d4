// Package sessions checks UserHarbor sessions in a Go backend without a network hop per
// request: it verifies the service's session assertions (compact JWS, EdDSA / Ed25519)
// locally against the published key set, with go-jose, and asks VerifySession only when an
// assertion is missing, expired or not verifiable. See the README beside go.mod.
package sessions

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	lru "github.com/hashicorp/golang-lru/v2"
	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
	"google.golang.org/grpc"
)

// Claims is who a valid assertion (or VerifySession) says the caller is.
type Claims struct {
	// AccountID is sub: the account id (User.id), the foreign key for your own records.
	AccountID string
	// SessionID is sid: the session's public id (ListSessions' Session.id).
	SessionID     string
	Username      string
	EmailVerified bool
	// ExpiresAt is exp: when the assertion stops being accepted.
	ExpiresAt time.Time
}

// CheckResult is what Check found.
type CheckResult struct {
	Claims Claims
	// Assertion is the one to keep for next time (a cookie, a cache): the one given, or a
	// new one from VerifySession.
	Assertion string
	// FromServer is true when VerifySession answered (and issued Assertion).
	FromServer bool
}

// SessionClient is what Check calls: the VerifySession half of
// userharborv1.AccountServiceClient (grpc-go). A wrapper that adds a deadline, metadata
// (the API key) or a counter works too.
type SessionClient interface {
	VerifySession(ctx context.Context, in *userharborv1.VerifySessionRequest, opts ...grpc.CallOption) (*userharborv1.VerifySessionResponse, error)
}

// Config of a Verifier. Issuer and exactly one of JWKSURL and FetchKeys are required.
type Config struct {
	// JWKSURL is <service URL>/.well-known/jwks.json.
	JWKSURL string
	// FetchKeys is any other way to get the key set, e.g. RPCKeyFetcher(client).
	FetchKeys KeyFetcher
	// HTTPClient fetches JWKSURL (default: a client with a 5 s timeout).
	HTTPClient *http.Client
	// Issuer is the iss to require: the server's ASSERTION_ISSUER (default "userharbor").
	Issuer string
	// Audience is the aud to require, when the server sets ASSERTION_AUDIENCE.
	Audience string
	// Leeway on exp for clock skew, at most 5 s. Zero means 5 s; negative means none.
	Leeway time.Duration
	// RefreshInterval is the age at which the held key set is refreshed in the background:
	// 30 s to 30 min; zero means 10 min.
	RefreshInterval time.Duration
	// CacheSize is how many verified assertions are kept (least recently used go first),
	// each until its exp. Zero means 10 000; negative turns the cache off.
	CacheSize int
	// Client is what Check calls (VerifySession), e.g. userharborv1.NewAccountServiceClient(conn).
	Client SessionClient
	// Now is the clock (tests inject one). Default time.Now.
	Now func() time.Time
}

// Stats are counters for metrics and tests.
type Stats struct {
	KeyFetches      int64 // key set fetches started
	ServerCalls     int64 // VerifySession calls made by Check and CheckStrict
	CacheHits       int64 // Verify answers served from the cache of verified assertions
	SignatureChecks int64 // signatures verified
}

// Verifier verifies session assertions. Safe for concurrent use; make one per process.
type Verifier struct {
	issuer   string
	audience string
	leeway   time.Duration
	client   SessionClient
	now      func() time.Time
	keys     *keyCache
	cache    *lru.Cache[string, Claims] // nil when off

	serverCalls, cacheHits, signatureChecks atomic.Int64
}

const (
	// MaxLeeway is the most clock skew a Verifier forgives on exp.
	MaxLeeway              = 5 * time.Second
	defaultRefreshInterval = 10 * time.Minute
	defaultCacheSize       = 10_000
)

// NewVerifier checks cfg and returns a Verifier. Nothing is fetched until the first Verify.
func NewVerifier(cfg Config) (*Verifier, error) {
	if (cfg.JWKSURL == "") == (cfg.FetchKeys == nil) {
		return nil, errors.New("sessions: set exactly one of Config.JWKSURL and Config.FetchKeys")
	}
	if cfg.Issuer == "" {
		return nil, errors.New("sessions: Config.Issuer is required")
	}
	leeway := cfg.Leeway
	switch {
	case leeway == 0:
		leeway = MaxLeeway
	case leeway < 0:
		leeway = 0
	case leeway > MaxLeeway:
		return nil, fmt.Errorf("sessions: Config.Leeway must be at most %s", MaxLeeway)
	}
	refresh := cfg.RefreshInterval
	if refresh == 0 {
		refresh = defaultRefreshInterval
	}
	// Under 30 s would fetch more often than the cooldown allows; over 30 min, a verifier
	// could still hold a set from before the next key was published (it is published one
	// rotation period, at least 1 h, before it signs; HTTP caches may add 10 min).
	if refresh < RefetchCooldown || refresh > 30*time.Minute {
		return nil, errors.New("sessions: Config.RefreshInterval must be 30s to 30m")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	fetch := cfg.FetchKeys
	if fetch == nil {
		fetch = HTTPKeyFetcher(cfg.JWKSURL, cfg.HTTPClient)
	}
	v := &Verifier{
		issuer:   cfg.Issuer,
		audience: cfg.Audience,
		leeway:   leeway,
		client:   cfg.Client,
		now:      now,
		keys:     &keyCache{fetch: fetch, refresh: refresh, now: now},
	}
	size := cfg.CacheSize
	if size == 0 {
		size = defaultCacheSize
	}
	if size > 0 {
		cache, err := lru.New[string, Claims](size)
		if err != nil {
			return nil, err
		}
		v.cache = cache
	}
	return v, nil
}

// Stats returns the counters so far.
func (v *Verifier) Stats() Stats {
	return Stats{
		KeyFetches:      v.keys.fetchCount(),
		ServerCalls:     v.serverCalls.Load(),
		CacheHits:       v.cacheHits.Load(),
		SignatureChecks: v.signatureChecks.Load(),
	}
}

// assertionClaims are the claims UserHarbor signs beside the registered ones. Pointers tell
// a missing claim from a zero value.
type assertionClaims struct {
	SessionID     *string `json:"sid"`
	Username      *string `json:"username"`
	EmailVerified *bool   `json:"email_verified"`
}

// Verify returns the claims of a valid assertion, or an *AssertionError (match it with
// errors.Is(err, ErrExpired), ...), or an error wrapping ErrKeySetUnavailable when no key
// set could be fetched. ctx bounds the wait for a key set fetch.
func (v *Verifier) Verify(ctx context.Context, assertion string) (Claims, error) {
	if v.cache != nil {
		if hit, ok := v.cache.Get(assertion); ok {
			if v.live(hit) {
				v.cacheHits.Add(1)
				return hit, nil
			}
			v.cache.Remove(assertion)
		}
	}
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return Claims{}, refuse(CodeMalformed, "not a compact JWS signed EdDSA", err)
	}
	kid := tok.Headers[0].KeyID
	if kid == "" {
		return Claims{}, refuse(CodeMalformed, "no kid in the header", nil)
	}
	key, err := v.keys.key(ctx, kid)
	if err != nil {
		return Claims{}, err
	}
	if key == nil {
		return Claims{}, refuse(CodeUnknownKey, "no published key has kid "+kid, nil)
	}
	v.signatureChecks.Add(1)
	var registered jwt.Claims
	var own assertionClaims
	if err := tok.Claims(key, &registered, &own); err != nil {
		if errors.Is(err, jose.ErrCryptoFailure) {
			return Claims{}, refuse(CodeBadSignature, "the signature does not match", err)
		}
		return Claims{}, refuse(CodeMalformed, "unreadable claims", err)
	}
	expected := jwt.Expected{Issuer: v.issuer, Time: v.now()}
	if v.audience != "" {
		expected.AnyAudience = jwt.Audience{v.audience}
	}
	if err := registered.ValidateWithLeeway(expected, v.leeway); err != nil {
		switch {
		case errors.Is(err, jwt.ErrInvalidIssuer):
			return Claims{}, refuse(CodeWrongIssuer, "unexpected iss", err)
		case errors.Is(err, jwt.ErrInvalidAudience):
			return Claims{}, refuse(CodeWrongAudience, "unexpected aud", err)
		case errors.Is(err, jwt.ErrExpired):
			return Claims{}, refuse(CodeExpired, "the assertion has expired", err)
		default: // nbf or iat in the future beyond the leeway
			return Claims{}, refuse(CodeMalformed, "not valid yet (clock skew?)", err)
		}
	}
	claims, err := claimsOf(&registered, &own)
	if err != nil {
		return Claims{}, err
	}
	if v.cache != nil {
		v.cache.Add(assertion, claims)
	}
	return claims, nil
}

// Check returns the session's user: from assertion while it is valid (no network call),
// else from one VerifySession with issue_assertion, whose new assertion it returns for the
// caller to keep. ErrInvalidSession when the server says the session is not valid, or
// there is no session token and no usable assertion. Errors of the call itself
// (Unavailable, deadline) come back as the client returned them.
func (v *Verifier) Check(ctx context.Context, sessionToken, assertion string) (*CheckResult, error) {
	if assertion != "" {
		claims, err := v.Verify(ctx, assertion)
		if err == nil {
			return &CheckResult{Claims: claims, Assertion: assertion}, nil
		}
		// Expired, unknown, forged or unverifiable: the server decides instead.
		var refused *AssertionError
		if !errors.As(err, &refused) && !errors.Is(err, ErrKeySetUnavailable) {
			return nil, err
		}
	}
	return v.ask(ctx, sessionToken)
}

// CheckStrict always asks the server (one VerifySession): a revoked session is refused at
// once, where an assertion issued before the revocation still passes Check until its exp.
func (v *Verifier) CheckStrict(ctx context.Context, sessionToken string) (*CheckResult, error) {
	return v.ask(ctx, sessionToken)
}

func (v *Verifier) ask(ctx context.Context, sessionToken string) (*CheckResult, error) {
	if sessionToken == "" {
		return nil, ErrInvalidSession
	}
	if v.client == nil {
		return nil, errors.New("sessions: Check needs Config.Client (VerifySession)")
	}
	v.serverCalls.Add(1)
	res, err := v.client.VerifySession(ctx, &userharborv1.VerifySessionRequest{
		SessionToken: sessionToken, IssueAssertion: true,
	})
	if err != nil {
		return nil, err
	}
	if !res.GetValid() {
		return nil, ErrInvalidSession
	}
	assertion := res.GetSessionAssertion()
	if assertion == "" {
		return nil, errors.New("sessions: VerifySession answered valid without an assertion: is the server older?")
	}
	// Straight from the server over the caller's own channel: trusted like Valid itself.
	tok, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return nil, refuse(CodeMalformed, "VerifySession's assertion is not a compact JWS", err)
	}
	var registered jwt.Claims
	var own assertionClaims
	if err := tok.UnsafeClaimsWithoutVerification(&registered, &own); err != nil {
		return nil, refuse(CodeMalformed, "VerifySession's assertion has unreadable claims", err)
	}
	claims, err := claimsOf(&registered, &own)
	if err != nil {
		return nil, err
	}
	if v.cache != nil {
		v.cache.Add(assertion, claims)
	}
	return &CheckResult{Claims: claims, Assertion: assertion, FromServer: true}, nil
}

// live is go-jose's rule: expired once now - leeway is after exp.
func (v *Verifier) live(c Claims) bool {
	return !v.now().Add(-v.leeway).After(c.ExpiresAt)
}

func claimsOf(registered *jwt.Claims, own *assertionClaims) (Claims, error) {
	if registered.Subject == "" || registered.Expiry == nil || registered.IssuedAt == nil ||
		own.SessionID == nil || own.Username == nil || own.EmailVerified == nil {
		return Claims{}, refuse(CodeMalformed, "missing or mistyped claims", nil)
	}
	return Claims{
		AccountID:     registered.Subject,
		SessionID:     *own.SessionID,
		Username:      *own.Username,
		EmailVerified: *own.EmailVerified,
		ExpiresAt:     registered.Expiry.Time(),
	}, nil
}
