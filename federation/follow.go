package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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
	if err := s.checkNotBlocked(actor); err != nil {
		return storage.Following{}, err
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
		s.background("backfill of "+actor, func() {
			if err := s.Backfill(ctx, actor); err != nil {
				s.log.Warn("backfill", "actor", actor, "err", err)
			}
		})
	}()
}

// Backfill fetches the current places, then events, of a followed network
// from its collections, page by page, each page stored in one transaction.
// The next page is recorded after each one, so that a backfill cut short
// (a restart, the peer going down) resumes where it stopped.
func (s *Service) Backfill(ctx context.Context, actor string) error {
	f, err := s.store.FollowingActor(actor)
	if err != nil {
		return err
	}
	a, err := s.fetchActor(ctx, actor, true)
	if err != nil {
		return err
	}
	var pages []string // where each collection starts
	for _, coll := range []string{a.Places, a.Events} {
		if coll == "" {
			continue
		}
		if hostOf(coll) != hostOf(actor) {
			return fmt.Errorf("collection %s is not on the host of %s", coll, actor)
		}
		pages = append(pages, coll)
	}
	// Resume: skip the collections before the recorded page.
	if f.BackfillNext != "" {
		for len(pages) > 0 && !strings.HasPrefix(f.BackfillNext, pages[0]) {
			pages = pages[1:]
		}
		if len(pages) > 0 {
			pages[0] = f.BackfillNext
		}
	}
	origins := map[string]bool{}
	n, err := s.readCollections(ctx, actor, "", pages, origins, func(next string) error {
		return s.recordBackfill(actor, next, false)
	})
	if err != nil {
		return err
	}
	// A relay lists records of other networks: they are fetched from
	// their origins, as Announces are.
	done := map[string]bool{actor: true, s.actor: true}
	for len(origins) > 0 {
		var origin string
		for origin = range origins {
			break
		}
		delete(origins, origin)
		if done[origin] {
			continue
		}
		done[origin] = true
		m, err := s.backfillOrigin(ctx, origin, actor, origins)
		if err != nil {
			s.log.Warn("backfill: origin unreachable", "origin", origin, "via", actor, "err", err)
		}
		n += m
	}
	s.log.Info("backfill done", "actor", actor, "objects", n)
	return s.recordBackfill(actor, "", true)
}

// backfillOrigin reads the collections of origin, a network whose records
// a followed relay lists.
func (s *Service) backfillOrigin(ctx context.Context, origin, relay string, origins map[string]bool) (int, error) {
	a, err := s.fetchActor(ctx, origin, false)
	if err != nil {
		return 0, err
	}
	var pages []string
	for _, coll := range []string{a.Places, a.Events} {
		if coll != "" {
			pages = append(pages, coll)
		}
	}
	return s.readCollections(ctx, origin, relay, pages, origins, nil)
}

// readCollections stores the records of actor listed in the collections
// (or pages) given, noting via as the relay they came through, and adds
// to origins the other networks the pages list. progress, when set, is
// told each next page.
func (s *Service) readCollections(ctx context.Context, actor, via string, pages []string, origins map[string]bool, progress func(next string) error) (int, error) {
	n := 0
	for _, next := range pages {
		if hostOf(next) != hostOf(actor) {
			return n, fmt.Errorf("collection %s is not on the host of %s", next, actor)
		}
		if !strings.Contains(next, "page=") {
			doc, err := s.get(ctx, next)
			if err != nil {
				return n, err
			}
			next = str(doc, "first")
		}
		for count := 0; next != "" && count < 100000; count++ {
			if hostOf(next) != hostOf(actor) {
				return n, fmt.Errorf("page %s is not on the host of %s", next, actor)
			}
			page, err := s.get(ctx, next)
			if err != nil {
				return n, err
			}
			n += s.storePage(ctx, actor, via, page, origins)
			next = str(page, "next")
			if progress != nil {
				if err := progress(next); err != nil {
					return n, err
				}
			}
		}
	}
	return n, nil
}

// storePage stores the objects of a collection page and returns how many
// were kept. A refused object is logged and skipped, not the whole page.
func (s *Service) storePage(ctx context.Context, actor, via string, page map[string]any, origins map[string]bool) int {
	items, _ := page["orderedItems"].([]any)
	var objs []storage.Remote
	for _, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			continue
		}
		if origin := str(obj, "attributedTo"); origin != "" && origin != actor {
			if hostOf(origin) != s.host && !s.store.Blocked(origin) {
				origins[origin] = true
			}
			continue
		}
		obj["@context"] = page["@context"]
		r, err := s.remoteOf(ctx, actor, obj)
		if err != nil {
			s.log.Warn("backfill: object refused", "actor", actor, "id", str(obj, "id"), "err", err)
			continue
		}
		if r.Place != nil {
			if via != "" {
				s.setVia(r, actor, via)
			}
			objs = append(objs, r)
		}
	}
	put := func(objs ...storage.Remote) error {
		return s.safely("backfilled object", actor, func() error { return s.store.PutRemote("", objs...) })
	}
	if err := put(objs...); err == nil {
		return len(objs)
	}
	kept := 0 // one of them is refused by the store: find it
	for _, r := range objs {
		if err := put(r); err != nil {
			s.log.Warn("backfill: object refused", "actor", actor, "id", r.Place.APID, "err", err)
			continue
		}
		kept++
	}
	return kept
}

// recordBackfill saves the backfill's progress on the following record.
func (s *Service) recordBackfill(actor, next string, done bool) error {
	f, err := s.store.FollowingActor(actor)
	if err != nil {
		return err // unfollowed meanwhile
	}
	f.BackfillNext, f.Backfilled = next, done
	return s.store.PutFollowing(f)
}
