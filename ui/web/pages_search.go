package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/page"
)

// formOptions are the choices the search forms offer.
type formOptions struct {
	Services  []string
	Publics   []string
	Prises    []string
	Labels    []string
	Frais     []string
	Networks  []networkOption
	Radii     []string
	ShowRadii bool
}

type networkOption struct {
	Value, Name string
}

func (p *Module) options() formOptions {
	o := formOptions{
		Services: catalogue.Services.Values,
		Publics:  catalogue.Publics.Values,
		Prises:   catalogue.PrisesEnCharge.Values,
		Labels:   append(append([]string{}, catalogue.Dispositifs.Values...), catalogue.FormationsLabels.Values...),
		Frais:    []string{"Gratuit", "Gratuit sous condition"},
		Radii:    []string{"2", "5", "10", "20", "50"},
	}
	o.Networks = append(o.Networks, networkOption{Value: "local", Name: p.SiteName()})
	fs, err := p.Store.Followings()
	if err != nil {
		p.Log.Warn("list followings", "err", err)
	}
	var remote []networkOption
	for _, f := range fs {
		if f.State == storage.FollowAccepted {
			remote = append(remote, networkOption{Value: f.Actor, Name: p.ActorName(f.Actor)})
		}
	}
	sort.Slice(remote, func(i, j int) bool { return remote[i].Name < remote[j].Name })
	o.Networks = append(o.Networks, remote...)
	return o
}

// placeItem is a place in a list.
type placeItem struct {
	*catalogue.Place
	URL      string
	Status   page.OpenStatus
	Distance string
	Lat, Lon string // for the map, "" without coordinates
	// Specific are the publics asked for that the place addresses
	// specifically: shown as a mark when places open to everyone are
	// listed after it.
	Specific []string
	// Ateliers are the place's next events, in a search's results.
	Ateliers []nextAtelier
}

// nextAtelier is one of a place's next events, as a result shows it.
type nextAtelier struct {
	Nom, URL string
	SheetURL string // adds it to an orientation sheet
	Debut    time.Time
	Free     bool
	Stop     *catalogue.Stop // a mobile unit's passage elsewhere; nil at the place
}

// resultAteliers is how many next events a result shows, within
// resultAteliersDays. They come from the index's list of events by place:
// the cost is that of the page's places' events, not of the span (see
// BenchmarkPages).
const (
	resultAteliers     = 2
	resultAteliersDays = 31
)

// addAteliers gives each item its next events, within resultAteliersDays.
func (p *Module) addAteliers(items []placeItem) error {
	if len(items) == 0 {
		return nil
	}
	groups := make([][]string, len(items))
	for i, it := range items {
		ids := []string{it.ID, it.APID} // an event names its place by either
		for _, s := range it.Sources {  // a merged place's events are at its records
			ids = append(ids, s.ID, s.APID)
		}
		groups[i] = ids
	}
	now := p.Now()
	next, err := p.Store.NextEvents(groups, now, now.AddDate(0, 0, resultAteliersDays), resultAteliers)
	if err != nil {
		return err
	}
	for i, list := range next {
		for _, e := range list {
			items[i].Ateliers = append(items[i].Ateliers, nextAtelier{Nom: e.Nom, URL: "/evenements/" + url.PathEscape(e.ID),
				Debut: e.Debut, Free: page.Has(e.Frais, "Gratuit"), SheetURL: sheetURL(e.ID), Stop: e.Etape})
		}
	}
	return nil
}

func (p *Module) placeItems(list []*catalogue.Place) []placeItem {
	now := p.Now()
	out := make([]placeItem, 0, len(list))
	for _, pl := range list {
		it := placeItem{Place: pl, URL: "/lieux/" + url.PathEscape(pl.ID)}
		it.Status = page.QuickStatus(p.Hours.Get(hoursText(pl)), now)
		if pl.DistanceKm != nil {
			it.Distance = formatKm(*pl.DistanceKm)
		}
		if pl.HasCoordinates() {
			it.Lat = strconv.FormatFloat(*pl.Latitude, 'f', 6, 64)
			it.Lon = strconv.FormatFloat(*pl.Longitude, 'f', 6, 64)
		}
		out = append(out, it)
	}
	return out
}

// searchView is the data of the search and results pages.
type searchView struct {
	page.Layout
	Home      bool
	Searched  bool
	Form      placeForm
	Options   formOptions
	Problems  map[string]string
	Where     page.Where
	Widened   bool // nothing near the commune: the nearest places instead
	Total     int
	Items     []placeItem
	OnMap     int
	NextURL   string
	FirstURL  string
	ShareURL  string
	PDFURL    string // the printable catalogue of the same places
	FiltersOn bool
	Criteria  criteria
	// Stops are the next passages of mobile units near the commune
	// searched (stops.go); StopsTotal counts them all.
	Stops      []stopItem
	StopsTotal int
	// ChoiceLinks are the communes "où ?" may mean, as searches.
	ChoiceLinks []link
	NearClear   string
	// query is the search that ran, for the orientation's ateliers.
	query catalogue.PlaceQuery
}

