package ui

import (
	"net/http"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// dashboardView is the data of the admin home page.
type dashboardView struct {
	adminView
	Places, Remote, Events, Reports, Pending int
	Last                                     []storage.Report
}

// dashboard is /admin: what this instance holds, and the last reports.
func (p *pages) dashboard(w http.ResponseWriter, r *http.Request, a *adminSession) {
	v := dashboardView{adminView: p.adminView(w, r, a, "admin.dashboard.title")}
	local, err := p.s.store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1, Records: true})
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	all, err := p.s.store.Places(catalogue.PlaceQuery{Limit: 1, Records: true})
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	events, err := p.s.store.Events(catalogue.EventQuery{Network: "local", From: p.s.now(), Limit: 1})
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	reports, err := p.s.store.Reports()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	v.Places, v.Remote, v.Events, v.Reports = local.Total, all.Total-local.Total, events.Total, len(reports)
	v.Last = reports[:min(5, len(reports))]
	if v.Federated && v.IsAdmin {
		fs, err := p.s.store.Followers()
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
	p.render(w, r, http.StatusOK, "admin_dashboard", v)
}

// reportsView is the data of /admin/signalements.
type reportsView struct {
	adminView
	Reports []storage.Report
}

// reportsPage lists the error reports received, newest first.
func (p *pages) reportsPage(w http.ResponseWriter, r *http.Request, a *adminSession) {
	list, err := p.s.store.Reports()
	if err != nil {
		p.adminFail(w, r, a, err)
		return
	}
	p.render(w, r, http.StatusOK, "admin_reports", reportsView{adminView: p.adminView(w, r, a, "admin.reports.title"), Reports: list})
}
