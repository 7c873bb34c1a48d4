package sessions

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	userharborv1 "github.com/userharbor/userharbor/gen/go/userharbor/v1"
	"google.golang.org/grpc"
)

// KeyFetcher returns the service's current JWK Set as JSON: GET /.well-known/jwks.json
// (HTTPKeyFetcher) or GetSessionKeys (RPCKeyFetcher), or any other way.
type KeyFetcher func(ctx context.Context) ([]byte, error)

// RefetchCooldown is the least time between two key set fetches that something asked for
// (an unknown kid, a scheduled refresh, a failed fetch being retried), so assertions with
// garbage kids, or a key server that is down, cannot make the verifier hammer it.
const RefetchCooldown = 30 * time.Second

// fetchTimeout bounds one fetch; it is shared by every caller waiting for it, so no single
// caller's context cancels it.
const fetchTimeout = 10 * time.Second

// HTTPKeyFetcher GETs url (the service's /.well-known/jwks.json) with client, or with a
// client that gives up after 5 s when client is nil.
func HTTPKeyFetcher(url string, client *http.Client) KeyFetcher {
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Second}
	}
	return func(ctx context.Context) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/jwk-set+json, application/json")
		res, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s answered %s", url, res.Status)
		}
		return io.ReadAll(io.LimitReader(res.Body, 1<<20))
	}
}

// SessionKeysClient is the GetSessionKeys half of userharborv1.AccountServiceClient.
type SessionKeysClient interface {
	GetSessionKeys(ctx context.Context, in *userharborv1.GetSessionKeysRequest, opts ...grpc.CallOption) (*userharborv1.GetSessionKeysResponse, error)
}

// RPCKeyFetcher gets the key set with GetSessionKeys, for backends that reach UserHarbor
// only over gRPC.
func RPCKeyFetcher(client SessionKeysClient) KeyFetcher {
	return func(ctx context.Context) ([]byte, error) {
		res, err := client.GetSessionKeys(ctx, &userharborv1.GetSessionKeysRequest{})
		if err != nil {
			return nil, err
		}
		return []byte(res.GetJwksJson()), nil
	}
}

// keySet is one fetched set: its Ed25519 keys by kid.
type keySet struct {
	keys      map[string]ed25519.PublicKey
	fetchedAt time.Time
}

type fetchCall struct {
	done chan struct{}
	set  *keySet
	err  error
}

// keyCache holds the key set: fetched on first use, refreshed in the background once it is
// refresh old, refetched at once for a kid it does not hold; every fetch at most once per
// RefetchCooldown. Concurrent callers share one fetch.
type keyCache struct {
	fetch   KeyFetcher
	refresh time.Duration
	now     func() time.Time

	mu          sync.Mutex
	held        *keySet
	inFlight    *fetchCall
	lastAttempt time.Time
	fetches     int64
}

// key returns the public key named kid, or nil when the set (after any refetch allowed)
// has none; ErrKeySetUnavailable when no set could be fetched yet.
func (c *keyCache) key(ctx context.Context, kid string) (ed25519.PublicKey, error) {
	c.mu.Lock()
	held := c.held
	var call *fetchCall
	switch {
	case held == nil:
		call = c.inFlight
		if call == nil && !c.mayFetch() {
			c.mu.Unlock()
			return nil, fmt.Errorf("%w: the last fetch failed; retrying after %s", ErrKeySetUnavailable, RefetchCooldown)
		}
		if call == nil {
			call = c.start()
		}
	case held.keys[kid] == nil:
		// A key the set did not have when fetched may have been published since.
		call = c.inFlight
		if call == nil && c.mayFetch() {
			call = c.start()
		}
	case c.now().Sub(held.fetchedAt) >= c.refresh && c.inFlight == nil && c.mayFetch():
		c.start() // verification goes on with the held copy meanwhile
	}
	c.mu.Unlock()
	if call == nil {
		return held.keys[kid], nil
	}
	select {
	case <-call.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if call.err != nil {
		if held == nil {
			return nil, call.err
		}
		return held.keys[kid], nil // keep using what we had
	}
	return call.set.keys[kid], nil
}

func (c *keyCache) mayFetch() bool {
	return c.lastAttempt.IsZero() || c.now().Sub(c.lastAttempt) >= RefetchCooldown
}

// start begins a fetch; c.mu must be held.
func (c *keyCache) start() *fetchCall {
	c.lastAttempt = c.now()
	c.fetches++
	call := &fetchCall{done: make(chan struct{})}
	c.inFlight = call
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		set, err := c.load(ctx)
		c.mu.Lock()
		if err == nil {
			c.held = set
		}
		c.inFlight = nil
		c.mu.Unlock()
		call.set, call.err = set, err
		close(call.done)
	}()
	return call
}

func (c *keyCache) load(ctx context.Context) (*keySet, error) {
	data, err := c.fetch(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeySetUnavailable, err)
	}
	keys, err := ed25519Keys(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeySetUnavailable, err)
	}
	return &keySet{keys: keys, fetchedAt: c.now()}, nil
}

func (c *keyCache) fetchCount() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetches
}

// ed25519Keys parses a JWK Set and keeps its Ed25519 keys that have a kid; keys of other
// types, or that go-jose refuses (weak Ed25519 points), are skipped.
func ed25519Keys(data []byte) (map[string]ed25519.PublicKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil || set.Keys == nil {
		return nil, errors.New(`the key set is not a JWK Set ({"keys": [...]})`)
	}
	keys := make(map[string]ed25519.PublicKey, len(set.Keys))
	for _, raw := range set.Keys {
		var jwk jose.JSONWebKey
		if jwk.UnmarshalJSON(raw) != nil || jwk.KeyID == "" || jwk.Use == "enc" {
			continue
		}
		if key, ok := jwk.Key.(ed25519.PublicKey); ok {
			keys[jwk.KeyID] = key
		}
	}
	return keys, nil
}
