package storage

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// ErrClosed means the store was closed before a write could run.
var ErrClosed = errors.New("store closed")

// maxGroup caps the functions of one group commit, so that one huge
// transaction does not keep the next writers waiting too long.
const maxGroup = 1000

// committer is a group commit: one goroutine takes every pending write
// function, runs them all in one transaction (one disk sync), answers
// them all, then at once takes whatever arrived during that commit. A
// lone write commits without waiting for company; under load the groups
// grow by themselves, since the writers who arrive during one commit all
// share the next.
//
// As with bbolt's DB.Batch, a function that fails does not fail the
// others: the transaction is rolled back, the rest of the group runs
// again without it, and then it runs alone, in its own transaction, whose
// result is its answer. Functions may therefore run more than once, and
// must give the same result each time they start from the same state.
// Each failure reruns the rest of its group; groups are as large as the
// number of writers waiting, so this stays cheap.
type committer struct {
	db *bolt.DB

	mu      sync.Mutex
	first   []*write // single writes (do): they go in the next group first
	pending []*write // writes of doAll (the inbox's applier), in order
	closed  bool

	wake chan struct{} // buffered: there is work, or the store closes
	done chan struct{} // closed when run returns
}

// write is one function waiting for its commit, and its answer.
type write struct {
	fn     func(tx *bolt.Tx) error
	after  func()     // run once fn is committed, in commit order; or nil
	answer chan error // buffered
}

func newCommitter(db *bolt.DB) *committer {
	c := &committer{db: db, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go c.run()
	return c
}

// do runs fn in a transaction shared with the other pending writes and
// returns fn's error, or the commit's. It fails with ErrClosed once the
// committer is closed. A panic in fn is raised again here, in the
// caller's goroutine.
//
// A single write goes into the next group ahead of those of doAll, so
// that an API write does not queue behind the inbox's backlog.
func (c *committer) do(fn func(tx *bolt.Tx) error) error {
	return c.doThen(fn, nil)
}

// doThen is do, and then after, once fn is committed: in the committer's
// goroutine, before the next group commits, so that the afters of
// successive commits run in commit order. A panic in after comes back as
// do's.
func (c *committer) doThen(fn func(tx *bolt.Tx) error, after func()) error {
	w := &write{fn: fn, after: after, answer: make(chan error, 1)}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.first = append(c.first, w)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default: // already signalled
	}
	err := <-w.answer
	var p *panicError
	if errors.As(err, &p) {
		panic(p)
	}
	return err
}

// doAll runs every function of fns as do does, all queued at once so
// that they share as few transactions as possible, and returns their
// errors in order. A panic comes back as an error (a *panicError).
func (c *committer) doAll(fns []func(tx *bolt.Tx) error) []error {
	ws := make([]*write, len(fns))
	for i, fn := range fns {
		ws[i] = &write{fn: fn, answer: make(chan error, 1)}
	}
	errs := make([]error, len(fns))
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		for i := range errs {
			errs[i] = ErrClosed
		}
		return errs
	}
	c.pending = append(c.pending, ws...)
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	for i, w := range ws {
		errs[i] = <-w.answer
	}
	return errs
}

// close stops the committer: the group being committed finishes, writes
// still waiting get ErrClosed, and so does every later do. It returns
// once the goroutine has stopped; closing twice is harmless.
func (c *committer) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
	<-c.done
}

func (c *committer) run() {
	defer close(c.done)
	for range c.wake {
		for {
			c.mu.Lock()
			if c.closed {
				pending := append(c.first, c.pending...)
				c.first, c.pending = nil, nil
				c.mu.Unlock()
				for _, w := range pending {
					w.answer <- ErrClosed
				}
				return
			}
			group := c.first
			c.first = nil
			n := min(len(c.pending), max(maxGroup-len(group), 0))
			group = append(group, c.pending[:n]...)
			c.pending = c.pending[n:]
			if len(c.pending) == 0 {
				c.pending = nil
			}
			c.mu.Unlock()
			if len(group) == 0 {
				break
			}
			c.commit(group)
		}
	}
}

// commit runs group in one transaction, setting aside and then running
// alone each function that fails.
func (c *committer) commit(group []*write) {
	var failed []*write
	for len(group) > 0 {
		bad := -1
		err := c.db.Update(func(tx *bolt.Tx) error {
			for i, w := range group {
				if err := call(w.fn, tx); err != nil {
					bad = i
					return err
				}
			}
			return nil
		})
		if bad >= 0 {
			failed = append(failed, group[bad])
			group = append(group[:bad], group[bad+1:]...)
			continue
		}
		for _, w := range group {
			if err == nil {
				w.answer <- callAfter(w.after)
			} else {
				w.answer <- err // the commit's own error
			}
		}
		break
	}
	for _, w := range failed {
		err := c.db.Update(func(tx *bolt.Tx) error { return call(w.fn, tx) })
		if err == nil {
			err = callAfter(w.after)
		}
		w.answer <- err
	}
}

// callAfter runs after, when set, turning a panic into a *panicError.
func callAfter(after func()) (err error) {
	if after == nil {
		return nil
	}
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	after()
	return nil
}

// panicError carries a panic of a write function back to its caller.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("panic in a grouped write: %v\n\n%s", p.value, p.stack)
}

// Unwrap returns the panic's value when it is an error.
func (p *panicError) Unwrap() error {
	err, _ := p.value.(error)
	return err
}

// call runs fn, turning a panic into a *panicError.
func call(fn func(tx *bolt.Tx) error, tx *bolt.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return fn(tx)
}
