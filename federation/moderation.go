package federation

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/maillage/maillage/storage"
)

// Moderation: an editor blocks a domain, hides a remote record, or
// removes a follower. The store keeps the lists and drops the records;
// this side refuses the domain's activities and fetches again what an
// unblock or unhide lets back in.

// ErrBlocked is returned when following a network of a blocked domain.
var ErrBlocked = errors.New("ce domaine est bloqué")

// blockedRequest says whether an incoming request is signed by a key of
// a blocked domain: it is refused before any key is fetched from there.
func (s *Service) blockedRequest(r *http.Request) bool {
	h := r.Header.Get("Signature")
	if h == "" {
		h = r.Header.Get("Authorization")
	}
	sig, err := parseSignature(h)
	return err == nil && s.store.Blocked(sig.keyID)
}

// Block blocks a domain: see storage.Store.Block.
func (s *Service) Block(domain string) (places, events int, err error) {
	places, events, err = s.store.Block(domain)
	if err == nil {
		s.log.Info("domain blocked", "domain", storage.Domain(domain), "places", places, "events", events)
	}
	return places, events, err
}

// Unblock lifts a block and fetches again, in the background, the
// records of the networks this instance follows.
func (s *Service) Unblock(domain string) error {
	if err := s.store.Unblock(domain); err != nil {
		return err
	}
	s.refetchFollowed()
	return nil
}

// Hide hides a remote record (an id or ActivityPub id).
func (s *Service) Hide(ref string) (string, error) { return s.store.Hide(ref) }

// Unhide lets a hidden record back in and fetches the followed networks'
// records again, in the background.
func (s *Service) Unhide(apID string) error {
	if err := s.store.Unhide(apID); err != nil {
		return err
	}
	s.refetchFollowed()
	return nil
}

// refetchFollowed backfills every accepted follow again; records that did
// not change cost a comparison each.
func (s *Service) refetchFollowed() { s.backfillFollowed(true) }

// RemoveFollower stops sending to a follower and tells it with a Reject
// of its Follow, which Mastodon and Maillage take as a removal.
func (s *Service) RemoveFollower(actor string) error {
	f, err := s.store.Follower(actor)
	if err != nil {
		return err
	}
	if err := s.answerFollow(f, "Reject"); err != nil {
		return err
	}
	return s.store.DeleteFollower(actor)
}

// checkNotBlocked refuses to follow a blocked domain.
func (s *Service) checkNotBlocked(actor string) error {
	if s.store.Blocked(actor) {
		return fmt.Errorf("%s : %w", storage.Domain(actor), ErrBlocked)
	}
	return nil
}
