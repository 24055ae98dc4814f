package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/page"
)

// eventItem is an event, or one occurrence of it, in a list.
type eventItem struct {
	*catalogue.Event
	URL        string
	Place      *catalogue.Place // nil when the place is not in the catalogue
	PlaceURL   string
	Series     string      // how the event recurs, in words; "" for a single one
	OtherDates []time.Time // a recurring event's next dates after Debut, in the list's span
	Cancelled  bool
	Free       bool
	Distance   string   // from the agenda's "où ?"
	Specific   []string // the publics asked for that the event is for
	SheetURL   string   // adds it to an orientation sheet
}

// moreDates is how many next dates a recurring event's card shows after
// the one it is listed at.
const moreDates = 4

// eventItems prepares events for a list. With collapse, the occurrences
// of a recurring event after its first one on the page are gathered into
// the first one's OtherDates. A recurring event's OtherDates are also its
// next dates after the listed one, before until (none if zero).
func (p *Module) eventItems(list []*catalogue.Event, collapse bool, until time.Time) []eventItem {
	places := map[string]*catalogue.Place{}
	seen := map[string]int{}
	described := map[string]*catalogue.Event{}
	out := make([]eventItem, 0, len(list))
	for _, e := range list {
		if i, ok := seen[e.ID]; ok && collapse {
			if len(out[i].OtherDates) < moreDates && !slices.ContainsFunc(out[i].OtherDates, e.Debut.Equal) {
				out[i].OtherDates = append(out[i].OtherDates, e.Debut)
			}
			continue
		}
		it := eventItem{Event: e, URL: "/evenements/" + url.PathEscape(e.ID),
			Cancelled: e.Statut == catalogue.StatusCancelled, Free: page.Has(e.Frais, "Gratuit"),
			SheetURL: sheetURL(e.ID)}
		pl, ok := places[e.Lieu]
		if !ok {
			pl, _ = p.Store.MergedPlace(e.Lieu) // a place not (yet) known shows no link
			places[e.Lieu] = pl
		}
		if pl != nil {
			it.Place = pl
			it.PlaceURL = "/lieux/" + url.PathEscape(pl.ID)
		}
		if e.Recurrence != "" {
			// A list holds occurrences: the series is described from its
			// record, whose Debut is the first occurrence.
			whole, ok := described[e.ID]
			if !ok {
				if whole, _ = p.Store.Event(e.ID); whole == nil {
					whole = e
				}
				described[e.ID] = whole
			}
			it.Series = p.describeRecurrence(whole)
			if !until.IsZero() {
				for _, o := range whole.Occurrences(e.Debut, until) {
					if len(it.OtherDates) == moreDates {
						break
					}
					if o.Debut.After(e.Debut) {
						it.OtherDates = append(it.OtherDates, o.Debut)
					}
				}
			}
		}
		seen[e.ID] = len(out)
		out = append(out, it)
	}
	return out
}

// eventDay is the events of one day of the agenda.
type eventDay struct {
	Date  time.Time
	Items []eventItem
}

// eventGroup is a week or a month of the agenda.
type eventGroup struct {
	Title string
	Days  []eventDay
}

// agendaView is the data of the agenda.
type agendaView struct {
	page.Layout
	Form      eventForm
	Options   formOptions
	Problems  map[string]string
	Where     page.Where
	Total     int
	Groups    []eventGroup
	List      []eventItem
	NextURL   string
	FirstURL  string
	ShareURL  string
	ICSURL    string
	AtomURL   string
	ViewURLs  map[string]string
	PlaceName string
	Criteria  criteria
	// ChoiceLinks are the communes "où ?" may mean, as searches.
	ChoiceLinks []link
	NearClear   string
}

