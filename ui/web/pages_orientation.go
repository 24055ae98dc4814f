package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/page"
)

// The orientation tool: a social worker describes a person's needs, picks
// places from a short list and prints a sheet. The person's name and the
// worker's notes are typed into the sheet page and printed; they are in
// no form and no script sends them: they never reach the server.

// maxSheetPlaces bounds the places of one sheet.
const maxSheetPlaces = 10

// orientationView is the data of /orientation.
type orientationView struct {
	searchView
	Picked []string
	// Ateliers are the ateliers already chosen (checked), then those the
	// search proposes.
	Ateliers       []eventItem
	PickedAteliers []string
}

func (p *Module) orientation(w http.ResponseWriter, r *http.Request) {
	var v orientationView
	status := http.StatusOK
	picked := p.pickedAteliers(r.URL.Query())
	for _, it := range picked {
		v.PickedAteliers = append(v.PickedAteliers, it.ID)
	}
	if readPlaceForm(r.URL.Query()).empty() {
		v.searchView = searchView{Options: p.options()}
		v.Options.ShowRadii = true
		v.Ateliers = picked
	} else {
		var err error
		v.searchView, status, err = p.searchData(r, "/orientation", maxSheetPlaces)
		if err != nil {
			p.Fail(w, r, err)
			return
		}
		v.NextURL, v.FirstURL = "", ""
		for i, it := range v.Items {
			if i < 3 {
				v.Picked = append(v.Picked, it.ID)
			}
		}
		v.Ateliers = picked
		if status == http.StatusOK {
			proposed, err := p.proposedAteliers(v.query, picked)
			if err != nil {
				p.Fail(w, r, err)
				return
			}
			v.Ateliers = append(v.Ateliers, proposed...)
		}
	}
	v.Layout = p.Layout(p.Msg.Get("orientation.title"), "orientation")
	v.Robots = "noindex"
	p.Render(w, r, status, "orientation", v)
}

// sheetPlace is a place on an orientation sheet.
type sheetPlace struct {
	placeItem
	Week      []page.DayHours
	HoursRead bool
}

// sheetView is the data of an orientation sheet.
type sheetView struct {
	page.Layout
	Places   []sheetPlace
	Ateliers []sheetAtelier
	Services []string
	ShareURL string
	QR       template.HTML
	Date     string
	BackURL  string
}

func (p *Module) orientationSheet(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := sheetView{Layout: p.Layout(p.Msg.Get("sheet.title"), "orientation")}
	v.Robots = "noindex"
	now := p.Now().In(catalogue.Paris)
	v.Date = p.Msg.Date(now)
	share := url.Values{}
	seen := map[string]bool{}
	for _, id := range q["lieu"] {
		if seen[id] || len(v.Places) == maxSheetPlaces {
			continue
		}
		seen[id] = true
		pl, err := p.Store.MergedPlace(id)
		if err != nil {
			continue // a place removed since the list was made
		}
		sp := sheetPlace{placeItem: p.placeItems([]*catalogue.Place{pl})[0]}
		if h := p.Hours.Get(hoursText(pl)); h != nil {
			sp.Week, sp.Status = page.Week(h, now)
			sp.HoursRead = true
		}
		v.Places = append(v.Places, sp)
		share.Add("lieu", pl.ID)
		if sp.Lat != "" {
			v.Map = true
		}
	}
	for _, it := range p.pickedAteliers(q) {
		sa := p.sheetAtelier(it, now)
		v.Ateliers = append(v.Ateliers, sa)
		share.Add("atelier", it.ID)
		if sa.Lat != "" {
			v.Map = true
		}
	}
	for _, s := range q["service"] {
		if c, ok := catalogue.Services.Canonical(s); ok && !page.Has(v.Services, c) {
			v.Services = append(v.Services, c)
			share.Add("service", c)
		}
	}
	v.ShareURL = p.BaseURL() + "/orientation/fiche" + queryString(share)
	back := url.Values{}
	back["service"] = v.Services
	back["atelier"] = share["atelier"]
	v.BackURL = "/orientation" + queryString(back)
	if len(v.Places)+len(v.Ateliers) > 0 {
		svg, err := qrSVG(v.ShareURL, p.Msg.Get("sheet.qr.alt"))
		if err != nil {
			p.Fail(w, r, err)
			return
		}
		v.QR = svg
	}
	status := http.StatusOK
	if len(v.Places)+len(v.Ateliers) == 0 {
		status = http.StatusNotFound
	}
	p.Render(w, r, status, "sheet", v)
}

// qrSVG draws the QR code of text as an inline SVG image.
func qrSVG(text, label string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	bits := q.Bitmap() // with its quiet zone
	var path strings.Builder
	for y, row := range bits {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	n := len(bits)
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges"><rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, template.HTMLEscapeString(label), n, n, path.String())), nil
}
