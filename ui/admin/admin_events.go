package admin

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/admin/forms"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

func (p *Module) registerAdminEvents(get, post func(string, string, adminHandler)) {
	get("/evenements", server.RoleCatalogue, p.adminEvents)
	get("/evenements/nouveau", server.RoleCatalogue, p.newEvent)
	post("/evenements/nouveau", server.RoleCatalogue, p.saveEvent)
	get("/evenements/{id}", server.RoleCatalogue, p.editEvent)
	post("/evenements/{id}", server.RoleCatalogue, p.saveEvent)
	get("/evenements/{id}/supprimer", server.RoleCatalogue, p.confirmDeleteEvent)
	post("/evenements/{id}/supprimer", server.RoleCatalogue, p.deleteEventForm)
}

// maxRemotePlaces bounds the other networks' places offered in the event
// form's list of places, nearest names first; this network's are all
// there.
const maxRemotePlaces = 1000

// eventListView is the data of /admin/evenements.
type eventListView struct {
	adminView
	Q                 string
	Total             int
	Events            []eventRow
	NextURL, FirstURL string
}

type eventRow struct {
	*catalogue.Event
	PlaceName string
	Series    bool
}

// adminEvents lists this network's events (the series, not each date),
// newest start first, with a search on their names.
func (p *Module) adminEvents(w http.ResponseWriter, r *http.Request, a *adminSession) {
	q := r.URL.Query()
	v := eventListView{adminView: p.adminView(w, r, a, "admin.events.title"), Q: strings.TrimSpace(q.Get("q"))}
	all, _, err := p.Store.CurrentEvents(time.Time{}, true, "", 1<<30)
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	words := strings.Fields(catalogue.Fold(v.Q))
	var list []*catalogue.Event
	for _, e := range all {
		name := catalogue.Fold(e.Nom)
		keep := true
		for _, w := range words {
			keep = keep && strings.Contains(name, w)
		}
		if keep {
			list = append(list, e)
		}
	}
	slices.SortFunc(list, func(x, y *catalogue.Event) int { return cmp.Or(y.Debut.Compare(x.Debut), cmp.Compare(x.ID, y.ID)) })
	start, _ := strconv.Atoi(q.Get("page"))
	start = max(0, min(start, len(list)))
	end := min(start+page.PageSize, len(list))
	v.Total = len(list)
	names := map[string]string{}
	for _, e := range list[start:end] {
		if _, ok := names[e.Lieu]; !ok {
			if pl, err := p.Store.Place(e.Lieu); err == nil {
				names[e.Lieu] = pl.Nom
			}
		}
		v.Events = append(v.Events, eventRow{Event: e, PlaceName: names[e.Lieu], Series: e.Recurrence != ""})
	}
	link := url.Values{}
	if v.Q != "" {
		link.Set("q", v.Q)
	}
	if start > 0 {
		v.FirstURL = "/admin/evenements?" + link.Encode()
	}
	if end < len(list) {
		link.Set("page", strconv.Itoa(end))
		v.NextURL = "/admin/evenements?" + link.Encode()
	}
	p.Render(w, r, http.StatusOK, "admin_events", v)
}

// eventEdit is what the event form shows: the values as typed, and the
// problems found.
type eventEdit struct {
	values   map[string]string
	lists    map[string][]string
	repeat   forms.RepeatForm
	problems map[string]string
}

// eventFieldOrder is the order of the fields, for the error summary;
// Validate's "debut" and "fin" point to the date and the end time.
var eventFieldOrder = []string{"nom", "lieu", "etape_nom", "etape_adresse", "etape_code_postal", "etape_commune", "etape_latitude", "etape_longitude", "debut_date", "debut_heure", "fin_heure", "fin_date", "repetition", "jours",
	"intervalle", "rang", "jour_mois", "jusqu_au", "occurrences", "rrule", "description", "services", "publics",
	"frais_a_charge", "inscription", "capacite", "statut"}

var eventFieldAlias = map[string]string{"debut": "debut_date", "fin": "fin_heure", "recurrence": "repetition"}

// eventEditOf draws the form of a stored event, in Paris time.
func eventEditOf(e *catalogue.Event) *eventEdit {
	f := &eventEdit{values: map[string]string{"nom": e.Nom, "description": e.Description, "lieu": e.Lieu,
		"inscription": e.Inscription, "statut": e.Statut},
		lists:    map[string][]string{"services": e.Services, "publics": e.Publics, "frais_a_charge": e.Frais},
		repeat:   forms.RepeatFromRule(e.Recurrence),
		problems: map[string]string{}}
	if !e.Debut.IsZero() {
		d, fin := e.Debut.In(catalogue.Paris), e.Fin.In(catalogue.Paris)
		f.values["debut_date"], f.values["debut_heure"] = d.Format("2006-01-02"), d.Format("15:04")
		f.values["fin_heure"] = fin.Format("15:04")
		if fin.Format("2006-01-02") != f.values["debut_date"] {
			f.values["fin_date"] = fin.Format("2006-01-02")
		}
	}
	if e.Capacite != nil {
		f.values["capacite"] = strconv.Itoa(*e.Capacite)
	}
	stopEditOf(e, f)
	return f
}