// link is a link to show.
type link struct{ Text, URL string }

// choiceLinks offers each commune "où ?" may mean as the same search there.
func choiceLinks(path string, vals url.Values, w page.Where) []link {
	var out []link
	for _, c := range w.Choices {
		v := url.Values{}
		for k, list := range vals {
			v[k] = list
		}
		v.Set("ou", c.Label())
		v.Del("cursor")
		out = append(out, link{Text: c.Label(), URL: path + queryString(v)})
	}
	return out
}

// home is the same for everyone until the network's name or the networks
// it follows change: it is rendered once per such state.
func (p *Module) home(w http.ResponseWriter, r *http.Request) {
	opts := p.options()
	key := p.SiteName()
	for _, n := range opts.Networks {
		key += "\x00" + n.Value + "\x00" + n.Name
	}
	p.Cached(w, r, &p.homePage, key, "search", func() any {
		v := searchView{Layout: p.Layout(p.Msg.Get("home.title"), "accueil"), Home: true, Options: opts}
		v.Canonical = p.BaseURL() + "/"
		return v
	})
}

func (p *Module) search(w http.ResponseWriter, r *http.Request) {
	v, status, err := p.searchData(r, "/lieux", page.PageSize)
	if err != nil {
		p.Fail(w, r, err)
		return
	}
	v.Layout = p.Layout(p.Msg.Get("search.title"), "lieux")
	v.Map = v.OnMap > 0
	if !v.Form.empty() {
		v.Robots = "noindex"
	}
	p.Render(w, r, status, "search", v)
}

// searchData reads a place form, runs it and prepares the list.
func (p *Module) searchData(r *http.Request, path string, limit int) (searchView, int, error) {
	f := readPlaceForm(r.URL.Query())
	v := searchView{Form: f, Options: p.options(), Searched: true}
	v.FiltersOn = len(f.Publics)+len(f.Labels)+len(f.Frais) > 0 || f.Quand != "" || f.Itinerant || f.Network != ""
	ps, err := p.resolvePlaces(r, f, limit)
	if err != nil {
		return v, 0, err
	}
	v.Where = ps.Where
	v.Options.ShowRadii = true
	v.ChoiceLinks = choiceLinks(path, f.values(), ps.Where)
	if f.Near != "" {
		g := f.values()
		g.Del("near")
		v.NearClear = path + queryString(g)
	}
	if len(ps.Problems) > 0 {
		v.Problems = ps.Problems
		return v, http.StatusBadRequest, nil
	}
	res, err := p.findPlaces(ps)
	if err != nil {
		return v, 0, err
	}
	if res.Total == 0 && ps.Where.Commune != nil && f.Radius == "" && ps.Query.RadiusKm > 0 {
		// Nothing within the default distance of that commune: the
		// nearest places, however far, with their distance.
		ps.Query.RadiusKm = 0
		if res, err = p.findPlaces(ps); err != nil {
			return v, 0, err
		}
		v.Widened = res.Total > 0
	}
	commune := ""
	if ps.Where.Commune != nil {
		commune = ps.Where.Commune.Label()
	}
	v.Criteria.Active = p.placeCriteria(f, v.Options, commune)
	v.Criteria.Fold = len(v.Criteria.Active) > 0
	v.Total = res.Total
	v.query = ps.Query
	v.Items = p.placeItems(res.Items)
	if err := p.addAteliers(v.Items); err != nil {
		return v, 0, err
	}
	if ps.Query.PublicsOpen {
		for i, it := range v.Items {
			for _, pub := range f.Publics {
				if page.Has(it.Publics, pub) {
					v.Items[i].Specific = append(v.Items[i].Specific, pub)
				}
			}
		}
	}
	if at := ps.Query.Near; at != nil {
		radius := ps.Query.RadiusKm
		if radius <= 0 || v.Widened {
			radius = 10
		}
		if v.Stops, v.StopsTotal, err = p.stopsNear(*at, radius); err != nil {
			return v, 0, err
		}
	}
	for _, it := range v.Items {
		if it.Lat != "" {
			v.OnMap++
		}
	}
	for _, it := range v.Stops {
		if it.Lat != "" {
			v.OnMap++
		}
	}
	vals := f.values()
	v.ShareURL = p.BaseURL() + path + queryString(vals)
	v.PDFURL = "/catalogue.pdf" + queryString(ps.API)
	if res.Next != "" {
		next := f.values()
		next.Set("cursor", res.Next)
		v.NextURL = path + queryString(next)
	}
	if f.Cursor != "" {
		v.FirstURL = path + queryString(vals)
	}
	return v, http.StatusOK, nil
}

func queryString(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// formatKm writes a distance the French way: "850 m", "2,3 km", "12 km".
func formatKm(km float64) string {
	switch {
	case km < 1:
		return strconv.Itoa(int(km*1000/10+0.5)*10) + "\u00a0m"
	case km < 10:
		return strings.Replace(strconv.FormatFloat(km, 'f', 1, 64), ".", ",", 1) + "\u00a0km"
	}
	return strconv.Itoa(int(km+0.5)) + "\u00a0km"
}
