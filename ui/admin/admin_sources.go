package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/sources"
	"github.com/maillage/maillage/storage"
)

// sourcesView is the data of /admin/sources.
type sourcesView struct {
	adminView
	Sources []sourceItem
	Alerts  []storage.Alert
	// The form that adds a source, with what was typed and its problems.
	URL, Name, Mapping textField
	Every              string // the period chosen, as a time.Duration string
	Periods            []option
	MaxVanished        textField
	EveryProblem       string
	Problems           []problem
}

// sourceItem is a scheduled source with its last runs.
type sourceItem struct {
	storage.Source
	Runs []storage.SourceRun
	// MappingJSON is its mapping in the format of --mapping, or "".
	MappingJSON string
}

// sourcePeriods are the periods the form offers.
var sourcePeriods = []struct {
	every time.Duration
	key   string
}{
	{time.Hour, "admin.sources.period.hour"},
	{6 * time.Hour, "admin.sources.period.6h"},
	{24 * time.Hour, "admin.sources.period.day"},
	{7 * 24 * time.Hour, "admin.sources.period.week"},
}

// sourceForm fills the add form of v with what was typed.
func (p *Module) sourceForm(v *sourcesView, r *http.Request) {
	v.URL = textField{Name: "url", ID: "source-url", Label: p.Msg.Get("admin.sources.url"), Hint: p.Msg.Get("admin.sources.url.hint"),
		Value: r.PostFormValue("url"), Type: "url", Required: true}
	v.Name = textField{Name: "nom", ID: "source-nom", Label: p.Msg.Get("admin.sources.name"), Value: r.PostFormValue("nom")}
	v.MaxVanished = textField{Name: "disparus", ID: "source-disparus", Label: p.Msg.Get("admin.sources.vanished"),
		Hint: p.Msg.Get("admin.sources.vanished.hint"), Value: r.PostFormValue("disparus"), Type: "number"}
	if v.MaxVanished.Value == "" {
		v.MaxVanished.Value = strconv.Itoa(int(storage.DefaultMaxVanished * 100))
	}
	v.Mapping = textField{Name: "correspondance", ID: "source-correspondance", Label: p.Msg.Get("admin.sources.mapping"),
		Hint: p.Msg.Get("admin.sources.mapping.hint"), Value: r.PostFormValue("correspondance"), Rows: 4}
	v.Every = r.PostFormValue("periode")
	if v.Every == "" {
		v.Every = (24 * time.Hour).String()
	}
	for _, per := range sourcePeriods {
		v.Periods = append(v.Periods, option{Value: per.every.String(), Label: p.Msg.Get(per.key), Checked: per.every.String() == v.Every})
	}
}

// sourcesPage lists the scheduled sources, their last runs with counts
// and warnings, and the alerts, above the form that adds one.
func (p *Module) sourcesPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v := sourcesView{adminView: p.adminView(w, r, a, "admin.sources.title")}
	p.sourceForm(&v, r)
	p.renderSources(w, r, a, http.StatusOK, v)
}

func (p *Module) renderSources(w http.ResponseWriter, r *http.Request, a *adminSession, status int, v sourcesView) {
	srcs, err := p.Store.Sources()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	for _, src := range srcs {
		runs, err := p.Store.SourceRuns(src.ID, 5)
		if err != nil {
			p.adminFail(w, r, a, err)
			return
		}
		v.Sources = append(v.Sources, sourceItem{Source: src, Runs: runs, MappingJSON: mappingJSON(src.Mapping)})
	}
	if v.Alerts, err = p.Store.Alerts(20); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Render(w, r, status, "admin_sources", v)
}

// addSource registers a source from the form, checked as maillage source
// add checks it; a bad field is named in French and nothing is stored.
func (p *Module) addSource(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v := sourcesView{adminView: p.adminView(w, r, a, "admin.sources.title")}
	p.sourceForm(&v, r)
	in := sources.Input{URL: v.URL.Value, Name: v.Name.Value}
	problems := map[string]string{}
	every, err := time.ParseDuration(v.Every)
	if err != nil {
		problems[sources.FieldEvery] = p.Msg.Get("admin.sources.period.invalid")
	}
	in.Every = every
	if s := strings.TrimSpace(strings.Replace(v.MaxVanished.Value, ",", ".", 1)); s != "" {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 {
			problems[sources.FieldMaxVanished] = p.Msg.Get("admin.sources.vanished.invalid")
		}
		in.MaxVanished = f
	}
	if in.Mapping, err = sources.ParseMapping([]byte(v.Mapping.Value)); err != nil {
		problems[sources.FieldMapping] = err.Error()
	}
	src, checked := sources.Check(in, p.AllowPrivate)
	for f, msg := range checked {
		if _, seen := problems[f]; !seen {
			problems[f] = msg
		}
	}
	if len(problems) > 0 {
		for _, f := range []struct {
			name  string
			field *textField
		}{{sources.FieldURL, &v.URL}, {sources.FieldName, &v.Name}, {sources.FieldEvery, nil}, {sources.FieldMaxVanished, &v.MaxVanished}, {sources.FieldMapping, &v.Mapping}} {
			msg, bad := problems[f.name]
			if !bad {
				continue
			}
			if f.field == nil {
				v.EveryProblem = msg
				v.Problems = append(v.Problems, problem{ID: "source-periode", Label: p.Msg.Get("admin.sources.period"), Message: msg})
				continue
			}
			f.field.Problem = msg
			v.Problems = append(v.Problems, problem{ID: f.field.ID, Label: f.field.Label, Message: msg})
		}
		p.renderSources(w, r, a, http.StatusUnprocessableEntity, v)
		return
	}
	if _, err := p.Store.AddSource(src); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Log.Info("source added", "url", src.URL, "by", a.Email)
	http.Redirect(w, r, "/admin/sources?ok=source-ajoutee", http.StatusSeeOther)
}

// removeSource stops fetching a source; the places it imported stay.
func (p *Module) removeSource(w http.ResponseWriter, r *http.Request, a *adminSession) {
	if err := p.Store.RemoveSource(mux.Vars(r)["id"]); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Log.Info("source removed", "by", a.Email)
	http.Redirect(w, r, "/admin/sources?ok=source-retiree", http.StatusSeeOther)
}
