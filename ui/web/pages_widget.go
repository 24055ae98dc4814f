package web

import (
	"net/http"
	"strconv"

	"github.com/maillage/maillage/ui/internal/page"
)

// Widgets are lists made to be embedded in a partner's site with an
// iframe: no navigation, links that open the full page in a new tab, the
// same filter parameters as /lieux and /evenements, and limit (1–100).

// widgetView is the data of both widgets.
type widgetView struct {
	searchView
	Base   string
	Events []eventItem
	More   string // the full list on this site
}

func widgetLimit(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("limit"))
	if err != nil || n < 1 {
		return page.PageSize
	}
	return min(n, 100)
}

func (p *Module) widgetPlaces(w http.ResponseWriter, r *http.Request) {
	sv, status, err := p.searchData(r, "/widget/lieux", widgetLimit(r))
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v := widgetView{searchView: sv, Base: p.BaseURL()}
	v.Layout = p.Layout(p.Msg.Get("widget.places.title"), "")
	v.Robots = "noindex"
	v.More = p.BaseURL() + "/lieux" + queryString(sv.Form.values())
	p.Render(w, r, status, "widget_places", v)
}

func (p *Module) widgetEvents(w http.ResponseWriter, r *http.Request) {
	f := readEventForm(r.URL.Query())
	v := widgetView{Base: p.BaseURL()}
	v.Layout = p.Layout(p.Msg.Get("widget.events.title"), "")
	v.Robots = "noindex"
	es, err := p.resolveEvents(r, f, widgetLimit(r))
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v.Problems = es.Problems
	g := f
	g.Cursor = ""
	v.More = p.BaseURL() + "/evenements" + queryString(g.values())
	if len(es.Problems) > 0 {
		p.Render(w, r, http.StatusBadRequest, "widget_events", v)
		return
	}
	res, err := p.findEvents(es)
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v.Total = res.Total
	v.Events = p.eventItems(res.Items, true, es.until())
	p.Render(w, r, http.StatusOK, "widget_events", v)
}
