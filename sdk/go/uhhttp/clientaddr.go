package uhhttp

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies reads a comma-separated list of CIDRs or single addresses (like the
// TRUSTED_PROXIES variable: "10.0.0.0/8, 192.0.2.7"). Empty means none.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var prefixes []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if prefix, err := netip.ParsePrefix(item); err == nil {
			prefixes = append(prefixes, prefix.Masked())
			continue
		}
		addr, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("uhhttp: trusted proxy %q is neither a CIDR nor an address", item)
		}
		addr = addr.Unmap()
		prefixes = append(prefixes, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return prefixes, nil
}

// peer is the request's TCP peer (IPv4-mapped IPv6 as plain IPv4); invalid when
// RemoteAddr is not an address (a Unix socket, a test's made-up value).
func peer(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	addr, _ := netip.ParseAddr(r.RemoteAddr)
	return addr.Unmap().WithZone("")
}

func (h *Harbor) trusts(addr netip.Addr) bool {
	for _, prefix := range h.trusted {
		if addr.IsValid() && prefix.Contains(addr) {
			return true
		}
	}
	return false
}

// fromTrustedProxy is true when the peer is one of the configured proxies, so its
// X-Forwarded-* headers are believed.
func (h *Harbor) fromTrustedProxy(r *http.Request) bool { return h.trusts(peer(r)) }

// ClientIP is the end user's address: the TCP peer, unless that is a trusted proxy; then
// X-Forwarded-For read right to left, skipping trusted hops: the first untrusted one is the
// client (the leftmost when every hop is trusted; the last readable one before junk). A
// header from an untrusted peer is never read.
func (h *Harbor) ClientIP(r *http.Request) netip.Addr {
	client := peer(r)
	if !h.trusts(client) {
		return client
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break
		}
		client = hop
		if !h.trusts(hop) {
			break
		}
	}
	return client
}

// parseHop reads one X-Forwarded-For entry: an address, or one with a port.
func parseHop(value string) (netip.Addr, bool) {
	value = strings.TrimSpace(value)
	addr, err := netip.ParseAddr(value)
	if err != nil {
		ap, err := netip.ParseAddrPort(value)
		if err != nil {
			return netip.Addr{}, false
		}
		addr = ap.Addr()
	}
	return addr.Unmap().WithZone(""), true
}

// ownOrigin is scheme://host the client addressed: the connection's scheme and Host, or a
// trusted proxy's X-Forwarded-Proto and X-Forwarded-Host (their first values, as Express
// reads them).
func (h *Harbor) ownOrigin(r *http.Request) string {
	scheme, host := "http", r.Host
	if r.TLS != nil {
		scheme = "https"
	}
	if h.fromTrustedProxy(r) {
		if proto := firstValue(r.Header.Get("X-Forwarded-Proto")); proto != "" {
			scheme = strings.ToLower(proto)
		}
		if forwarded := firstValue(r.Header.Get("X-Forwarded-Host")); forwarded != "" {
			host = forwarded
		}
	}
	return scheme + "://" + host
}

func firstValue(list string) string {
	first, _, _ := strings.Cut(list, ",")
	return strings.TrimSpace(first)
}
