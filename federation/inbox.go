package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/go-fed/activity/pub"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// inbox receives activities. Every POST must carry a valid HTTP signature
// of the activity's actor (401 otherwise, so that peers trying another
// signature scheme first fall back to ours). Nothing is changed unless
// the activity is well formed, signed by its actor, about objects of the
// actor's own host, and new.
func (s *Service) inbox(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody), r.ContentLength)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		s.cfg.Observer.Inbox(false, "too_large")
		http.Error(w, "activity too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err != nil {
		s.cfg.Observer.Inbox(false, "unreadable")
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	if s.blockedRequest(r) {
		s.cfg.Observer.Inbox(false, "blocked")
		http.Error(w, "domain blocked", http.StatusForbidden)
		return
	}
	if err := s.store.InboxBusy(); err != nil {
		s.pushBack(w, err) // before the signature's costly check
		return
	}
	wait := time.NewTimer(inboxQueueWait)
	select {
	case s.inboxSlots <- struct{}{}:
		wait.Stop()
		defer func() { <-s.inboxSlots }()
	case <-wait.C:
		s.pushBack(w, &storage.BusyError{RetryAfter: 5 * time.Second, Err: errors.New("too many activities arriving at once")})
		return
	case <-r.Context().Done():
		wait.Stop()
		return
	}
	_, owner, err := Verify(r.Context(), r, body, s.resolveKey, s.now())
	if errors.Is(err, errBusy) {
		s.log.Warn("inbox: key fetch postponed", "remote", r.RemoteAddr, "err", err)
		w.Header().Set("Retry-After", "30")
		s.cfg.Observer.Inbox(false, "busy")
		http.Error(w, "trop de requêtes vers ce serveur, réessayez plus tard", http.StatusServiceUnavailable)
		return
	}
	if err != nil {
		// The detail (fetch errors, DNS answers) is for our log only.
		s.log.Warn("inbox: signature refused", "remote", r.RemoteAddr, "err", err)
		s.cfg.Observer.Inbox(false, "signature")
		http.Error(w, "signature HTTP refusée", http.StatusUnauthorized)
		return
	}
	if err := s.safely("activity", owner, func() error { return s.receive(r.Context(), owner, body) }); err != nil {
		status := statusOf(err)
		if errors.Is(err, storage.ErrDuplicate) {
			s.cfg.Observer.Inbox(true, "duplicate")
			w.WriteHeader(http.StatusAccepted) // already done: a redelivery
			return
		}
		if errors.Is(err, storage.ErrBusy) {
			s.cfg.Observer.Inbox(false, "busy")
			s.pushBack(w, err)
			return
		}
		s.cfg.Observer.Inbox(false, strconv.Itoa(status))
		msg := err.Error()
		switch status {
		case http.StatusInternalServerError:
			s.log.Error("inbox", "actor", owner, "err", err)
			msg = "erreur interne, réessayez plus tard"
		case http.StatusBadGateway:
			// A fetch error says what our resolver saw: keep it in the log.
			s.log.Warn("inbox: activity refused", "actor", owner, "status", status, "err", err)
			msg = "document distant injoignable"
		default:
			s.log.Warn("inbox: activity refused", "actor", owner, "status", status, "err", err)
		}
		http.Error(w, msg, status)
		return
	}
	s.cfg.Observer.Inbox(true, "new")
	w.WriteHeader(http.StatusAccepted)
}

// inboxQueueWait is how long an activity may wait for an inbox slot
// (Service.inboxSlots) before it is pushed back with 503.
const inboxQueueWait = 2 * time.Second

// pushBack answers 503 with Retry-After: the store cannot take the
// activity now (storage.ErrBusy: the applier is behind, or cannot apply,
// say for a full disk). Nothing was accepted; the sender retries.
func (s *Service) pushBack(w http.ResponseWriter, err error) {
	wait := 10 * time.Second
	var busy *storage.BusyError
	if errors.As(err, &busy) && busy.RetryAfter > 0 {
		wait = busy.RetryAfter
	}
	if now, last := time.Now().UnixNano(), s.pushedBack.Load(); now-last > int64(10*time.Second) && s.pushedBack.CompareAndSwap(last, now) {
		s.log.Warn("inbox: activities refused, store busy (logged once every 10 s)", "retry_after", wait, "err", err)
	}
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	http.Error(w, "instance occupée, réessayez plus tard", http.StatusServiceUnavailable)
}

// readBody reads all of r, allocating once when the announced size is
// right (io.ReadAll starts small and grows): a body that announces more
// than 64 KiB gets its memory as it comes.
func readBody(r io.Reader, contentLength int64) ([]byte, error) {
	size := int64(0)
	if contentLength > 0 && contentLength <= 64<<10 {
		size = contentLength
	}
	b := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := b.ReadFrom(r)
	return b.Bytes(), err
}

