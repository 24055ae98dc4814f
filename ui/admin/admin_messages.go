package admin

import (
	"errors"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

// Messages from the fediverse: replies to our events and notes that
// mention the network (federation/feedback.go keeps them), which editors
// read and answer here.

type messagesView struct {
	adminView
	Messages []fediMessageView
	Error    string // why the last answer was refused
	Answer   string // its text, given back
	ErrorID  string // the message it answered
}

// fediMessageView is a message with its HTML, sanitised again for the page.
type fediMessageView struct {
	storage.Message
	Body    template.HTML
	Replies []fediAnswerView
}

type fediAnswerView struct {
	Sent time.Time
	Body template.HTML
}

func (p *Module) registerAdminMessages(get, post func(path, role string, h adminHandler)) {
	get("/messages", server.RoleCatalogue, p.messagesPage)
	post("/messages/{id}/repondre", server.RoleCatalogue, p.answerMessage)
}

func (p *Module) messagesPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderMessages(w, r, a, http.StatusOK, messagesView{})
}

func (p *Module) renderMessages(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v messagesView) {
	list, err := p.Store.Messages()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v.adminView = p.adminView(w, r, a, "admin.messages.title")
	for _, m := range list {
		mv := fediMessageView{Message: m, Body: template.HTML(catalogue.SanitizeHTML(m.Content))}
		for _, ans := range m.Answers {
			mv.Replies = append(mv.Replies, fediAnswerView{Sent: ans.Sent, Body: template.HTML(catalogue.SanitizeHTML(ans.HTML))})
		}
		v.Messages = append(v.Messages, mv)
	}
	p.Render(w, r, status, "admin_messages", v)
}

// answerMessage sends the editors' answer to one message.
func (p *Module) answerMessage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.parseAdminForm(w, r); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	id, text := mux.Vars(r)["id"], strings.TrimSpace(r.PostFormValue("reponse"))
	_, err := p.Fed.AnswerMessage(id, text)
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		p.renderMessages(w, r, a, http.StatusUnprocessableEntity, messagesView{
			Error: p.Msg.Get("admin.messages.empty"), Answer: text, ErrorID: id,
		})
		return
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/messages?ok=message-repondu", http.StatusSeeOther)
}
