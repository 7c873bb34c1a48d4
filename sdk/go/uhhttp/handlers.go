package uhhttp

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
)

// LoginBodyMaxBytes is the largest login body read: a username or email and a password fit
// many times over.
const LoginBodyMaxBytes = 8 << 10

// UserAgentMax is the longest User-Agent passed on, in characters (UserHarbor keeps no more).
const UserAgentMax = 512

// loginAnswer is the login handler's JSON. No token in it: those are in the cookies.
type loginAnswer struct {
	User struct {
		ID            string `json:"id"`
		Username      string `json:"username"`
		Email         string `json:"email"`
		EmailVerified bool   `json:"emailVerified"`
	} `json:"user"`
	ExpiresAt string `json:"expiresAt"`
}

// LoginHandler answers POST with JSON {"username": ..., "password": ...}: Login with the
// request's ClientContext, then 200 {"user": {...}, "expiresAt": RFC 3339} and the session,
// assertion and device cookies (the rotated device token replaces the one sent). A malformed
// body is 400 INVALID_REQUEST and calls nothing; UserHarbor's refusals are problem+json.
func (h *Harbor) LoginHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !postOnly(w, r) {
			return
		}
		if h.crossSite(r) {
			crossSiteRequest().Write(w)
			return
		}
		username, password, problem := readLoginBody(w, r)
		if problem != nil {
			problem.Write(w)
			return
		}
		res, err := h.Client.Login(r.Context(), &userharborv1.LoginRequest{
			Username: username, Password: password, Client: h.ClientContext(r),
		})
		if err != nil {
			h.problemOf(err).Write(w)
			return
		}
		expiresAt := res.GetExpireTime().AsTime()
		h.cookies.set(w, h.cookies.names.Session, res.GetSessionToken(), secondsUntil(expiresAt))
		if exp, ok := assertionExpiry(res.GetSessionAssertion()); ok {
			h.cookies.set(w, h.cookies.names.Assertion, bindAssertion(res.GetSessionAssertion(), res.GetSessionToken()), secondsUntil(exp))
		} else {
			h.cookies.clear(w, h.cookies.names.Assertion)
		}
		if device := res.GetDeviceToken(); device != "" {
			h.cookies.set(w, h.cookies.names.Device, device, float64(h.cookies.deviceMaxAge))
		}
		var answer loginAnswer
		answer.User.ID = res.GetUser().GetId()
		answer.User.Username = res.GetUser().GetUsername()
		answer.User.Email = res.GetUser().GetEmail()
		answer.User.EmailVerified = res.GetUser().GetEmailVerified()
		answer.ExpiresAt = expiresAt.UTC().Format(time.RFC3339Nano)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_ = json.NewEncoder(w).Encode(answer)
	})
}

// LogoutHandler answers POST: Logout with the request's session (cookie or bearer), then 204
// clearing the session and assertion cookies; the device cookie stays. Idempotent: no
// session is 204 too. If Logout fails (UserHarbor down) the problem is answered and the
// cookies kept, so the user can retry.
func (h *Harbor) LogoutHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !postOnly(w, r) {
			return
		}
		s, ok := h.sessionOf(r)
		if !s.bearer && h.crossSite(r) {
			crossSiteRequest().Write(w)
			return
		}
		if ok && plausibleToken.MatchString(s.token) {
			if _, err := h.Client.Logout(r.Context(), &userharborv1.LogoutRequest{SessionToken: s.token}); err != nil {
				h.problemOf(err).Write(w)
				return
			}
		}
		if s.bearer {
			h.bearer.remove(s.token)
		} else {
			h.cookies.clearSession(w)
		}
		w.WriteHeader(http.StatusNoContent)
	})
}

// postOnly answers 405 to anything but POST: a GET that signs in or out would skip the CSRF
// check (safe methods are exempt) and ride on SameSite=Lax cookies.
func postOnly(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodPost {
		return true
	}
	w.Header().Set("Allow", http.MethodPost)
	(&Problem{Status: 405, Code: "METHOD_NOT_ALLOWED", Detail: "Use POST."}).Write(w)
	return false
}

// ClientContext is the end user UserHarbor is asked to act for: ClientIP (believed by
// UserHarbor only from an API key with the client-ip scope), the User-Agent (at most
// UserAgentMax characters) and the device cookie.
func (h *Harbor) ClientContext(r *http.Request) *userharborv1.ClientContext {
	ip := ""
	if addr := h.ClientIP(r); addr.IsValid() {
		ip = addr.String()
	}
	agent := r.UserAgent()
	if utf8.RuneCountInString(agent) > UserAgentMax {
		agent = string([]rune(agent)[:UserAgentMax])
	}
	return &userharborv1.ClientContext{Ip: ip, UserAgent: agent, DeviceToken: read(r, h.cookies.names.Device)}
}

// readLoginBody reads {"username": ..., "password": ...} (a JSON content type, at most
// LoginBodyMaxBytes); anything else is a 400 naming the fields where it is about them.
func readLoginBody(w http.ResponseWriter, r *http.Request) (username, password string, problem *Problem) {
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !(media == "application/json" || strings.HasPrefix(media, "application/") && strings.HasSuffix(media, "+json")) {
		return "", "", invalidRequest("Send JSON (Content-Type: application/json).")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, LoginBodyMaxBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return "", "", invalidRequest("The body is too large.")
		}
		return "", "", invalidRequest("Unreadable body.")
	}
	if !json.Valid(body) {
		return "", "", invalidRequest("The body is not valid JSON.")
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil || fields == nil {
		return "", "", invalidRequest(`Send a JSON object {"username": ..., "password": ...}.`)
	}
	var missing []FieldError
	text := func(name string) string {
		var value string
		if json.Unmarshal(fields[name], &value) != nil || value == "" {
			missing = append(missing, FieldError{name, "a non-empty string is required"})
		}
		return value
	}
	username, password = text("username"), text("password")
	if len(missing) > 0 {
		return "", "", invalidRequest("Username and password are required.", missing...)
	}
	return username, password, nil
}

// assertionExpiry is an assertion's exp, read without verifying: it came from UserHarbor
// over this backend's own channel, and only sets the cookie's lifetime.
func assertionExpiry(assertion string) (time.Time, bool) {
	if assertion == "" {
		return time.Time{}, false
	}
	token, err := jwt.ParseSigned(assertion, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return time.Time{}, false
	}
	var claims jwt.Claims
	if token.UnsafeClaimsWithoutVerification(&claims) != nil || claims.Expiry == nil {
		return time.Time{}, false
	}
	return claims.Expiry.Time(), true
}
