package storage

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestFullLogRefusesInsteadOfHanging: while the applier cannot run (its
// commit held), the log fills up; the inbox then refuses with ErrBusy
// within logFullWait instead of waiting for ever, and every activity
// acknowledged before is applied once the applier runs again.
func TestFullLogRefusesInsteadOfHanging(t *testing.T) {
	s, _ := openTestStore(t)
	release := blockCommits(s)
	accepted := 0
	var refusal error
	done := make(chan struct{})
	go func() {
		defer close(done)
		for n := 1; n <= 200; n++ {
			p := remotePlace(varActor, fmt.Sprintf("https://var.example/lieux/%d", n), fmt.Sprintf("EPN %d", n))
			p.PresentationDetail = strings.Repeat("x", 50<<10)
			if refusal = s.AcceptRemote(fmt.Sprintf("https://var.example/activities/%d", n), Remote{Place: p}); refusal != nil {
				return
			}
			accepted++
		}
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the inbox still waits for space in its log after 30 s")
	}
	if !errors.Is(refusal, ErrBusy) {
		t.Fatalf("accepting into a full log: %v; want ErrBusy", refusal)
	}
	if accepted == 0 || accepted*50<<10 > logSpace {
		t.Errorf("%d activities of 50 KB accepted in a log of %d bytes", accepted, logSpace)
	}
	release()
	s.Settle()
	if n := remoteCount(t, s); n != accepted {
		t.Errorf("%d places applied; want the %d accepted", n, accepted)
	}
	if s.ApplierLag() != 0 {
		t.Errorf("ApplierLag = %v once settled; want 0", s.ApplierLag())
	}
}

// TestLaggingApplierPushesBack: once the oldest activity waiting is more
// than maxLag old, new ones are refused with ErrBusy.
func TestLaggingApplierPushesBack(t *testing.T) {
	s, _ := openTestStore(t)
	release := blockCommits(s)
	acceptPlace(t, s, 1)
	if err := s.InboxBusy(); err != nil {
		t.Fatalf("InboxBusy at once: %v", err)
	}
	s.inbox.mu.Lock()
	s.inbox.marks[0].at = s.inbox.marks[0].at.Add(-maxLag - time.Second) // as if written 3 s ago
	s.inbox.mu.Unlock()
	if lag := s.ApplierLag(); lag <= maxLag {
		t.Errorf("ApplierLag = %v; want more than %v", lag, maxLag)
	}
	p := remotePlace(varActor, "https://var.example/lieux/2", "EPN 2")
	if err := s.AcceptRemote("https://var.example/activities/2", Remote{Place: p}); !errors.Is(err, ErrBusy) {
		t.Errorf("AcceptRemote behind a lagging applier: %v; want ErrBusy", err)
	}
	if err := s.AcceptDelete("https://var.example/activities/3", varActor, p.APID); !errors.Is(err, ErrBusy) {
		t.Errorf("AcceptDelete behind a lagging applier: %v; want ErrBusy", err)
	}
	release()
	s.Settle()
	if err := s.InboxBusy(); err != nil {
		t.Errorf("InboxBusy once settled: %v", err)
	}
}
