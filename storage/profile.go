package storage

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Profile is how the network presents itself to fediverse users, beyond
// its name: the fields of its actor. It is kept in the meta bucket, so
// the schema version is unchanged.
type Profile struct {
	Summary   string `json:"summary,omitempty"`   // plain French text, shown under the name
	Contact   string `json:"contact,omitempty"`   // contact e-mail address
	Website   string `json:"website,omitempty"`   // web site, when not the instance itself
	Territory string `json:"territory,omitempty"` // "Bouches-du-Rhône", "Région Sud"
	// Logo and Header are uploaded images (PNG, JPEG, GIF or WebP) with
	// their media types; empty: a default drawn from the name is used.
	Logo       []byte `json:"logo,omitempty"`
	LogoType   string `json:"logo_type,omitempty"`
	Header     []byte `json:"header,omitempty"`
	HeaderType string `json:"header_type,omitempty"`
}

var keyProfile = []byte("profile")

// Profile returns the stored profile; a network that never set one has
// the zero Profile.
func (s *Store) Profile() (Profile, error) {
	var p Profile
	err := s.db.View(func(tx *bolt.Tx) error {
		data := tx.Bucket(bucketMeta).Get(keyProfile)
		if data == nil {
			return nil
		}
		return json.Unmarshal(data, &p)
	})
	if err != nil {
		return p, fmt.Errorf("read profile: %w", err)
	}
	return p, nil
}

// SetProfile replaces the stored profile.
func (s *Store) SetProfile(p Profile) error {
	data, err := json.Marshal(p)
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyProfile, data) }, nil)
	if err != nil {
		return fmt.Errorf("store profile: %w", err)
	}
	return nil
}
