package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestAdminMessages: a reply received from the fediverse is listed for
// editors, sanitised; an empty answer is refused, named, and changes
// nothing; an answer is kept with the message and queued to the asker's
// inbox.
func TestAdminMessages(t *testing.T) {
	in := uitest.FedAdminInstance(t)
	m := storage.Message{
		NoteID: "http://peer.example/users/carol/statuses/1", Actor: "http://peer.example/users/carol",
		Handle: "@carol@peer.example", Inbox: "http://peer.example/users/carol/inbox",
		InReplyTo: in.Srv.URL + "/evenements/x",
		Content:   `<p>Faut-il apporter son téléphone ?</p><script>alert(1)</script>`,
	}
	if err := in.Store.PutMessage("http://peer.example/users/carol/statuses/1/activity", &m); err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	page := b.Get("/admin/messages")
	page.Want(t, "messages page", 200, "Messages reçus du fédivers", "De @carol@peer.example", "Faut-il apporter son téléphone ?")
	if strings.Contains(page.Body, "<script>alert") {
		t.Error("the page shows a script from a message")
	}
	b.Post("/admin/messages/"+m.ID+"/repondre", url.Values{"reponse": {"  "}}).
		Want(t, "empty answer", http.StatusUnprocessableEntity, "Écrivez une réponse avant de l’envoyer.")
	if got, _ := in.Store.Message(m.ID); len(got.Answers) != 0 {
		t.Fatalf("an empty answer was kept: %+v", got.Answers)
	}
	a := b.Post("/admin/messages/"+m.ID+"/repondre", url.Values{"reponse": {"Oui, chargé."}})
	if a.Status != http.StatusSeeOther || a.Location() != "/admin/messages?ok=message-repondu" {
		t.Fatalf("answer = %d %s\n%s", a.Status, a.Location(), a.Body)
	}
	got, err := in.Store.Message(m.ID)
	if err != nil || len(got.Answers) != 1 || !strings.Contains(got.Answers[0].HTML, "Oui, chargé.") {
		t.Fatalf("message after the answer: %+v, %v", got, err)
	}
	due, err := in.Store.DueDeliveries(time.Now().Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	queued := false
	for _, d := range due {
		queued = queued || d.Inbox == m.Inbox && strings.Contains(string(d.Activity), `"inReplyTo":"`+m.NoteID+`"`)
	}
	if !queued {
		t.Errorf("no answer queued to %s: %+v", m.Inbox, due)
	}
	b.Get("/admin/messages?ok=message-repondu").Want(t, "after the answer", 200, "La réponse est envoyée à son destinataire.", "Répondu le")
}
