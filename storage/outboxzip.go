package storage

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// Outbox activities are kept compressed: each is a few kilobytes of JSON,
// most of it the same from one activity to the next (the JSON-LD context,
// the shape of a place). Each is deflated on its own, with the first
// activity the store ever kept as the preset dictionary (stored in the
// meta bucket), so that the common part costs almost nothing: 4.4 kB
// become about 0.65 kB. A value starting with '{' is plain JSON (written
// before schema version 5, or by MoveURL).

var keyOutboxDict = []byte("outbox_dict")

// outboxDeflated marks a compressed outbox value.
const outboxDeflated = 0x01

// outboxCodec compresses and decompresses with one dictionary.
type outboxCodec struct {
	dict    []byte
	writers sync.Pool // *flate.Writer with dict
	readers sync.Pool // io.ReadCloser (flate.Resetter)
}

// codecs keeps the codec of the store's dictionary.
type codecs struct {
	mu  sync.Mutex
	cur *outboxCodec
}

// get returns the codec of dict, made once.
func (c *codecs) get(dict []byte) *outboxCodec {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil || !bytes.Equal(c.cur.dict, dict) {
		c.cur = &outboxCodec{dict: append([]byte(nil), dict...)}
	}
	return c.cur
}

// outboxCodecOf returns the codec of the dictionary stored in tx, storing
// first as the dictionary when there is none yet (in tx: a rolled back
// transaction leaves no dictionary behind).
func (s *Store) outboxCodecOf(tx *bolt.Tx, first []byte) (*outboxCodec, error) {
	meta := tx.Bucket(bucketMeta)
	dict := meta.Get(keyOutboxDict)
	if dict == nil {
		dict = first[:min(len(first), 32<<10)]
		if err := meta.Put(keyOutboxDict, dict); err != nil {
			return nil, err
		}
	}
	return s.codecs.get(dict), nil
}

// deflate returns the stored form of an activity.
func (c *outboxCodec) deflate(activity []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte(outboxDeflated)
	w, _ := c.writers.Get().(*flate.Writer)
	if w == nil {
		var err error
		if w, err = flate.NewWriterDict(&buf, flate.DefaultCompression, c.dict); err != nil {
			return nil, err
		}
	} else {
		w.Reset(&buf)
	}
	defer c.writers.Put(w)
	if _, err := w.Write(activity); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inflate returns the activity of a stored value, in new memory.
func (c *outboxCodec) inflate(v []byte) ([]byte, error) {
	src := bytes.NewReader(v[1:])
	r, _ := c.readers.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReaderDict(src, c.dict)
	} else if err := r.(flate.Resetter).Reset(src, c.dict); err != nil {
		return nil, err
	}
	defer c.readers.Put(r)
	return io.ReadAll(r)
}

// outboxActivity returns the JSON activity of an outbox value read in tx,
// in new memory.
func (s *Store) outboxActivity(tx *bolt.Tx, v []byte) ([]byte, error) {
	if len(v) == 0 || v[0] != outboxDeflated {
		return append([]byte(nil), v...), nil
	}
	dict := tx.Bucket(bucketMeta).Get(keyOutboxDict)
	if dict == nil {
		return nil, fmt.Errorf("compressed outbox activity without a dictionary")
	}
	return s.codecs.get(dict).inflate(v)
}

// inflateOutbox rewrites every outbox activity as plain JSON and forgets
// the dictionary, in tx: MoveURL then rewrites them like any value.
func (s *Store) inflateOutbox(tx *bolt.Tx) error {
	b := tx.Bucket(bucketOutbox)
	type kv struct{ k, v []byte }
	var plain []kv
	err := b.ForEach(func(k, v []byte) error {
		if len(v) == 0 || v[0] != outboxDeflated {
			return nil
		}
		a, err := s.outboxActivity(tx, v)
		if err != nil {
			return fmt.Errorf("outbox %s: %w", k, err)
		}
		plain = append(plain, kv{append([]byte(nil), k...), a})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range plain {
		if err := b.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Delete(keyOutboxDict)
}
