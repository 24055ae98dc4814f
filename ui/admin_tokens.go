package ui

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
)

// tokensView is the data of /admin/jetons.
type tokensView struct {
	adminView
	Tokens  []storage.TokenInfo
	New     string // the token just created, shown once
	Label   string
	Problem string
}

// tokensPage lists the API tokens, never their secret.
func (p *pages) tokensPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderTokens(w, r, a, http.StatusOK, tokensView{})
}

func (p *pages) renderTokens(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v tokensView) {
	list, err := p.s.store.ListTokens()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v.adminView, v.Tokens = p.adminView(w, r, a, "admin.tokens.title"), list
	p.render(w, r, status, "admin_tokens", v)
}

// createToken makes an API token and shows it, once, on the answer page.
func (p *pages) createToken(w http.ResponseWriter, r *http.Request, a *adminSession) {
	label := cleanLine(r.PostFormValue("label"))
	switch n := len([]rune(label)); {
	case n == 0:
		p.renderTokens(w, r, a, http.StatusUnprocessableEntity, tokensView{Problem: p.msg.get("admin.tokens.label.required")})
		return
	case n > 100:
		p.renderTokens(w, r, a, http.StatusUnprocessableEntity, tokensView{Label: label, Problem: p.msg.get("admin.tokens.label.toolong")})
		return
	}
	token, err := p.s.store.CreateToken(label, storage.RoleAdmin)
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.s.log.Info("API token created", "label", label, "by", a.Email)
	p.renderTokens(w, r, a, http.StatusCreated, tokensView{New: token})
}

// revokeToken deletes an API token.
func (p *pages) revokeToken(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.s.store.RevokeToken(mux.Vars(r)["id"]); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.s.log.Info("API token revoked", "by", a.Email)
	http.Redirect(w, r, "/admin/jetons?ok=jeton-revoque", http.StatusSeeOther)
}
