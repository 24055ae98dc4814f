package web

import (
	"fmt"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

// staleAfter is the age of a place's last update after which its page
// warns that the information may be out of date.
const staleAfter = 12 // months

// placeEventDays is how far ahead a place page looks for its next events.
const placeEventDays = 92

// placeEvents is how many events a place page lists.
const placeEvents = 5

// placeView is the data of a place page.
type placeView struct {
	page.Layout
	Place      *catalogue.Place
	Typologies []string
	Labels     []string
	Week       []page.DayHours
	Status     page.OpenStatus
	HoursRead  bool
	Events     []eventItem
	AgendaURL  string
	Updated    time.Time
	Stale      bool
	MapLink    string
	RouteLink  string
	Approx     bool // at its commune's centre
	Lat, Lon   string
	JSONLD     map[string]any
	Report     reportForm
}

// reportForm is the "signaler une erreur" form.
type reportForm struct {
	CSRF        string
	Message     string
	Contact     string
	Problems    map[string]string
	Sent        bool
	Unavailable bool
	Forbidden   bool
}

func (p *Module) place(w http.ResponseWriter, r *http.Request) {
	v, err := p.placeData(mux.Vars(r)["id"])
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v.Report.CSRF = p.CSRF.Token(w, r, p.Secure(r))
	v.Report.Sent = r.URL.Query().Get("signalement") == "envoye"
	w.Header().Set("Cache-Control", "private, no-cache")
	p.Render(w, r, http.StatusOK, "place", v)
}

func (p *Module) placeData(id string) (placeView, error) {
	pl, err := p.Store.MergedPlace(id)
	if err != nil {
		return placeView{}, err
	}
	now := p.Now().In(catalogue.Paris)
	if pl.Pivot == catalogue.UnknownPivot {
		pl.Pivot = "" // the standard's "unknown" is no number to show
	}
	v := placeView{Layout: p.Layout(pl.Nom, "lieux"), Place: pl}
	v.Canonical = p.BaseURL() + "/lieux/" + url.PathEscape(pl.ID)
	v.OpenGraph = true
	v.MetaDescription = placeDescription(p.Msg.Get("place.meta", pl.Commune, strings.Join(pl.Services, ", ")), pl.PresentationResume)
	for _, t := range pl.Typologie {
		if l := catalogue.TypologieLabel(t); l != "" {
			v.Typologies = append(v.Typologies, l)
		} else {
			v.Typologies = append(v.Typologies, t)
		}
	}
	v.Labels = append(append(append(v.Labels, pl.Dispositifs...), pl.FormationsLabels...), pl.AutresLabels...)
	if h := p.Hours.Get(hoursText(pl)); h != nil {
		v.Week, v.Status = page.Week(h, now)
		v.HoursRead = true
	}
	// A recurring atelier is listed once, with its next dates; the
	// index's events by place make it cheap whatever the span.
	to := now.AddDate(0, 0, placeEventDays)
	ids := []string{pl.ID, pl.APID}
	for _, s := range pl.Sources { // a merged place's events are at its records
		ids = append(ids, s.ID, s.APID)
	}
	next, err := p.Store.NextEvents([][]string{ids}, now, to, placeEvents)
	if err != nil {
		return placeView{}, err
	}
	v.Events = p.eventItems(next[0], false, to)
	v.AgendaURL = "/evenements?place=" + url.QueryEscape(pl.ID)
	if d, err := time.ParseInLocation("2006-01-02", pl.DateMaj, catalogue.Paris); err == nil {
		v.Updated = d
	} else if !pl.Updated.IsZero() {
		v.Updated = pl.Updated.In(catalogue.Paris)
	}
	v.Stale = !v.Updated.IsZero() && v.Updated.Before(now.AddDate(0, -staleAfter, 0))
	if pl.HasCoordinates() {
		v.Lat = strconv.FormatFloat(*pl.Latitude, 'f', 6, 64)
		v.Lon = strconv.FormatFloat(*pl.Longitude, 'f', 6, 64)
		v.Map = true
		v.MapLink = "https://www.openstreetmap.org/?mlat=" + v.Lat + "&mlon=" + v.Lon + "#map=17/" + v.Lat + "/" + v.Lon
		v.RouteLink = "https://www.openstreetmap.org/directions?to=" + v.Lat + "%2C" + v.Lon
		if pl.PositionApproximative { // no route to a commune's centre
			v.Approx, v.MapLink, v.RouteLink = true, "", ""
		}
	}
	v.JSONLD = p.placeJSONLD(pl, v.Canonical, v.Week)
	return v, nil
}

// placeJSONLD is the schema.org description of a place.
func (p *Module) placeJSONLD(pl *catalogue.Place, pageURL string, week []page.DayHours) map[string]any {
	doc := map[string]any{
		"@context": "https://schema.org",
		"@type":    "CivicStructure",
		"@id":      pageURL,
		"url":      pageURL,
		"name":     pl.Nom,
		"address": map[string]any{
			"@type":           "PostalAddress",
			"streetAddress":   strings.TrimSpace(pl.Adresse + " " + pl.ComplementAdresse),
			"postalCode":      pl.CodePostal,
			"addressLocality": pl.Commune,
			"addressCountry":  "FR",
		},
	}
	if pl.PresentationResume != "" {
		doc["description"] = pl.PresentationResume
	}
	if pl.HasCoordinates() && !pl.PositionApproximative {
		doc["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": *pl.Latitude, "longitude": *pl.Longitude}
	}
	if pl.Telephone != "" {
		doc["telephone"] = pl.Telephone
	}
	if len(pl.Courriels) > 0 {
		doc["email"] = pl.Courriels[0]
	}
	if len(pl.SiteWeb) > 0 {
		doc["sameAs"] = pl.SiteWeb
	}
	if pl.Horaires != "" && pl.HoursError == "" {
		doc["openingHours"] = pl.Horaires
	}
	var specs []map[string]any
	for _, d := range week {
		for _, s := range d.Spans {
			closes := s.To.Format("15:04")
			if s.To.Equal(d.Date.AddDate(0, 0, 1)) {
				closes = "23:59"
			}
			specs = append(specs, map[string]any{
				"@type":        "OpeningHoursSpecification",
				"dayOfWeek":    "https://schema.org/" + d.Date.Weekday().String(),
				"opens":        s.From.Format("15:04"),
				"closes":       closes,
				"validFrom":    d.Date.Format("2006-01-02"),
				"validThrough": d.Date.Format("2006-01-02"),
			})
		}
	}
	if specs != nil {
		doc["openingHoursSpecification"] = specs
	}
	if pl.Network.Name != "" {
		doc["maintainer"] = map[string]any{"@type": "Organization", "name": pl.Network.Name, "url": pl.Network.Actor}
	}
	if pl.DateMaj != "" {
		doc["dateModified"] = pl.DateMaj
	}
	return doc
}

// maxReport bounds a report's message, in characters.
const maxReport = 2000

// report receives the "signaler une erreur" form of a place page.
func (p *Module) report(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	v, err := p.placeData(id)
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 32<<10)
	if err := r.ParseForm(); err != nil {
		v.Report.Problems = map[string]string{"message": p.Msg.Get("report.toolong")}
		v.Report.CSRF = p.CSRF.Token(w, r, p.Secure(r))
		p.Render(w, r, http.StatusRequestEntityTooLarge, "place", v)
		return
	}
	f := &v.Report
	f.Message = strings.TrimSpace(r.PostForm.Get("message"))
	f.Contact = strings.TrimSpace(r.PostForm.Get("contact"))
	if !p.CSRF.Check(r, r.PostForm.Get("csrf"), p.BaseURL()) {
		f.Forbidden = true
		f.CSRF = p.CSRF.Token(w, r, p.Secure(r))
		p.Render(w, r, http.StatusForbidden, "place", v)
		return
	}
	f.CSRF = p.CSRF.Token(w, r, p.Secure(r))
	problems := map[string]string{}
	switch n := utf8.RuneCountInString(f.Message); {
	case n == 0:
		problems["message"] = p.Msg.Get("report.message.required")
	case n > maxReport:
		problems["message"] = p.Msg.Get("report.toolong")
	}
	if f.Contact != "" {
		if a, err := mail.ParseAddress(f.Contact); err != nil || a.Address != f.Contact || len(f.Contact) > 254 {
			problems["contact"] = p.Msg.Get("report.contact.invalid")
		}
	}
	if len(problems) > 0 {
		f.Problems = problems
		p.Render(w, r, http.StatusUnprocessableEntity, "place", v)
		return
	}
	if p.Reports == nil {
		f.Unavailable = true
		p.Render(w, r, http.StatusServiceUnavailable, "place", v)
		return
	}
	err = p.Reports.AddReport(server.Report{Place: v.Place.ID, PlaceAP: v.Place.APID, Message: f.Message, Contact: f.Contact, Created: p.Now()})
	if err != nil {
		p.Fail(w, r, fmt.Errorf("store report: %w", err))
		return
	}
	http.Redirect(w, r, "/lieux/"+url.PathEscape(v.Place.ID)+"?signalement=envoye#signaler", http.StatusSeeOther)
}
