package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
)

// Federation is what the web layer needs of the ActivityPub side.
type Federation interface {
	// Register adds the ActivityPub routes; they come before the pages.
	Register(r *mux.Router)
	Follow(ctx context.Context, target string) (storage.Following, error)
	Unfollow(ctx context.Context, actor string) error
	AnswerFollower(actor string, accept bool) (storage.Follower, error)
	RemoveFollower(actor string) error
	Block(domain string) (places, events int, err error)
	Unblock(domain string) error
	Hide(ref string) (apID string, err error)
	Unhide(apID string) error
}

// FollowerID is the opaque id of a follower in the API.
func FollowerID(actor string) string {
	h := sha256.Sum256([]byte(actor))
	return hex.EncodeToString(h[:8])
}

// FollowerActor finds the follower whose API id is id.
func (s *Server) FollowerActor(id string) (string, error) {
	fs, err := s.Store.Followers()
	if err != nil {
		return "", err
	}
	for _, f := range fs {
		if FollowerID(f.Actor) == id {
			return f.Actor, nil
		}
	}
	return "", storage.ErrNotFound
}
