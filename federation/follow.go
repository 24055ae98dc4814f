package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/maillage/maillage/storage"
)

// Follow asks the network at target ("handle@host" or an actor URL) to let
// this instance follow it. The Follow is queued; its state is pending
// until the answer arrives.
func (s *Service) Follow(ctx context.Context, target string) (storage.Following, error) {
	actor, err := s.resolveHandle(ctx, target)
	if err != nil {
		return storage.Following{}, err
	}
	if actor == s.actor {
		return storage.Following{}, errors.New("une instance ne peut pas se suivre elle-même")
	}
	a, err := s.fetchActor(ctx, actor, true)
	if err != nil {
		return storage.Following{}, fmt.Errorf("acteur %s injoignable : %w", actor, err)
	}
	if f, err := s.store.FollowingActor(actor); err == nil && f.State != storage.FollowRejected {
		return f, nil // already asked: nothing to send again
	}
	f := storage.Following{ID: s.newActivityID(), Actor: a.ID, Inbox: a.Inbox, State: storage.FollowPending, Created: s.now()}
	body, err := json.Marshal(withContext(s.activity("Follow", f.ID, a.ID, a.ID)))
	if err != nil {
		return f, err
	}
	if err := s.store.PutFollowing(f); err != nil {
		return f, err
	}
	return f, s.store.Enqueue(a.Inbox, body)
}

// Unfollow sends Undo{Follow} and forgets the network, with its records.
func (s *Service) Unfollow(ctx context.Context, actor string) error {
	f, err := s.store.FollowingActor(actor)
	if err != nil {
		return err
	}
	follow := map[string]any{"id": f.ID, "type": "Follow", "actor": s.actor, "object": f.Actor}
	body, err := json.Marshal(withContext(s.activity("Undo", s.newActivityID(), follow, f.Actor)))
	if err != nil {
		return err
	}
	if err := s.store.Enqueue(f.Inbox, body); err != nil {
		return err
	}
	if err := s.store.DeleteFollowing(actor); err != nil {
		return err
	}
	return s.store.DeleteNetwork(actor)
}

// startBackfill fetches, in the background, the current places and events
// of a network whose Accept just arrived.
func (s *Service) startBackfill(actor string) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		go func() {
			select {
			case <-s.stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		if err := s.Backfill(ctx, actor); err != nil {
			s.log.Warn("backfill", "actor", actor, "err", err)
		}
	}()
}

// Backfill fetches the current places, then events, of a followed network
// from its collections, page by page.
func (s *Service) Backfill(ctx context.Context, actor string) error {
	a, err := s.fetchActor(ctx, actor, true)
	if err != nil {
		return err
	}
	n := 0
	for _, coll := range []string{a.Places, a.Events} {
		if coll == "" {
			continue
		}
		if hostOf(coll) != hostOf(actor) {
			return fmt.Errorf("collection %s is not on the host of %s", coll, actor)
		}
		doc, err := s.get(ctx, coll)
		if err != nil {
			return err
		}
		next := str(doc, "first")
		for pages := 0; next != "" && pages < 10000; pages++ {
			if hostOf(next) != hostOf(actor) {
				return fmt.Errorf("page %s is not on the host of %s", next, actor)
			}
			page, err := s.get(ctx, next)
			if err != nil {
				return err
			}
			items, _ := page["orderedItems"].([]any)
			for _, it := range items {
				obj, ok := it.(map[string]any)
				if !ok {
					continue
				}
				obj["@context"] = page["@context"]
				if err := s.putObject(ctx, "", actor, obj); err != nil {
					s.log.Warn("backfill: object refused", "actor", actor, "id", str(obj, "id"), "err", err)
					continue
				}
				n++
			}
			next = str(page, "next")
		}
	}
	s.log.Info("backfill done", "actor", actor, "objects", n)
	return nil
}
