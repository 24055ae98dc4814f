package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"
)

// PoisonedName is the file, next to the database, where the applier sets
// aside the accepted activities whose application panicked: one JSON
// line each, with the activity as the log held it and the panic. Nothing
// reads it back; it is there for the operator (and a bug report).
const PoisonedName = "inbox.poisoned"

// poison is a panic caught while applying changes.
type poison struct {
	value any
	stack []byte
}

// tryApply runs apply, turning a panic into a *poison.
func (s *Store) tryApply(ops []logOp) (retry []logOp, err error, p *poison) {
	defer func() {
		if v := recover(); v != nil {
			retry, err, p = nil, nil, &poison{value: v, stack: debug.Stack()}
		}
	}()
	retry, err = s.apply(ops)
	return retry, err, nil
}

// applySafely is apply, except that no change can stop the process: when
// applying ops panics, they are applied again one at a time (apply skips
// what is already applied), and the one that panics alone is set aside
// (see PoisonedName), its activity id logged, while the others go on.
func (s *Store) applySafely(ops []logOp) (retry []logOp, err error) {
	retry, err, p := s.tryApply(ops)
	if p == nil {
		return retry, err
	}
	if len(ops) > 1 {
		s.log.Error("inbox: applying a batch panicked, applying its activities one by one", "count", len(ops), "panic", p.value)
		for _, op := range ops {
			r, e := s.applySafely([]logOp{op})
			if len(r) > 0 {
				retry, err = append(retry, r...), e
			}
		}
		return retry, err
	}
	s.poisoned(ops[0], p)
	return nil, nil
}

// poisoned logs the activity of op, whose application panicked, and sets
// it aside.
func (s *Store) poisoned(op logOp, p *poison) {
	s.log.Error("inbox: activity set aside: applying it panicked", "activity", op.Activity, "panic", p.value, "file", PoisonedName, "stack", string(p.stack))
	if err := s.setAside(op, p); err != nil {
		s.log.Error("inbox: cannot keep the activity set aside", "activity", op.Activity, "err", err)
	}
}

// setAside appends op and its panic to the file PoisonedName.
func (s *Store) setAside(op logOp, p *poison) error {
	line, err := json.Marshal(struct {
		Time   time.Time `json:"time"`
		Panic  string    `json:"panic"`
		Change logOp     `json:"change"`
	}{s.now().UTC(), fmt.Sprint(p.value), op})
	if err != nil {
		return err
	}
	path := filepath.Join(filepath.Dir(s.db.Path()), PoisonedName)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return errors.Join(err, f.Close())
}

// indexSafely runs fn, which updates the search index for one record;
// a panic leaves that record out of the index, logged, rather than
// stopping the process.
func (s *Store) indexSafely(kind, id string, fn func()) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("index: record left out of the search index: indexing it panicked", "kind", kind, "id", id, "panic", v, "stack", string(debug.Stack()))
		}
	}()
	fn()
}

// safePut wraps put, which indexes one record's entry at start-up, so
// that an entry whose indexing panics is left out of the index, logged,
// rather than stopping every start.
func (s *Store) safePut(kind string, put func(id string, entry []byte) error) func(id string, entry []byte) error {
	return func(id string, entry []byte) (err error) {
		s.indexSafely(kind, id, func() { err = put(id, entry) })
		return err
	}
}

// writeSafely is write, with a panic turned into the batch's error.
func (l *inboxLog) writeSafely(batch []*logAppend, rewind bool) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("write the inbox log: panic: %v", v)
			l.s.log.Error("inbox log: write panicked", "panic", v, "stack", string(debug.Stack()))
		}
	}()
	return l.write(batch, rewind)
}
