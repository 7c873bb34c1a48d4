package uhhttp

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"
)

// CookieNames are the three cookies a browser session uses.
type CookieNames struct {
	Session, Assertion, Device string
}

var (
	// SecureCookieNames are the defaults: __Host- makes browsers insist on Secure, Path=/
	// and no Domain.
	SecureCookieNames = CookieNames{"__Host-uh_session", "__Host-uh_assertion", "__Host-uh_device"}
	// DevCookieNames are the defaults under InsecureDevCookies (browsers refuse __Host-
	// cookies without Secure).
	DevCookieNames = CookieNames{"uh_session", "uh_assertion", "uh_device"}
)

// DefaultDeviceCookieMaxAge is UserHarbor's DEVICE_TOKEN_TTL default, 180 days.
const DefaultDeviceCookieMaxAge = 180 * 24 * time.Hour

// cookiePolicy writes the integration's cookies: HttpOnly; Secure; SameSite=Lax; Path=/,
// no Domain.
type cookiePolicy struct {
	names        CookieNames
	secure       bool
	deviceMaxAge int // seconds
}

func newCookiePolicy(cfg Config) (cookiePolicy, error) {
	p := cookiePolicy{names: SecureCookieNames, secure: !cfg.InsecureDevCookies}
	if !p.secure {
		p.names = DevCookieNames
	}
	for _, set := range []struct {
		from string
		to   *string
	}{
		{cfg.Cookies.Session, &p.names.Session},
		{cfg.Cookies.Assertion, &p.names.Assertion},
		{cfg.Cookies.Device, &p.names.Device},
	} {
		if set.from != "" {
			*set.to = set.from
		}
	}
	maxAge := cfg.DeviceCookieMaxAge
	if maxAge == 0 {
		maxAge = DefaultDeviceCookieMaxAge
	}
	if maxAge < time.Second {
		return p, errors.New("uhhttp: Config.DeviceCookieMaxAge must be at least 1s")
	}
	p.deviceMaxAge = int(maxAge / time.Second)
	names := []string{p.names.Session, p.names.Assertion, p.names.Device}
	if names[0] == names[1] || names[1] == names[2] || names[0] == names[2] {
		return p, errors.New("uhhttp: the three cookie names must differ")
	}
	for _, name := range names {
		lower := strings.ToLower(name)
		if !p.secure && (strings.HasPrefix(lower, "__host-") || strings.HasPrefix(lower, "__secure-")) {
			return p, fmt.Errorf("uhhttp: cookie %s: browsers refuse that prefix without Secure (InsecureDevCookies)", name)
		}
		if err := (&http.Cookie{Name: name, Value: "x"}).Valid(); err != nil {
			return p, fmt.Errorf("uhhttp: cookie name %q: %w", name, err)
		}
	}
	return p, nil
}

// read is the named cookie's value; "" when absent or empty.
func read(r *http.Request, name string) string {
	cookie, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return cookie.Value
}

// set stores value for the seconds given (rounded down; 0 or less: Max-Age=0).
func (p cookiePolicy) set(w http.ResponseWriter, name, value string, seconds float64) {
	maxAge := int(math.Floor(seconds))
	if maxAge <= 0 {
		maxAge = -1 // net/http writes Max-Age=0 for a negative MaxAge
	}
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, MaxAge: maxAge,
		HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode, Path: "/",
	})
}

// clear deletes a cookie: the same attributes, Max-Age=0.
func (p cookiePolicy) clear(w http.ResponseWriter, name string) { p.set(w, name, "", 0) }

// clearSession deletes the session and assertion cookies (the device cookie stays).
func (p cookiePolicy) clearSession(w http.ResponseWriter) {
	p.clear(w, p.names.Session)
	p.clear(w, p.names.Assertion)
}

// secondsUntil is the time left until t, in seconds.
func secondsUntil(t time.Time) float64 { return time.Until(t).Seconds() }

// The assertion cookie holds <assertion>~<tag>, the tag being the base64url SHA-256 of the
// session token it was issued with. An assertion is a bearer credential for its lifetime, bound
// to no token by its signature; the tag binds the cookie to its session cookie, so an assertion
// cookie that leaked alone cannot be paired with a made-up session cookie.
func bindAssertion(assertion, sessionToken string) string {
	return assertion + "~" + tagOf(sessionToken)
}

// boundAssertion is the assertion of a cookie value whose tag is this session token's; "" for
// any other (UserHarbor decides then).
func boundAssertion(cookieValue, sessionToken string) string {
	at := strings.LastIndexByte(cookieValue, '~')
	if at < 0 || subtle.ConstantTimeCompare([]byte(cookieValue[at+1:]), []byte(tagOf(sessionToken))) != 1 {
		return ""
	}
	return cookieValue[:at]
}

func tagOf(sessionToken string) string {
	sum := sha256.Sum256([]byte(sessionToken))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
