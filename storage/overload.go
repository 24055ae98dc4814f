package storage

import (
	"errors"
	"fmt"
	"syscall"
	"time"
)

// ErrDiskFull means a write failed for want of disk space (ENOSPC): the
// API answers 507, the inbox 503 with Retry-After. Nothing was changed.
var ErrDiskFull = errors.New("disque plein")

// ErrBusy means the inbox cannot take an activity now: the applier is
// too far behind, cannot apply what it holds (a full disk, say), or the
// log is full. Errors wrapping it are *BusyError values, which say when
// to try again. Nothing was accepted: the sender keeps the activity and
// retries, as ActivityPub senders do after a 503.
var ErrBusy = errors.New("inbox busy")

// BusyError is an ErrBusy refusal and its reason.
type BusyError struct {
	RetryAfter time.Duration // a sensible wait before the next try
	Err        error         // why
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("inbox busy, retry in %v: %v", e.RetryAfter, e.Err)
}

// Is makes errors.Is(err, ErrBusy) true.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Unwrap returns the reason, which may wrap ErrDiskFull.
func (e *BusyError) Unwrap() error { return e.Err }

// diskFull wraps err with ErrDiskFull when it comes from a full disk.
func diskFull(err error) error {
	if err != nil && errors.Is(err, syscall.ENOSPC) && !errors.Is(err, ErrDiskFull) {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return err
}

const (
	// maxLag is the applier lag past which the inbox refuses new
	// activities (ErrBusy): a flood is pushed back to the senders, who
	// retry later, rather than growing a backlog that delays everything.
	maxLag = 2 * time.Second
	// logFullWait bounds how long the log writer waits for the applier
	// to free space in a full log before refusing what waits to be
	// written.
	logFullWait = 5 * time.Second
	// applyMax caps the changes of one applier transaction: a shorter
	// commit keeps the API writes that share it (see committer.do) fast
	// during a flood, and 250 changes every commit still apply far more
	// than the inbox takes.
	applyMax = 250
)

// ApplierLag is how long the oldest accepted activity not yet applied
// has been waiting; zero when the applier is up to date.
func (s *Store) ApplierLag() time.Duration {
	if s.inbox == nil {
		return 0
	}
	s.inbox.mu.Lock()
	defer s.inbox.mu.Unlock()
	return s.inbox.lag(time.Now())
}

// InboxBusy returns the *BusyError AcceptRemote and AcceptDelete would
// return now for want of capacity, or nil: the inbox calls it before the
// signature's costly check, to push a flood back cheaply.
func (s *Store) InboxBusy() error {
	if s.inbox == nil {
		return nil
	}
	s.inbox.mu.Lock()
	defer s.inbox.mu.Unlock()
	return s.inbox.busy(time.Now())
}

// logMark says when the changes up to upto (counted since Open) were
// made durable.
type logMark struct {
	upto uint64
	at   time.Time
}

// lag is how long the oldest change not applied has waited. l.mu is held.
func (l *inboxLog) lag(now time.Time) time.Duration {
	if len(l.marks) == 0 {
		return 0
	}
	return now.Sub(l.marks[0].at)
}

// trimMarks forgets the marks of writes wholly applied. l.mu is held.
func (l *inboxLog) trimMarks() {
	i := 0
	for i < len(l.marks) && l.marks[i].upto <= l.applied {
		i++
	}
	l.marks = l.marks[i:]
	if len(l.marks) == 0 {
		l.marks = nil
	}
}

// setStuck records why the applier cannot apply: until it can, new
// activities are refused.
func (l *inboxLog) setStuck(err error) {
	l.mu.Lock()
	l.stuck = err
	l.mu.Unlock()
}

// busy returns why a new activity cannot be taken now, or nil. l.mu is
// held.
func (l *inboxLog) busy(now time.Time) error {
	switch {
	case l.stuck != nil:
		return &BusyError{RetryAfter: time.Minute, Err: fmt.Errorf("accepted activities cannot be applied: %w", l.stuck)}
	case l.full:
		return &BusyError{RetryAfter: 10 * time.Second, Err: errors.New("the inbox log is full")}
	}
	if lag := l.lag(now); lag > maxLag {
		return &BusyError{RetryAfter: 5 * time.Second, Err: fmt.Errorf("the applier is %v behind", lag.Round(time.Millisecond))}
	}
	return nil
}

// waitForSpace waits, for logFullWait at most, until everything written
// is applied, so that the next write can start again at the beginning of
// the log. It reports whether it is. l.mu is held; new activities are
// refused meanwhile.
func (l *inboxLog) waitForSpace() bool {
	l.full = true
	defer func() { l.full = false }()
	deadline := time.Now().Add(logFullWait)
	t := time.AfterFunc(logFullWait, func() {
		l.mu.Lock()
		l.progress.Broadcast()
		l.mu.Unlock()
	})
	defer t.Stop()
	for l.applied < l.written && time.Now().Before(deadline) {
		l.hurryApplier()
		l.progress.Wait()
	}
	return l.applied == l.written
}
