package federation

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/maillage/maillage/storage"
)

// Keys of incoming signatures, in the three shapes real servers use:
//
//   - a fragment of the actor's IRI (Mastodon, Pleroma, Fedify, Maillage:
//     {actor}#main-key): the actor document holds the key;
//   - a document of its own (GoToSocial: {actor}/main-key, no fragment),
//     answering either a stub actor whose publicKey names the owner, or a
//     Key whose top-level owner is the actor;
//   - the actor's IRI itself.
//
// Whatever the shape, the key names its owner, the owner is on the key's
// host, and the owner's actor document names the key back. The owner is
// what Verify returns; the inbox then checks it is the activity's actor.

const (
	// keyRetry is how long a key id, once fetched, is not fetched again,
	// whether the fetch succeeded (a refresh asked for by a signature
	// that does not verify waits this long) or failed (negative cache).
	keyRetry = time.Minute
	// maxKeys bounds the key cache; forged key ids fill it with failures.
	maxKeys = 10000
	// hostFetches is how many documents are fetched at once from one host.
	hostFetches = 4
	// hostWait is how long a fetch waits for a free slot on its host
	// before giving up with errBusy.
	hostWait = 3 * time.Second
	// maxIRI is the longest IRI accepted from a peer, in bytes.
	maxIRI = 2048
)

// errBusy says the fetches to a host are all taken: try again later.
var errBusy = errors.New("too many fetches to this host at once")

// keyEntry is the outcome of fetching a key id.
type keyEntry struct {
	pub     *rsa.PublicKey
	owner   string
	err     error
	fetched time.Time
}

// keyCache holds fetched keys, recent failures, the fetches under way
// (one per key id at a time) and the number of fetches per host.
type keyCache struct {
	mu      sync.Mutex
	entries map[string]keyEntry
	flights map[string]chan struct{}
	busy    map[string]int // host → fetches under way; no entry at 0
	freed   chan struct{}  // closed and replaced when a fetch ends
}

// slot takes one of host's fetch slots, waiting at most hostWait for one
// (errBusy); release gives it back.
func (c *keyCache) slot(ctx context.Context, host string) (release func(), err error) {
	timer := time.NewTimer(hostWait)
	defer timer.Stop()
	for {
		c.mu.Lock()
		if c.busy == nil {
			c.busy, c.freed = map[string]int{}, make(chan struct{})
		}
		if c.busy[host] < hostFetches {
			c.busy[host]++
			c.mu.Unlock()
			return func() { c.release(host) }, nil
		}
		freed := c.freed
		c.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
			return nil, errBusy
		}
	}
}

func (c *keyCache) release(host string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy[host]--; c.busy[host] <= 0 {
		delete(c.busy, host)
	}
	close(c.freed)
	c.freed = make(chan struct{})
}

// put records the outcome of a fetch, making room when the cache is full:
// failures first, then anything.
func (c *keyCache) put(keyID string, e keyEntry) {
	if c.entries == nil {
		c.entries = map[string]keyEntry{}
	}
	if len(c.entries) >= maxKeys {
		for id, old := range c.entries {
			if old.err != nil {
				delete(c.entries, id)
			}
		}
		for id := range c.entries {
			if len(c.entries) < maxKeys {
				break
			}
			delete(c.entries, id)
		}
	}
	c.entries[keyID] = e
}

// checkIRI refuses an IRI from a peer that is not absolute http(s), has a
// user name or password in it (a misleading id: http://other@peer/…) or
// is longer than maxIRI.
func checkIRI(iri string) error {
	if len(iri) > maxIRI {
		return fmt.Errorf("IRI of %d bytes, over %d", len(iri), maxIRI)
	}
	if !strings.HasPrefix(iri, "https://") && !strings.HasPrefix(iri, "http://") {
		return fmt.Errorf("IRI %.100q is not an absolute http(s) URL", iri)
	}
	u, err := url.Parse(iri)
	if err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("IRI %.100q is not an absolute http(s) URL", iri)
	}
	if u.User != nil {
		return fmt.Errorf("IRI %.100q carries a user name", iri)
	}
	return nil
}

// resolveKey is the KeyResolver of incoming signatures. A key id is
// fetched at most once per keyRetry, whatever the outcome, and by one
// request at a time; refresh (the signature did not verify with the
// cached key: it may have been rotated) refetches a key older than that.
func (s *Service) resolveKey(ctx context.Context, keyID string, refresh bool) (*rsa.PublicKey, string, error) {
	if err := checkIRI(keyID); err != nil {
		return nil, "", fmt.Errorf("bad keyId: %w", err)
	}
	c := &s.keys
	for {
		c.mu.Lock()
		e, ok := c.entries[keyID]
		age := s.now().Sub(e.fetched)
		switch {
		case ok && e.err != nil && age < keyRetry:
			c.mu.Unlock()
			return nil, "", fmt.Errorf("key %s failed %s ago: %w", keyID, age.Round(time.Second), e.err)
		case ok && e.err == nil && (age < keyRetry || !refresh && age < actorCacheTTL):
			c.mu.Unlock()
			return e.pub, e.owner, nil
		}
		if !ok && !refresh {
			// Fragment and actor shapes: the actor may be known already.
			if a, pub, known := s.knownActor(withoutFragment(keyID)); known && a.KeyID == keyID && pub != nil {
				c.put(keyID, keyEntry{pub: pub, owner: a.ID, fetched: a.Fetched})
				c.mu.Unlock()
				return pub, a.ID, nil
			}
		}
		if wait := c.flights[keyID]; wait != nil {
			c.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, "", ctx.Err()
			}
		}
		if c.flights == nil {
			c.flights = map[string]chan struct{}{}
		}
		done := make(chan struct{})
		c.flights[keyID] = done
		c.mu.Unlock()

		pub, owner, err := s.fetchKey(ctx, keyID, refresh)

		c.mu.Lock()
		if !errors.Is(err, errBusy) && !errors.Is(err, context.Canceled) {
			c.put(keyID, keyEntry{pub: pub, owner: owner, err: err, fetched: s.now()})
		}
		delete(c.flights, keyID)
		close(done)
		c.mu.Unlock()
		return pub, owner, err
	}
}