// eventFromForm reads a submitted form into e; it returns the form as
// typed, with its problems.
func (p *Module) eventFromForm(form url.Values, e *catalogue.Event) *eventEdit {
	f := &eventEdit{values: map[string]string{}, lists: map[string][]string{}, repeat: forms.RepeatFromForm(form), problems: map[string]string{}}
	for _, name := range []string{"nom", "lieu", "debut_date", "debut_heure", "fin_date", "fin_heure", "inscription", "capacite"} {
		f.values[name] = forms.CleanLine(form.Get(name))
	}
	f.values["description"] = strings.TrimSpace(form.Get("description"))
	for _, name := range []string{"services", "publics", "frais_a_charge"} {
		f.lists[name] = form[name]
	}
	e.Nom, e.Description, e.Lieu, e.Inscription = f.values["nom"], f.values["description"], f.values["lieu"], f.values["inscription"]
	e.Services, e.Publics, e.Frais = f.lists["services"], f.lists["publics"], f.lists["frais_a_charge"]
	e.Statut = catalogue.StatusScheduled
	if form.Get("annule") == "1" {
		e.Statut = catalogue.StatusCancelled
	}
	f.values["statut"] = e.Statut
	e.Debut, e.Fin = time.Time{}, time.Time{}
	day, err := time.ParseInLocation("2006-01-02", f.values["debut_date"], catalogue.Paris)
	switch {
	case f.values["debut_date"] == "":
		f.problems["debut_date"] = p.Msg.Get("admin.event.date.required")
	case err != nil:
		f.problems["debut_date"] = p.Msg.Get("admin.event.date.invalid")
	}
	endDay := day
	if f.values["fin_date"] != "" {
		if endDay, err = time.ParseInLocation("2006-01-02", f.values["fin_date"], catalogue.Paris); err != nil {
			f.problems["fin_date"] = p.Msg.Get("admin.event.date.invalid")
		}
	}
	from, ok1 := forms.ClockMinutes(f.values["debut_heure"])
	to, ok2 := forms.ClockMinutes(f.values["fin_heure"])
	if !ok1 {
		f.problems["debut_heure"] = p.Msg.Get("admin.event.time.invalid")
	}
	if !ok2 {
		f.problems["fin_heure"] = p.Msg.Get("admin.event.time.invalid")
	}
	if len(f.problems) == 0 {
		e.Debut = time.Date(day.Year(), day.Month(), day.Day(), from/60, from%60, 0, 0, catalogue.Paris)
		e.Fin = time.Date(endDay.Year(), endDay.Month(), endDay.Day(), to/60, to%60, 0, 0, catalogue.Paris)
	}
	e.Capacite = nil
	if c := f.values["capacite"]; c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 {
			f.problems["capacite"] = p.Msg.Get("admin.event.capacity.invalid")
		} else {
			e.Capacite = &n
		}
	}
	rule, field, key := f.repeat.RRule()
	if field != "" {
		f.problems[field] = p.Msg.Get(key)
	}
	e.Recurrence = rule
	e.Etape = p.stopFromForm(form, f)
	e.Normalize()
	var verr *catalogue.ValidationError
	if err := e.Validate(); errors.As(err, &verr) {
		f.addProblems(verr.Fields)
	}
	return f
}

// addProblems adds Validate's (or the store's) problems, on the form's
// fields.
func (f *eventEdit) addProblems(fields map[string]string) {
	for k, msg := range fields {
		if alias, ok := eventFieldAlias[k]; ok {
			k = alias
		}
		k = strings.Replace(k, "etape.", "etape_", 1) // the stop's fields (admin_stops.go)
		if _, seen := f.problems[k]; !seen {
			f.problems[k] = msg
		}
	}
}

// eventFormView is the data of the event form.
type eventFormView struct {
	adminView
	ID, Name      string
	Problems      []problem
	F             map[string]textField
	Checks        map[string]checkField
	Local, Remote []option
	// MorePlaces says other networks' places were left out of Remote:
	// the filter box then asks the API for those that match.
	MorePlaces  bool
	LieuProblem string
	AtAddress   bool // at another address than the place: a stop (admin_stops.go)
	Cancelled   bool
	Repeat      forms.RepeatForm
	Kinds       []option
	Ranks, Days []option
	WeekDays    checkField
}