// receive processes an activity whose signature says it comes from signer.
func (s *Service) receive(ctx context.Context, signer string, body []byte) error {
	if field, bad := catalogue.InvalidUTF8Field(body); bad {
		// encoding/json would replace the bytes silently.
		return httpError(http.StatusBadRequest, "invalid UTF-8 in %s", field)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return httpError(http.StatusBadRequest, "malformed JSON: %v", err)
	}
	// go-fed reads the envelope; an embedded object is read once, later,
	// by whatever handles it (placeFromObject, eventFromObject…).
	t, err := readActivity(ctx, doc)
	if err != nil {
		return httpError(http.StatusBadRequest, "not an activity: %v", err)
	}
	iri, err := pub.GetId(t)
	if err != nil || iri == nil || !iri.IsAbs() {
		return httpError(http.StatusBadRequest, "activity without a usable id")
	}
	id, kind, actor := iri.String(), t.GetTypeName(), str(doc, "actor")
	switch {
	case kind == "" || actor == "":
		return httpError(http.StatusBadRequest, "activity without id, type or actor")
	case actor != signer:
		return httpError(http.StatusUnauthorized, "activity of %s signed by %s", actor, signer)
	case hostOf(id) != hostOf(actor):
		return httpError(http.StatusBadRequest, "activity id %s is not on the actor's host", id)
	}
	// Ids become keys and links: no user names in them (a misleading
	// http://other@peer/…), nothing longer than maxIRI.
	for _, iri := range []string{id, actor, str(doc, "object")} {
		if iri == "" {
			continue
		}
		if err := checkIRI(iri); err != nil {
			return httpError(http.StatusBadRequest, "%v", err)
		}
	}
	if handled, err := s.receiveFeedback(ctx, id, kind, actor, doc); handled {
		return err // replies, likes and boosts of our events (feedback.go)
	}
	switch kind {
	case "Follow":
		return s.onFollow(ctx, id, actor, doc)
	case "Undo":
		return s.onUndo(ctx, id, actor, doc)
	case "Accept", "Reject":
		return s.onAnswer(ctx, id, kind, actor, doc)
	case "Create", "Update":
		return s.onPut(ctx, id, actor, doc)
	case "Delete":
		return s.onDelete(id, actor, doc)
	case "Announce":
		return s.onAnnounce(ctx, id, actor, doc)
	case "Flag":
		return s.onFlag(id, actor, doc)
	}
	return nil // other activities (Like, Flag…) are ignored
}

func (s *Service) onFollow(ctx context.Context, id, actor string, doc map[string]any) error {
	if str(doc, "object") != s.actor {
		return httpError(http.StatusBadRequest, "Follow of someone else")
	}
	a, err := s.fetchActor(ctx, actor, false)
	if err != nil {
		return httpError(http.StatusBadGateway, "cannot fetch follower %s: %v", actor, err)
	}
	if err := s.store.MarkActivity(id); err != nil {
		return err
	}
	f := storage.Follower{Actor: actor, Inbox: a.Inbox, SharedInbox: a.SharedInbox, FollowID: id, State: storage.FollowPending, Since: s.now(), Type: a.Type}
	if !s.cfg.ManualApproval {
		f.State = storage.FollowAccepted
	}
	if err := s.store.PutFollower(f); err != nil {
		return err
	}
	if f.State == storage.FollowAccepted {
		return s.answerFollow(f, "Accept")
	}
	return nil
}

// answerFollow sends Accept or Reject for a follower's Follow.
func (s *Service) answerFollow(f storage.Follower, kind string) error {
	follow := map[string]any{"id": f.FollowID, "type": "Follow", "actor": f.Actor, "object": s.actor}
	a := s.activity(kind, s.newActivityID(), follow, f.Actor)
	body, err := json.Marshal(withContext(a))
	if err != nil {
		return err
	}
	return s.store.Enqueue(f.Inbox, body)
}

// AnswerFollower accepts or rejects a pending follower (manual approval).
func (s *Service) AnswerFollower(actor string, accept bool) (storage.Follower, error) {
	f, err := s.store.Follower(actor)
	if err != nil {
		return f, err
	}
	kind := "Reject"
	f.State = storage.FollowRejected
	if accept {
		f.State, kind = storage.FollowAccepted, "Accept"
	}
	if err := s.store.PutFollower(f); err != nil {
		return f, err
	}
	if !accept {
		defer s.store.DeleteFollower(actor)
	}
	return f, s.answerFollow(f, kind)
}

func (s *Service) onUndo(ctx context.Context, id, actor string, doc map[string]any) error {
	obj, _ := doc["object"].(map[string]any)
	if obj == nil || str(obj, "type") != "Follow" {
		return nil
	}
	if str(obj, "actor") != actor {
		return httpError(http.StatusForbidden, "Undo of another actor's Follow")
	}
	if err := s.store.MarkActivity(id); err != nil {
		return err
	}
	return s.store.DeleteFollower(actor)
}