func (p *Module) agenda(w http.ResponseWriter, r *http.Request) {
	f := readEventForm(r.URL.Query())
	v := agendaView{Layout: p.Layout(p.Msg.Get("agenda.title"), "evenements"), Form: f, Options: p.options()}
	if !f.emptyFilters() {
		v.Robots = "noindex"
	}
	es, err := p.resolveEvents(r, f, 50)
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v.Where = es.Where
	v.ChoiceLinks = choiceLinks("/evenements", f.values(), es.Where)
	if f.Near != "" {
		g := f.values()
		g.Del("near")
		v.NearClear = "/evenements" + queryString(g)
	}
	if f.Place != "" {
		if pl, err := p.Store.MergedPlace(f.Place); err == nil {
			v.PlaceName = pl.Nom
		}
	}
	v.ViewURLs = map[string]string{}
	for _, vue := range []string{"semaine", "mois", "liste"} {
		g := f
		g.Vue, g.Cursor = vue, ""
		v.ViewURLs[vue] = "/evenements" + queryString(g.values())
	}
	if len(es.Problems) > 0 {
		v.Problems = es.Problems
		p.Render(w, r, http.StatusBadRequest, "agenda", v)
		return
	}
	res, err := p.findEvents(es)
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	commune := ""
	if es.Where.Commune != nil {
		commune = es.Where.Commune.Label()
	}
	v.Criteria.Active = p.eventCriteria(f, v.Options, commune, v.PlaceName, es.Query.RadiusKm)
	v.Criteria.Fold = len(v.Criteria.Active) > 0
	v.Total = res.Total
	feed := queryString(es.API)
	v.ICSURL = "/export/evenements.ics" + feed
	v.AtomURL = "/feed/evenements.atom" + feed
	vals := f.values()
	v.ShareURL = p.BaseURL() + "/evenements" + queryString(vals)
	if res.Next != "" {
		next := f.values()
		next.Set("cursor", res.Next)
		v.NextURL = "/evenements" + queryString(next)
	}
	if f.Cursor != "" {
		v.FirstURL = "/evenements" + queryString(vals)
	}
	items := p.eventItems(res.Items, false, es.until())
	for i, h := range res.Hits {
		if es.Query.Near != nil {
			items[i].Distance = formatKm(h.DistanceKm)
		}
		if h.Specific {
			for _, pub := range f.Publics {
				if page.Has(items[i].Publics, pub) {
					items[i].Specific = append(items[i].Specific, pub)
				}
			}
		}
	}
	if f.Vue == "liste" {
		v.List = items
	} else {
		v.Groups = p.groupEvents(items, f.Vue == "mois")
	}
	p.Render(w, r, http.StatusOK, "agenda", v)
}

func (f eventForm) emptyFilters() bool {
	g := f
	g.Vue = "semaine"
	return len(g.values()) == 0
}

// groupEvents puts occurrences, in order, into weeks (or months) and days.
func (p *Module) groupEvents(items []eventItem, byMonth bool) []eventGroup {
	var groups []eventGroup
	var key string
	for _, it := range items {
		start := it.Debut.In(catalogue.Paris)
		var k, title string
		if byMonth {
			k = start.Format("2006-01")
			title = p.Msg.Month(start.Month()) + " " + strconv.Itoa(start.Year())
			title = strings.ToUpper(title[:1]) + title[1:]
		} else {
			y, m, d := start.Date()
			monday := time.Date(y, m, d-(int(start.Weekday())+6)%7, 0, 0, 0, 0, catalogue.Paris)
			k = monday.Format("2006-01-02")
			title = p.Msg.Get("agenda.week", p.Msg.DayMonth(monday))
		}
		if k != key || len(groups) == 0 {
			groups = append(groups, eventGroup{Title: title})
			key = k
		}
		g := &groups[len(groups)-1]
		y, m, d := start.Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, catalogue.Paris)
		if n := len(g.Days); n == 0 || !g.Days[n-1].Date.Equal(day) {
			g.Days = append(g.Days, eventDay{Date: day})
		}
		dd := &g.Days[len(g.Days)-1]
		dd.Items = append(dd.Items, it)
	}
	return groups
}

// eventView is the data of an event page.
type eventView struct {
	page.Layout
	Item        eventItem
	Description template.HTML
	PlainText   bool
	Next        []catalogue.Occurrence
	Past        bool
	JSONLD      map[string]any
	Lat, Lon    string
	// Likes and Boosts count the fediverse users who liked or shared
	// one of our events.
	Likes, Boosts int
}

