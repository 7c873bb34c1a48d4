package uhhttp

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/userharbor/userharbor/sdk/go/sessions"
)

// User is the signed-in user a guard puts in the request's context. No token is ever on it,
// so a handler may serialise it.
type User struct {
	// AccountID is the account id (User.id, a UUIDv7): the foreign key for your own records.
	AccountID string `json:"accountId"`
	// SessionID is the session's public id, as ListSessions shows it.
	SessionID     string `json:"sessionId"`
	Username      string `json:"username"`
	EmailVerified bool   `json:"emailVerified"`
}

type userKey struct{}

// UserFrom is the user a guard found for this request's context; false when anonymous
// (OptionalUser) or when no guard ran.
func UserFrom(ctx context.Context) (User, bool) {
	user, ok := ctx.Value(userKey{}).(User)
	return user, ok
}

// RouteOption adjusts one guard.
type RouteOption func(*route)

type route struct{ strict bool }

// Strict makes a guard always ask UserHarbor (one VerifySession, no local assertion), so a
// revoked session is refused at once.
func Strict() RouteOption { return func(r *route) { r.strict = true } }

type need int

const (
	needUser need = iota
	needNothing
	needVerifiedEmail
)

// RequireUser is middleware that answers 401 problem+json without a valid session and puts
// the User in the request's context otherwise.
func (h *Harbor) RequireUser(options ...RouteOption) func(http.Handler) http.Handler {
	return h.guard(needUser, options)
}

// OptionalUser is middleware that puts the User in the context when the request has a valid
// session, and lets it through anonymous otherwise (never 401).
func (h *Harbor) OptionalUser(options ...RouteOption) func(http.Handler) http.Handler {
	return h.guard(needNothing, options)
}

// RequireVerifiedEmail is RequireUser, and 403 EMAIL_NOT_VERIFIED unless the account's email
// is verified.
func (h *Harbor) RequireVerifiedEmail(options ...RouteOption) func(http.Handler) http.Handler {
	return h.guard(needVerifiedEmail, options)
}

func (h *Harbor) guard(need need, options []RouteOption) func(http.Handler) http.Handler {
	var rt route
	for _, option := range options {
		option(&rt)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			user, refused := h.authenticate(w, r, need, rt.strict)
			if refused != nil {
				refused.Write(w)
				return
			}
			if user != nil {
				r = r.WithContext(context.WithValue(r.Context(), userKey{}, *user))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// source is where a request's session token came from.
type source struct {
	token     string
	bearer    bool
	assertion string // the assertion cookie, for cookie requests
}

// sessionOf: Authorization: Bearer wins; another scheme is not ours, so cookies count then.
func (h *Harbor) sessionOf(r *http.Request) (source, bool) {
	if auth := r.Header.Get("Authorization"); len(auth) >= 7 && strings.EqualFold(auth[:7], "Bearer ") {
		return source{token: strings.TrimSpace(auth[7:]), bearer: true}, true
	}
	token := read(r, h.cookies.names.Session)
	if token == "" {
		return source{}, false
	}
	// The assertion counts only with the session cookie it was issued with.
	return source{token: token, assertion: boundAssertion(read(r, h.cookies.names.Assertion), token)}, true
}

// SessionToken is the request's session token (bearer, else the session cookie), for the
// app's own calls through Client; "" when there is none.
func (h *Harbor) SessionToken(r *http.Request) string {
	s, _ := h.sessionOf(r)
	return s.token
}

// plausibleToken: session tokens are uhs_ + base64url; anything else is refused without
// asking UserHarbor, so junk costs no call.
var plausibleToken = regexp.MustCompile(`^uhs_[A-Za-z0-9_-]{1,500}$`)

// authenticate runs a guard's check, setting any cookie it changes on w. A nil user without
// a problem means anonymous.
func (h *Harbor) authenticate(w http.ResponseWriter, r *http.Request, need need, strict bool) (*User, *Problem) {
	s, ok := h.sessionOf(r)
	if !ok {
		if need == needNothing {
			return nil, nil
		}
		return nil, invalidSession()
	}
	if !s.bearer && h.crossSite(r) {
		return nil, crossSiteRequest()
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	result, err := h.check(ctx, s, strict)
	// The assertion may predate the verification: ask once before refusing.
	if err == nil && need == needVerifiedEmail && !result.Claims.EmailVerified && !result.FromServer {
		result, err = h.check(ctx, s, true)
	}
	switch {
	case errors.Is(err, sessions.ErrInvalidSession):
		h.forget(w, s)
		if need == needNothing {
			return nil, nil
		}
		return nil, invalidSession()
	case err != nil:
		return nil, h.problemOf(err)
	}
	h.keep(w, s, result)
	if need == needVerifiedEmail && !result.Claims.EmailVerified {
		return nil, emailNotVerified()
	}
	c := result.Claims
	return &User{AccountID: c.AccountID, SessionID: c.SessionID, Username: c.Username, EmailVerified: c.EmailVerified}, nil
}

// check is the verifier's Check (or CheckStrict), for a token that can be a session token.
func (h *Harbor) check(ctx context.Context, s source, strict bool) (*sessions.CheckResult, error) {
	if !plausibleToken.MatchString(s.token) {
		return nil, sessions.ErrInvalidSession
	}
	if strict {
		return h.Verifier.CheckStrict(ctx, s.token)
	}
	assertion := s.assertion
	if s.bearer {
		assertion = h.bearer.get(s.token)
	}
	return h.Verifier.Check(ctx, s.token, assertion)
}

// keep stores a new assertion from UserHarbor: a cookie for cookie requests, the bearer map
// for bearer ones.
func (h *Harbor) keep(w http.ResponseWriter, s source, result *sessions.CheckResult) {
	switch {
	case !result.FromServer:
	case s.bearer:
		h.bearer.set(s.token, result.Assertion)
	default:
		h.cookies.set(w, h.cookies.names.Assertion, bindAssertion(result.Assertion, s.token), secondsUntil(result.Claims.ExpiresAt))
	}
}

// forget drops a session UserHarbor says is over.
func (h *Harbor) forget(w http.ResponseWriter, s source) {
	if s.bearer {
		h.bearer.remove(s.token)
		return
	}
	h.cookies.clearSession(w)
}

// problemOf is UserHarbor's failure as a problem; an error of no known kind (a malformed
// answer) is UserHarbor's fault too: 502, never a 500 or its text (logged instead).
func (h *Harbor) problemOf(err error) *Problem {
	if problem, ok := ProblemFrom(err); ok {
		return problem
	}
	h.logger.Error("uhhttp: unexpected failure talking to UserHarbor", "error", err)
	return &Problem{Status: 502, Code: "USERHARBOR_ERROR", Detail: "The account service failed."}
}
