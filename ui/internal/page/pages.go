package page

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

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

//go:embed templates/*.html
var templateFiles embed.FS

// DefaultTileURL is the map tiles' URL when Config.TileURL is empty:
// OpenStreetMap's standard layer.
const DefaultTileURL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

// Site is what every HTML page shares, public or editors': the instance
// (embedded), the message catalogue, the assets, the CSRF keys, the
// communes, the opening-hours cache, the map tiles, and the templates of
// one audience (see WithTemplates).
type Site struct {
	*server.Server
	Msg      *Messages
	Assets   *Assets
	Tiles    string
	TilesSrc string // the tiles' origin, for the Content-Security-Policy
	Attrib   string
	Reports  server.Reports
	CSRF     *CSRFKeys
	Communes *Communes
	Hours    *HoursCache
	tmpl     map[string]*template.Template
	pools    *pools
}

// pools are the buffers and gzip writers the pages reuse.
type pools struct {
	gzip sync.Pool
	buf  sync.Pool
}

// Options are the settings of the pages.
type Options struct {
	// TileURL is the maps' tile URL template; DefaultTileURL when empty.
	TileURL string
	// TileAttribution is the maps' HTML credit; OpenStreetMap's when empty.
	TileAttribution string
	// Reports receives the "signaler une erreur" reports; may be nil.
	Reports server.Reports
	// Messages is the catalogue of every page's words.
	Messages *Messages
}

// PageSize is how many places or events a list page shows.
const PageSize = 20

// New returns the shared part of the pages of srv. It renders only the
// error pages until WithTemplates gives it an audience's templates.
func New(srv *server.Server, o Options) *Site {
	p := &Site{
		Server:  srv,
		Msg:     o.Messages,
		Assets:  NewAssets(),
		Tiles:   o.TileURL,
		Attrib:  o.TileAttribution,
		Reports: o.Reports,
		CSRF:    NewCSRFKeys(),
		Hours:   &HoursCache{},
		pools:   &pools{},
	}
	if p.Tiles == "" {
		p.Tiles = DefaultTileURL
	}
	if p.Attrib == "" {
		p.Attrib = p.Msg.Get("map.attribution")
	}
	p.TilesSrc = tileOrigin(p.Tiles)
	p.Communes = NewCommunes()
	p.pools.gzip.New = func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }
	p.pools.buf.New = func() any { return new(bytes.Buffer) }
	p.tmpl = parseTemplates(p.Funcs(), nil)
	return p
}

