package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

// placeForm is the search form of the place pages. Its parameters are the
// API's (q, service, public, label, frais, typologie, network, near,
// radius_km, open_now, open_at, cursor), plus the page's own: ou (a
// commune, postal code or département), quand (maintenant, samedi or
// date), date and heure, itinerant. A page's URL is its search: it can be
// shared as it is.
type placeForm struct {
	Q           string
	Services    []string
	Publics     []string // publics and prise en charge spécifique
	Labels      []string
	Frais       []string
	Typologies  []string
	Network     string
	Departement string
	Ou          string
	Near        string
	Radius      string
	Quand       string
	Date        string
	Heure       string
	OpenAt      string
	Itinerant   bool
	Specialised bool // "pour qui ?" keeps only the places addressing those publics
	Cursor      string
}

func readPlaceForm(v url.Values) placeForm {
	f := placeForm{
		Q:           strings.TrimSpace(v.Get("q")),
		Services:    nonEmpty(v["service"]),
		Publics:     nonEmpty(v["public"]),
		Labels:      nonEmpty(v["label"]),
		Frais:       nonEmpty(v["frais"]),
		Typologies:  nonEmpty(v["typologie"]),
		Network:     strings.TrimSpace(v.Get("network")),
		Departement: strings.TrimSpace(v.Get("departement")),
		Ou:          strings.TrimSpace(v.Get("ou")),
		Near:        strings.TrimSpace(v.Get("near")),
		Radius:      strings.TrimSpace(v.Get("radius_km")),
		Quand:       v.Get("quand"),
		Date:        strings.TrimSpace(v.Get("date")),
		Heure:       strings.TrimSpace(v.Get("heure")),
		OpenAt:      strings.TrimSpace(v.Get("open_at")),
		Itinerant:   v.Get("itinerant") == "1",
		Specialised: v.Get("specialise") == "1",
		Cursor:      v.Get("cursor"),
	}
	if o := v.Get("open_now"); (o == "1" || o == "true") && f.Quand == "" {
		f.Quand = "maintenant"
	}
	return f
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// values is the form as URL parameters, without the cursor.
func (f placeForm) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	v["service"] = f.Services
	v["public"] = f.Publics
	v["label"] = f.Labels
	v["frais"] = f.Frais
	v["typologie"] = f.Typologies
	set("network", f.Network)
	set("departement", f.Departement)
	set("ou", f.Ou)
	set("near", f.Near)
	set("radius_km", f.Radius)
	set("quand", f.Quand)
	if f.Quand == "date" {
		set("date", f.Date)
		set("heure", f.Heure)
	}
	set("open_at", f.OpenAt)
	if f.Itinerant {
		v.Set("itinerant", "1")
	}
	if f.Specialised && len(f.Publics) > 0 {
		v.Set("specialise", "1")
	}
	for k, list := range v {
		if len(list) == 0 {
			delete(v, k)
		}
	}
	return v
}

// empty reports whether the form filters nothing.
func (f placeForm) empty() bool { return len(f.values()) == 0 }

// placeSearch is a place form read and resolved into a query.
type placeSearch struct {
	Form      placeForm
	Query     catalogue.PlaceQuery
	Day       time.Time // open at some time of this day; zero: no such filter
	Itinerant bool
	API       url.Values // the filters as the API's, for /catalogue.pdf
	Where     page.Where
	Problems  problems // by form field
}

// problems are a search form's problems, by form field: the first one
// said of a field stays.
type problems map[string]string

func (pr *problems) add(field, msg string) {
	if *pr == nil {
		*pr = problems{}
	}
	if _, ok := (*pr)[field]; !ok {
		(*pr)[field] = msg
	}
}

// where reads a form's "Où ?" into the API's parameters: a commune is
// searched around its centre (within defaultRadiusKm unless a radius was
// chosen), a département code as that département. A name that is no
// commune, or that several communes share, is a problem of the field ou.
func (p *Module) where(ou, radius string, api url.Values, pr *problems) (page.Where, error) {
	w, err := p.Communes.Resolve(ou)
	if err != nil {
		return w, err
	}
	switch {
	case w.Commune != nil:
		api.Set("near", strconv.FormatFloat(w.Commune.Lat, 'f', 5, 64)+","+strconv.FormatFloat(w.Commune.Lon, 'f', 5, 64))
		if radius == "" {
			api.Set("radius_km", strconv.Itoa(defaultRadiusKm))
		}
	case w.Dept != "":
		api.Set("departement", w.Dept)
		api.Del("radius_km")
	case w.Unknown:
		pr.add("ou", p.Msg.Get("search.where.unknown"))
	default: // several communes of that name: the page offers them
		pr.add("ou", p.Msg.Get("search.where.choose"))
	}
	return w, nil
}

// defaultRadiusKm is how far around a commune a search looks when no
// distance is chosen.
const defaultRadiusKm = 10

// pageFields maps the API's parameters to the form's fields.
var pageFields = map[string]string{"near": "ou", "radius_km": "radius_km", "open_at": "date"}

