package admin

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
)

// sourcesView is the data of /admin/sources.
type sourcesView struct {
	adminView
	Sources []sourceItem
	Alerts  []storage.Alert
}

// sourceItem is a scheduled source with its last runs.
type sourceItem struct {
	storage.Source
	Runs []storage.SourceRun
}

// sourcesPage lists the scheduled sources (added with `maillage source
// add`), their last runs with counts and warnings, and the alerts.
func (p *Module) sourcesPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	srcs, err := p.Store.Sources()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v := sourcesView{adminView: p.adminView(w, r, a, "admin.sources.title")}
	for _, src := range srcs {
		runs, err := p.Store.SourceRuns(src.ID, 5)
		if err != nil {
			p.adminFail(w, r, a, err)
			return
		}
		v.Sources = append(v.Sources, sourceItem{Source: src, Runs: runs})
	}
	if v.Alerts, err = p.Store.Alerts(20); err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.Render(w, r, http.StatusOK, "admin_sources", v)
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
