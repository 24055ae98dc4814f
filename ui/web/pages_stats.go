package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
)

// The coordinators' view as a page: /statistiques shows what
// GET /api/v1/stats answers, with the same filters (network, departement).

const (
	// statsTop is how many rows the long tables (communes, labels) show
	// before a "voir tout" link; tout=1 shows them all.
	statsTop = 20
	// statsStaleShown is how many stale places a network's list shows.
	statsStaleShown = 10
)

// statsView is the data of /statistiques.
type statsView struct {
	page.Layout
	Stats        server.StatsJSON
	Filter       server.StatsFilter
	Filtered     bool
	Problem      string // a bad département code
	Networks     []statsOption
	Departements []statsOption
	Communes     int // how many in all
	FreshPct     string
	Tables       []statsTable // by département, commune, service, public, label
	NetworkRows  []statsNetwork
	Regions      []statsRegion
	JSONURL      string
	CSVURL       string
	// Arr is the detail of a city by arrondissement (?commune=Marseille),
	// shown after the communes; ArrProblem says why there is none.
	Arr        *statsArrondissements
	ArrProblem string
}

// statsArrondissements is a city's places, arrondissement by
// arrondissement.
type statsArrondissements struct {
	City    string
	Places  int // in the whole city
	With    int // arrondissements with at least one place
	Of      int // arrondissements in all
	Rows    []statsRow
	BackURL string // the page without the detail, at the communes
}

// statsOption is a choice of the filter form.
type statsOption struct {
	Value, Name string
	Selected    bool
}

// statsTable is one "count by" table.
type statsTable struct {
	ID      string // the section's id
	Heading string // message keys
	Caption string
	Column  string
	Rows    []statsRow
	All     int    // the number of rows before the cut
	MoreURL string // shows every row, when cut
}

// statsRow is a table row: a label, its number of places and the bar's
// length (its share of all places, in percent).
type statsRow struct {
	Label string
	URL   string // the search of these places, if any
	// Detail is the page with this city's arrondissements, for a city
	// that has some; DetailLabel names the link.
	Detail, DetailLabel string
	Places              int
	Share               string // "12,5 %"
	Bar                 int
}

// statsNetwork is a network's row, and its stale places.
type statsNetwork struct {
	Name     string
	URL      string
	Places   int
	Events   int
	Fresh    int
	Stale    int
	Pct      string
	Bar      int
	List     []staleItem
	More     int // stale places left out of List
	MoreURL  string
	ID       string // its stale list's id
	HasStale bool
}

type staleItem struct {
	Nom, Commune, URL string
	Since             time.Time
}

// statsRegion is a region with places and its départements without any.
type statsRegion struct {
	Nom     string
	Places  int
	Missing []string // "04 — Alpes-de-Haute-Provence"
}