// resolvePlaces turns a form into a query; what cannot be read is in
// Problems, and the query is then not to be run.
func (p *Module) resolvePlaces(r *http.Request, f placeForm, limit int) (*placeSearch, error) {
	ps := &placeSearch{Form: f, Itinerant: f.Itinerant}
	now := p.Now().In(catalogue.Paris)
	api := url.Values{}
	for k, list := range f.values() {
		switch k {
		case "q", "service", "public", "label", "frais", "typologie", "network", "departement", "near", "radius_km", "open_at":
			api[k] = list
		}
	}
	if f.Near == "" && f.Ou != "" {
		w, err := p.where(f.Ou, f.Radius, api, &ps.Problems)
		if err != nil {
			return nil, err
		}
		ps.Where = w
	}
	if api.Get("near") == "" {
		api.Del("radius_km")
	}
	switch f.Quand {
	case "", "peu-importe":
	case "maintenant":
		api.Set("open_now", "1")
	case "samedi":
		ps.Day = nextWeekday(now, time.Saturday)
	case "date":
		d, err := time.ParseInLocation("2006-01-02", f.Date, catalogue.Paris)
		if err != nil {
			ps.Problems.add("date", p.Msg.Get("search.date.invalid"))
			break
		}
		if f.Heure == "" {
			ps.Day = d
			break
		}
		hm, err := time.Parse("15:04", f.Heure)
		if err != nil {
			ps.Problems.add("heure", p.Msg.Get("search.time.invalid"))
			break
		}
		at := time.Date(d.Year(), d.Month(), d.Day(), hm.Hour(), hm.Minute(), 0, 0, catalogue.Paris)
		api.Set("open_at", at.Format(time.RFC3339))
	default:
		ps.Problems.add("quand", p.Msg.Get("search.when.invalid"))
	}
	req := r.Clone(r.Context())
	req.URL = &url.URL{Path: r.URL.Path, RawQuery: api.Encode()}
	q, err := p.PlaceQuery(req)
	var bad *server.BadRequest
	if errors.As(err, &bad) {
		for field, msg := range bad.Fields {
			if pf, ok := pageFields[field]; ok {
				field = pf
			}
			ps.Problems.add(field, msg)
		}
	} else if err != nil {
		return nil, err
	}
	q.Limit = limit
	q.Cursor = f.Cursor
	q.PublicsOpen = !f.Specialised // places open to everyone too, after the specialised ones
	ps.Query = q
	ps.API = api
	return ps, nil
}

// nextWeekday is the date of the next such weekday, today included.
func nextWeekday(now time.Time, wd time.Weekday) time.Time {
	y, m, d := now.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, catalogue.Paris)
	for day.Weekday() != wd {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// findPlaces runs a resolved search. Filters the index does not know
// (itinérant, open some time of a day) are applied here, over every
// match, with an offset as the cursor ("o40").
func (p *Module) findPlaces(ps *placeSearch) (storage.PlacePage, error) {
	if ps.Day.IsZero() && !ps.Itinerant {
		res, err := p.Store.Places(ps.Query)
		if errors.Is(err, catalogue.ErrBadCursor) {
			ps.Query.Cursor = ""
			res, err = p.Store.Places(ps.Query)
		}
		return res, err
	}
	offset := 0
	if n, err := strconv.Atoi(strings.TrimPrefix(ps.Query.Cursor, "o")); err == nil && strings.HasPrefix(ps.Query.Cursor, "o") && n > 0 {
		offset = n
	}
	limit := ps.Query.Limit
	q := ps.Query
	q.Limit, q.Cursor = catalogue.MaxLimit, ""
	out := storage.PlacePage{Items: []*catalogue.Place{}}
	for {
		res, err := p.Store.Places(q)
		if err != nil {
			return storage.PlacePage{}, err
		}
		for _, pl := range res.Items {
			if ps.Itinerant && !page.Has(pl.Itinerance, "Itinérant") {
				continue
			}
			if !ps.Day.IsZero() {
				h := p.Hours.Get(hoursText(pl))
				if h == nil || !page.OpenOnDay(h, ps.Day) {
					continue
				}
			}
			if out.Total >= offset && len(out.Items) < limit {
				out.Items = append(out.Items, pl)
			}
			out.Total++
		}
		if res.Next == "" {
			break
		}
		q.Cursor = res.Next
	}
	if offset+len(out.Items) < out.Total {
		out.Next = "o" + strconv.Itoa(offset+len(out.Items))
	}
	return out, nil
}

// hoursText is the opening hours of a place if they can be read.
func hoursText(pl *catalogue.Place) string {
	if pl.HoursError != "" {
		return ""
	}
	return pl.Horaires
}

// eventForm is the agenda's form: the API's parameters (q, service,
// public, frais, network, place, departement, near, radius_km, from, to,
// cursor) plus the page's own: ou (a commune, postal code or département,
// searched around as /lieux does), specialise, du and au (dates) and vue
// (semaine, mois or liste).
type eventForm struct {
	Q           string
	Services    []string
	Publics     []string
	Specialised bool // "pour qui ?" keeps only the events for those publics
	Frais       []string
	Near        string
	Radius      string
	Network     string
	Place       string
	Departement string
	Ou          string
	Du, Au      string
	From, To    string
	Vue         string
	Cursor      string
}

func readEventForm(v url.Values) eventForm {
	f := eventForm{
		Q:           strings.TrimSpace(v.Get("q")),
		Services:    nonEmpty(v["service"]),
		Publics:     nonEmpty(v["public"]),
		Specialised: v.Get("specialise") == "1",
		Frais:       nonEmpty(v["frais"]),
		Near:        strings.TrimSpace(v.Get("near")),
		Radius:      strings.TrimSpace(v.Get("radius_km")),
		Network:     strings.TrimSpace(v.Get("network")),
		Place:       strings.TrimSpace(v.Get("place")),
		Departement: strings.TrimSpace(v.Get("departement")),
		Ou:          strings.TrimSpace(v.Get("ou")),
		Du:          strings.TrimSpace(v.Get("du")),
		Au:          strings.TrimSpace(v.Get("au")),
		From:        strings.TrimSpace(v.Get("from")),
		To:          strings.TrimSpace(v.Get("to")),
		Vue:         v.Get("vue"),
		Cursor:      v.Get("cursor"),
	}
	switch f.Vue {
	case "semaine", "mois", "liste":
	default:
		f.Vue = "semaine"
	}
	return f
}

func (f eventForm) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	if len(f.Services) > 0 {
		v["service"] = f.Services
	}
	if len(f.Publics) > 0 {
		v["public"] = f.Publics
		if f.Specialised {
			v.Set("specialise", "1")
		}
	}
	if len(f.Frais) > 0 {
		v["frais"] = f.Frais
	}
	set("near", f.Near)
	set("radius_km", f.Radius)
	set("network", f.Network)
	set("place", f.Place)
	set("departement", f.Departement)
	set("ou", f.Ou)
	set("du", f.Du)
	set("au", f.Au)
	set("from", f.From)
	set("to", f.To)
	if f.Vue != "semaine" {
		set("vue", f.Vue)
	}
	return v
}