func (p *Module) eventFormView(w http.ResponseWriter, r *http.Request, a *adminSession, id, name string, f *eventEdit) (eventFormView, error) {
	title, args := "admin.events.new", []any(nil)
	if id != "" {
		title, args = "admin.events.edit", []any{name}
	}
	v := eventFormView{adminView: p.adminView(w, r, a, title, args...), ID: id, Name: name, F: map[string]textField{},
		Checks: map[string]checkField{}, LieuProblem: f.problems["lieu"], Cancelled: f.values["statut"] == catalogue.StatusCancelled, Repeat: f.repeat}
	label := func(name string) string { return p.Msg.Get("admin.event." + name) }
	for name, kind := range map[string]string{"nom": "", "description": "", "debut_date": "date", "debut_heure": "time",
		"fin_heure": "time", "fin_date": "date", "inscription": "url", "capacite": "number"} {
		tf := textField{Name: name, ID: name, Label: label(name), Value: f.values[name], Problem: f.problems[name], Type: kind}
		tf.Required = name == "nom" || name == "debut_date" || name == "debut_heure" || name == "fin_heure"
		if hint, ok := p.Msg.Lookup("admin.hint." + name); ok {
			tf.Hint = hint
		}
		if name == "description" {
			tf.Rows = 6
		}
		v.F[name] = tf
	}
	for name, kind := range map[string]string{"intervalle": "number", "jusqu_au": "date", "occurrences": "number", "rrule": ""} {
		value := map[string]string{"intervalle": f.repeat.Interval, "jusqu_au": f.repeat.Until, "occurrences": f.repeat.Count, "rrule": f.repeat.Rule}[name]
		tf := textField{Name: name, ID: name, Label: label(name), Value: value, Problem: f.problems[name], Type: kind}
		if hint, ok := p.Msg.Lookup("admin.hint." + name); ok {
			tf.Hint = hint
		}
		v.F[name] = tf
	}
	p.stopFormFields(&v, f)
	publics := append(slices.Clone(catalogue.Publics.Values), catalogue.PrisesEnCharge.Values...)
	for name, values := range map[string][]string{"services": catalogue.Services.Values, "publics": publics, "frais_a_charge": catalogue.Frais.Values} {
		cf := checkField{Name: name, ID: name, Label: label(name), Problem: f.problems[name]}
		for _, val := range values {
			cf.Options = append(cf.Options, option{Value: val, Label: val, Checked: page.Has(f.lists[name], val)})
		}
		for _, val := range f.lists[name] {
			if !page.Has(values, val) {
				cf.Options = append(cf.Options, option{Value: val, Label: val, Checked: true})
			}
		}
		v.Checks[name] = cf
	}
	v.WeekDays = checkField{Name: "jours", ID: "jours", Label: label("jours"), Problem: f.problems["jours"]}
	for i, d := range forms.RRuleDayNames {
		v.WeekDays.Options = append(v.WeekDays.Options, option{Value: d, Label: p.Msg.Weekday(i), Checked: page.Has(f.repeat.Days, d)})
		v.Days = append(v.Days, option{Value: d, Label: p.Msg.Weekday(i), Checked: f.repeat.Day == d})
	}
	for _, n := range []string{"1", "2", "3", "4", "-1"} {
		i, _ := strconv.Atoi(n)
		v.Ranks = append(v.Ranks, option{Value: n, Label: p.Msg.Ordinal(i), Checked: f.repeat.Rank == n})
	}
	for _, k := range []string{forms.RepeatNone, forms.RepeatWeekly, forms.RepeatMonthly, forms.RepeatRule} {
		v.Kinds = append(v.Kinds, option{Value: k, Label: p.Msg.Get("admin.event.repeat." + cmp.Or(k, "aucune")), Checked: f.repeat.Kind == k})
	}
	// The places: this network's first, then the others'.
	lieu := f.values["lieu"]
	found := false
	err := p.Store.EachPlace(func(pl *catalogue.Place) error {
		o := option{Value: pl.ID, Label: pl.Nom + " (" + pl.Commune + ")", Checked: pl.ID == lieu || pl.APID == lieu}
		found = found || o.Checked
		if pl.Network.Local {
			v.Local = append(v.Local, o)
		} else {
			v.Remote = append(v.Remote, o)
		}
		return nil
	})
	if err != nil {
		return v, err
	}
	byName := func(x, y option) int {
		return cmp.Or(cmp.Compare(catalogue.Fold(x.Label), catalogue.Fold(y.Label)), cmp.Compare(x.Value, y.Value))
	}
	slices.SortFunc(v.Local, byName)
	slices.SortFunc(v.Remote, byName)
	if len(v.Remote) > maxRemotePlaces {
		i := slices.IndexFunc(v.Remote, func(o option) bool { return o.Checked })
		keep := v.Remote[:maxRemotePlaces]
		if i >= maxRemotePlaces {
			keep = append(keep, v.Remote[i])
		}
		v.Remote, v.MorePlaces = keep, true
	}
	if lieu != "" && !found && v.LieuProblem == "" {
		v.LieuProblem = p.Msg.Get("admin.event.place.unknown")
	}
	for _, name := range eventFieldOrder {
		if msg, ok := f.problems[name]; ok {
			target := name
			switch name {
			case "jours", "repetition":
				target = name + "-0"
			}
			v.Problems = append(v.Problems, problem{ID: target, Label: label(name), Message: msg})
		}
	}
	return v, nil
}

