package admin

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/admin/forms"
)

// tokensView is the data of /admin/jetons.
type tokensView struct {
	adminView
	Tokens  []storage.TokenInfo
	New     string // the token just created, shown once
	Label   string
	Problem string // about the label
	Role    string // the role chosen in the form: editor unless admin is asked
	RoleErr string
}

// tokensPage lists the API tokens, never their secret.
func (p *Module) tokensPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderTokens(w, r, a, http.StatusOK, tokensView{Role: storage.RoleEditor})
}

func (p *Module) renderTokens(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v tokensView) {
	list, err := p.Store.ListTokens()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v.adminView, v.Tokens = p.adminView(w, r, a, "admin.tokens.title"), list
	p.Render(w, r, status, "admin_tokens", v)
}

// createToken makes an API token with the role chosen (editor when the
// form says nothing: least privilege) and shows it, once, on the answer
// page.
func (p *Module) createToken(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v := tokensView{Label: forms.CleanLine(r.PostFormValue("label")), Role: r.PostFormValue("role")}
	if v.Role == "" {
		v.Role = storage.RoleEditor
	}
	switch n := len([]rune(v.Label)); {
	case n == 0:
		v.Problem = p.Msg.Get("admin.tokens.label.required")
	case n > 100:
		v.Problem = p.Msg.Get("admin.tokens.label.toolong")
	}
	if storage.CheckRole(v.Role) != nil {
		v.RoleErr = p.Msg.Get("admin.tokens.role.invalid")
	}
	if v.Problem != "" || v.RoleErr != "" {
		p.renderTokens(w, r, a, http.StatusUnprocessableEntity, v)
		return
	}
	token, err := p.Store.CreateToken(v.Label, v.Role)
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Log.Info("API token created", "label", v.Label, "role", v.Role, "by", a.Email)
	p.renderTokens(w, r, a, http.StatusCreated, tokensView{New: token, Role: storage.RoleEditor})
}

// revokeToken deletes an API token.
func (p *Module) revokeToken(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.Store.RevokeToken(mux.Vars(r)["id"]); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Log.Info("API token revoked", "by", a.Email)
	http.Redirect(w, r, "/admin/jetons?ok=jeton-revoque", http.StatusSeeOther)
}
