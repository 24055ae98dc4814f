package federation

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/maillage/maillage/storage"
)

// Relaying. An instance started with Config.Relay announces to its
// followers every change it accepts from the networks it follows (see
// storage.SetRelay and announceOf). A receiver believes an Announce only
// after fetching the object from its origin, and stores it as the
// origin's, noting the relay it came through (catalogue.Network.Via).
// The store ignores versions no newer than the one it has, so a relay
// loop or a diamond delivers each version once and falls quiet.

// onAnnounce handles an Announce from a relay this instance follows.
func (s *Service) onAnnounce(ctx context.Context, id, relay string, doc map[string]any) error {
	if f, err := s.store.FollowingActor(relay); err != nil || f.State != storage.FollowAccepted {
		return nil // boosts from accounts we do not follow are not ours to keep
	}
	iri := str(doc, "object")
	if obj, ok := doc["object"].(map[string]any); ok {
		switch str(obj, "type") {
		case "Create", "Update", "Delete": // an announced activity: its object
			iri = str(obj, "object")
		}
	}
	switch {
	case hostOf(iri) == "":
		return httpError(http.StatusBadRequest, "Announce without an object IRI")
	case hostOf(iri) == s.host:
		return s.store.MarkActivity(id) // our own record coming back
	case s.store.Blocked(iri):
		return s.store.MarkActivity(id) // blocked here, even through a trusted relay
	}
	obj, err := s.get(ctx, iri)
	if gone(err) {
		return s.relayedDelete(id, iri)
	}
	if err != nil {
		return httpError(http.StatusBadGateway, "cannot fetch the announced object: %v", err)
	}
	if str(obj, "id") != iri {
		return httpError(http.StatusBadRequest, "the origin answers %s for %s", str(obj, "id"), iri)
	}
	origin := str(obj, "attributedTo")
	if hostOf(origin) != hostOf(iri) {
		return httpError(http.StatusForbidden, "%s is attributed to %q, not an actor of its host", iri, origin)
	}
	r, err := s.remoteOf(ctx, origin, obj)
	if err != nil || r.Place == nil {
		return err
	}
	s.setVia(r, origin, relay)
	return s.store.PutRemote(id, r)
}

// setVia records the relay a record came through, unless this instance
// follows its origin directly.
func (s *Service) setVia(r storage.Remote, origin, relay string) {
	if f, err := s.store.FollowingActor(origin); err == nil && f.State == storage.FollowAccepted {
		relay = ""
	}
	r.Place.Network.Via = relay
	if r.Event != nil {
		r.Event.Network.Via = relay
	}
}

// relayedDelete removes a record whose origin answers that it is gone.
func (s *Service) relayedDelete(id, iri string) error {
	owner := ""
	if e, err := s.store.Event(iri); err == nil {
		owner = e.Network.Actor
	} else if p, err := s.store.Place(iri); err == nil {
		owner = p.Network.Actor
	}
	if owner == "" || hostOf(owner) != hostOf(iri) {
		return s.store.MarkActivity(id) // nothing of that origin here
	}
	err := s.store.DeleteRemote(id, owner, iri)
	if err != nil && !errors.Is(err, storage.ErrDuplicate) {
		return fmt.Errorf("relayed delete of %s: %w", iri, err)
	}
	return err
}
