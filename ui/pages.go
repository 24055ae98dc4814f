package ui

import (
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

//go:embed templates/*.html
var templateFiles embed.FS

// DefaultTileURL is the map tiles' URL when Config.TileURL is empty:
// OpenStreetMap's standard layer.
const DefaultTileURL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// Report is an error report sent from a place page's "signaler une erreur"
// form. It names no one: Contact is what the sender chose to give.
type Report struct {
	Place   string // the place's id
	PlaceAP string // its ActivityPub id, which tells its origin network
	Message string
	Contact string // an email address, optional
	Created time.Time
}

// Reports receives the error reports of the place pages. It stores the
// report for the editors of the network that owns the place (and, for a
// remote place, sends a Flag to its origin). It must not block on a
// remote server.
type Reports interface {
	AddReport(r Report) error
}

// pages serves the public HTML pages.
type pages struct {
	s        *server
	tmpl     map[string]*template.Template
	msg      *messages
	assets   *assets
	tiles    string
	tilesSrc string // the tiles' origin, for the Content-Security-Policy
	attrib   string
	reports  Reports
	csrf     *csrfKeys
	communes *communes
	hours    hoursCache
	limiter  *loginLimiter // failed logins of the admin pages
	uploads  *uploads      // import files waiting for confirmation
	homePage atomic.Pointer[cachedPage]
	gzip     sync.Pool
	buf      sync.Pool
}

// pageSize is how many places or events a list page shows.
const pageSize = 20

func (s *server) registerPages(r *mux.Router, cfg Config) {
	p := newPages(s, cfg)
	r.PathPrefix("/static/").Handler(p.assets).Methods(http.MethodGet, http.MethodHead)
	get := func(path string, h http.HandlerFunc) {
		r.HandleFunc(path, p.html(h)).Methods(http.MethodGet, http.MethodHead)
	}
	get("/", p.home)
	get("/lieux", p.search)
	get("/lieux/{id}", p.place)
	r.HandleFunc("/lieux/{id}/signaler", p.html(p.report)).Methods(http.MethodPost)
	get("/evenements", p.agenda)
	get("/evenements/{id}", p.event)
	get("/reseaux", p.networks)
	get("/statistiques", p.statistics)
	get("/orientation", p.orientation)
	get("/orientation/fiche", p.orientationSheet)
	get("/widget/lieux", p.widgetPlaces)
	get("/widget/evenements", p.widgetEvents)
	r.HandleFunc("/communes", p.communeSuggestions).Methods(http.MethodGet)
	p.registerAdmin(r)
	r.NotFoundHandler = p.html(func(w http.ResponseWriter, r *http.Request) {
		p.notFound(w, r)
	})
}

func newPages(s *server, cfg Config) *pages {
	p := &pages{
		s:       s,
		msg:     frenchMessages,
		assets:  newAssets(),
		tiles:   cfg.TileURL,
		attrib:  cfg.TileAttribution,
		reports: cfg.Reports,
		csrf:    newCSRFKeys(),
	}
	if p.tiles == "" {
		p.tiles = DefaultTileURL
	}
	if p.attrib == "" {
		p.attrib = p.msg.get("map.attribution")
	}
	p.tilesSrc = tileOrigin(p.tiles)
	p.communes = &communes{store: s.store, now: s.now}
	p.gzip.New = func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }
	p.buf.New = func() any { return new(bytes.Buffer) }
	p.tmpl = parseTemplates(p.funcs())
	return p
}

// tileOrigin is what the Content-Security-Policy must allow for the map
// tiles: the scheme and host of the URL template, with a wildcard for a
// "{s}" subdomain.
func tileOrigin(tiles string) string {
	u, err := url.Parse(strings.NewReplacer("{s}", "s", "{z}", "0", "{x}", "0", "{y}", "0", "{r}", "").Replace(tiles))
	if err != nil || u.Host == "" {
		return ""
	}
	host := u.Host
	if strings.Contains(tiles, "{s}.") {
		host = "*." + strings.SplitN(host, ".", 2)[1]
	}
	return u.Scheme + "://" + host
}

// parseTemplates builds one template set per page: the layouts and
// partials, then the page's own file, which defines "content".
func parseTemplates(funcs template.FuncMap) map[string]*template.Template {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/_*.html"))
	out := map[string]*template.Template{}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		file := strings.TrimPrefix(name, "templates/")
		if strings.HasPrefix(file, "_") {
			continue
		}
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFiles, name))
		out[strings.TrimSuffix(file, ".html")] = t
	}
	return out
}

// layout is what every page's frame needs.
type layout struct {
	Title   string
	Section string // the navigation entry to mark as current
	Site    string // the network's name
	Map     bool   // load Leaflet
	Tiles   string
	Attrib  string
	Robots  string // "noindex" for pages not worth indexing
	Scripts []string
	// Canonical is the page's absolute URL when it has one.
	Canonical string
}

func (p *pages) layout(title, section string) layout {
	return layout{Title: title, Section: section, Site: p.siteName(), Tiles: p.tiles, Attrib: p.attrib}
}

