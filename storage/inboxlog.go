package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/maillage/maillage/catalogue"
)

// InboxLogName is the file, next to the database, where accepted
// activities wait to be applied.
const InboxLogName = "inbox.log"

const (
	// logSpace is the size of the log: Open fills it with zeros, so that
	// writes overwrite blocks the file system already holds and their
	// sync flushes data only, not the file's size (a third less time
	// here than a sync after an append). A write that would go past it
	// waits for the applier to catch up, then starts again from the
	// beginning.
	logSpace = 2 << 20
	// frameHeader is a frame's length, CRC-32C (of the sequence number
	// and the payload) and sequence number, little-endian.
	frameHeader = 16
	// gatherWait is how long the writer lets appends gather before a
	// write, unless gatherFull are already waiting.
	gatherWait = time.Millisecond
	gatherFull = 16
	// applyEvery spaces the applier's transactions, so that each carries
	// many changes: under load, one every 50 ms rather than one per
	// commit time. Settle and the other writes cut the wait short.
	applyEvery = 50 * time.Millisecond
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// The inbox log lets the inbox answer as soon as an activity is durable,
// without waiting for the commit that applies it: AcceptRemote and
// AcceptDelete write the change to a plain file, one write and one sync
// shared by every activity arriving meanwhile (a bbolt commit costs two
// syncs and much more CPU), and return. A background applier runs the
// changes in order, many to a transaction, through the group commit.
//
// Every write through the store's other methods first waits until the
// activities accepted before it are applied (settle), so that, say, an
// unfollow cannot be overtaken by an activity of the network it removes.
// Reads do not wait: an accepted activity becomes visible a few
// milliseconds later; Settle waits for it.
//
// A crash loses nothing accepted: Open applies the log again before
// anything else. Applying is idempotent, as every change carries its
// activity id and processed ids are kept (bucketActivities): the changes
// already applied are skipped. A torn last frame (a write the crash cut,
// which no caller was told had succeeded) ends the log.
//
// The file is not truncated as it empties: once everything written is
// applied, the next write starts again at its beginning, over frames
// applied before; a write that would go past logSpace waits for that.
// Frames carry consecutive sequence numbers, so the older ones past the
// last write end the log as a torn frame would. Open (after applying)
// and Close empty it for good.
type inboxLog struct {
	s *Store
	f *os.File

	mu       sync.Mutex
	toWrite  sync.Cond // appends are waiting, or closing
	toApply  sync.Cond // durable changes are ready, or the writer stopped
	progress sync.Cond // applied moved

	size    int64        // where the next write goes; the writer's
	seq     uint64       // the next frame's sequence number; the writer's
	waiting []*logAppend // to write next
	ready   []logOp      // durable, to apply, in order
	written uint64       // changes made durable, since Open
	applied uint64       // changes applied (or dropped), since Open
	closing bool
	stopped bool      // the writer returned
	failed  bool      // a change could not be applied: keep the log for the next start
	marks   []logMark // when each write not yet fully applied was made durable (overload.go)
	stuck   error     // why the applier cannot apply, while it retries
	full    bool      // the writer waits for space in the log
	done    chan struct{}
	hurry   chan struct{} // buffered: someone waits for the applier
}

// logOp is the change an accepted activity makes, as the log keeps it.
type logOp struct {
	Activity string   `json:"activity"`
	Remotes  []Remote `json:"remotes,omitempty"` // Create, Update
	Actor    string   `json:"actor,omitempty"`   // Delete
	Object   string   `json:"object,omitempty"`  // Delete
}

// write returns the change's transaction function.
func (op *logOp) write(s *Store) func(tx *bolt.Tx, t *touched) error {
	if op.Remotes != nil {
		return s.putRemote(op.Activity, op.Remotes)
	}
	return s.deleteRemote(op.Activity, op.Actor, op.Object)
}

// logAppend is one change waiting to be written, and its answer.
type logAppend struct {
	op     logOp
	frame  []byte
	answer chan error
}

// openInboxLog opens the log in dir, applies what it holds, empties it,
// and starts the writer and the applier.
func (s *Store) openInboxLog(dir string) (*inboxLog, error) {
	path := filepath.Join(dir, InboxLogName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	ops, err := readLog(f)
	if errors.Is(err, ErrCorrupt) {
		f.Close()
		return nil, err // names the file already
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	for start := 0; start < len(ops); start += maxGroup {
		chunk := ops[start:min(start+maxGroup, len(ops))]
		if retry, err := s.applySafely(chunk); len(retry) > 0 {
			f.Close()
			return nil, fmt.Errorf("apply %s: %w", path, err)
		}
	}
	if len(ops) > 0 {
		s.log.Info("inbox: activities accepted before the last stop applied", "count", len(ops))
	}
	if err := prepareLog(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("empty %s: %w", path, err)
	}
	l := &inboxLog{s: s, f: f, seq: 1, done: make(chan struct{}), hurry: make(chan struct{}, 1)}
	l.toWrite.L, l.toApply.L, l.progress.L = &l.mu, &l.mu, &l.mu
	go l.writer()
	go l.applier()
	return l, nil
}

// prepareLog empties f and fills logSpace bytes of it with zeros.
func prepareLog(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(make([]byte, logSpace), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readLog returns the changes in the log, up to its end (see logScan),
// or a *CorruptError when valid frames follow a damaged one.
func readLog(f *os.File) ([]logOp, error) {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<62))
	if err != nil {
		return nil, err
	}
	sc := scanLog(data)
	if err := sc.corruption(f.Name()); err != nil {
		return nil, err
	}
	return sc.ops, nil
}

// append makes op durable and hands it to the applier. It returns once
// op is on disk, or with the write's error (then op is not applied).
func (l *inboxLog) append(op logOp) error {
	payload, err := json.Marshal(op)
	if err != nil {
		return err
	}
	frame := make([]byte, frameHeader, frameHeader+len(payload))
	binary.LittleEndian.PutUint32(frame, uint32(len(payload)))
	// The writer fills in the sequence number and the CRC.
	a := &logAppend{op: op, frame: append(frame, payload...), answer: make(chan error, 1)}
	l.mu.Lock()
	if l.closing {
		l.mu.Unlock()
		return ErrClosed
	}
	if err := l.busy(time.Now()); err != nil {
		l.mu.Unlock()
		return err
	}
	l.waiting = append(l.waiting, a)
	l.toWrite.Signal()
	l.mu.Unlock()
	return <-a.answer
}

// writer writes what is waiting, all at once, syncs, and answers.
func (l *inboxLog) writer() {
	for {
		l.mu.Lock()
		for len(l.waiting) == 0 && !l.closing {
			l.toWrite.Wait()
		}
		if len(l.waiting) < gatherFull && !l.closing {
			// A sync costs ~0.2 ms of CPU here, whatever it carries:
			// let a few more activities arrive and share it.
			l.mu.Unlock()
			time.Sleep(gatherWait)
			l.mu.Lock()
		}
		batch := l.waiting
		l.waiting = nil
		if len(batch) == 0 {
			l.stopped = true
			l.toApply.Signal()
			l.mu.Unlock()
			return
		}
		if l.size > 0 && l.size+int64(frameBytes(batch)) > logSpace && !l.waitForSpace() {
			l.mu.Unlock()
			l.s.log.Warn("inbox log full: activities refused", "count", len(batch))
			for _, a := range batch {
				a.answer <- &BusyError{RetryAfter: 10 * time.Second, Err: errors.New("the inbox log is full")}
			}
			continue
		}
		rewind := l.applied == l.written && !l.failed
		l.mu.Unlock()

		err := l.writeSafely(batch, rewind)

		l.mu.Lock()
		if err == nil {
			for _, a := range batch {
				l.ready = append(l.ready, a.op)
			}
			l.written += uint64(len(batch))
			l.marks = append(l.marks, logMark{upto: l.written, at: time.Now()})
			l.toApply.Signal()
		}
		l.mu.Unlock()
		if err != nil {
			l.s.log.Error("inbox log: write failed", "err", err)
			err = &BusyError{RetryAfter: time.Minute, Err: diskFull(err)}
		}
		for _, a := range batch {
			a.answer <- err
		}
	}
}

func frameBytes(batch []*logAppend) int {
	n := 0
	for _, a := range batch {
		n += len(a.frame)
	}
	return n
}

// write writes batch's frames after the last ones, or at the beginning
// of the file when rewind is set (everything written is applied), and
// syncs them.
func (l *inboxLog) write(batch []*logAppend, rewind bool) error {
	if rewind {
		l.size = 0
	}
	seq := l.seq
	var buf []byte
	for _, a := range batch {
		binary.LittleEndian.PutUint64(a.frame[8:], seq)
		binary.LittleEndian.PutUint32(a.frame[4:], crc32.Checksum(a.frame[8:], castagnoli))
		seq++
		if len(batch) == 1 {
			buf = a.frame
		} else {
			buf = append(buf, a.frame...)
		}
	}
	if _, err := l.f.WriteAt(buf, l.size); err != nil {
		return fmt.Errorf("write the inbox log: %w", err)
	}
	if err := syncData(l.f); err != nil {
		return fmt.Errorf("sync the inbox log: %w", err)
	}
	l.size += int64(len(buf))
	l.seq = seq
	return nil
}

// applier applies the durable changes in order, up to applyMax at a time.
func (l *inboxLog) applier() {
	defer close(l.done)
	wait := time.Second
	next := time.Now()
	for {
		l.sleep(time.Until(next))
		next = time.Now().Add(applyEvery)
		l.mu.Lock()
		for len(l.ready) == 0 && !l.stopped {
			l.toApply.Wait()
		}
		if len(l.ready) == 0 {
			l.mu.Unlock()
			return
		}
		n := min(len(l.ready), applyMax)
		ops := l.ready[:n:n]
		l.ready = l.ready[n:]
		if len(l.ready) == 0 {
			l.ready = nil
		}
		l.mu.Unlock()

		retry, err := l.s.applySafely(ops)
		for len(retry) > 0 {
			l.mu.Lock()
			closing := l.closing
			l.failed = l.failed || closing
			l.mu.Unlock()
			if closing {
				l.s.log.Error("inbox: changes left in the log for the next start", "count", len(retry), "err", err)
				break
			}
			l.s.log.Error("inbox: cannot apply accepted activities, retrying", "count", len(retry), "in", wait, "err", err)
			l.setStuck(diskFull(err))
			l.sleep(wait)
			wait = min(2*wait, time.Minute)
			retry, err = l.s.applySafely(retry)
		}
		wait = time.Second

		l.mu.Lock()
		l.applied += uint64(n)
		l.stuck = nil
		l.trimMarks()
		l.progress.Broadcast()
		l.mu.Unlock()
	}
}

// sleep waits for d, or less if someone hurries the applier.
func (l *inboxLog) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-l.hurry:
	}
}

// hurryApplier cuts the applier's wait short: someone waits for it.
func (l *inboxLog) hurryApplier() {
	select {
	case l.hurry <- struct{}{}:
	default: // already hurried
	}
}

// settle waits until every change made durable so far is applied.
func (l *inboxLog) settle() {
	if l == nil {
		return
	}
	l.mu.Lock()
	for target := l.written; l.applied < target; {
		l.hurryApplier()
		l.progress.Wait()
	}
	l.mu.Unlock()
}

// close stops accepting, writes and applies what was accepted, and
// empties the log unless a change could not be applied.
func (l *inboxLog) close() error {
	l.mu.Lock()
	l.closing = true
	l.toWrite.Signal()
	l.mu.Unlock()
	l.hurryApplier()
	<-l.done
	var err error
	if !l.failed {
		err = l.f.Truncate(0)
	}
	return errors.Join(err, l.f.Close())
}

// dropped is the error of a change the applier gave up: the same change
// from the same state would fail again.
type dropped struct{ err error }

func (d *dropped) Error() string { return d.err.Error() }
func (d *dropped) Unwrap() error { return d.err }

// apply runs ops, in order, sharing as few transactions as possible. A
// change already applied (its activity id is known) is skipped; one that
// fails is dropped and logged (a record of another network, say, that
// the check at acceptance could not see yet). It returns the changes a
// failed commit left unapplied, with that failure.
func (s *Store) apply(ops []logOp) (retry []logOp, err error) {
	ts := make([]touched, len(ops))
	fns := make([]func(tx *bolt.Tx) error, len(ops))
	for i := range ops {
		op := &ops[i]
		write := op.write(s)
		fns[i] = func(tx *bolt.Tx) error {
			ts[i] = touched{}
			if tx.Bucket(bucketActivities).Get([]byte(op.Activity)) != nil {
				return nil // applied before a crash, or received twice
			}
			if err := write(tx, &ts[i]); err != nil {
				return &dropped{err}
			}
			return nil
		}
	}
	for i, e := range s.group.doAll(fns) {
		var d *dropped
		var p *panicError
		switch {
		case e == nil:
		case errors.As(e, &p):
			s.poisoned(ops[i], &poison{value: p.value, stack: p.stack})
		case errors.As(e, &d):
			s.log.Warn("inbox: activity dropped", "activity", ops[i].Activity, "err", e)
		default:
			retry, err = append(retry, ops[i]), e
		}
	}
	if ierr := s.reindex(ts...); ierr != nil && err == nil {
		s.log.Error("inbox: index update", "err", ierr)
	}
	s.wake()
	return retry, err
}

// AcceptRemote is PutRemote for the inbox: it checks what it can at once
// (ErrDuplicate for an activity processed before; ErrForbidden for an
// ap_id that is local, or another network's, or of another kind), makes
// the change durable, and returns; the change is applied moments later
// (see inboxLog). A refusal the check could not foresee is logged then.
func (s *Store) AcceptRemote(activityID string, objs ...Remote) error {
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := checkNew(tx, activityID); err != nil {
			return err
		}
		for _, o := range objs {
			if o.Place != nil {
				if err := checkOwner(tx, kindPlace, o.Place.APID, o.Place.Network.Actor); err != nil {
					return err
				}
			}
			if o.Event != nil {
				if err := checkOwner(tx, kindEvent, o.Event.APID, o.Event.Network.Actor); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store remote record: %w", err)
	}
	return s.inbox.append(logOp{Activity: activityID, Remotes: objs})
}

// AcceptDelete is DeleteRemote for the inbox, as AcceptRemote is
// PutRemote.
func (s *Store) AcceptDelete(activityID, actor, apID string) error {
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := checkNew(tx, activityID); err != nil {
			return err
		}
		v := tx.Bucket(bucketObjects).Get([]byte(apID))
		if len(v) == 0 {
			return nil // unknown here: nothing to refuse
		}
		return checkOwner(tx, v[0], apID, actor)
	})
	if err != nil {
		return fmt.Errorf("delete remote record: %w", err)
	}
	return s.inbox.append(logOp{Activity: activityID, Actor: actor, Object: apID})
}

