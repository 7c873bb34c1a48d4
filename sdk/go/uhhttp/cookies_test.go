package uhhttp

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// setCookies is what a response set, as written on the wire.
func setCookies(w *httptest.ResponseRecorder) []string { return w.Result().Header.Values("Set-Cookie") }

func TestCookieAttributesSecureByDefault(t *testing.T) {
	h := harbor(t, Config{})
	w := httptest.NewRecorder()
	h.cookies.set(w, h.cookies.names.Session, "uhs_abc", 3600.9)
	h.cookies.set(w, h.cookies.names.Assertion, "a.b.c", -20) // already past its exp
	h.cookies.set(w, h.cookies.names.Device, "uhd_x", float64(h.cookies.deviceMaxAge))
	h.cookies.clearSession(w)
	want := []string{
		"__Host-uh_session=uhs_abc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax",
		"__Host-uh_assertion=a.b.c; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
		"__Host-uh_device=uhd_x; Path=/; Max-Age=15552000; HttpOnly; Secure; SameSite=Lax",
		"__Host-uh_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
		"__Host-uh_assertion=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax",
	}
	if got := setCookies(w); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestInsecureDevCookiesDropSecureAndThePrefix(t *testing.T) {
	h := harbor(t, Config{InsecureDevCookies: true, DeviceCookieMaxAge: 30 * 24 * time.Hour})
	w := httptest.NewRecorder()
	h.cookies.set(w, h.cookies.names.Session, "uhs_abc", 60)
	h.cookies.set(w, h.cookies.names.Device, "uhd_x", float64(h.cookies.deviceMaxAge))
	want := "uh_session=uhs_abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax\n" +
		"uh_device=uhd_x; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax"
	if got := strings.Join(setCookies(w), "\n"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// The development names are the ones read back.
	r := httptest.NewRequest("GET", "/me", nil)
	r.Header.Set("Cookie", "__Host-uh_session=uhs_secure; uh_session=uhs_dev")
	if got := h.SessionToken(r); got != "uhs_dev" {
		t.Errorf("read %q", got)
	}
}

func TestCookieNamesAreConfigurableAndChecked(t *testing.T) {
	h := harbor(t, Config{Cookies: CookieNames{Session: "__Secure-app_session"}})
	if h.cookies.names != (CookieNames{"__Secure-app_session", "__Host-uh_assertion", "__Host-uh_device"}) {
		t.Errorf("names %+v", h.cookies.names)
	}
	bad := map[string]Config{
		"a __Host- name without Secure":   {InsecureDevCookies: true, Cookies: CookieNames{Session: "__Host-s"}},
		"a __Secure- name without Secure": {InsecureDevCookies: true, Cookies: CookieNames{Device: "__secure-d"}},
		"two cookies of one name":         {Cookies: CookieNames{Assertion: "__Host-uh_session"}},
		"a name that is no token":         {Cookies: CookieNames{Session: "bad name;"}},
		"a device lifetime under 1 s":     {DeviceCookieMaxAge: time.Millisecond},
	}
	for name, cfg := range bad {
		cfg.URL = "http://127.0.0.1:9"
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	bad := map[string]Config{
		"no URL":              {},
		"another scheme":      {URL: "grpc://127.0.0.1:50051"},
		"a path":              {URL: "http://127.0.0.1:50051/api"},
		"no host":             {URL: "http://"},
		"a timeout too long":  {URL: "http://127.0.0.1:9", Timeout: 2 * time.Minute},
		"a timeout too short": {URL: "http://127.0.0.1:9", Timeout: time.Millisecond},
		"a negative map size": {URL: "http://127.0.0.1:9", BearerAssertions: -1},
		"a leeway over 5 s":   {URL: "http://127.0.0.1:9", Leeway: 6 * time.Second},
	}
	for name, cfg := range bad {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	h := harbor(t, Config{URL: "http://127.0.0.1:50051/"})
	if h.timeout != DefaultTimeout {
		t.Errorf("default timeout %s", h.timeout)
	}
}

// The assertion cookie is bound to its session cookie: <assertion>~<base64url SHA-256 of the token>.
func TestAnAssertionCookieCountsOnlyWithItsSessionToken(t *testing.T) {
	bound := bindAssertion("h.p.s", "uhs_owner")
	if bound != "h.p.s~sbigQIZ5KTz8EgcR-R4Ijuhek66wLS9Z1Lyt3eXDXx0" {
		t.Fatalf("bound %q", bound)
	}
	for _, c := range []struct{ cookie, token, want string }{
		{bound, "uhs_owner", "h.p.s"},
		{bound, "uhs_other", ""},
		{"h.p.s", "uhs_owner", ""}, // no tag
		{"h.p.s~", "uhs_owner", ""},
		{"", "uhs_owner", ""},
		{"a~b~" + tagOf("uhs_owner"), "uhs_owner", "a~b"},
	} {
		if got := boundAssertion(c.cookie, c.token); got != c.want {
			t.Errorf("boundAssertion(%q, %q) = %q, want %q", c.cookie, c.token, got, c.want)
		}
	}
	h := harbor(t, Config{})
	r := httptest.NewRequest("GET", "/me", nil)
	r.Header.Set("Cookie", "__Host-uh_session=uhs_other; __Host-uh_assertion="+bound)
	if s, _ := h.sessionOf(r); s.token != "uhs_other" || s.assertion != "" {
		t.Errorf("another session cookie took the assertion: %+v", s)
	}
}
