package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// What comes back from the fediverse: replies to our events, kept as
// messages for the editors (never published), and likes and boosts,
// counted per event. Both buckets are created by their first write, not
// by Open, so the schema version is unchanged.
var (
	bucketMessages  = []byte("messages")  // messageKey → JSON Message; 'n' + note IRI → id; 'a' + answer IRI → id
	bucketReactions = []byte("reactions") // object IRI + " " + kind + " " + activity IRI → actor IRI; 'r' + activity IRI → the key
)

// Message is a remote user's reply to one of our events, or a note that
// mentions the network: something the editors should read and may answer.
type Message struct {
	ID        string    `json:"id"`
	NoteID    string    `json:"note_id"` // the remote Note's IRI
	Actor     string    `json:"actor"`   // who wrote it
	Handle    string    `json:"handle"`  // "@carol@social.example", for the answer's mention
	Inbox     string    `json:"inbox"`   // where the answer goes
	InReplyTo string    `json:"in_reply_to,omitempty"`
	Content   string    `json:"content"` // sanitised HTML
	URL       string    `json:"url,omitempty"`
	Received  time.Time `json:"received"`
	Answers   []Answer  `json:"answers,omitempty"`
}

// Answer is the editors' reply to a message, sent as a Note.
type Answer struct {
	NoteID string    `json:"note_id"`
	Text   string    `json:"text"`
	HTML   string    `json:"html"`
	Sent   time.Time `json:"sent"`
}

// messageKey orders messages by arrival: received time, then a sequence
// number (two within the same instant), then the id.
func messageKey(received time.Time, seq uint64, id string) []byte {
	return fmt.Appendf(nil, "m%s/%016x/%s", received.UTC().Format("20060102T150405.000000000Z"), seq, id)
}

// PutMessage keeps a received message under the activity activityID. A
// note already kept (a redelivery, or an Update of it) changes its
// content only. It sets m.ID and m.Received.
func (s *Store) PutMessage(activityID string, m *Message) error {
	err := s.update(func(tx *bolt.Tx) error {
		if err := markActivity(tx, activityID, s.now()); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketMessages)
		if err != nil {
			return err
		}
		if id := b.Get(append([]byte("n"), m.NoteID...)); id != nil {
			old, key, err := findMessage(b, string(id))
			if err != nil {
				return err
			}
			if old.Actor != m.Actor {
				return fmt.Errorf("message %s: %w", m.NoteID, ErrForbidden)
			}
			old.Content = m.Content
			*m = *old
			return putJSON(b, string(key), m)
		}
		m.ID, m.Received = newID(), s.now().UTC()
		if err := b.Put(append([]byte("n"), m.NoteID...), []byte(m.ID)); err != nil {
			return err
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		return putJSON(b, string(messageKey(m.Received, seq, m.ID)), m)
	}, nil)
	if err != nil {
		return fmt.Errorf("store message: %w", err)
	}
	return nil
}

// findMessage finds a message by id (a scan: messages are few).
func findMessage(b *bolt.Bucket, id string) (*Message, []byte, error) {
	c := b.Cursor()
	for k, v := c.Seek([]byte("m")); k != nil && k[0] == 'm'; k, v = c.Next() {
		if bytes.HasSuffix(k, []byte("/"+id)) {
			var m Message
			if err := json.Unmarshal(v, &m); err != nil {
				return nil, nil, fmt.Errorf("decode message %s: %w", k, err)
			}
			return &m, append([]byte(nil), k...), nil
		}
	}
	return nil, nil, fmt.Errorf("message %s: %w", id, ErrNotFound)
}

// Messages lists the messages received, newest first.
func (s *Store) Messages() ([]Message, error) {
	var out []Message
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMessages)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		k, v := c.Seek([]byte("n"))
		for k, v = c.Prev(); k != nil && k[0] == 'm'; k, v = c.Prev() {
			var m Message
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("decode message %s: %w", k, err)
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// Message returns the message id, or ErrNotFound.
func (s *Store) Message(id string) (Message, error) {
	var m *Message
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMessages)
		if b == nil {
			return fmt.Errorf("message %s: %w", id, ErrNotFound)
		}
		var err error
		m, _, err = findMessage(b, id)
		return err
	})
	if err != nil {
		return Message{}, err
	}
	return *m, nil
}