func (p *Module) event(w http.ResponseWriter, r *http.Request) {
	e, err := p.Store.Event(mux.Vars(r)["id"])
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	now := p.Now()
	v := eventView{Layout: p.Layout(e.Nom, "evenements")}
	v.Canonical = p.BaseURL() + "/evenements/" + url.PathEscape(e.ID)
	v.Item = p.eventItems([]*catalogue.Event{e}, false, time.Time{})[0]
	v.OpenGraph = true
	where := ""
	if st := e.Etape; st != nil {
		where = st.Nom + ", " + st.Commune
	} else if pl := v.Item.Place; pl != nil {
		where = pl.Nom + ", " + pl.Commune
	}
	v.MetaDescription = placeDescription(p.Msg.Get("event.meta", p.Msg.Date(e.Debut), where), plainText(e.Description))
	if e.Recurrence != "" {
		v.Next = e.Occurrences(now, now.AddDate(1, 0, 0))
		if len(v.Next) > 10 {
			v.Next = v.Next[:10]
		}
		v.Past = len(v.Next) == 0
	} else {
		v.Past = e.Fin.Before(now)
	}
	if strings.ContainsAny(e.Description, "<>") {
		v.Description = template.HTML(catalogue.SanitizeHTML(e.Description))
	} else {
		v.PlainText = true
	}
	if lat, lon, ok := e.Position(v.Item.Place); ok {
		v.Lat = strconv.FormatFloat(lat, 'f', 6, 64)
		v.Lon = strconv.FormatFloat(lon, 'f', 6, 64)
		v.Map = true
	}
	v.JSONLD = p.eventJSONLD(v.Item, v.Canonical, v.Next)
	if e.Network.Local {
		if v.Likes, v.Boosts, err = p.Store.Reactions(e.APID); err != nil {
			p.Fail(w, r, err)
			return
		}
	}
	p.Render(w, r, http.StatusOK, "event", v)
}

// eventJSONLD is the schema.org description of an event: its next
// occurrence when it recurs.
func (p *Module) eventJSONLD(it eventItem, pageURL string, next []catalogue.Occurrence) map[string]any {
	e := it.Event
	start, end := e.Debut, e.Fin
	if len(next) > 0 {
		start, end = next[0].Debut, next[0].Fin
	}
	status := "https://schema.org/EventScheduled"
	if it.Cancelled {
		status = "https://schema.org/EventCancelled"
	}
	doc := map[string]any{
		"@context":            "https://schema.org",
		"@type":               "Event",
		"@id":                 pageURL,
		"url":                 pageURL,
		"name":                e.Nom,
		"startDate":           start.In(catalogue.Paris).Format(time.RFC3339),
		"endDate":             end.In(catalogue.Paris).Format(time.RFC3339),
		"eventStatus":         status,
		"eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
		"inLanguage":          "fr",
	}
	if d := strings.TrimSpace(stripTags(e.Description)); d != "" {
		doc["description"] = d
	}
	if st := e.Etape; st != nil {
		loc := map[string]any{"@type": "Place", "name": st.Nom, "address": map[string]any{
			"@type": "PostalAddress", "streetAddress": st.Adresse, "postalCode": st.CodePostal,
			"addressLocality": st.Commune, "addressCountry": "FR",
		}}
		if st.HasCoordinates() {
			loc["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": *st.Latitude, "longitude": *st.Longitude}
		}
		doc["location"] = loc
	} else if pl := it.Place; pl != nil {
		loc := map[string]any{
			"@type": "Place",
			"name":  pl.Nom,
			"url":   p.BaseURL() + it.PlaceURL,
			"address": map[string]any{
				"@type": "PostalAddress", "streetAddress": pl.Adresse, "postalCode": pl.CodePostal,
				"addressLocality": pl.Commune, "addressCountry": "FR",
			},
		}
		if pl.HasCoordinates() {
			loc["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": *pl.Latitude, "longitude": *pl.Longitude}
		}
		doc["location"] = loc
	}
	if e.Network.Name != "" {
		doc["organizer"] = map[string]any{"@type": "Organization", "name": e.Network.Name, "url": e.Network.Actor}
	}
	if e.Capacite != nil {
		doc["maximumAttendeeCapacity"] = *e.Capacite
	}
	if it.Free || e.Inscription != "" {
		offer := map[string]any{"@type": "Offer", "availability": "https://schema.org/InStock"}
		if it.Free {
			offer["price"] = "0"
			offer["priceCurrency"] = "EUR"
		}
		if e.Inscription != "" {
			offer["url"] = e.Inscription
		}
		doc["offers"] = offer
	}
	return doc
}

// stripTags keeps the text of limited HTML, for JSON-LD and summaries.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", "\"", "&#39;", "'").Replace(b.String())), " ")
}