func (p *Module) statistics(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	all := q.Get("tout") == "1"
	v := statsView{Layout: p.Layout(p.Msg.Get("stats.title"), "statistiques")}
	f, err := server.StatsFilterOf(r)
	status := http.StatusOK
	if err != nil {
		// The only parameter that can be wrong is the département.
		status = http.StatusBadRequest
		v.Problem = p.Msg.Get("stats.filter.departement.invalid")
		f = server.StatsFilter{Network: strings.TrimSpace(q.Get("network")), Departement: strings.TrimSpace(q.Get("departement"))}
	}
	v.Filter = f
	v.Filtered = f != (server.StatsFilter{})
	if v.Filtered || all {
		v.Robots = "noindex"
	}
	if v.Problem == "" {
		v.Stats, err = p.ComputeStats(f)
		if err != nil {
			p.Fail(w, r, err)
			return
		}
	}
	filter := url.Values{}
	if f.Network != "" {
		filter.Set("network", f.Network)
	}
	if f.Departement != "" {
		filter.Set("departement", f.Departement)
	}
	v.JSONURL = "/api/v1/stats" + queryString(filter)
	v.CSVURL = "/export/lieux.csv" + queryString(filter)
	v.Networks = p.statsNetworkOptions(f.Network, v.Stats.Networks)
	for _, d := range catalogue.Departements {
		v.Departements = append(v.Departements, statsOption{Value: d.Code, Name: departementLabel(d.Code), Selected: d.Code == f.Departement})
	}
	if _, ok := catalogue.DepartementByCode(f.Departement); !ok && f.Departement != "" && v.Problem == "" {
		// A valid code outside the list (988): keep it chosen.
		v.Departements = append(v.Departements, statsOption{Value: f.Departement, Name: f.Departement, Selected: true})
	}
	if v.Problem != "" {
		p.Render(w, r, status, "stats", v)
		return
	}

	st := v.Stats
	v.FreshPct = percent(st.FreshPct)
	byArrondissement := st.Communes
	st.Communes = groupArrondissements(st.Communes)
	v.Communes = len(st.Communes)
	search := func(name, value string) string {
		u := url.Values{}
		for k, vs := range filter {
			u[k] = vs
		}
		u.Set(name, value)
		return "/lieux?" + u.Encode()
	}
	// moreURL is this page with every row, at the table's section.
	moreURL := func(id string) string {
		u := url.Values{}
		for k, vs := range filter {
			u[k] = vs
		}
		u.Set("tout", "1")
		return "/statistiques?" + u.Encode() + "#" + id
	}
	// table's keys are the message keys' prefix: prefix+"heading",
	// "caption" and "col".
	table := func(id, keys, param string, counts []server.Count, label func(server.Count) string, cut bool) statsTable {
		t := statsTable{ID: id, Heading: keys + "heading", Caption: keys + "caption", Column: keys + "col", All: len(counts)}
		if cut && !all && len(counts) > statsTop {
			counts = counts[:statsTop]
			t.MoreURL = moreURL(id)
		}
		for _, c := range counts {
			row := statsRow{Label: label(c), Places: c.Places, Bar: bar(c.Places, st.Places),
				Share: percent(server.Share(c.Places, st.Places))}
			if param != "" {
				row.URL = search(param, c.Key)
			}
			t.Rows = append(t.Rows, row)
		}
		return t
	}
	key := func(c server.Count) string { return c.Key }
	v.Tables = []statsTable{
		table("departements", "stats.departements.", "departement", st.Departements, func(c server.Count) string { return departementLabel(c.Key) }, false),
		table("communes", "stats.communes.", "", st.Communes, func(c server.Count) string {
			if d := departementOfCommune(c.Key); d != "" {
				return c.Label + " (" + d + ")"
			}
			return c.Label
		}, true),
		table("services", "stats.services.", "service", st.Services, key, false),
		table("publics", "stats.publics.", "public", st.Publics, key, false),
		table("labels", "stats.labels.", "label", st.Labels, key, true),
	}
	// The cities with arrondissements link to their detail, shown with
	// ?commune=.
	detailURL := func(city arrondissements) string {
		u := url.Values{}
		for k, vs := range filter {
			u[k] = vs
		}
		u.Set("commune", city.name)
		return "/statistiques?" + u.Encode() + "#arrondissements"
	}
	for i := range v.Tables[1].Rows {
		if city, ok := cityOfArrondissement(st.Communes[i].Key); ok {
			v.Tables[1].Rows[i].Detail = detailURL(city)
			v.Tables[1].Rows[i].DetailLabel = p.Msg.Get("stats.arr.detail.label", city.name)
		}
	}
	if name := strings.TrimSpace(q.Get("commune")); name != "" {
		v.Robots = "noindex"
		if city, ok := cityNamed(name); ok {
			v.Arr = p.arrondissementsView(city, byArrondissement)
			v.Arr.BackURL = "/statistiques" + queryString(filter) + "#communes"
		} else {
			v.ArrProblem = p.Msg.Get("stats.arr.unknown", name)
		}
	}
	for i, n := range st.Networks {
		row := statsNetwork{Name: n.Network.Name, Places: n.Places, Events: n.Events, Fresh: n.Fresh,
			Stale: len(n.Stale), Pct: percent(n.FreshPct), Bar: int(n.FreshPct*100 + 0.5), ID: "perimes-" + strconv.Itoa(i+1)}
		switch {
		case n.Network.Local:
			row.Name = v.Site // as in the header and the filter
		case row.Name == "":
			row.Name = p.ActorName(n.Network.Actor)
		}
		ref := n.Network.Actor
		if n.Network.Local {
			ref = "local"
		}
		row.URL = search("network", ref)
		stale := n.Stale
		if !all && len(stale) > statsStaleShown {
			row.More = len(stale) - statsStaleShown
			row.MoreURL = moreURL(row.ID)
			stale = stale[:statsStaleShown]
		}
		for _, s := range stale {
			it := staleItem{Nom: s.Nom, Commune: s.Commune, URL: "/lieux/" + url.PathEscape(s.ID)}
			it.Since, _ = time.ParseInLocation("2006-01-02", s.Depuis, catalogue.Paris) // written by ComputeStats
			if it.Nom == "" {
				it.Nom = s.ID
			}
			row.List = append(row.List, it)
		}
		row.HasStale = len(row.List) > 0
		v.NetworkRows = append(v.NetworkRows, row)
	}
	for _, rg := range st.Regions {
		sr := statsRegion{Nom: rg.Nom, Places: rg.Places}
		for _, code := range rg.Missing {
			sr.Missing = append(sr.Missing, departementLabel(code))
		}
		v.Regions = append(v.Regions, sr)
	}
	p.Render(w, r, status, "stats", v)
}

