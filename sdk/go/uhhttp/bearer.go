package uhhttp

import (
	"crypto/sha256"
	"errors"

	lru "github.com/hashicorp/golang-lru/v2"
)

// bearerAssertions remembers API clients' assertions: they send only Authorization: Bearer
// <session token>, and no cookie keeps their assertion. Keyed by the token's SHA-256 (no raw
// token in memory), bounded, least recently used first out; an assertion is found only by
// the token it was issued for.
type bearerAssertions struct {
	byTokenHash *lru.Cache[[sha256.Size]byte, string]
}

func newBearerAssertions(size int) (*bearerAssertions, error) {
	if size < 1 {
		return nil, errors.New("uhhttp: Config.BearerAssertions must be at least 1")
	}
	cache, err := lru.New[[sha256.Size]byte, string](size)
	if err != nil {
		return nil, err
	}
	return &bearerAssertions{cache}, nil
}

func (b *bearerAssertions) get(token string) string {
	assertion, _ := b.byTokenHash.Get(sha256.Sum256([]byte(token)))
	return assertion
}

func (b *bearerAssertions) set(token, assertion string) {
	b.byTokenHash.Add(sha256.Sum256([]byte(token)), assertion)
}

func (b *bearerAssertions) remove(token string) {
	b.byTokenHash.Remove(sha256.Sum256([]byte(token)))
}
