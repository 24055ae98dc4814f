package admin

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/admin/forms"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

// The skills of a place ("competences", the skills map) in the place
// form are one self-contained block: skillsField (the checkboxes of the
// instance's list) and skillsFromForm; the template is
// _admin_skills.html. /admin/competences lists the instance's skills and
// adds one.

func (p *Module) registerAdminSkills(get, post func(string, string, adminHandler)) {
	get("/competences", server.RoleCatalogue, p.skillsPage)
	post("/competences", server.RoleCatalogue, p.addSkill)
}

// skillsField is the competences field of the place form: the instance's
// skills as checkboxes, then any the place has that the list lacks (so
// the editor sees why the form is refused).
func (p *Module) skillsField(chosen []string, problem string) checkField {
	list, err := p.Store.Skills()
	if err != nil {
		p.Log.Warn("read skills", "err", err)
		list = catalogue.DefaultSkills
	}
	cf := checkField{Name: "competences", ID: "competences", Label: p.Msg.Get("admin.place.competences"), Problem: problem, Scroll: len(list) > 20}
	for _, s := range list {
		cf.Options = append(cf.Options, option{Value: s.ID, Label: s.Libelle, Checked: page.Has(chosen, s.ID)})
	}
	for _, id := range chosen {
		if catalogue.SkillLabel(list, id) == "" {
			cf.Options = append(cf.Options, option{Value: id, Label: id, Checked: true})
		}
	}
	return cf
}

// skillsFromForm reads the skills ticked in the place form; the store
// labels them from the instance's list.
func skillsFromForm(form url.Values) []catalogue.Skill {
	var out []catalogue.Skill
	for _, id := range form["competences"] {
		out = append(out, catalogue.Skill{ID: id})
	}
	return out
}

// skillsView is the data of /admin/competences.
type skillsView struct {
	adminView
	Default, Added []catalogue.Skill
	ID, Libelle    string // the form, as typed
	Problems       map[string]string
}

func (p *Module) skillsPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.renderSkills(w, r, a, http.StatusOK, skillsView{})
}

func (p *Module) renderSkills(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v skillsView) {
	list, err := p.Store.Skills()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	n := len(catalogue.DefaultSkills)
	v.adminView, v.Default, v.Added = p.adminView(w, r, a, "admin.skills.title"), list[:n], slices.Clone(list[n:])
	p.Render(w, r, status, "admin_skills", v)
}

// addSkill adds a skill to the instance's list; a bad id or label, or an
// id already listed, comes back on the form, 422, and nothing is stored.
func (p *Module) addSkill(w http.ResponseWriter, r *http.Request, a *adminSession) {
	sk := catalogue.Skill{ID: forms.CleanLine(r.PostForm.Get("id")), Libelle: forms.CleanLine(r.PostForm.Get("libelle"))}
	err := p.Store.AddSkill(sk)
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		p.renderSkills(w, r, a, http.StatusUnprocessableEntity, skillsView{ID: sk.ID, Libelle: sk.Libelle, Problems: verr.Fields})
		return
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/competences?ok=competence-ajoutee", http.StatusSeeOther)
}
