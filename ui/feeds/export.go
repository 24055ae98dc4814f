package feeds

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/printable"
	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

// Export formats, as `maillage export --format` names them.
const (
	FormatCSV           = "csv"
	FormatGeoJSON       = "geojson"
	FormatICS           = "ics"
	FormatAtom          = "atom"
	FormatPDF           = "pdf"
	FormatDataInclusion = "data-inclusion"
	FormatJSON          = "json" // the standard's JSON
)

// ExportFormats lists the export formats.
var ExportFormats = []string{FormatCSV, FormatGeoJSON, FormatICS, FormatAtom, FormatPDF, FormatDataInclusion, FormatJSON}

// exportRoutes are the HTTP paths of the exports, and their media types.
var exportRoutes = []struct{ path, format, mediaType string }{
	{"/export/lieux.csv", FormatCSV, "text/csv; charset=utf-8; header=present"},
	{"/export/lieux.json", FormatJSON, "application/json; charset=utf-8"},
	{"/export/lieux.geojson", FormatGeoJSON, "application/geo+json"},
	{"/export/data-inclusion.json", FormatDataInclusion, "application/json; charset=utf-8"},
	{"/export/evenements.ics", FormatICS, "text/calendar; charset=utf-8"},
	{"/feed/evenements.atom", FormatAtom, "application/atom+xml; charset=utf-8"},
	{"/catalogue.pdf", FormatPDF, "application/pdf"},
}

// ErrFormat is returned by Export for a format not in ExportFormats.
var ErrFormat = errors.New("format d'export inconnu")

// Route adds the export and feed routes to r.
func (s *Module) Route(r *mux.Router) {
	for _, route := range exportRoutes {
		r.HandleFunc(route.path, func(w http.ResponseWriter, req *http.Request) {
			s.serveExport(w, req, route.format, route.mediaType)
		}).Methods(http.MethodGet, http.MethodHead)
	}
}

