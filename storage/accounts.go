package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/bcrypt"
)

// Roles of an account or an API token. An editor keeps the catalogue
// current; an admin may do everything an editor may, and manages
// federation, moderation, API tokens and accounts.
const (
	RoleAdmin  = "admin"
	RoleEditor = "editor"
)

// CheckRole returns nil for a known role, or an error in French naming the
// roles there are.
func CheckRole(role string) error {
	if role != RoleAdmin && role != RoleEditor {
		return fmt.Errorf("rôle inconnu « %s » (admin ou editor)", role)
	}
	return nil
}

// RoleAllows reports whether an account or token with role have may do
// what needs role need: an admin may do everything, an editor what needs
// an editor. An unknown role may do nothing.
func RoleAllows(have, need string) bool {
	switch have {
	case RoleAdmin:
		return need == RoleAdmin || need == RoleEditor
	case RoleEditor:
		return need == RoleEditor
	}
	return false
}

// User is an account of the admin pages.
type User struct {
	Email        string    `json:"email"`
	Role         string    `json:"role"`
	PasswordHash []byte    `json:"password_hash"`
	Created      time.Time `json:"created"`
}

// Token is an API token; only its SHA-256 is stored. Role is RoleAdmin or
// RoleEditor; a token stored before roles were recorded has none and is
// read as RoleAdmin, which it has always been.
type Token struct {
	Label   string    `json:"label"`
	Role    string    `json:"role"`
	Created time.Time `json:"created"`
}

// ErrBadCredentials is returned when an email and password do not match.
var ErrBadCredentials = errors.New("bad credentials")

// MinPasswordLength is the shortest password AddUser accepts.
const MinPasswordLength = 10

// AddUser creates an account with a bcrypt hash of password. It fails with
// ErrConflict if the email is taken.
func (s *Store) AddUser(email, role, password string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if !strings.Contains(email, "@") {
		return fmt.Errorf("adresse électronique invalide « %s »", email)
	}
	if err := CheckRole(role); err != nil {
		return err
	}
	if len([]rune(password)) < MinPasswordLength {
		return fmt.Errorf("mot de passe trop court : %d caractères au moins", MinPasswordLength)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	u := User{Email: email, Role: role, PasswordHash: hash, Created: s.now().UTC()}
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		if b.Get([]byte(email)) != nil {
			return fmt.Errorf("user %s: %w", email, ErrConflict)
		}
		return b.Put([]byte(email), data)
	}, nil)
}

// Authenticate returns the user whose email and password match, or
// ErrBadCredentials.
func (s *Store) Authenticate(email, password string) (*User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var u User
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketUsers).Get([]byte(email))
		if data == nil {
			return ErrBadCredentials
		}
		return json.Unmarshal(data, &u)
	})
	if errors.Is(err, ErrBadCredentials) {
		// Spend the same time as a wrong password.
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	if bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(password)) != nil {
		return nil, ErrBadCredentials
	}
	return &u, nil
}

// dummyHash is compared against when the email is unknown, so that the
// answer takes as long as for a known email.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("maillage-dummy-password"), bcrypt.DefaultCost)
	return h
})

// CreateToken makes a new random API token with the given label and role
// (RoleAdmin or RoleEditor, else the error of CheckRole), stores its hash
// and returns the token, which is never stored.
func (s *Store) CreateToken(label, role string) (string, error) {
	if err := CheckRole(role); err != nil {
		return "", err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	token := "mlg_" + base64.RawURLEncoding.EncodeToString(b[:])
	data, err := json.Marshal(Token{Label: label, Role: role, Created: s.now().UTC()})
	if err != nil {
		return "", err
	}
	err = s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).Put(tokenKey(token), data)
	}, nil)
	if err != nil {
		return "", fmt.Errorf("store token: %w", err)
	}
	return token, nil
}

// CheckToken returns the token record of a token, or ErrNotFound. Its
// Role is never empty.
func (s *Store) CheckToken(token string) (*Token, error) {
	var t Token
	key := tokenKey(token)
	err := s.db.View(func(tx *bolt.Tx) error {
		k, data := tx.Bucket(bucketTokens).Cursor().Seek(key)
		if k == nil || subtle.ConstantTimeCompare(k, key) != 1 {
			return ErrNotFound
		}
		var err error
		t, err = decodeToken(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// decodeToken reads a stored token; one stored before roles were
// recorded is an admin token.
func decodeToken(data []byte) (Token, error) {
	var t Token
	if err := json.Unmarshal(data, &t); err != nil {
		return Token{}, err
	}
	if t.Role == "" {
		t.Role = RoleAdmin
	}
	return t, nil
}

func tokenKey(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return []byte(hex.EncodeToString(sum[:]))
}

// TokenInfo describes a stored API token, without the token itself: ID
// is the hex SHA-256 under which it is stored, enough to revoke it.
type TokenInfo struct {
	ID string
	Token
}

// ListTokens lists the API tokens, oldest first.
func (s *Store) ListTokens() ([]TokenInfo, error) {
	out := []TokenInfo{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).ForEach(func(k, v []byte) error {
			t, err := decodeToken(v)
			if err != nil {
				return fmt.Errorf("decode token %.8s: %w", k, err)
			}
			out = append(out, TokenInfo{ID: string(k), Token: t})
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b TokenInfo) int { return a.Created.Compare(b.Created) })
	return out, err
}

// RevokeToken deletes the token whose TokenInfo.ID is id, or fails with
// ErrNotFound.
func (s *Store) RevokeToken(id string) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketTokens)
		if b.Get([]byte(id)) == nil {
			return fmt.Errorf("token %.8s: %w", id, ErrNotFound)
		}
		return b.Delete([]byte(id))
	}, nil)
}

// Users lists the accounts, by email.
func (s *Store) Users() ([]User, error) {
	var out []User
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return fmt.Errorf("decode user %s: %w", k, err)
			}
			out = append(out, u)
			return nil
		})
	})
	return out, err
}

// DeleteUser removes the account email and ends its sessions. It fails
// with ErrNotFound, or with ErrConflict for the last admin account (the
// admin pages would have no one left to manage them).
func (s *Store) DeleteUser(email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		data := b.Get([]byte(email))
		if data == nil {
			return fmt.Errorf("user %s: %w", email, ErrNotFound)
		}
		var u User
		if err := json.Unmarshal(data, &u); err != nil {
			return fmt.Errorf("decode user %s: %w", email, err)
		}
		if u.Role == RoleAdmin {
			admins := 0
			b.ForEach(func(_, v []byte) error {
				var o User
				if json.Unmarshal(v, &o) == nil && o.Role == RoleAdmin {
					admins++
				}
				return nil
			})
			if admins <= 1 {
				return fmt.Errorf("user %s is the last admin: %w", email, ErrConflict)
			}
		}
		if err := b.Delete([]byte(email)); err != nil {
			return err
		}
		sessions := tx.Bucket(bucketSessions)
		if sessions == nil {
			return nil
		}
		var theirs [][]byte
		sessions.ForEach(func(k, v []byte) error {
			var se Session
			if json.Unmarshal(v, &se) == nil && se.Email == email {
				theirs = append(theirs, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range theirs {
			if err := sessions.Delete(k); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}