// AnswerMessage adds the editors' answer to message id and queues
// activity, the Create of its Note, to the asker's inbox, in one
// transaction.
func (s *Store) AnswerMessage(id string, a Answer, activity []byte) (Message, error) {
	var m *Message
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMessages)
		if b == nil {
			return fmt.Errorf("message %s: %w", id, ErrNotFound)
		}
		var key []byte
		var err error
		if m, key, err = findMessage(b, id); err != nil {
			return err
		}
		m.Answers = append(m.Answers, a)
		if err := b.Put(append([]byte("a"), a.NoteID...), []byte(m.ID)); err != nil {
			return err
		}
		if err := putJSON(b, string(key), m); err != nil {
			return err
		}
		return enqueue(tx, m.Inbox, activity, s.now())
	}, s.wake)
	if err != nil {
		return Message{}, fmt.Errorf("answer message: %w", err)
	}
	return *m, nil
}

// AnswerByNote returns the message an answer Note (by its IRI) replies
// to, and the answer, or ErrNotFound.
func (s *Store) AnswerByNote(noteID string) (Message, Answer, error) {
	var m *Message
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMessages)
		if b == nil {
			return ErrNotFound
		}
		id := b.Get(append([]byte("a"), noteID...))
		if id == nil {
			return fmt.Errorf("answer %s: %w", noteID, ErrNotFound)
		}
		var err error
		m, _, err = findMessage(b, string(id))
		return err
	})
	if err != nil {
		return Message{}, Answer{}, err
	}
	for _, a := range m.Answers {
		if a.NoteID == noteID {
			return *m, a, nil
		}
	}
	return Message{}, Answer{}, fmt.Errorf("answer %s: %w", noteID, ErrNotFound)
}

// Reaction kinds.
const (
	ReactionLike     = "Like"
	ReactionAnnounce = "Announce"
)

// PutReaction counts a like or a boost (kind) of object by actor, made by
// the activity activityID; the same actor counts once per kind.
func (s *Store) PutReaction(activityID, kind, object, actor string) error {
	err := s.update(func(tx *bolt.Tx) error {
		if err := markActivity(tx, activityID, s.now()); err != nil {
			return err
		}
		b, err := tx.CreateBucketIfNotExists(bucketReactions)
		if err != nil {
			return err
		}
		key := []byte(object + " " + kind + " " + actor)
		if err := b.Put(key, []byte(activityID)); err != nil {
			return err
		}
		return b.Put(append([]byte("r"), activityID...), key)
	}, nil)
	if err != nil {
		return fmt.Errorf("store %s: %w", kind, err)
	}
	return nil
}

// UndoReaction forgets the like or boost made by activityID, when actor
// made it; an unknown one is not an error.
func (s *Store) UndoReaction(activityID, actor string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReactions)
		if b == nil {
			return nil
		}
		rkey := append([]byte("r"), activityID...)
		key := b.Get(rkey)
		if key == nil || !bytes.HasSuffix(key, []byte(" "+actor)) {
			return nil
		}
		if err := b.Delete(append([]byte(nil), key...)); err != nil {
			return err
		}
		return b.Delete(rkey)
	}, nil)
	if err != nil {
		return fmt.Errorf("undo reaction: %w", err)
	}
	return nil
}

// Reactions counts the likes and boosts of an object (one of our events'
// IRIs).
func (s *Store) Reactions(object string) (likes, boosts int, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketReactions)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		prefix := []byte(object + " ")
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			switch {
			case bytes.HasPrefix(k[len(prefix):], []byte(ReactionLike+" ")):
				likes++
			case bytes.HasPrefix(k[len(prefix):], []byte(ReactionAnnounce+" ")):
				boosts++
			}
		}
		return nil
	})
	return likes, boosts, err
}
