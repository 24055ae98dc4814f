package admin

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/admin/forms"
	"github.com/maillage/maillage/ui/internal/server"
)

// The accounts of the admin pages, for admins: who may log in, with
// which role. `maillage user add` creates the first one.

// accountsView is the data of /admin/comptes.
type accountsView struct {
	adminView
	Users    []storage.User
	Problems []problem
	Fields   []textField // email, password, confirmation
	Role     string      // the role chosen in the form
	RoleErr  string
}

func (p *Module) registerAdminAccounts(get, post func(string, string, adminHandler)) {
	get("/comptes", server.RoleAccounts, p.accountsPage)
	post("/comptes", server.RoleAccounts, p.addAccount)
	post("/comptes/{email}/supprimer", server.RoleAccounts, p.deleteAccount)
}

func (p *Module) accountsPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderAccounts(w, r, a, http.StatusOK, "", storage.RoleEditor, nil)
}

// renderAccounts shows the accounts and the form to add one, with the
// email and role typed and the problems of each field (never the
// password back).
func (p *Module) renderAccounts(w http.ResponseWriter, r *http.Request, a *adminSession, status int, email, role string, problems map[string]string) {
	users, err := p.Store.Users()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v := accountsView{adminView: p.adminView(w, r, a, "admin.accounts.title"), Users: users, Role: role, RoleErr: problems["role"]}
	for _, f := range []textField{
		{Name: "email", Type: "email", Autocomplete: "off", Value: email},
		{Name: "password", Type: "password", Autocomplete: "new-password", Hint: p.Msg.Get("admin.accounts.password.hint", storage.MinPasswordLength)},
		{Name: "confirmation", Type: "password", Autocomplete: "new-password"},
	} {
		f.ID, f.Label, f.Required, f.Problem = "compte-"+f.Name, p.Msg.Get("admin.accounts."+f.Name), true, problems[f.Name]
		v.Fields = append(v.Fields, f)
		if f.Problem != "" {
			v.Problems = append(v.Problems, problem{ID: f.ID, Label: f.Label, Message: f.Problem})
		}
	}
	if v.RoleErr != "" {
		v.Problems = append(v.Problems, problem{ID: "compte-role", Label: p.Msg.Get("admin.accounts.role"), Message: v.RoleErr})
	}
	p.Render(w, r, status, "admin_accounts", v)
}

// addAccount creates an account from the form; with problems, the form
// comes back (422) and nothing is stored.
func (p *Module) addAccount(w http.ResponseWriter, r *http.Request, a *adminSession) {
	email := strings.ToLower(forms.CleanLine(r.PostFormValue("email")))
	role, password := r.PostFormValue("role"), r.PostFormValue("password")
	problems := map[string]string{}
	if at := strings.Index(email, "@"); at < 1 || at == len(email)-1 || strings.ContainsAny(email, " <>\"") {
		problems["email"] = p.Msg.Get("admin.accounts.email.invalid")
	}
	if role != storage.RoleAdmin && role != storage.RoleEditor {
		problems["role"] = p.Msg.Get("admin.accounts.role.invalid")
	}
	if len([]rune(password)) < storage.MinPasswordLength {
		problems["password"] = p.Msg.Get("admin.accounts.password.short", storage.MinPasswordLength)
	} else if r.PostFormValue("confirmation") != password {
		problems["confirmation"] = p.Msg.Get("admin.accounts.confirmation.differs")
	}
	if len(problems) == 0 {
		err := p.Store.AddUser(email, role, password)
		switch {
		case errors.Is(err, storage.ErrConflict):
			problems["email"] = p.Msg.Get("admin.accounts.email.taken")
		case err != nil:
			p.adminFail(w, r, a, err)
			return
		}
	}
	if len(problems) > 0 {
		p.renderAccounts(w, r, a, http.StatusUnprocessableEntity, email, role, problems)
		return
	}
	p.Log.Info("account created", "email", email, "role", role, "by", a.Email)
	http.Redirect(w, r, "/admin/comptes?ok=compte-cree", http.StatusSeeOther)
}

// deleteAccount removes an account and ends its sessions; not one's own,
// nor the last admin.
func (p *Module) deleteAccount(w http.ResponseWriter, r *http.Request, a *adminSession) {
	email := mux.Vars(r)["email"]
	if strings.EqualFold(email, a.Email) {
		p.adminMessage(w, r, http.StatusConflict, a, "admin.accounts.title", "admin.accounts.delete.self")
		return
	}
	err := p.Store.DeleteUser(email)
	switch {
	case errors.Is(err, storage.ErrConflict):
		p.adminMessage(w, r, http.StatusConflict, a, "admin.accounts.title", "admin.accounts.delete.lastadmin")
		return
	case err != nil:
		p.adminFail(w, r, a, err)
		return
	}
	p.Log.Info("account deleted", "email", email, "by", a.Email)
	http.Redirect(w, r, "/admin/comptes?ok=compte-supprime", http.StatusSeeOther)
}
