package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// What fediverse users send back about our events. A reply (a Note in
// reply to one of our events or answers, or mentioning the network) is
// kept as a message for the editors and never published; a Like or a
// boost (Announce) of one of our events is counted; Undo of either
// forgets it. Any signed actor may send these: they need no follow.

// maxMessage bounds the HTML of a message kept.
const maxMessage = 20000

// receiveFeedback handles the activities about our own objects. handled
// is false for every other activity, which receive handles as before.
func (s *Service) receiveFeedback(ctx context.Context, id, kind, actor string, doc map[string]any) (handled bool, err error) {
	switch kind {
	case "Like":
		return true, s.onReaction(id, storage.ReactionLike, actor, str(doc, "object"))
	case "Announce":
		if obj := str(doc, "object"); hostOf(obj) == s.host {
			return true, s.onReaction(id, storage.ReactionAnnounce, actor, obj)
		}
	case "Undo":
		if obj, _ := doc["object"].(map[string]any); obj != nil {
			switch str(obj, "type") {
			case "Like", "Announce":
				if str(obj, "actor") != actor {
					return true, httpError(http.StatusForbidden, "Undo of another actor's %s", str(obj, "type"))
				}
				return true, s.store.UndoReaction(str(obj, "id"), actor)
			}
		}
	case "Create", "Update":
		obj, _ := doc["object"].(map[string]any)
		if obj != nil && str(obj, "type") == "Note" {
			return true, s.onNote(ctx, id, actor, obj)
		}
	}
	return false, nil
}

// onReaction counts a like or boost of one of our events; of anything
// else, it is ignored.
func (s *Service) onReaction(id, kind, actor, object string) error {
	if hostOf(object) != s.host {
		return nil
	}
	e, err := s.store.Event(object)
	if errors.Is(err, storage.ErrNotFound) || err == nil && !e.Network.Local {
		return nil
	}
	if err != nil {
		return err
	}
	return s.store.PutReaction(id, kind, e.APID, actor)
}

// onNote keeps a Note addressed to the network as a message: a reply to
// one of our events or answers, or a note that mentions the network.
func (s *Service) onNote(ctx context.Context, id, actor string, note map[string]any) error {
	if author := str(note, "attributedTo"); author != actor {
		return httpError(http.StatusForbidden, "note of %s sent by %s", author, actor)
	}
	if hostOf(str(note, "id")) != hostOf(actor) {
		return httpError(http.StatusForbidden, "note %s is not on the host of %s", str(note, "id"), actor)
	}
	replyTo := str(note, "inReplyTo")
	if !s.aboutUs(replyTo, note) {
		return nil // a note for someone else: not ours to keep
	}
	content := noteContent(note)
	if len(content) > maxMessage {
		content = content[:maxMessage]
		for !utf8.ValidString(content) {
			content = content[:len(content)-1]
		}
	}
	a, err := s.fetchActor(ctx, actor, false)
	if err != nil {
		return httpError(http.StatusBadGateway, "cannot fetch %s: %v", actor, err)
	}
	handle := a.PreferredUsername
	if handle == "" {
		handle = actor
	} else {
		handle = "@" + handle + "@" + hostOf(actor)
	}
	m := storage.Message{
		NoteID: str(note, "id"), Actor: actor, Handle: handle, Inbox: a.Inbox,
		InReplyTo: replyTo, Content: catalogue.SanitizeHTML(content), URL: str(note, "url"),
	}
	return s.store.PutMessage(id, &m)
}

// aboutUs says whether a note replies to one of our events or answers,
// or mentions our actor.
func (s *Service) aboutUs(replyTo string, note map[string]any) bool {
	if hostOf(replyTo) == s.host {
		if e, err := s.store.Event(replyTo); err == nil && e.Network.Local {
			return true
		}
		if _, _, err := s.store.AnswerByNote(replyTo); err == nil {
			return true
		}
	}
	tags, _ := note["tag"].([]any)
	if t, ok := note["tag"].(map[string]any); ok {
		tags = []any{t}
	}
	for _, t := range tags {
		if t, ok := t.(map[string]any); ok && str(t, "type") == "Mention" && str(t, "href") == s.actor {
			return true
		}
	}
	return false
}

// noteContent is a note's HTML: content, or its first contentMap entry.
func noteContent(note map[string]any) string {
	if c, ok := note["content"].(string); ok && c != "" {
		return c
	}
	if cm, ok := note["contentMap"].(map[string]any); ok {
		for _, v := range cm {
			if c, ok := v.(string); ok {
				return c
			}
		}
	}
	return ""
}

// AnswerMessage sends the editors' answer to message id: a Note in reply
// to the asker's note, addressed to the asker only, mentioning them so
// that it reaches their notifications. text is plain text.
func (s *Service) AnswerMessage(id, text string) (storage.Message, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return storage.Message{}, &catalogue.ValidationError{Fields: map[string]string{"reponse": "la réponse est vide"}}
	}
	m, err := s.store.Message(id)
	if err != nil {
		return m, err
	}
	now := s.now().UTC()
	noteID := strings.TrimSuffix(s.cfg.BaseURL, "/") + "/notes/" + randomID()
	body := strings.TrimSuffix(strings.TrimPrefix(textToHTML(text), "<p>"), "</p>")
	mention := fmt.Sprintf(`<span class="h-card"><a href="%s" class="u-url mention">%s</a></span>`,
		html.EscapeString(m.Actor), html.EscapeString(m.Handle))
	content := "<p>" + mention + " " + body + "</p>"
	a := storage.Answer{NoteID: noteID, Text: text, HTML: content, Sent: now}
	activity := s.activity("Create", noteID+"#create", s.answerNote(m, a), m.Actor)
	activity["published"] = now.Format("2006-01-02T15:04:05Z")
	data, err := json.Marshal(withContext(activity))
	if err != nil {
		return m, err
	}
	return s.store.AnswerMessage(id, a, data)
}

// answerNote is the Note of an answer.
func (s *Service) answerNote(m storage.Message, a storage.Answer) map[string]any {
	return map[string]any{
		"id": a.NoteID, "type": "Note", "attributedTo": s.actor, "inReplyTo": m.NoteID,
		"to": []string{m.Actor}, "cc": []string{}, "url": a.NoteID,
		"content": a.HTML, "contentMap": map[string]string{"fr": a.HTML},
		"published": a.Sent.UTC().Format("2006-01-02T15:04:05Z"),
		"tag":       []map[string]string{{"type": "Mention", "href": m.Actor, "name": m.Handle}},
	}
}

// noteDoc answers an answer's Note to a request signed by someone of the
// asker's server (it is addressed to the asker only).
func (s *Service) noteDoc(w http.ResponseWriter, r *http.Request) {
	noteID := strings.TrimSuffix(s.cfg.BaseURL, "/") + "/notes/" + mux.Vars(r)["id"]
	m, a, err := s.store.AnswerByNote(noteID)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	_, owner, err := Verify(r.Context(), r, nil, s.resolveKey, s.now())
	if err != nil || hostOf(owner) != hostOf(m.Actor) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	writeAP(w, http.StatusOK, s.answerNote(m, a))
}

// SignGet signs req, a GET, as the network's actor at now: for tools
// that read a peer's documents the way this instance does (authorized
// fetch).
func (s *Service) SignGet(req *http.Request, now time.Time) error {
	return Sign(req, s.keyID, s.key, nil, now)
}
