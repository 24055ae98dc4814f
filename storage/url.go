package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// The instance's public URL is fixed at first use: the first Open of a new
// data directory stores it in the meta bucket, and every later Open uses
// the stored one. ActivityPub ids are built from it and other instances
// keep them, so it cannot change once anyone may have seen them; MoveURL
// rewrites it, and every local id, only before that.

var (
	keyBaseURL = []byte("base_url")
	// keyFederated is set once the instance was followed, followed
	// someone, or sent anything: its ids are known elsewhere.
	keyFederated = []byte("federated")
)

// URLMismatchError is what Open returns when Options.BaseURL differs from
// the URL stored at first use.
type URLMismatchError struct {
	Stored, Asked string
}

func (e *URLMismatchError) Error() string {
	return fmt.Sprintf("base URL %s differs from %s, the one fixed at first use", e.Asked, e.Stored)
}

// ErrFederated means the instance's ids are known to other instances:
// its URL can no longer move.
var ErrFederated = errors.New("the instance has federated: its ids are known elsewhere")

// BaseURL is the instance's public URL, without a trailing slash: the one
// fixed at first use.
func (s *Store) BaseURL() string { return s.baseURL }

// URLFixed reports whether this Open stored the base URL: the data
// directory was new (or older than the stored URL), and the caller should
// say which URL it is now bound to.
func (s *Store) URLFixed() bool { return s.urlFixed }

// fixBaseURL reads the stored base URL, storing it at first use (the
// local records' own, for a file older than the stored URL; else
// opts.BaseURL, else opts.DefaultURL). It fails with a *URLMismatchError
// when opts.BaseURL is set and differs.
func fixBaseURL(tx *bolt.Tx, opts Options) (base string, fixed bool, err error) {
	asked := strings.TrimSuffix(opts.BaseURL, "/")
	meta := tx.Bucket(bucketMeta)
	base = string(meta.Get(keyBaseURL))
	if base == "" {
		if base, err = localBaseURL(tx); err != nil {
			return "", false, err
		}
		if base == "" {
			base = asked
		}
		if base == "" {
			base = strings.TrimSuffix(opts.DefaultURL, "/")
		}
		if base == "" {
			return "", false, nil // nothing to build ids from yet: nothing stored
		}
		if err := meta.Put(keyBaseURL, []byte(base)); err != nil {
			return "", false, err
		}
		fixed = true
	}
	if asked != "" && asked != base {
		return "", false, &URLMismatchError{Stored: base, Asked: asked}
	}
	return base, fixed, nil
}

// localBaseURL is the base URL of the first local record's ActivityPub
// id, or "" when there is none: what a file written before the URL was
// stored was using.
func localBaseURL(tx *bolt.Tx) (string, error) {
	var base string
	find := func(bucket []byte, path string) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			var r struct {
				APID    string `json:"ap_id"`
				Network struct {
					Local bool `json:"local"`
				} `json:"network"`
			}
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decode %s %s: %w", bucket, k, err)
			}
			if i := strings.Index(r.APID, path); r.Network.Local && i > 0 {
				base = r.APID[:i]
				return errStop
			}
			return nil
		})
	}
	for _, b := range []struct {
		bucket []byte
		path   string
	}{{bucketPlaces, "/lieux/"}, {bucketEvents, "/evenements/"}} {
		if err := find(b.bucket, b.path); err != nil && !errors.Is(err, errStop) {
			return "", err
		}
		if base != "" {
			return base, nil
		}
	}
	return "", nil
}

var errStop = errors.New("stop")

// markFederated records, in tx, that the instance's ids left it.
func markFederated(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta.Get(keyFederated) != nil {
		return nil
	}
	return meta.Put(keyFederated, []byte{1})
}

// federated says whether the ids of the instance may be known elsewhere:
// it was marked so, or it has (or had queued) followers, followed
// networks or deliveries.
func federated(tx *bolt.Tx) bool {
	if tx.Bucket(bucketMeta).Get(keyFederated) != nil {
		return true
	}
	for _, b := range [][]byte{bucketFollowers, bucketFollowing, bucketDeliveries} {
		if k, _ := tx.Bucket(b).Cursor().First(); k != nil {
			return true
		}
	}
	return false
}

// MoveURL changes the instance's public URL to next and rewrites every
// local ActivityPub id built from the old one: records, the objects index,
// the tombstones, the outbox, and anything else holding it. It fails with
// ErrFederated once the instance was followed, followed someone or
// delivered anything: other instances keep the ids, which cannot move.
// It returns the former URL. It is an offline operation (maillage
// move-url): nothing else may use the store meanwhile.
func (s *Store) MoveURL(next string) (string, error) {
	next = strings.TrimSuffix(next, "/")
	old := s.baseURL
	if old == "" || next == "" {
		return old, fmt.Errorf("move URL: no base URL")
	}
	if next == old {
		return old, nil
	}
	s.inbox.settle()
	err := s.update(func(tx *bolt.Tx) error {
		if federated(tx) {
			return ErrFederated
		}
		if err := s.inflateOutbox(tx); err != nil {
			return err
		}
		skip := map[string]bool{string(bucketIndexSnapshot): true, string(bucketIndexJournal): true}
		err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if skip[string(name)] {
				return nil
			}
			return rewriteBucket(b, []byte(old), []byte(next))
		})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketMeta).Put(keyBaseURL, []byte(next)); err != nil {
			return err
		}
		return rebuildEntries(tx) // the index entries hold ap_ids, in a binary encoding
	}, nil)
	if err != nil {
		return old, fmt.Errorf("move URL from %s to %s: %w", old, next, err)
	}
	s.baseURL = next
	return old, s.reloadIndex()
}

// rewriteBucket replaces old by next in every key and value of b where old
// stands as a URL prefix (followed by nothing, "/", "#", "?" or a quote).
func rewriteBucket(b *bolt.Bucket, old, next []byte) error {
	type kv struct{ oldKey, key, value []byte }
	var changed []kv
	err := b.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil // a nested bucket: none in this schema
		}
		nk, nv := replaceURL(k, old, next), replaceURL(v, old, next)
		if !bytes.Equal(nk, k) || !bytes.Equal(nv, v) {
			changed = append(changed, kv{append([]byte(nil), k...), nk, nv})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range changed {
		if !bytes.Equal(c.oldKey, c.key) {
			if err := b.Delete(c.oldKey); err != nil {
				return err
			}
		}
	}
	for _, c := range changed {
		if err := b.Put(c.key, c.value); err != nil {
			return err
		}
	}
	return nil
}

// replaceURL returns b with each occurrence of the URL old replaced by
// next; b itself when there is none.
func replaceURL(b, old, next []byte) []byte {
	if !bytes.Contains(b, old) {
		return b
	}
	var out []byte
	rest := b
	for {
		i := bytes.Index(rest, old)
		if i < 0 {
			break
		}
		end := i + len(old)
		if end < len(rest) && !bytes.ContainsRune([]byte(`/#?"\ `), rune(rest[end])) {
			out = append(out, rest[:end]...) // a longer host: http://a:8080 in http://a:80801
			rest = rest[end:]
			continue
		}
		out = append(append(out, rest[:i]...), next...)
		rest = rest[end:]
	}
	return append(out, rest...)
}

// reloadIndex builds the search index again from the stored entries.
func (s *Store) reloadIndex() error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.readEntries()
	return err
}
