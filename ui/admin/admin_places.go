package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/admin/forms"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

func (p *Module) registerAdminPlaces(get, post func(string, string, adminHandler)) {
	get("/lieux", server.RoleCatalogue, p.adminPlaces)
	get("/lieux/nouveau", server.RoleCatalogue, p.newPlace)
	post("/lieux/nouveau", server.RoleCatalogue, p.savePlace)
	get("/lieux/{id}", server.RoleCatalogue, p.editPlace)
	post("/lieux/{id}", server.RoleCatalogue, p.savePlace)
	get("/lieux/{id}/supprimer", server.RoleCatalogue, p.confirmDeletePlace)
	post("/lieux/{id}/supprimer", server.RoleCatalogue, p.deletePlaceForm)
}

// placeListView is the data of /admin/lieux.
type placeListView struct {
	adminView
	Q        string
	All      bool // every network's places, not only ours
	Total    int
	Places   []*catalogue.Place
	NextURL  string
	FirstURL string
	// Drafts are our places "à compléter", which no search lists: shown
	// on the first page of our places, with what each lacks.
	Drafts []*catalogue.Place
	// NoCoords says one of our places on this page has no coordinates:
	// the page says what that costs it (another network's place is
	// placed by that network).
	NoCoords bool
}

// adminPlaces lists this network's places (all networks' with tous=1),
// with a search box, a page at a time.
func (p *Module) adminPlaces(w http.ResponseWriter, r *http.Request, a *adminSession) {
	q := r.URL.Query()
	v := placeListView{adminView: p.adminView(w, r, a, "admin.places.title"), Q: strings.TrimSpace(q.Get("q")), All: q.Get("tous") == "1"}
	// Records: an editor manages records, not the places merged from
	// several networks' records that the public sees.
	query := catalogue.PlaceQuery{Text: v.Q, Network: "local", Limit: page.PageSize, Cursor: q.Get("page"), Records: true}
	if v.All {
		query.Network = ""
	}
	res, err := p.Store.Places(query)
	if errors.Is(err, catalogue.ErrBadCursor) {
		query.Cursor = ""
		res, err = p.Store.Places(query)
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v.Total, v.Places = res.Total, res.Items
	for _, pl := range v.Places {
		v.NoCoords = v.NoCoords || pl.Network.Local && !pl.HasCoordinates()
	}
	if !v.All && v.Q == "" && query.Cursor == "" {
		if v.Drafts, err = p.Store.Drafts(); err != nil {
			p.adminFail(w, r, a, err)
			return
		}
	}
	link := url.Values{}
	if v.Q != "" {
		link.Set("q", v.Q)
	}
	if v.All {
		link.Set("tous", "1")
	}
	if query.Cursor != "" {
		v.FirstURL = "/admin/lieux?" + link.Encode()
	}
	if res.Next != "" {
		link.Set("page", res.Next)
		v.NextURL = "/admin/lieux?" + link.Encode()
	}
	p.Render(w, r, http.StatusOK, "admin_places", v)
}

// fieldDef describes a text field of the place form.
type fieldDef struct {
	name, kind   string
	rows         int
	required     bool
	autocomplete string
}

// placeTextFields are the text fields of the place form, by group. A
// field of kind "lines" is a list, one value per line.
var placeTextFields = map[string][]fieldDef{
	"identity": {{name: "nom", required: true}, {name: "pivot"}, {name: "structure_parente"}},
	"address": {{name: "adresse", required: true, autocomplete: "address-line1"}, {name: "complement_adresse", autocomplete: "address-line2"},
		{name: "code_postal", required: true, autocomplete: "postal-code"}, {name: "commune", required: true, autocomplete: "address-level2"},
		{name: "code_insee"}, {name: "latitude"}, {name: "longitude"}},
	"contact": {{name: "telephone", kind: "tel"}, {name: "courriels", kind: "lines", rows: 2}, {name: "site_web", kind: "lines", rows: 2},
		{name: "prise_rdv", kind: "url"}, {name: "fiche_acces_libre", kind: "url"}},
	"presentation": {{name: "presentation_resume", rows: 3}, {name: "presentation_detail", rows: 8}},
	"labels":       {{name: "autres_formations_labels", kind: "lines", rows: 3}, {name: "equipements", kind: "lines", rows: 3}},
	"hours":        {{name: "horaires", rows: 2}},
}

// placeChecks are the checkbox groups of the place form and their lists.
var placeChecks = map[string]*catalogue.Enum{
	"typologie": catalogue.Typologies, "services": catalogue.Services, "publics_specifiquement_adresses": catalogue.Publics,
	"prise_en_charge_specifique": catalogue.PrisesEnCharge, "frais_a_charge": catalogue.Frais,
	"dispositif_programmes_nationaux": catalogue.Dispositifs, "formations_labels": catalogue.FormationsLabels,
	"modalites_acces": catalogue.ModalitesAcces, "modalites_accompagnement": catalogue.ModalitesAccompagnement,
	"itinerance": catalogue.Itinerances, "champs_intervention": catalogue.ChampsIntervention,
}

// placeFieldOrder is the order of the fields in the form, for the error
// summary.
var placeFieldOrder = []string{"nom", "pivot", "typologie", "structure_parente", "adresse", "complement_adresse", "code_postal",
	"commune", "code_insee", "latitude", "longitude", "telephone", "courriels", "site_web", "prise_rdv", "fiche_acces_libre",
	"grille", "horaires", "presentation_resume", "presentation_detail", "services", "publics_specifiquement_adresses",
	"prise_en_charge_specifique", "frais_a_charge", "modalites_acces", "modalites_accompagnement", "itinerance",
	"champs_intervention", "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "equipements", "competences"}

// placeText maps the form's text fields to the place's.
func placeText(pl *catalogue.Place) map[string]*string {
	return map[string]*string{"nom": &pl.Nom, "pivot": &pl.Pivot, "structure_parente": &pl.StructureParente,
		"adresse": &pl.Adresse, "complement_adresse": &pl.ComplementAdresse, "code_postal": &pl.CodePostal,
		"commune": &pl.Commune, "code_insee": &pl.CodeINSEE, "telephone": &pl.Telephone, "prise_rdv": &pl.PriseRDV,
		"fiche_acces_libre": &pl.FicheAccesLibre, "presentation_resume": &pl.PresentationResume,
		"presentation_detail": &pl.PresentationDetail, "horaires": &pl.Horaires}
}

// placeLists maps the form's lists (checkboxes and one-per-line fields)
// to the place's.
func placeLists(pl *catalogue.Place) map[string]*[]string {
	return map[string]*[]string{"typologie": &pl.Typologie, "services": &pl.Services,
		"publics_specifiquement_adresses": &pl.Publics, "prise_en_charge_specifique": &pl.PriseEnCharge,
		"frais_a_charge": &pl.Frais, "dispositif_programmes_nationaux": &pl.Dispositifs,
		"formations_labels": &pl.FormationsLabels, "modalites_acces": &pl.ModalitesAcces,
		"modalites_accompagnement": &pl.ModalitesAccompagnement, "itinerance": &pl.Itinerance,
		"champs_intervention": &pl.ChampsIntervention, "courriels": &pl.Courriels, "site_web": &pl.SiteWeb,
		"autres_formations_labels": &pl.AutresLabels, "equipements": &pl.Equipements}
}

// placeEdit is what the place form shows: the values as typed, and the
// problems found.
type placeEdit struct {
	values   map[string]string   // text fields, lists of lines joined by "\n"
	lists    map[string][]string // checkboxes
	grid     forms.WeekGrid
	gridOn   bool   // the grid is shown (the hours fit in it)
	origin   string // the hours the form was drawn with
	problems map[string]string
	gridAt   string // the grid input a grid problem points to
}

// placeEditOf draws the form of a stored place (or an empty one).
func placeEditOf(pl *catalogue.Place) *placeEdit {
	f := &placeEdit{values: map[string]string{}, lists: map[string][]string{}, problems: map[string]string{}}
	for name, ptr := range placeText(pl) {
		f.values[name] = *ptr
	}
	if pl.Pivot == catalogue.UnknownPivot {
		f.values["pivot"] = "" // shown empty, as it was typed
	}
	for name, ptr := range placeLists(pl) {
		if _, isCheck := placeChecks[name]; isCheck {
			f.lists[name] = *ptr
		} else {
			f.values[name] = strings.Join(*ptr, "\n")
		}
	}
	if pl.Latitude != nil && pl.Longitude != nil {
		f.values["latitude"] = strconv.FormatFloat(*pl.Latitude, 'f', -1, 64)
		f.values["longitude"] = strconv.FormatFloat(*pl.Longitude, 'f', -1, 64)
	}
	f.lists["competences"] = catalogue.SkillIDs(pl.Competences)
	f.origin = pl.Horaires
	f.grid, f.gridOn = forms.GridFromOSM(pl.Horaires)
	return f
}

// placeFromForm reads a submitted form into pl (a copy of the stored
// place, or a new one): the form's fields replace pl's, the others stay.
// It returns the form as typed, with its problems.
func (p *Module) placeFromForm(form url.Values, pl *catalogue.Place) *placeEdit {
	f := &placeEdit{values: map[string]string{}, lists: map[string][]string{}, problems: map[string]string{},
		origin: form.Get("horaires_origine"), gridOn: form.Get("grille") == "1"}
	for name, ptr := range placeText(pl) {
		v := form.Get(name)
		if !strings.HasPrefix(name, "presentation_") && name != "horaires" {
			v = forms.CleanLine(v)
		}
		f.values[name], *ptr = v, v
	}
	if strings.Trim(pl.Pivot, "0 ") == "" {
		pl.Pivot = catalogue.UnknownPivot // no number (or zeros typed): the standard's "unknown"
	}
	for name, ptr := range placeLists(pl) {
		if _, isCheck := placeChecks[name]; isCheck {
			f.lists[name] = form[name]
			*ptr = form[name]
			continue
		}
		f.values[name] = form.Get(name)
		*ptr = strings.FieldsFunc(form.Get(name), func(r rune) bool { return r == '\n' || r == '\r' })
	}
	f.lists["competences"], pl.Competences = form["competences"], skillsFromForm(form)
	pl.Latitude, pl.Longitude = nil, nil
	for _, name := range []string{"latitude", "longitude"} {
		v := forms.CleanLine(form.Get(name))
		f.values[name] = v
		if v == "" {
			continue
		}
		x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil {
			f.problems[name] = p.Msg.Get("admin.place.number")
			continue
		}
		if name == "latitude" {
			pl.Latitude = &x
		} else {
			pl.Longitude = &x
		}
	}
	// The hours: the raw text when the editor changed it (or when there is
	// no grid), else the grid's.
	if f.gridOn {
		f.grid = forms.GridFromForm(form)
		if strings.TrimSpace(pl.Horaires) == strings.TrimSpace(f.origin) {
			osm, prob := f.grid.OSM()
			if prob != nil {
				f.problems["grille"] = p.Msg.Get(prob.Key, p.Msg.Weekday(prob.Day), prob.Slot+1)
				f.gridAt = prob.Input
			} else {
				pl.Horaires = osm
			}
		}
	}
	pl.DateMaj = p.Now().In(catalogue.Paris).Format("2006-01-02")
	pl.Normalize()
	if pl.HoursError != "" && f.problems["grille"] == "" {
		f.problems["horaires"] = pl.HoursError
	}
	var verr *catalogue.ValidationError
	if err := pl.Validate(); errors.As(err, &verr) {
		for k, msg := range verr.Fields {
			if _, seen := f.problems[k]; !seen {
				f.problems[k] = msg
			}
		}
	}
	if len(f.problems) == 0 {
		// Drawn again (after a failed save, or later), the form shows the
		// hours as stored.
		f.values["horaires"], f.origin = pl.Horaires, pl.Horaires
		f.grid, f.gridOn = forms.GridFromOSM(pl.Horaires)
	} else if f.problems["grille"] == "" {
		f.values["horaires"], f.origin = pl.Horaires, pl.Horaires
		if g, ok := forms.GridFromOSM(pl.Horaires); ok && f.problems["horaires"] == "" {
			f.grid, f.gridOn = g, true
		} else {
			f.gridOn = false
		}
	}
	return f
}

// placeFormView is the data of the place form.
type placeFormView struct {
	adminView
	ID       string // empty for a new place
	Name     string
	Problems []problem
	Groups   map[string][]textField
	Checks   map[string]checkField
	Grid     []gridRow
	GridOn   bool
	Origin   string
	GridErr  string
	Merge    *mergeBox // nil for a new place
	// Approx says the stored place is at its commune's centre: the
	// editor is asked to give its coordinates.
	Approx bool
	// NoCoords says the stored place has no coordinates at all (its
	// commune is unknown): no search by place, map or orientation sheet
	// finds it.
	NoCoords bool
	// Sections are the form's folded parts, by group name.
	Sections map[string]formSection
	// MapCenter ("lat,lon") and MapZoom are where the map to place the
	// marker opens when the place has no coordinates yet.
	MapCenter string
	MapZoom   int
}

// gridRow is a day of the hours grid.
type gridRow struct {
	Day   string
	Slots []gridCell
}

type gridCell struct {
	N              int
	FromID, ToID   string
	From, To       string
	FromBad, ToBad bool
}

// placeFormView builds the form's page.
func (p *Module) placeFormView(w http.ResponseWriter, r *http.Request, a *adminSession, id, name string, f *placeEdit) placeFormView {
	title, args := "admin.places.new", []any(nil)
	if id != "" {
		title, args = "admin.places.edit", []any{name}
	}
	v := placeFormView{adminView: p.adminView(w, r, a, title, args...), ID: id, Name: name,
		Groups: map[string][]textField{}, Checks: map[string]checkField{}, GridOn: f.gridOn, Origin: f.origin, GridErr: f.problems["grille"]}
	label := func(name string) string { return p.Msg.Get("admin.place." + name) }
	for group, defs := range placeTextFields {
		for _, d := range defs {
			tf := textField{Name: d.name, ID: d.name, Label: label(d.name), Value: f.values[d.name], Problem: f.problems[d.name],
				Required: d.required, Rows: d.rows, Type: d.kind, Autocomplete: d.autocomplete}
			if hint, ok := p.Msg.Lookup("admin.hint." + d.name); ok {
				tf.Hint = hint
			}
			if d.kind == "lines" {
				tf.Type = ""
			}
			v.Groups[group] = append(v.Groups[group], tf)
		}
	}
	for name, e := range placeChecks {
		cf := checkField{Name: name, ID: name, Label: label(name), Problem: f.problems[name], Scroll: len(e.Values) > 20}
		for _, val := range e.Values {
			lbl := val
			if e == catalogue.Typologies {
				lbl = catalogue.TypologieLabel(val)
			}
			cf.Options = append(cf.Options, option{Value: val, Label: lbl, Checked: page.Has(f.lists[name], val)})
		}
		if cf.Scroll {
			tickedFirst(cf.Options)
		}
		// Values the list does not know (from an import) stay visible, so
		// the editor sees why the form is refused.
		for _, val := range f.lists[name] {
			if !e.Has(val) {
				cf.Options = append(cf.Options, option{Value: val, Label: val, Checked: true})
			}
		}
		v.Checks[name] = cf
	}
	v.Checks["competences"] = p.skillsField(f.lists["competences"], f.problems["competences"])
	v.Sections = p.placeFormSections(f.problems)
	v.MapCenter, v.MapZoom = mapStart(f.values)
	for d := range 7 {
		row := gridRow{Day: p.Msg.Weekday(d)}
		for n := range forms.GridSlots {
			c := gridCell{N: n + 1, FromID: forms.GridInput(d, n, false), ToID: forms.GridInput(d, n, true), From: f.grid[d][n].From, To: f.grid[d][n].To}
			c.FromBad, c.ToBad = f.gridAt == c.FromID, f.gridAt == c.ToID
			row.Slots = append(row.Slots, c)
		}
		v.Grid = append(v.Grid, row)
	}
	for _, name := range placeFieldOrder {
		if msg, ok := f.problems[name]; ok {
			target := name
			if name == "grille" {
				target = f.gridAt
			}
			v.Problems = append(v.Problems, problem{ID: target, Label: label(name), Message: msg})
		}
	}
	for name, msg := range f.problems { // fields the form does not show (date_maj…)
		if !page.Has(placeFieldOrder, name) {
			v.Problems = append(v.Problems, problem{ID: "contenu", Label: name, Message: msg})
		}
	}
	return v
}

func (p *Module) newPlace(w http.ResponseWriter, r *http.Request, a *adminSession) {
	p.Render(w, r, http.StatusOK, "admin_place_form", p.placeFormView(w, r, a, "", "", placeEditOf(&catalogue.Place{})))
}

// remotePlaceView is the read-only page of another network's place.
type remotePlaceView struct {
	adminView
	Place *catalogue.Place
	Merge *mergeBox
}

// editPlace shows the form of a local place, or a read-only page for
// another network's.
func (p *Module) editPlace(w http.ResponseWriter, r *http.Request, a *adminSession) {
	pl, err := p.Store.Place(mux.Vars(r)["id"])
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	if !pl.Network.Local {
		v := remotePlaceView{adminView: p.adminView(w, r, a, "admin.places.remote.title", pl.Nom), Place: pl}
		if v.Merge, err = p.mergeBoxOf(pl.ID, v.CSRF); err != nil {
			p.adminFail(w, r, a, err)
			return
		}
		p.Render(w, r, http.StatusOK, "admin_place_remote", v)
		return
	}
	v := p.placeFormView(w, r, a, pl.ID, pl.Nom, placeEditOf(pl))
	v.Approx, v.NoCoords = pl.PositionApproximative, !pl.HasCoordinates()
	if v.Merge, err = p.mergeBoxOf(pl.ID, v.CSRF); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Render(w, r, http.StatusOK, "admin_place_form", v)
}

// savePlace creates or updates a place from the form. With problems,
// the form comes back with every value as typed, status 422, and
// nothing is stored.
func (p *Module) savePlace(w http.ResponseWriter, r *http.Request, a *adminSession) {
	id := mux.Vars(r)["id"]
	pl := &catalogue.Place{}
	if id != "" {
		old := p.localPlace(w, r, a)
		if old == nil {
			return
		}
		pl, id = old, old.ID
	}
	f := p.placeFromForm(r.PostForm, pl)
	if len(f.problems) > 0 {
		p.Render(w, r, http.StatusUnprocessableEntity, "admin_place_form", p.placeFormView(w, r, a, id, pl.Nom, f))
		return
	}
	var err error
	if id == "" {
		err = p.Store.CreatePlace(pl)
	} else {
		err = p.Store.UpdatePlace(id, pl)
	}
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		f.problems = verr.Fields
		p.Render(w, r, http.StatusUnprocessableEntity, "admin_place_form", p.placeFormView(w, r, a, id, pl.Nom, f))
		return
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/lieux/"+url.PathEscape(pl.ID)+"?ok=lieu-enregistre", http.StatusSeeOther)
}

// confirmView is the data of a deletion's confirmation page.
type confirmView struct {
	adminView
	Name, Action, Back string
	Blocked            string // why it cannot be deleted, if so
}

// localPlace returns the place record of the path's id when this network
// publishes it; otherwise it answers (404, or 403 for another network's
// place) and returns nil.
func (p *Module) localPlace(w http.ResponseWriter, r *http.Request, a *adminSession) *catalogue.Place {
	pl, err := p.Store.Place(mux.Vars(r)["id"])
	if err != nil {
		p.adminFail(w, r, a, err)
		return nil
	}
	if !pl.Network.Local {
		p.adminMessage(w, r, http.StatusForbidden, a, "admin.forbidden.title", "admin.places.readonly")
		return nil
	}
	return pl
}

func (p *Module) confirmDeletePlace(w http.ResponseWriter, r *http.Request, a *adminSession) {
	pl := p.localPlace(w, r, a)
	if pl == nil {
		return
	}
	v := confirmView{adminView: p.adminView(w, r, a, "admin.places.delete.title", pl.Nom), Name: pl.Nom,
		Action: "/admin/lieux/" + pl.ID + "/supprimer", Back: "/admin/lieux/" + pl.ID}
	p.Render(w, r, http.StatusOK, "admin_confirm", v)
}

// deletePlaceForm deletes a local place once confirmed; a place where
// events still take place is kept, and the page says why.
func (p *Module) deletePlaceForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	pl, err := p.Store.Place(mux.Vars(r)["id"])
	if err == nil {
		err = p.Store.DeletePlace(pl.ID)
	}
	switch {
	case errors.Is(err, storage.ErrReadOnly):
		p.adminMessage(w, r, http.StatusForbidden, a, "admin.forbidden.title", "admin.places.readonly")
	case errors.Is(err, storage.ErrConflict):
		v := confirmView{adminView: p.adminView(w, r, a, "admin.places.delete.title", pl.Nom), Name: pl.Nom,
			Back: "/admin/lieux/" + pl.ID, Blocked: p.Msg.Get("admin.places.delete.events")}
		p.Render(w, r, http.StatusConflict, "admin_confirm", v)
	case err != nil:
		p.adminFail(w, r, a, err)
	default:
		http.Redirect(w, r, "/admin/lieux?ok=lieu-supprime", http.StatusSeeOther)
	}
}