func (s *Module) serveExport(w http.ResponseWriter, r *http.Request, format, mediaType string) {
	x, err := s.newExport(format, r.URL.Query())
	if err == nil && format == FormatPDF {
		err = x.checkCatalogueSize()
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", mediaType)
	if r.Method == http.MethodHead {
		return
	}
	if err := x.write(w); err != nil {
		// The answer has begun: the client gets a truncated file.
		s.Log.Error("export failed", "format", format, "query", r.URL.RawQuery, "err", err)
	}
}

// Export writes, in format, the records of st that query selects: query
// holds the parameters of the matching API list (GET /api/v1/places for
// places, /api/v1/events for events), as in an export URL, plus groupe
// (champ or commune) for the PDF; limit and cursor are ignored but for
// the Atom feed, whose limit is its number of entries. now is the clock:
// the edition date of the PDF, and the default from of events. It
// returns ErrFormat for an unknown format, and an error naming the
// parameter for a bad query, before writing anything.
func Export(w io.Writer, st *storage.Store, format string, query url.Values, now time.Time) error {
	s := New(&server.Server{Store: st, Now: func() time.Time { return now }})
	x, err := s.newExport(format, query)
	if err != nil {
		var bad *server.BadRequest
		if errors.As(err, &bad) {
			return fmt.Errorf("%s : %s", bad.Msg, joinFields(bad.Fields))
		}
		return err
	}
	return x.write(w)
}

func joinFields(fields map[string]string) string {
	parts := make([]string, 0, len(fields))
	for k, v := range fields {
		parts = append(parts, k+" : "+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ; ")
}

// export is one export, its query read.
type export struct {
	s      *Module
	format string
	places catalogue.PlaceQuery
	events catalogue.EventQuery
	query  url.Values
	group  string
	base   string // the instance's public URL
	now    time.Time
}

func (s *Module) newExport(format string, query url.Values) (*export, error) {
	x := &export{s: s, format: format, query: query, now: s.Now(), base: strings.TrimSuffix(s.Store.ActorIRI(), "/actor")}
	req := &http.Request{URL: &url.URL{RawQuery: query.Encode()}}
	var err error
	switch format {
	case FormatCSV, FormatJSON, FormatGeoJSON, FormatDataInclusion, FormatPDF:
		x.places, err = s.PlaceQuery(req)
		x.places.Cursor = ""
		x.places.Limit = catalogue.MaxLimit
		// Our own network's export is our records as we publish them, each
		// once with its own values and id: a place merged with other
		// networks' records would pass their values off as ours, and
		// importing the file again would copy them into our records. Every
		// other export gives the places as the public sees them, merged.
		x.places.Records = s.ownNetwork(x.places.Network)
		if format == FormatPDF {
			switch x.group = query.Get("groupe"); x.group {
			case "", printable.ByChamp, printable.ByCommune:
			default:
				bad := &server.BadRequest{Msg: "paramètres invalides", Fields: map[string]string{"groupe": "« champ » ou « commune » attendu"}}
				if err == nil {
					err = bad
				}
			}
		}
	case FormatICS, FormatAtom:
		x.events, err = s.EventQuery(req)
		x.events.Cursor = ""
		if format == FormatICS {
			x.events.Limit = catalogue.MaxLimit
		}
	default:
		return nil, fmt.Errorf("%w « %s » (attendu : %s)", ErrFormat, format, strings.Join(ExportFormats, ", "))
	}
	if err != nil {
		return nil, err
	}
	return x, nil
}

// ownNetwork says whether the network filter n names this instance's
// network: "local" or its actor.
func (s *Module) ownNetwork(n string) bool {
	return n == "local" || n == s.Store.ActorIRI()
}

func (x *export) write(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var err error
	switch x.format {
	case FormatCSV:
		err = x.csv(bw)
	case FormatJSON:
		err = x.json(bw)
	case FormatGeoJSON:
		err = x.geoJSON(bw)
	case FormatDataInclusion:
		err = x.dataInclusion(bw)
	case FormatPDF:
		err = x.pdf(bw)
	case FormatICS:
		err = x.ics(bw)
	case FormatAtom:
		err = x.atom(bw)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// eachPlace calls fn on every place the query selects, page after page.
func (x *export) eachPlace(fn func(*catalogue.Place) error) error {
	q := x.places
	for {
		res, err := x.s.Store.Places(q)
		if err != nil {
			return err
		}
		for _, p := range res.Items {
			if err := fn(p); err != nil {
				return err
			}
		}
		if res.Next == "" {
			return nil
		}
		q.Cursor = res.Next
	}
}

// withSource is p with its network as source when it names none, so
// that every exported record says where it comes from.
func withSource(p *catalogue.Place) *catalogue.Place {
	if p.Source != "" || p.Network.Name == "" {
		return p
	}
	c := *p
	c.Source = p.Network.Name
	return &c
}

// pageURL is the address of a place's page: its ActivityPub id, which
// answers HTML to a browser, or its page on this instance.
func (x *export) pageURL(p *catalogue.Place) string {
	if p.APID != "" {
		return p.APID
	}
	return x.base + "/lieux/" + p.ID
}

func (x *export) csv(w io.Writer) error {
	cw := standard.NewCSVWriter(w, standard.WriteOptions{Maillage: x.query.Get("colonnes") == "maillage"})
	if err := cw.WriteHeader(); err != nil {
		return err
	}
	err := x.eachPlace(func(p *catalogue.Place) error { return cw.Write(withSource(p)) })
	if err != nil {
		return err
	}
	return cw.Flush()
}

// json writes the places as the standard's JSON: the fields of the CSV,
// multi-valued ones as arrays.
func (x *export) json(w io.Writer) error {
	jw := standard.NewJSONWriter(w, standard.WriteOptions{Maillage: x.query.Get("colonnes") == "maillage"})
	if err := x.eachPlace(func(p *catalogue.Place) error { return jw.Write(withSource(p)) }); err != nil {
		return err
	}
	return jw.Close()
}

func (x *export) dataInclusion(w io.Writer) error {
	doc := standard.DataInclusion{Structures: []standard.DIStructure{}, Services: []standard.DIService{}}
	err := x.eachPlace(func(p *catalogue.Place) error {
		st, sv := standard.DataInclusionOf(p, withSource(p).Source, x.pageURL(p))
		doc.Structures = append(doc.Structures, st)
		doc.Services = append(doc.Services, sv)
		return nil
	})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

func (x *export) pdf(w io.Writer) error {
	var places []*catalogue.Place
	if err := x.eachPlace(func(p *catalogue.Place) error { places = append(places, p); return nil }); err != nil {
		return err
	}
	settings, err := x.s.Store.Settings()
	if err != nil {
		return err
	}
	name := settings.Name
	if name == "" {
		name = "Maillage"
	}
	return printable.Write(w, places, printable.Options{
		Network: name,
		Edition: x.now,
		GroupBy: x.group,
		Filters: describeFilters(x.query),
		PageURL: x.pageURL,
	})
}

// MaxCataloguePlaces is the most places /catalogue.pdf prints (about
// 1,800 pages, 10 s of work); `maillage export --format pdf` has no
// limit.
const MaxCataloguePlaces = 5000

// checkCatalogueSize refuses a catalogue of more than MaxCataloguePlaces.
func (x *export) checkCatalogueSize() error {
	q := x.places
	q.Limit = 1
	res, err := x.s.Store.Places(q)
	if err != nil {
		return err
	}
	if res.Total > MaxCataloguePlaces {
		return &server.BadRequest{Msg: "catalogue trop volumineux", Fields: map[string]string{
			"filtres": fmt.Sprintf("%d lieux : %d au plus par catalogue imprimable ; choisissez un département, un service, un réseau…", res.Total, MaxCataloguePlaces)}}
	}
	return nil
}

// describeFilters says in French which filters a query applies, for the
// cover of the catalogue.
func describeFilters(q url.Values) string {
	names := []struct{ key, label string }{
		{"q", "recherche"}, {"service", "services"}, {"public", "publics"}, {"typologie", "typologies"},
		{"label", "labels"}, {"frais", "frais"}, {"network", "réseau"}, {"departement", "département"},
		{"near", "autour de"}, {"radius_km", "rayon (km)"}, {"open_at", "ouvert le"},
	}
	var parts []string
	for _, n := range names {
		var values []string
		for _, v := range q[n.key] {
			for _, one := range strings.Split(v, "|") {
				if one = strings.TrimSpace(one); one != "" {
					values = append(values, one)
				}
			}
		}
		if len(values) > 0 {
			parts = append(parts, n.label+" : "+strings.Join(values, ", "))
		}
	}
	if v := q.Get("open_now"); v == "1" || v == "true" {
		parts = append(parts, "ouverts au moment de l'édition")
	}
	return strings.Join(parts, " ; ")
}