func (p *Module) renderEventForm(w http.ResponseWriter, r *http.Request, a *adminSession, status int, id, name string, f *eventEdit) {
	v, err := p.eventFormView(w, r, a, id, name, f)
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Render(w, r, status, "admin_event_form", v)
}

// localEvent returns the event of the path's id when this network
// publishes it; otherwise it answers (404, or 403 for another network's
// event) and returns nil.
func (p *Module) localEvent(w http.ResponseWriter, r *http.Request, a *adminSession) *catalogue.Event {
	e, err := p.Store.Event(mux.Vars(r)["id"])
	if err != nil {
		p.adminFail(w, r, a, err)
		return nil
	}
	if !e.Network.Local {
		p.adminMessage(w, r, http.StatusForbidden, a, "admin.forbidden.title", "admin.events.readonly")
		return nil
	}
	return e
}

// newEvent shows an empty event form; ?lieu= preselects a place.
func (p *Module) newEvent(w http.ResponseWriter, r *http.Request, a *adminSession) {
	e := &catalogue.Event{Lieu: r.URL.Query().Get("lieu")}
	p.renderEventForm(w, r, a, http.StatusOK, "", "", eventEditOf(e))
}

// editEvent shows the form of a local event, or a read-only notice for
// another network's.
func (p *Module) editEvent(w http.ResponseWriter, r *http.Request, a *adminSession) {
	e := p.localEvent(w, r, a)
	if e == nil {
		return
	}
	p.renderEventForm(w, r, a, http.StatusOK, e.ID, e.Nom, eventEditOf(e))
}

// saveEvent creates or updates an event from the form; with problems the
// form comes back as typed, status 422, and nothing is stored.
func (p *Module) saveEvent(w http.ResponseWriter, r *http.Request, a *adminSession) {
	id := mux.Vars(r)["id"]
	e := &catalogue.Event{}
	if id != "" {
		old := p.localEvent(w, r, a)
		if old == nil {
			return
		}
		id = old.ID
	}
	f := p.eventFromForm(r.PostForm, e)
	if len(f.problems) > 0 {
		p.renderEventForm(w, r, a, http.StatusUnprocessableEntity, id, e.Nom, f)
		return
	}
	var err error
	if id == "" {
		err = p.Store.CreateEvent(e)
	} else {
		err = p.Store.UpdateEvent(id, e)
	}
	var verr *catalogue.ValidationError
	if errors.As(err, &verr) {
		f.addProblems(verr.Fields)
		p.renderEventForm(w, r, a, http.StatusUnprocessableEntity, id, e.Nom, f)
		return
	}
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/evenements/"+url.PathEscape(e.ID)+"?ok=evenement-enregistre", http.StatusSeeOther)
}

func (p *Module) confirmDeleteEvent(w http.ResponseWriter, r *http.Request, a *adminSession) {
	e := p.localEvent(w, r, a)
	if e == nil {
		return
	}
	v := confirmView{adminView: p.adminView(w, r, a, "admin.events.delete.title", e.Nom), Name: e.Nom,
		Action: "/admin/evenements/" + e.ID + "/supprimer", Back: "/admin/evenements/" + e.ID}
	p.Render(w, r, http.StatusOK, "admin_confirm", v)
}

func (p *Module) deleteEventForm(w http.ResponseWriter, r *http.Request, a *adminSession) {
	err := p.Store.DeleteEvent(mux.Vars(r)["id"])
	switch {
	case errors.Is(err, storage.ErrReadOnly):
		p.adminMessage(w, r, http.StatusForbidden, a, "admin.forbidden.title", "admin.events.readonly")
	case err != nil:
		p.adminFail(w, r, a, err)
	default:
		http.Redirect(w, r, "/admin/evenements?ok=evenement-supprime", http.StatusSeeOther)
	}
}