// onAnswer handles the Accept or Reject of one of our Follows.
func (s *Service) onAnswer(ctx context.Context, id, kind, actor string, doc map[string]any) error {
	f, err := s.store.FollowingActor(actor)
	if errors.Is(err, storage.ErrNotFound) {
		return nil // an answer to nothing we asked
	}
	if err != nil {
		return err
	}
	if followID := str(doc, "object"); followID != f.ID {
		return httpError(http.StatusBadRequest, "%s of an unknown Follow %s", kind, followID)
	}
	if err := s.store.MarkActivity(id); err != nil {
		return err
	}
	f.State = storage.FollowRejected
	if kind == "Accept" {
		f.State = storage.FollowAccepted
	}
	if err := s.store.PutFollowing(f); err != nil {
		return err
	}
	if kind == "Accept" {
		s.startBackfill(actor)
	}
	return nil
}

// network describes a remote actor as the provenance of its records.
func (s *Service) network(ctx context.Context, actor string) catalogue.Network {
	a, err := s.fetchActor(ctx, actor, false)
	name := a.Name
	if err != nil || name == "" {
		name = a.PreferredUsername
	}
	if name == "" {
		name = hostOf(actor)
	}
	return catalogue.Network{Name: name, Actor: actor}
}

// onPut stores a place or event created or updated by a network we follow.
func (s *Service) onPut(ctx context.Context, id, actor string, doc map[string]any) error {
	f, err := s.store.FollowingActor(actor)
	if err != nil || f.State != storage.FollowAccepted {
		return httpError(http.StatusForbidden, "%s is not a network this instance follows", actor)
	}
	obj, _ := doc["object"].(map[string]any)
	if obj == nil {
		return httpError(http.StatusBadRequest, "the object must be embedded")
	}
	obj["@context"] = doc["@context"]
	return s.putObject(ctx, id, actor, obj)
}

// putObject stores a remote Place or Event of actor.
func (s *Service) putObject(ctx context.Context, activityID, actor string, obj map[string]any) error {
	r, err := s.remoteOf(ctx, actor, obj)
	if err != nil || r.Place == nil && r.Event == nil {
		return err
	}
	return s.store.AcceptRemote(activityID, r)
}

// remoteOf reads a Place or an Event (with its place) of actor, checking
// that every id is on the actor's host. Other objects (Notes…) give an
// empty Remote: they are not kept.
func (s *Service) remoteOf(ctx context.Context, actor string, obj map[string]any) (_ storage.Remote, err error) {
	defer s.refuseOnPanic(&err, "object", str(obj, "id"))
	network, home := s.network(ctx, actor), hostOf(actor)
	ctx = context.WithValue(ctx, logKey{}, s.log.With("actor", actor))
	now := s.now()
	switch str(obj, "type") {
	case "Place":
		p, err := placeFromObject(ctx, obj, network)
		if err != nil {
			return storage.Remote{}, httpError(http.StatusBadRequest, "%v", err)
		}
		if err := checkIRI(p.APID); err != nil {
			return storage.Remote{}, httpError(http.StatusBadRequest, "place: %v", err)
		}
		if hostOf(p.APID) != home {
			return storage.Remote{}, httpError(http.StatusForbidden, "place %s is not on the host of %s", p.APID, actor)
		}
		clampUpdated(&p.Updated, now)
		return storage.Remote{Place: p}, nil
	case "Event":
		e, p, err := eventFromObject(ctx, obj, network)
		if err != nil {
			return storage.Remote{}, httpError(http.StatusBadRequest, "%v", err)
		}
		iris := []string{e.APID}
		if p != nil { // nil for an event at a stop that no place runs
			iris = append(iris, p.APID)
		}
		for _, iri := range iris {
			if err := checkIRI(iri); err != nil {
				return storage.Remote{}, httpError(http.StatusBadRequest, "event: %v", err)
			}
			if hostOf(iri) != home {
				return storage.Remote{}, httpError(http.StatusForbidden, "event %s: %s is not on the host of %s", e.APID, iri, actor)
			}
		}
		if p != nil {
			clampUpdated(&p.Updated, now)
		}
		clampUpdated(&e.Updated, now)
		return storage.Remote{Place: p, Event: e}, nil
	}
	return storage.Remote{}, nil
}

func (s *Service) onDelete(id, actor string, doc map[string]any) error {
	object := str(doc, "object")
	if object == "" {
		return httpError(http.StatusBadRequest, "Delete without object")
	}
	if object == actor {
		return s.store.MarkActivity(id) // an account deletion: its records stay until unfollowed
	}
	if hostOf(object) != hostOf(actor) {
		return httpError(http.StatusForbidden, "Delete of %s by %s", object, actor)
	}
	err := s.store.AcceptDelete(id, actor, object)
	if err != nil && !errors.Is(err, storage.ErrDuplicate) {
		return fmt.Errorf("delete %s: %w", object, err)
	}
	return err
}

// clampUpdated brings a remote version time later than its receipt back
// to the receipt: a peer's clock, or a peer, cannot date a record in the
// future to win every later merge.
func clampUpdated(t *time.Time, now time.Time) {
	if t.After(now) {
		*t = now
	}
}
