package uhhttp

import (
	"net/http/httptest"
	"testing"
)

// harbor builds a Harbor for tests that need no server (nothing is dialled until a call).
func harbor(t *testing.T, cfg Config) *Harbor {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = "http://127.0.0.1:9"
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

const (
	own  = "https://app.example"
	evil = "https://evil.example"
)

// The CSRF decision of docs/integrations.md §7, row by row, on requests to https://app.example
// (httptest gives an https URL a TLS connection state, so the own origin is https).
func TestCrossSiteDecisionTable(t *testing.T) {
	h := harbor(t, Config{AllowedOrigins: []string{"https://admin.example"}})
	none := "\x00" // header absent
	rows := []struct {
		method, site, origin string
		refused              bool
	}{
		// Safe methods are never refused, whatever the headers say.
		{"GET", "cross-site", evil, false},
		{"HEAD", "cross-site", evil, false},
		{"OPTIONS", "cross-site", evil, false},
		// Sec-Fetch-Site: same-origin and none (typed URL, bookmark) pass.
		{"POST", "same-origin", own, false},
		{"POST", "same-origin", none, false},
		{"POST", "none", none, false},
		{"POST", "Same-Origin", none, false},
		// Any other Sec-Fetch-Site needs an allowed Origin.
		{"POST", "cross-site", evil, true},
		{"POST", "cross-site", none, true},
		{"POST", "cross-site", "https://admin.example", false},
		{"POST", "same-site", "https://sibling.app.example", true},
		{"POST", "same-site", own, false},
		{"POST", "something-new", evil, true},
		{"POST", "something-new", own, false},
		{"POST", "", evil, true}, // present but empty is not same-origin
		// No Sec-Fetch-Site: an Origin must be allowed; no Origin either (curl, old browsers) passes.
		{"POST", none, none, false},
		{"POST", none, own, false},
		{"POST", none, "https://app.example:443", false},
		{"POST", none, "HTTPS://APP.EXAMPLE", false},
		{"POST", none, "http://app.example", true}, // another scheme is another origin
		{"POST", none, "https://app.example:8443", true},
		{"POST", none, evil, true},
		{"POST", none, "null", true}, // sandboxed frames, privacy redirects
		{"POST", none, "not a url", true},
		{"POST", none, "file:///etc/passwd", true},
		{"POST", none, "https://admin.example", false},
		// Every unsafe method is checked, in any case.
		{"PUT", "cross-site", evil, true},
		{"PATCH", "cross-site", evil, true},
		{"DELETE", none, evil, true},
		{"post", none, evil, true},
		{"get", "cross-site", evil, false},
	}
	for _, row := range rows {
		r := httptest.NewRequest(row.method, own+"/account", nil)
		if row.site != none {
			r.Header.Set("Sec-Fetch-Site", row.site)
		}
		if row.origin != none {
			r.Header.Set("Origin", row.origin)
		}
		if got := h.crossSite(r); got != row.refused {
			t.Errorf("%s, Sec-Fetch-Site %q, Origin %q: refused %v, want %v", row.method, row.site, row.origin, got, row.refused)
		}
	}
}

// The app's own origin is the request's scheme and Host (port included); X-Forwarded-Proto
// and X-Forwarded-Host count only from a trusted proxy.
func TestCrossSiteOwnOriginIsProxyAware(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	h := harbor(t, Config{TrustedProxies: proxies})
	post := func(peer, origin string, headers map[string]string) bool {
		r := httptest.NewRequest("POST", "http://127.0.0.1:3000/logout", nil)
		r.RemoteAddr = peer
		r.Header.Set("Origin", origin)
		for name, value := range headers {
			r.Header.Set(name, value)
		}
		return h.crossSite(r)
	}
	direct := "192.0.2.9:50000"
	proxy := "10.1.2.3:40000"
	forwarded := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "app.example"}
	checks := []struct {
		name    string
		refused bool
		want    bool
	}{
		{"own host and port", post(direct, "http://127.0.0.1:3000", nil), false},
		{"another port", post(direct, "http://127.0.0.1:3001", nil), true},
		{"forwarded headers from an untrusted peer are ignored", post(direct, own, forwarded), true},
		{"a trusted proxy's forwarded origin is the own origin", post(proxy, own, forwarded), false},
		{"behind the proxy the Host header's origin is not", post(proxy, "http://127.0.0.1:3000", forwarded), true},
		{"first values of a list", post(proxy, own, map[string]string{"X-Forwarded-Proto": "https, http", "X-Forwarded-Host": "app.example, internal"}), false},
	}
	for _, c := range checks {
		if c.refused != c.want {
			t.Errorf("%s: refused %v, want %v", c.name, c.refused, c.want)
		}
	}
}

func TestAllowedOriginsMustBeExactOrigins(t *testing.T) {
	for _, bad := range []string{"app.example", "https://app.example/path", "https://app.example:443", "null", "ftp://app.example", "https://app.example?x=1"} {
		if _, err := New(Config{URL: "http://127.0.0.1:9", AllowedOrigins: []string{bad}}); err == nil {
			t.Errorf("AllowedOrigins %q accepted", bad)
		}
	}
	for _, good := range []string{"https://app.example", "https://App.Example/", "http://127.0.0.1:3000", "http://[::1]:8080"} {
		if _, err := New(Config{URL: "http://127.0.0.1:9", AllowedOrigins: []string{good}}); err != nil {
			t.Errorf("AllowedOrigins %q refused: %v", good, err)
		}
	}
}

func TestNormalizeOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://App.Example:443": "https://app.example",
		"http://app.example:80":   "http://app.example",
		"http://app.example:8080": "http://app.example:8080",
		"http://[::1]:8080":       "http://[::1]:8080",
		"https://[2001:DB8::1]":   "https://[2001:db8::1]",
	} {
		if got, ok := normalizeOrigin(in); !ok || got != want {
			t.Errorf("normalizeOrigin(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
