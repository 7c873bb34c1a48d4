package uhhttp

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::ffff:198.51.100.1,, 10.1.2.3/8")
	if err != nil {
		t.Fatal(err)
	}
	var shown []string
	for _, p := range got {
		shown = append(shown, p.String())
	}
	want := "10.0.0.0/8 192.0.2.7/32 2001:db8::/32 198.51.100.1/32 10.0.0.0/8"
	if strings.Join(shown, " ") != want {
		t.Errorf("got %v, want %s", shown, want)
	}
	if none, err := ParseTrustedProxies(""); err != nil || len(none) != 0 {
		t.Errorf("empty list: %v, %v", none, err)
	}
	for _, bad := range []string{"loopback", "10.0.0.0/33", "10.0.0", "10.0.0.1, nope"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// The client address: the TCP peer, unless it is a trusted proxy; then X-Forwarded-For right
// to left, skipping trusted hops.
func TestClientIPBelievesXForwardedForOnlyFromTrustedProxies(t *testing.T) {
	proxies, err := ParseTrustedProxies("10.0.0.0/8, 2001:db8::/32")
	if err != nil {
		t.Fatal(err)
	}
	trusting := harbor(t, Config{TrustedProxies: proxies})
	trustingNone := harbor(t, Config{})
	rows := []struct {
		name, peer string
		xff        []string // header lines
		want       string
		byDefault  string // with no trusted proxy
	}{
		{"no header: the peer", "192.0.2.1:1234", nil, "192.0.2.1", "192.0.2.1"},
		{"an untrusted peer's header is ignored", "192.0.2.1:1234", []string{"203.0.113.7"}, "192.0.2.1", "192.0.2.1"},
		{"a trusted peer's header names the client", "10.0.0.1:1234", []string{"203.0.113.7"}, "203.0.113.7", "10.0.0.1"},
		{"trusted hops are skipped, right to left", "10.0.0.1:1234", []string{"203.0.113.7, 10.0.0.2, 10.0.0.3"}, "203.0.113.7", "10.0.0.1"},
		{"a spoofed leftmost entry stays unread", "10.0.0.1:1234", []string{"198.51.100.66, 203.0.113.7, 10.0.0.2"}, "203.0.113.7", "10.0.0.1"},
		{"header lines join in order", "10.0.0.1:1234", []string{"198.51.100.66", "203.0.113.7", "10.0.0.2"}, "203.0.113.7", "10.0.0.1"},
		{"every hop trusted: the leftmost", "10.0.0.1:1234", []string{"10.9.9.9, 10.0.0.2"}, "10.9.9.9", "10.0.0.1"},
		{"junk stops the walk at the last readable hop", "10.0.0.1:1234", []string{"203.0.113.7, junk, 10.0.0.2"}, "10.0.0.2", "10.0.0.1"},
		{"junk right away: the proxy itself", "10.0.0.1:1234", []string{"unknown"}, "10.0.0.1", "10.0.0.1"},
		{"hops with ports", "10.0.0.1:1234", []string{"203.0.113.7:5555, [2001:db8::5]:443"}, "203.0.113.7", "10.0.0.1"},
		{"IPv6 peer and client", "[2001:db8::1]:443", []string{"2001:db8:ffff::1"}, "2001:db8:ffff::1", "2001:db8::1"},
		{"IPv4-mapped IPv6 peer is plain IPv4", "[::ffff:10.0.0.1]:1234", []string{"::ffff:203.0.113.7"}, "203.0.113.7", "10.0.0.1"},
		{"IPv4-mapped untrusted peer", "[::ffff:192.0.2.1]:1234", nil, "192.0.2.1", "192.0.2.1"},
		{"a peer that is no address: none", "@", []string{"203.0.113.7"}, "invalid IP", "invalid IP"},
	}
	for _, row := range rows {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = row.peer
		for _, line := range row.xff {
			r.Header.Add("X-Forwarded-For", line)
		}
		if got := trusting.ClientIP(r).String(); got != row.want {
			t.Errorf("%s: %s, want %s", row.name, got, row.want)
		}
		if got := trustingNone.ClientIP(r).String(); got != row.byDefault {
			t.Errorf("%s, trusting no proxy: %s, want %s", row.name, got, row.byDefault)
		}
	}
}

func TestClientContextCarriesAgentAndDeviceCookie(t *testing.T) {
	h := harbor(t, Config{})
	r := httptest.NewRequest("POST", "/login", nil)
	r.RemoteAddr = "192.0.2.1:1234"
	r.Header.Set("User-Agent", strings.Repeat("é", 600))
	r.Header.Set("Cookie", "__Host-uh_device=uhd_abc; other=1")
	c := h.ClientContext(r)
	if c.GetIp() != "192.0.2.1" || c.GetDeviceToken() != "uhd_abc" {
		t.Errorf("ip %q, device %q", c.GetIp(), c.GetDeviceToken())
	}
	if c.GetUserAgent() != strings.Repeat("é", UserAgentMax) {
		t.Errorf("user agent not cut at %d characters: %d bytes", UserAgentMax, len(c.GetUserAgent()))
	}
	r.RemoteAddr = "not-an-address"
	if ip := h.ClientContext(r).GetIp(); ip != "" {
		t.Errorf("no peer address should send no ip, sent %q", ip)
	}
}