// Settle waits until every activity accepted so far is applied, so that
// reads see it.
func (s *Store) Settle() { s.inbox.settle() }

// checkNew fails with ErrDuplicate when activityID was processed.
func checkNew(tx *bolt.Tx, activityID string) error {
	if activityID != "" && tx.Bucket(bucketActivities).Get([]byte(activityID)) != nil {
		return fmt.Errorf("%s: %w", activityID, ErrDuplicate)
	}
	return nil
}

// checkOwner fails with ErrForbidden when apID is known here as a record
// of another kind, a local record, or a record of another actor.
func checkOwner(tx *bolt.Tx, kind byte, apID, actor string) error {
	v := tx.Bucket(bucketObjects).Get([]byte(apID))
	switch {
	case len(v) == 0:
		return nil
	case v[0] != kind:
		return fmt.Errorf("%s is another kind of object: %w", apID, ErrForbidden)
	}
	var n *catalogue.Network
	if kind == kindPlace {
		p, err := getPlace(tx, string(v[1:]))
		if err != nil {
			return err
		}
		n = &p.Network
	} else {
		e, err := getEvent(tx, string(v[1:]))
		if err != nil {
			return err
		}
		n = &e.Network
	}
	if n.Local || n.Actor != actor {
		return fmt.Errorf("%s: %w", apID, ErrForbidden)
	}
	return nil
}
