// Package uhhttp puts UserHarbor sessions in front of net/http handlers: middleware
// (func(http.Handler) http.Handler) that protects a route in one line, mountable login and
// logout handlers, the session in HttpOnly cookies or a bearer token, checked locally by its
// assertion (package sessions), a CSRF check, the end user's ClientContext behind an explicit
// list of trusted proxies, and UserHarbor's errors as RFC 9457 problem+json. It follows the
// shared contract in docs/integrations.md; see the README beside go.mod.
package uhhttp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
	"github.com/userharbor/userharbor/sdk/go/sessions"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
)

// Config of a Harbor. URL is required; everything else has a default.
type Config struct {
	// URL is UserHarbor's address, like http://127.0.0.1:50051 (gRPC; https means TLS). The
	// key set comes from <URL>/.well-known/jwks.json.
	URL string
	// APIKey is this backend's key, sent as authorization: Bearer; empty sends none. It needs
	// the client-ip scope for the end user's IP to count (else UserHarbor counts this
	// backend's own address).
	APIKey string
	// Timeout is the deadline of every call to UserHarbor (and of a guard's whole check,
	// key set fetch included): 100 ms to 60 s. Zero means 2 s. A slow UserHarbor is a 503.
	Timeout time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For (and -Proto, -Host) is believed:
	// see ParseTrustedProxies. None by default: the client is the TCP peer.
	TrustedProxies []netip.Prefix
	// AllowedOrigins are origins besides the app's own that may send unsafe cookie requests
	// (exact, like https://app.example.com).
	AllowedOrigins []string
	// Issuer is the iss assertions must carry (ASSERTION_ISSUER). Default "userharbor".
	Issuer string
	// Audience is the aud to require, when the server sets ASSERTION_AUDIENCE.
	Audience string
	// Leeway on an assertion's exp, as sessions.Config.Leeway (zero: 5 s).
	Leeway time.Duration
	// Cookies names the three cookies; empty fields keep the defaults.
	Cookies CookieNames
	// DeviceCookieMaxAge is the device cookie's lifetime: match the server's
	// DEVICE_TOKEN_TTL. Zero means 180 days.
	DeviceCookieMaxAge time.Duration
	// InsecureDevCookies drops Secure (plain-http development only), and the default names
	// lose their __Host- prefix. Never in production: the cookies would travel in clear.
	InsecureDevCookies bool
	// BearerAssertions is how many bearer tokens' latest assertions are remembered (LRU).
	// Zero means 10 000.
	BearerAssertions int
	// DialOptions are added to the gRPC connection's (e.g. interceptors, stats handlers).
	DialOptions []grpc.DialOption
	// Logger gets the failures that are no UserHarbor status (a malformed answer), answered
	// 502. Default slog.Default().
	Logger *slog.Logger
}

const (
	// DefaultTimeout is Config.Timeout's default.
	DefaultTimeout          = 2 * time.Second
	defaultBearerAssertions = 10_000
)

// Harbor is the configured integration: build one per process with New. Safe for
// concurrent use.
type Harbor struct {
	// Client is AccountService with the API key and the deadline, for the app's own calls
	// (answer their errors with WriteError).
	Client   userharborv1.AccountServiceClient
	Verifier *sessions.Verifier

	conn           *grpc.ClientConn
	timeout        time.Duration
	trusted        []netip.Prefix
	allowedOrigins map[string]bool
	cookies        cookiePolicy
	bearer         *bearerAssertions
	logger         *slog.Logger
}

// New checks cfg and builds the gRPC client and the verifier. Nothing is dialled yet.
func New(cfg Config) (*Harbor, error) {
	base, err := url.Parse(cfg.URL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" ||
		(base.Path != "" && base.Path != "/") || base.RawQuery != "" || base.User != nil {
		return nil, fmt.Errorf("uhhttp: Config.URL must be UserHarbor's http(s)://host:port, got %q", cfg.URL)
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if timeout < 100*time.Millisecond || timeout > time.Minute {
		return nil, errors.New("uhhttp: Config.Timeout must be 100ms to 60s")
	}
	for _, p := range cfg.TrustedProxies {
		if !p.IsValid() {
			return nil, errors.New("uhhttp: Config.TrustedProxies holds an invalid prefix")
		}
	}
	allowed := map[string]bool{}
	for _, origin := range cfg.AllowedOrigins {
		normal, ok := normalizeOrigin(origin)
		if !ok || !isExactOrigin(origin, normal) {
			return nil, fmt.Errorf("uhhttp: Config.AllowedOrigins: %q is not an exact origin like https://host:port", origin)
		}
		allowed[normal] = true
	}
	cookies, err := newCookiePolicy(cfg)
	if err != nil {
		return nil, err
	}
	size := cfg.BearerAssertions
	if size == 0 {
		size = defaultBearerAssertions
	}
	bearer, err := newBearerAssertions(size)
	if err != nil {
		return nil, err
	}

	port := base.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[base.Scheme]
	}
	creds := insecure.NewCredentials()
	if base.Scheme == "https" {
		creds = credentials.NewClientTLSFromCert(nil, "")
	}
	options := append([]grpc.DialOption{
		grpc.WithTransportCredentials(creds),
		grpc.WithChainUnaryInterceptor(callPolicy(cfg.APIKey, timeout)),
	}, cfg.DialOptions...)
	conn, err := grpc.NewClient(net.JoinHostPort(base.Hostname(), port), options...)
	if err != nil {
		return nil, fmt.Errorf("uhhttp: %w", err)
	}
	client := userharborv1.NewAccountServiceClient(conn)
	issuer := cfg.Issuer
	if issuer == "" {
		issuer = "userharbor"
	}
	verifier, err := sessions.NewVerifier(sessions.Config{
		JWKSURL:    base.Scheme + "://" + base.Host + "/.well-known/jwks.json",
		HTTPClient: &http.Client{Timeout: timeout},
		Issuer:     issuer,
		Audience:   cfg.Audience,
		Leeway:     cfg.Leeway,
		Client:     client,
	})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("uhhttp: %w", err)
	}
	return &Harbor{
		Client:         client,
		Verifier:       verifier,
		conn:           conn,
		timeout:        timeout,
		trusted:        cfg.TrustedProxies,
		allowedOrigins: allowed,
		cookies:        cookies,
		bearer:         bearer,
		logger:         cmp.Or(cfg.Logger, slog.Default()),
	}, nil
}

// Close closes the gRPC connection.
func (h *Harbor) Close() error { return h.conn.Close() }

// callPolicy gives every call the API key and its own deadline (an earlier one the caller
// set still wins).
func callPolicy(apiKey string, timeout time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if apiKey != "" {
			ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+apiKey)
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}
