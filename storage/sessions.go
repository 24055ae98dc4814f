package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketSessions holds the sessions of the admin pages, created by the
// first login. Only the SHA-256 of a session id is stored, so a copy of
// the database lets no one in.
var bucketSessions = []byte("sessions") // hex SHA-256 of the session id → JSON Session

// How long a session lasts: SessionIdle without a request, SessionMaxAge
// in all.
const (
	SessionIdle   = 12 * time.Hour
	SessionMaxAge = 7 * 24 * time.Hour
)

// Session is a logged-in user of the admin pages.
type Session struct {
	Email    string    `json:"email"`
	Role     string    `json:"role"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"`
}

// CreateSession starts a session for a user and returns its id: 256 random
// bits, which the caller gives to the browser and which is never stored.
func (s *Store) CreateSession(email, role string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now().UTC()
	data, err := json.Marshal(Session{Email: email, Role: role, Created: now, LastSeen: now})
	if err != nil {
		return "", err
	}
	err = s.update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bucketSessions)
		if err != nil {
			return err
		}
		// Forget the expired sessions while here: logins are rare.
		var stale [][]byte
		bk.ForEach(func(k, v []byte) error {
			var old Session
			if json.Unmarshal(v, &old) != nil || expired(old, now) {
				stale = append(stale, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range stale {
			if err := bk.Delete(k); err != nil {
				return err
			}
		}
		return bk.Put(sessionKey(id), data)
	}, nil)
	if err != nil {
		return "", fmt.Errorf("store session: %w", err)
	}
	return id, nil
}

func expired(se Session, now time.Time) bool {
	return now.Sub(se.LastSeen) > SessionIdle || now.Sub(se.Created) > SessionMaxAge
}

// Session returns the live session of id and notes that it was seen now
// (at most once a minute, to spare the disk). An unknown or expired
// session gives ErrNotFound; an expired one is deleted.
func (s *Store) Session(id string) (*Session, error) {
	if id == "" {
		return nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	key := sessionKey(id)
	now := s.now().UTC()
	var se Session
	err := s.db.View(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketSessions)
		if bk == nil {
			return ErrNotFound
		}
		data := bk.Get(key)
		if data == nil {
			return ErrNotFound
		}
		return json.Unmarshal(data, &se)
	})
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if expired(se, now) {
		if err := s.DeleteSession(id); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("session expired: %w", ErrNotFound)
	}
	if now.Sub(se.LastSeen) >= time.Minute {
		se.LastSeen = now
		data, err := json.Marshal(se)
		if err != nil {
			return nil, err
		}
		err = s.update(func(tx *bolt.Tx) error {
			bk := tx.Bucket(bucketSessions)
			if bk.Get(key) == nil { // logged out meanwhile
				return ErrNotFound
			}
			return bk.Put(key, data)
		}, nil)
		if err != nil {
			return nil, fmt.Errorf("session: %w", err)
		}
	}
	return &se, nil
}

// DeleteSession ends a session; an unknown one is not an error.
func (s *Store) DeleteSession(id string) error {
	return s.update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketSessions)
		if bk == nil {
			return nil
		}
		return bk.Delete(sessionKey(id))
	}, nil)
}

func sessionKey(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return []byte(hex.EncodeToString(sum[:]))
}
