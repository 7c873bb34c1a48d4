package uhhttp

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Cross-site request refusal (OWASP: verify the origin with standard headers), on top of
// SameSite=Lax cookies, for unsafe methods of requests that are not bearer-authenticated:
// cookie requests to guarded routes, logout with a cookie, and the login handler.
// net/http's CrossOriginProtection decides much the same, but compares Origin with the Host
// header alone: neither scheme nor a trusted proxy's X-Forwarded-Host count there, and both
// do in the contract (docs/integrations.md §7).

func isSafeMethod(method string) bool {
	switch strings.ToUpper(method) {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

// crossSiteRefused is the contract's decision:
//   - safe methods: never refused;
//   - Sec-Fetch-Site same-origin or none: allowed; any other value only from an allowed Origin;
//   - no Sec-Fetch-Site: an Origin must be allowed; no Origin at all (non-browser clients,
//     old browsers) is allowed.
//
// Allowed: ownOrigin, or one of allowed (normalised).
func crossSiteRefused(method, secFetchSite, origin string, hasSite, hasOrigin bool, ownOrigin string, allowed map[string]bool) bool {
	if isSafeMethod(method) {
		return false
	}
	site := strings.ToLower(strings.TrimSpace(secFetchSite))
	if hasSite && (site == "same-origin" || site == "none") {
		return false
	}
	if !hasSite && !hasOrigin {
		return false
	}
	normal, ok := normalizeOrigin(origin)
	if !ok {
		return true // Origin: null, junk, or none beside a cross-site Sec-Fetch-Site
	}
	own, _ := normalizeOrigin(ownOrigin)
	return normal != own && !allowed[normal]
}

// crossSite applies crossSiteRefused to a request.
func (h *Harbor) crossSite(r *http.Request) bool {
	site, hasSite := headerValue(r, "Sec-Fetch-Site")
	origin, hasOrigin := headerValue(r, "Origin")
	return crossSiteRefused(r.Method, site, origin, hasSite, hasOrigin, h.ownOrigin(r), h.allowedOrigins)
}

func headerValue(r *http.Request, name string) (string, bool) {
	values := r.Header.Values(name)
	if len(values) == 0 {
		return "", false
	}
	return values[0], true
}

// normalizeOrigin is scheme://host[:port] of an http(s) URL: lower case, default port
// dropped. False for anything else (null, junk, other schemes).
func normalizeOrigin(value string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(value))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		return scheme + "://" + net.JoinHostPort(host, port), true
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	return scheme + "://" + host, true
}

// isExactOrigin is true when a configured origin is already its normal form (no path,
// query or default port; any case).
func isExactOrigin(configured, normal string) bool {
	return strings.TrimSuffix(strings.ToLower(configured), "/") == normal
}
