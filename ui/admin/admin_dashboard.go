package admin

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// dashboardView is the data of the admin home page.
type dashboardView struct {
	adminView
	Places, Remote, Events, Reports, Pending int // Reports: those waiting
	Last                                     reportList
	Empty                                    bool // no place at all: offer to import or load the sample
	Sample                                   bool // the sample data can be loaded from here
}

// reportList is what the reportList template shows: reports, with the
// buttons that mark them handled or waiting again when Actions is set.
type reportList struct {
	Reports []storage.Report
	Actions bool
	CSRF    string
}

// waiting returns the reports no editor has marked handled yet.
func waiting(reports []storage.Report) []storage.Report {
	var out []storage.Report
	for _, r := range reports {
		if r.Handled.IsZero() {
			out = append(out, r)
		}
	}
	return out
}

// dashboard is /admin: what this instance holds, and the last reports.
func (p *Module) dashboard(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v := dashboardView{adminView: p.adminView(w, r, a, "admin.dashboard.title")}
	local, err := p.Store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1, Records: true})
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	all, err := p.Store.Places(catalogue.PlaceQuery{Limit: 1, Records: true})
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	events, err := p.Store.Events(catalogue.EventQuery{Network: "local", From: p.Now(), Limit: 1})
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	reports, err := p.Store.Reports()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	open := waiting(reports)
	v.Places, v.Remote, v.Events, v.Reports = local.Total, all.Total-local.Total, events.Total, len(open)
	v.Last = reportList{Reports: open[:min(5, len(open))]}
	v.Empty = all.Total == 0
	if v.Empty {
		if v.Empty, err = p.catalogueEmpty(); err != nil {
			p.adminFail(w, r, a, err)
			return
		}
	}
	v.Sample = v.Empty && p.Sample != nil
	if v.Federated && v.IsAdmin {
		fs, err := p.Store.Followers()
		if err != nil {
			p.adminFail(w, r, a, err)
			return
		}
		for _, f := range fs {
			if f.State == storage.FollowPending {
				v.Pending++
			}
		}
	}
	p.Render(w, r, http.StatusOK, "admin_dashboard", v)
}

// reportsView is the data of /admin/signalements.
type reportsView struct {
	adminView
	Waiting, Handled reportList
}

// reportsPage lists the error reports received, newest first.
func (p *Module) reportsPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	list, err := p.Store.Reports()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v := reportsView{adminView: p.adminView(w, r, a, "admin.reports.title")}
	v.Waiting = reportList{Reports: waiting(list), Actions: true, CSRF: v.CSRF}
	v.Handled = reportList{Actions: true, CSRF: v.CSRF}
	for _, rep := range list {
		if !rep.Handled.IsZero() {
			v.Handled.Reports = append(v.Handled.Reports, rep)
		}
	}
	p.Render(w, r, http.StatusOK, "admin_reports", v)
}

// handleReport marks a report as dealt with (handled true) or as waiting
// again.
func (p *Module) handleReport(handled bool) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, a *adminSession) {
		if err := p.Store.SetReportHandled(mux.Vars(r)["id"], a.Email, handled); err != nil {
			p.adminFail(w, r, a, err)
			return
		}
		flash := "signalement-traite"
		if !handled {
			flash = "signalement-rouvert"
		}
		http.Redirect(w, r, "/admin/signalements?ok="+flash, http.StatusSeeOther)
	}
}
