package federation

import (
	"context"
	"encoding/hex"
	"net/http"
	"runtime/debug"

	"github.com/maillage/maillage/storage"
)

// No document a peer sends may stop the process: every background
// goroutine (delivery, backfill) and the handling of each received
// document turn a panic into a logged refusal of that one item, and go on.

// refuseOnPanic, deferred, turns a panic into *err: a refusal of the
// item (what, id) whose detail and stack go to the log, never to the peer.
func (s *Service) refuseOnPanic(err *error, what, id string) {
	if v := recover(); v != nil {
		s.log.Error("federation: "+what+" refused: handling it panicked", "id", id, "panic", v, "stack", string(debug.Stack()))
		*err = httpError(http.StatusBadRequest, "%s refused: unreadable", what)
	}
}

// safely runs fn, turning a panic into a refusal (see refuseOnPanic).
func (s *Service) safely(what, id string, fn func() error) (err error) {
	defer s.refuseOnPanic(&err, what, id)
	return fn()
}

// deliverSafely delivers d; when that panics, the delivery is set aside
// (removed from the queue, its key and inbox logged) and the others go on.
func (s *Service) deliverSafely(ctx context.Context, d storage.Delivery) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("delivery set aside: sending it panicked", "key", hex.EncodeToString(d.Key), "inbox", d.Inbox, "panic", v, "stack", string(debug.Stack()))
			s.finish(d)
		}
	}()
	s.deliver(ctx, d)
}

// background runs fn, logging a panic instead of letting it stop the
// process; for the body of a background goroutine.
func (s *Service) background(what string, fn func()) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("federation: "+what+" stopped: it panicked", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	fn()
}