// fetchKey fetches the document at keyID, then, unless that document is
// the owner's actor, the owner's actor (from the cache when fresh and not
// refresh), and checks that each names the other.
func (s *Service) fetchKey(ctx context.Context, keyID string, refresh bool) (*rsa.PublicKey, string, error) {
	doc, err := s.get(ctx, keyID)
	if err != nil {
		return nil, "", err
	}
	k, ok := keyIn(doc, keyID)
	if !ok {
		return nil, "", fmt.Errorf("the document at %s holds no key %s", keyID, keyID)
	}
	id := str(doc, "id")
	owner := k.owner
	if owner == "" && str(doc, "inbox") != "" {
		owner = id // an actor document whose key does not say its owner
	}
	if owner == "" {
		return nil, "", fmt.Errorf("key %s names no owner", keyID)
	}
	if err := checkIRI(owner); err != nil || hostOf(owner) != hostOf(keyID) {
		return nil, "", fmt.Errorf("key %s is owned by %s, on another host", keyID, owner)
	}
	pub, err := DecodePublicKey(k.pem)
	if err != nil {
		return nil, "", fmt.Errorf("key %s: %w", keyID, err)
	}

	if id == owner && withoutFragment(keyID) == owner && str(doc, "inbox") != "" {
		// The key id's document is the owner's actor: it names the key.
		a, err := s.actorFromDoc(ctx, doc)
		if err != nil {
			return nil, "", err
		}
		if a.ID != owner {
			return nil, "", fmt.Errorf("actor %s answers id %s", owner, a.ID)
		}
		pickKey(&a, k)
		if err := s.store.PutActor(a); err != nil {
			return nil, "", err
		}
		s.remember(a)
		return pub, owner, nil
	}
	// A key document of its own: the owner must name it back.
	if !refresh {
		if a, _, known := s.knownActor(owner); known && a.KeyID == keyID {
			return pub, owner, nil
		}
	}
	actorDoc, err := s.get(ctx, owner)
	if err != nil {
		return nil, "", fmt.Errorf("owner of key %s: %w", keyID, err)
	}
	a, err := s.actorFromDoc(ctx, actorDoc)
	if err != nil {
		return nil, "", fmt.Errorf("owner of key %s: %w", keyID, err)
	}
	if a.ID != owner {
		return nil, "", fmt.Errorf("actor %s answers id %s", owner, a.ID)
	}
	back, ok := keyIn(actorDoc, keyID)
	if !ok || back.owner != "" && back.owner != owner {
		return nil, "", fmt.Errorf("actor %s does not name key %s", owner, keyID)
	}
	pickKey(&a, k)
	if err := s.store.PutActor(a); err != nil {
		return nil, "", err
	}
	s.remember(a)
	return pub, owner, nil
}

// publicKey is one entry of a document's publicKey.
type publicKey struct{ id, owner, pem string }

// keyIn finds key id in doc: among its publicKey entries (an object or an
// array), or doc itself when it is the key (a Key or CryptographicKey
// document with a top-level owner and publicKeyPem).
func keyIn(doc map[string]any, id string) (publicKey, bool) {
	var entries []any
	switch v := doc["publicKey"].(type) {
	case map[string]any:
		entries = []any{v}
	case []any:
		entries = v
	}
	entries = append(entries, doc)
	for _, e := range entries {
		m, ok := e.(map[string]any)
		if !ok || str(m, "id") != id {
			continue
		}
		pem, _ := m["publicKeyPem"].(string)
		if pem == "" {
			continue
		}
		return publicKey{id: id, owner: str(m, "owner"), pem: pem}, true
	}
	return publicKey{}, false
}

// pickKey makes k the key remembered for actor a, which may list several.
func pickKey(a *storage.RemoteActor, k publicKey) { a.KeyID, a.PublicKeyPEM = k.id, k.pem }

// knownActor is a remote actor from memory or the store, when fresh,
// without any fetch.
func (s *Service) knownActor(iri string) (storage.RemoteActor, *rsa.PublicKey, bool) {
	if c, ok := s.actors.Load(iri); ok && s.now().Sub(c.(cachedActor).actor.Fetched) < actorCacheTTL {
		return c.(cachedActor).actor, c.(cachedActor).key, true
	}
	if a, err := s.store.Actor(iri); err == nil && s.now().Sub(a.Fetched) < actorCacheTTL && a.Inbox != "" {
		return a, s.remember(a), true
	}
	return storage.RemoteActor{}, nil, false
}

// withoutFragment is iri without its #fragment.
func withoutFragment(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return iri
	}
	u.Fragment = ""
	return u.String()
}