// eventSearch is an agenda form resolved into a query.
type eventSearch struct {
	Form     eventForm
	Query    catalogue.EventQuery
	API      url.Values // the query as the API and the feeds read it
	Where    page.Where
	Problems problems
}

func (p *Module) resolveEvents(r *http.Request, f eventForm, limit int) (*eventSearch, error) {
	es := &eventSearch{Form: f}
	api := url.Values{}
	for k, list := range f.values() {
		switch k {
		case "q", "service", "public", "frais", "network", "place", "departement", "near", "radius_km", "from", "to":
			api[k] = list
		}
	}
	if f.Near == "" && f.Ou != "" {
		w, err := p.where(f.Ou, f.Radius, api, &es.Problems)
		if err != nil {
			return nil, err
		}
		es.Where = w
	}
	if api.Get("near") == "" {
		api.Del("radius_km")
	}
	day := func(field, s string) (time.Time, bool) {
		if s == "" {
			return time.Time{}, false
		}
		d, err := time.ParseInLocation("2006-01-02", s, catalogue.Paris)
		if err != nil {
			es.Problems.add(field, p.Msg.Get("search.date.invalid"))
			return time.Time{}, false
		}
		return d, true
	}
	if d, ok := day("du", f.Du); ok {
		if now := p.Now(); d.Before(now) {
			d = now // an agenda shows what is still to come
		}
		api.Set("from", d.Format(time.RFC3339))
	}
	if d, ok := day("au", f.Au); ok {
		api.Set("to", d.AddDate(0, 0, 1).Format(time.RFC3339))
	}
	req := r.Clone(r.Context())
	req.URL = &url.URL{Path: r.URL.Path, RawQuery: api.Encode()}
	q, err := p.EventQuery(req)
	var bad *server.BadRequest
	if errors.As(err, &bad) {
		for field, msg := range bad.Fields {
			switch field {
			case "to":
				field = "au"
			case "from":
				field = "du"
			case "near":
				field = "ou"
			}
			es.Problems.add(field, msg)
		}
	} else if err != nil {
		return nil, err
	}
	q.Limit = limit
	q.Cursor = f.Cursor
	q.PublicsOpen = !f.Specialised // events for everyone too, after those for the publics asked for
	q.Series = true                // a weekly atelier is one card, with its next dates
	es.Query = q
	es.API = api
	return es, nil
}

// until is the end of the search's span.
func (es *eventSearch) until() time.Time {
	if es.Query.To.IsZero() {
		return es.Query.From.Add(catalogue.DefaultEventSpan)
	}
	return es.Query.To
}

func (p *Module) findEvents(es *eventSearch) (storage.EventPage, error) {
	res, err := p.Store.Events(es.Query)
	if errors.Is(err, catalogue.ErrBadCursor) {
		es.Query.Cursor = ""
		res, err = p.Store.Events(es.Query)
	}
	return res, err
}
