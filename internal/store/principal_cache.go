package store

import (
	"sync"
	"sync/atomic"
	"time"

	"caseboard/internal/access"
)

// principalCache keeps the principals of recently used API tokens for a
// few seconds, because an API client sends many requests a second and
// loading the principal is a third of what each one costs. Any audited
// write on this instance empties it at once (revoking a token, disabling
// an account, granting a role, moving someone between units are all
// audited), so a change here is never served stale; a change made through
// another instance on the same database is seen within the time to live.
type principalCache struct {
	ttl        time.Duration
	generation atomic.Uint64
	mu         sync.RWMutex
	entries    map[string]cachedPrincipal
}

type cachedPrincipal struct {
	principal  access.Principal
	generation uint64
	loadedAt   time.Time
	expiresAt  time.Time // the token's own expiry
}

// principalCacheLimit bounds memory: only valid tokens are cached, so the
// limit is reached only by a very large number of live tokens, and then
// the cache starts again rather than growing.
const principalCacheLimit = 10000

// DefaultPrincipalTTL is how long a token's principal is reused.
const DefaultPrincipalTTL = 5 * time.Second

func (c *principalCache) get(hash string, now time.Time) (*access.Principal, bool) {
	if c.ttl <= 0 {
		return nil, false
	}
	c.mu.RLock()
	e, ok := c.entries[hash]
	c.mu.RUnlock()
	if !ok || e.generation != c.generation.Load() || now.Sub(e.loadedAt) >= c.ttl || !now.Before(e.expiresAt) {
		return nil, false
	}
	p := e.principal // a copy: callers may set fields on theirs
	return &p, true
}

// put caches p as loaded under generation, the one current before the
// database was read, so a write that commits during the read is not
// masked by the older principal.
func (c *principalCache) put(hash string, p *access.Principal, generation uint64, now, expiresAt time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= principalCacheLimit {
		c.entries = make(map[string]cachedPrincipal)
	}
	c.entries[hash] = cachedPrincipal{principal: *p, generation: generation, loadedAt: now, expiresAt: expiresAt}
}

// invalidate makes every cached principal stale.
func (c *principalCache) invalidate() { c.generation.Add(1) }