// WithTemplates returns a Site that shares everything with p and renders
// the pages of fsys: each templates/NAME.html defines "content" for page
// NAME, on the shared layouts and partials (templates/_*.html here and
// in fsys).
func (p *Site) WithTemplates(fsys fs.FS) *Site {
	c := *p
	c.tmpl = parseTemplates(p.Funcs(), fsys)
	return &c
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
// partials, then the page's own file, which defines "content". The shared
// files (the layouts, the forms' partials, the error page) come from this
// package; fsys, when not nil, adds an audience's.
func parseTemplates(funcs template.FuncMap, fsys fs.FS) map[string]*template.Template {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/_*.html"))
	if fsys != nil {
		if partials, _ := fs.Glob(fsys, "templates/_*.html"); len(partials) > 0 {
			base = template.Must(base.ParseFS(fsys, "templates/_*.html"))
		}
	}
	out := map[string]*template.Template{}
	add := func(fsys fs.FS) {
		names, err := fs.Glob(fsys, "templates/*.html")
		if err != nil {
			panic(err)
		}
		for _, name := range names {
			file := strings.TrimPrefix(name, "templates/")
			if strings.HasPrefix(file, "_") {
				continue
			}
			t := template.Must(template.Must(base.Clone()).ParseFS(fsys, name))
			out[strings.TrimSuffix(file, ".html")] = t
		}
	}
	add(templateFiles)
	if fsys != nil {
		add(fsys)
	}
	return out
}

// Layout is what every page's frame needs.
type Layout struct {
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
	// MetaDescription is the page's description for search engines and
	// link previews; empty, the site's.
	MetaDescription string
	// OpenGraph adds the Open Graph title and description, so that a link
	// shared in a message or on Mastodon shows a card.
	OpenGraph bool
}

func (p *Site) Layout(title, section string) Layout {
	return Layout{Title: title, Section: section, Site: p.SiteName(), Tiles: p.Tiles, Attrib: p.Attrib}
}

func (p *Site) SiteName() string {
	st, err := p.Store.Settings()
	if err != nil || st.Name == "" {
		return "Maillage"
	}
	return st.Name
}

// baseURL is the instance's public URL, without a trailing slash.
func (p *Site) BaseURL() string {
	return strings.TrimSuffix(p.Store.ActorIRI(), "/actor")
}

// html sets the headers every page shares.
func (p *Site) HTML(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		frame := "'self'"
		if strings.HasPrefix(r.URL.Path, "/widget/") {
			frame = "*"
		} else {
			hd.Set("X-Frame-Options", "SAMEORIGIN")
		}
		img := "'self' data:"
		if p.TilesSrc != "" {
			img += " " + p.TilesSrc
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
func (p *Site) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	buf := p.pools.buf.Get().(*bytes.Buffer)
	buf.Reset()
	defer p.pools.buf.Put(buf)
	if err := p.Execute(buf, name, data); err != nil {
		p.Log.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, p.Msg.Get("error.internal"), http.StatusInternalServerError)
		return
	}
	p.write(w, r, status, buf.Bytes(), nil)
}

func (p *Site) Execute(w io.Writer, name string, data any) error {
	t, ok := p.tmpl[name]
	if !ok {
		return errors.New("no template " + name)
	}
	return t.ExecuteTemplate(w, name+".html", data)
}

// write sends an HTML body, gzipped when the client accepts it: with gz
// when given (the body already compressed), else compressed now.
func (p *Site) write(w http.ResponseWriter, r *http.Request, status int, body, gz []byte) {
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
	zw := p.pools.gzip.Get().(*gzip.Writer)
	zw.Reset(w)
	zw.Write(body)
	zw.Close()
	p.pools.gzip.Put(zw)
}

// CachedPage is a rendered page kept while its key (what it shows that
// can change) stays the same.
type CachedPage struct {
	key      string
	body, gz []byte
}

// cached renders a page once per key and serves the copy afterwards.
func (p *Site) Cached(w http.ResponseWriter, r *http.Request, slot *atomic.Pointer[CachedPage], key, name string, data func() any) {
	if c := slot.Load(); c != nil && c.key == key {
		p.write(w, r, http.StatusOK, c.body, c.gz)
		return
	}
	var buf bytes.Buffer
	if err := p.Execute(&buf, name, data()); err != nil {
		p.Log.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, p.Msg.Get("error.internal"), http.StatusInternalServerError)
		return
	}
	var zbuf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zbuf, gzip.BestCompression)
	zw.Write(buf.Bytes())
	zw.Close()
	c := &CachedPage{key: key, body: buf.Bytes(), gz: zbuf.Bytes()}
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

// ErrorView is the data of the error pages.
type ErrorView struct {
	Layout
	Message string
}

func (p *Site) NotFound(w http.ResponseWriter, r *http.Request) {
	v := ErrorView{Layout: p.Layout(p.Msg.Get("error.notfound.title"), ""), Message: p.Msg.Get("error.notfound.text")}
	v.Robots = "noindex"
	p.Render(w, r, http.StatusNotFound, "error", v)
}

// fail answers a page whose data could not be read: 404 for what does not
// exist, 500 (logged) otherwise.
func (p *Site) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, storage.ErrNotFound) {
		p.NotFound(w, r)
		return
	}
	p.Log.Error("page failed", "path", r.URL.Path, "err", err)
	v := ErrorView{Layout: p.Layout(p.Msg.Get("error.internal.title"), ""), Message: p.Msg.Get("error.internal")}
	v.Robots = "noindex"
	p.Render(w, r, http.StatusInternalServerError, "error", v)
}

// EnumValues is a closed list for a form: its canonical values.
func EnumValues(e *catalogue.Enum) []string { return e.Values }

// Secure says whether cookies must be Secure: over TLS, when the public
// URL is https, or when a trusted proxy says the client came over https
// (X-Forwarded-Proto).
func (p *Site) Secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(p.BaseURL(), "https:") || p.Proxies.ForwardedHTTPS(r)
}

// ActorName is a remote network's display name, or its host.
func (p *Site) ActorName(actor string) string {
	if a, err := p.Store.Actor(actor); err == nil && a.Name != "" {
		return a.Name
	}
	if u, err := url.Parse(actor); err == nil && u.Host != "" {
		return u.Host
	}
	return actor
}