func (p *pages) siteName() string {
	st, err := p.s.store.Settings()
	if err != nil || st.Name == "" {
		return "Maillage"
	}
	return st.Name
}

// baseURL is the instance's public URL, without a trailing slash.
func (p *pages) baseURL() string {
	return strings.TrimSuffix(p.s.store.ActorIRI(), "/actor")
}

// html sets the headers every page shares.
func (p *pages) html(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		frame := "'self'"
		if strings.HasPrefix(r.URL.Path, "/widget/") {
			frame = "*"
		} else {
			hd.Set("X-Frame-Options", "SAMEORIGIN")
		}
		img := "'self' data:"
		if p.tilesSrc != "" {
			img += " " + p.tilesSrc
		}
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src "+img+
			"; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "+frame)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		h(w, r)
	}
}

// render executes a page into a buffer, then writes it, gzipped when the
// client accepts it. A template error gives a plain 500.
func (p *pages) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	buf := p.buf.Get().(*bytes.Buffer)
	buf.Reset()
	defer p.buf.Put(buf)
	if err := p.execute(buf, name, data); err != nil {
		p.s.log.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, p.msg.get("error.internal"), http.StatusInternalServerError)
		return
	}
	p.write(w, r, status, buf.Bytes(), nil)
}

func (p *pages) execute(w io.Writer, name string, data any) error {
	t, ok := p.tmpl[name]
	if !ok {
		return errors.New("no template " + name)
	}
	return t.ExecuteTemplate(w, name+".html", data)
}

// write sends an HTML body, gzipped when the client accepts it: with gz
// when given (the body already compressed), else compressed now.
func (p *pages) write(w http.ResponseWriter, r *http.Request, status int, body, gz []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	if len(body) < 1024 || !acceptsGzip(r) {
		w.WriteHeader(status)
		w.Write(body) // the client may have gone; nothing to do then
		return
	}
	h.Set("Content-Encoding", "gzip")
	if gz != nil {
		h.Set("Content-Length", strconv.Itoa(len(gz)))
		w.WriteHeader(status)
		w.Write(gz)
		return
	}
	w.WriteHeader(status)
	zw := p.gzip.Get().(*gzip.Writer)
	zw.Reset(w)
	zw.Write(body)
	zw.Close()
	p.gzip.Put(zw)
}

// cachedPage is a rendered page kept while its key (what it shows that
// can change) stays the same.
type cachedPage struct {
	key      string
	body, gz []byte
}

// cached renders a page once per key and serves the copy afterwards.
func (p *pages) cached(w http.ResponseWriter, r *http.Request, slot *atomic.Pointer[cachedPage], key, name string, data func() any) {
	if c := slot.Load(); c != nil && c.key == key {
		p.write(w, r, http.StatusOK, c.body, c.gz)
		return
	}
	var buf bytes.Buffer
	if err := p.execute(&buf, name, data()); err != nil {
		p.s.log.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, p.msg.get("error.internal"), http.StatusInternalServerError)
		return
	}
	var zbuf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zbuf, gzip.BestCompression)
	zw.Write(buf.Bytes())
	zw.Close()
	c := &cachedPage{key: key, body: buf.Bytes(), gz: zbuf.Bytes()}
	slot.Store(c)
	p.write(w, r, http.StatusOK, c.body, c.gz)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(enc) == "gzip" && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// errorView is the data of the error pages.
type errorView struct {
	layout
	Message string
}

func (p *pages) notFound(w http.ResponseWriter, r *http.Request) {
	v := errorView{layout: p.layout(p.msg.get("error.notfound.title"), ""), Message: p.msg.get("error.notfound.text")}
	v.Robots = "noindex"
	p.render(w, r, http.StatusNotFound, "error", v)
}

// fail answers a page whose data could not be read: 404 for what does not
// exist, 500 (logged) otherwise.
func (p *pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, storage.ErrNotFound) {
		p.notFound(w, r)
		return
	}
	p.s.log.Error("page failed", "path", r.URL.Path, "err", err)
	v := errorView{layout: p.layout(p.msg.get("error.internal.title"), ""), Message: p.msg.get("error.internal")}
	v.Robots = "noindex"
	p.render(w, r, http.StatusInternalServerError, "error", v)
}

// communeSuggestions answers up to 8 communes of the catalogue whose name
// or postal code starts with q, as JSON: the search page's suggestions.
func (p *pages) communeSuggestions(w http.ResponseWriter, r *http.Request) {
	list, err := p.communes.suggest(r.URL.Query().Get("q"), 8)
	if err != nil {
		p.s.writeError(w, r, err)
		return
	}
	out := make([]string, 0, len(list))
	for _, c := range list {
		out = append(out, c.Label())
	}
	w.Header().Set("Cache-Control", "max-age=300")
	writeJSON(w, http.StatusOK, out)
}

// enumValues is a closed list for a form: its canonical values.
func enumValues(e *catalogue.Enum) []string { return e.Values }
