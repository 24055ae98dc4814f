package storage

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// Settings are the instance's identity, stored in the meta bucket.
type Settings struct {
	Name   string // the network's display name, "Arsenic 13"
	Handle string // the actor's handle, "arsenic13"
}

var (
	keyName   = []byte("name")
	keyHandle = []byte("handle")
)

// Settings returns the stored identity; empty fields were never set.
func (s *Store) Settings() (Settings, error) {
	var st Settings
	err := s.db.View(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		st.Name = string(meta.Get(keyName))
		st.Handle = string(meta.Get(keyHandle))
		return nil
	})
	return st, err
}

// SetSettings stores the non-empty fields of st.
func (s *Store) SetSettings(st Settings) error {
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for key, v := range map[string]string{string(keyName): st.Name, string(keyHandle): st.Handle} {
			if v == "" {
				continue
			}
			if err := meta.Put([]byte(key), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil {
		return fmt.Errorf("store settings: %w", err)
	}
	if st.Name != "" {
		s.name.Store(st.Name)
	}
	return nil
}

// ActorIRI is the ActivityPub id of the instance's network actor.
func (s *Store) ActorIRI() string {
	return s.baseURL + "/actor"
}

func (s *Store) localNetwork() catalogue.Network {
	return catalogue.Network{Name: s.name.Load().(string), Actor: s.ActorIRI(), Local: true}
}

// localRef turns this instance's actor IRI into "local" in a network filter.
func (s *Store) localRef(network string) string {
	if network == s.ActorIRI() {
		return "local"
	}
	return network
}
