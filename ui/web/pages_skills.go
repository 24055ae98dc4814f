package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/page"
)

// The skills map ("Qui sait faire ?", /competences) is for professionals:
// which structure, in this network or a followed one, can help another
// with a web site, 3D printing, accessibility, training social workers…
// It takes the place search's "où ?" (a commune and a distance, a
// département, or a point), plus competence (skill ids, repeatable) and
// q (words, which also find the labels of skills another network added to
// its list).

// skillsLimit is the number of structures on a page.
const skillsLimit = 20

// skillItem is a structure in the results: the place, and its network.
type skillItem struct {
	placeItem
	NetworkName string
}

// skillsView is the data of /competences.
type skillsView struct {
	page.Layout
	Form     placeForm
	Options  formOptions
	Skills   []catalogue.Skill // the choices: the instance's list, then skills asked for that it lacks
	Chosen   []string
	Searched bool
	Problems map[string]string
	Where    page.Where
	Widened  bool
	Total    int
	Items    []skillItem
	NextURL  string
	FirstURL string
	// ChoiceLinks and NearClear serve the shared "où ?" fields.
	ChoiceLinks []link
	NearClear   string
}

func (p *Module) skillsPage(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	all := readPlaceForm(query)
	f := placeForm{Q: all.Q, Ou: all.Ou, Near: all.Near, Radius: all.Radius, Departement: all.Departement, Network: all.Network, Cursor: all.Cursor}
	chosen := nonEmpty(query["competence"])
	list, err := p.Store.Skills()
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v := skillsView{Layout: p.Layout(p.Msg.Get("skills.title"), "competences"), Form: f, Options: p.options(), Skills: list, Chosen: chosen}
	v.MetaDescription = p.Msg.Get("skills.lead")
	v.Options.ShowRadii = true
	vals := f.values()
	vals["competence"] = chosen
	if len(chosen) == 0 {
		delete(vals, "competence")
	}
	v.Searched = len(vals) > 0
	if !v.Searched {
		p.Render(w, r, http.StatusOK, "skills", v)
		return
	}
	v.Robots = "noindex"
	ps, err := p.resolvePlaces(r, f, skillsLimit)
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v.Where = ps.Where
	v.ChoiceLinks = choiceLinks("/competences", vals, ps.Where)
	if f.Near != "" {
		g := url.Values{}
		for k, l := range vals {
			if k != "near" {
				g[k] = l
			}
		}
		v.NearClear = "/competences" + queryString(g)
	}
	if len(ps.Problems) > 0 {
		v.Problems = ps.Problems
		p.Render(w, r, http.StatusBadRequest, "skills", v)
		return
	}
	ps.Query.PublicsOpen = false
	ps.Query.Competences = chosen
	if len(chosen) == 0 {
		// Any skill, even one another network added: words then
		// find its label.
		ps.Query.Competences = []string{catalogue.AnySkill}
	}
	res, err := p.findPlaces(ps)
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	if res.Total == 0 && ps.Where.Commune != nil && f.Radius == "" && ps.Query.RadiusKm > 0 {
		ps.Query.RadiusKm = 0 // nothing near: the nearest, however far
		if res, err = p.findPlaces(ps); err != nil {
			p.Fail(w, r, err)
			return
		}
		v.Widened = res.Total > 0
	}
	v.Total = res.Total
	for _, it := range p.placeItems(res.Items) {
		name := it.Network.Name
		if it.Network.Local || name == "" {
			name = v.Site
		}
		v.Items = append(v.Items, skillItem{placeItem: it, NetworkName: name})
	}
	// A skill asked for that this instance's list lacks (another network
	// added it) is offered too, with the label its network gives.
	for _, id := range chosen {
		if id == catalogue.AnySkill || catalogue.SkillLabel(v.Skills, id) != "" {
			continue
		}
		label := id
		for _, it := range v.Items {
			if l := catalogue.SkillLabel(it.Competences, id); l != "" {
				label = l
				break
			}
		}
		v.Skills = append(slices.Clone(v.Skills), catalogue.Skill{ID: id, Libelle: label})
	}
	if res.Next != "" {
		next := url.Values{}
		for k, l := range vals {
			next[k] = l
		}
		next.Set("cursor", res.Next)
		v.NextURL = "/competences" + queryString(next)
	}
	if f.Cursor != "" {
		v.FirstURL = "/competences" + queryString(vals)
	}
	p.Render(w, r, http.StatusOK, "skills", v)
}
