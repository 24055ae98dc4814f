package web

import (
	"embed"
	"net/http"
	"sync/atomic"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/ui/internal/page"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Module serves the public pages: search, place and event pages, the
// agenda, the networks, the orientation sheet, the figures and the
// embeddable widgets.
type Module struct {
	*page.Site
	homePage atomic.Pointer[page.CachedPage]
}

// New returns the public pages on the shared part of the pages.
func New(site *page.Site) *Module { return &Module{Site: site.WithTemplates(templateFiles)} }

// Route adds the public pages and the static assets to r, and makes the
// French "page introuvable" r's answer to any unknown path.
func (p *Module) Route(r *mux.Router) {
	r.PathPrefix("/static/").Handler(p.Assets).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, p.Assets.URL("favicon.svg"), http.StatusMovedPermanently) // what browsers ask for without a link
	}).Methods(http.MethodGet, http.MethodHead)
	get := func(path string, h http.HandlerFunc) {
		r.HandleFunc(path, p.HTML(h)).Methods(http.MethodGet, http.MethodHead)
	}
	get("/", p.home)
	get("/lieux", p.search)
	get("/lieux/{id}", p.place)
	r.HandleFunc("/lieux/{id}/signaler", p.HTML(p.report)).Methods(http.MethodPost)
	get("/evenements", p.agenda)
	get("/evenements/{id}", p.event)
	get("/reseaux", p.networks)
	get("/statistiques", p.statistics)
	get("/orientation", p.orientation)
	get("/orientation/fiche", p.orientationSheet)
	get("/competences", p.skillsPage)
	get("/widget/lieux", p.widgetPlaces)
	get("/widget/evenements", p.widgetEvents)
	r.HandleFunc("/communes", p.communeSuggestions).Methods(http.MethodGet)
	r.NotFoundHandler = p.HTML(func(w http.ResponseWriter, r *http.Request) {
		p.NotFound(w, r)
	})
}