// arrondissementsView counts city's places by arrondissement: every
// arrondissement, those without a place too, with its share of the
// city's places.
func (p *Module) arrondissementsView(city arrondissements, counts []server.Count) *statsArrondissements {
	list, total := arrondissementsOf(counts, city)
	v := &statsArrondissements{City: city.name, Places: total, Of: city.last - city.first + 1}
	for _, a := range list {
		var label string
		switch a.N {
		case 0:
			label = p.Msg.Get("stats.arr.whole", city.code)
		case 1:
			label = p.Msg.Get("stats.arr.first", a.Postal)
		default:
			label = p.Msg.Get("stats.arr.nth", a.N, a.Postal)
		}
		if a.N > 0 && a.Places > 0 {
			v.With++
		}
		v.Rows = append(v.Rows, statsRow{Label: label, Places: a.Places, Bar: bar(a.Places, total),
			Share: percent(server.Share(a.Places, total))})
	}
	return v
}

// statsNetworkOptions are the networks the filter offers: this one, those
// it follows, and any other whose places the figures count.
func (p *Module) statsNetworkOptions(selected string, counted []server.NetworkStats) []statsOption {
	local := p.Store.ActorIRI()
	if selected == local {
		selected = "local"
	}
	var out []statsOption
	seen := map[string]bool{}
	add := func(value, name string) {
		if !seen[value] {
			seen[value] = true
			out = append(out, statsOption{Value: value, Name: name, Selected: value == selected})
		}
	}
	for _, o := range p.options().Networks {
		add(o.Value, o.Name)
	}
	for _, n := range counted {
		if !n.Network.Local {
			name := n.Network.Name
			if name == "" {
				name = p.ActorName(n.Network.Actor)
			}
			add(n.Network.Actor, name)
		}
	}
	if selected != "" && !seen[selected] {
		add(selected, p.ActorName(selected))
	}
	return out
}

// departementLabel is "13 — Bouches-du-Rhône", or the code alone when it
// names no département.
func departementLabel(code string) string {
	if d, ok := catalogue.DepartementByCode(code); ok {
		return code + " — " + d.Name
	}
	return code
}

// departementOfCommune is the département of a commune key of the stats:
// an INSEE code, or "postal code name".
func departementOfCommune(key string) string {
	insee, postal := key, ""
	if len(key) > 5 && key[5] == ' ' {
		insee, postal = "", key[:5]
	}
	if len(insee) != 5 {
		insee = ""
	}
	return (&catalogue.Place{CodeINSEE: insee, CodePostal: postal}).Departement()
}

// bar is n out of total in whole percent, at least 1 for any n > 0 so
// that the bar shows.
func bar(n, total int) int {
	if total == 0 || n == 0 {
		return 0
	}
	return max(1, min(100, (100*n+total/2)/total))
}

// percent writes a share (0.667) the French way: "66,7 %".
func percent(share float64) string {
	tenths := int(share*1000 + 0.5)
	s := strconv.Itoa(tenths / 10)
	if tenths%10 != 0 {
		s += "," + strconv.Itoa(tenths%10)
	}
	return s + "\u00a0%"
}
