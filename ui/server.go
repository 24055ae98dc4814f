package ui

import (
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/admin"
	"github.com/maillage/maillage/ui/api"
	"github.com/maillage/maillage/ui/feeds"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/web"
)

// DefaultMaxBody is the largest request body accepted when Config.MaxBody
// is zero.
const DefaultMaxBody = 1 << 20

// DefaultTileURL is the map tiles' URL when Config.TileURL is empty:
// OpenStreetMap's standard layer.
const DefaultTileURL = page.DefaultTileURL

// Federation is what the web layer needs of the ActivityPub side.
type Federation = server.Federation

// Report is an error report sent from a place page's "signaler une
// erreur" form.
type Report = server.Report

// Reports receives the error reports of the place pages.
type Reports = server.Reports

// Config is what the web layer needs. Store is required.
type Config struct {
	Store   *storage.Store
	Logger  *slog.Logger     // slog.Default() when nil
	Now     func() time.Time // time.Now when nil
	MaxBody int64            // DefaultMaxBody when zero
	// Federation, when set, serves ActivityPub and the follow API.
	Federation Federation
	// TileURL is the maps' tile URL template ("…/{z}/{x}/{y}.png", with
	// an optional {s}); DefaultTileURL (OpenStreetMap) when empty.
	// TileAttribution is the HTML credit shown on the maps; OpenStreetMap's
	// when empty.
	TileURL         string
	TileAttribution string
	// Reports, when set, receives the "signaler une erreur" reports of the
	// place pages; without it the form answers that reports cannot be
	// taken yet.
	Reports Reports
	// TrustedProxies are the reverse proxies (addresses and networks)
	// whose X-Forwarded-For and X-Forwarded-Proto are believed, when the
	// request comes straight from one of them: the client's address then
	// keys the login limit, and an https client gets Secure cookies. When
	// empty, forwarding headers are ignored.
	TrustedProxies []netip.Prefix
	// RouteMatched, when set, is told the template of the route each
	// request matched ("/lieux/{id}", "/api/v1/places/{id}"), before its
	// handler runs: the metrics' route label.
	RouteMatched func(r *http.Request, template string)
	// AllowPrivate lets the editors register a source (/admin/sources)
	// at a loopback or private address, as serve's --allow-private.
	AllowPrivate bool
	// Sample, when set, fills an empty catalogue with the sample data of
	// serve --demo-seed and returns how many places it added; the admin
	// home of an empty catalogue then offers a button that calls it.
	Sample func() (int, error)
}

// New returns the HTTP handler of an instance: the ActivityPub routes
// (when Config.Federation is set), the exports and feeds, the JSON API,
// the public pages and the editors' pages, in that order.
func New(cfg Config) http.Handler {
	s := &server.Server{Store: cfg.Store, Log: cfg.Logger, Now: cfg.Now, MaxBody: cfg.MaxBody, Fed: cfg.Federation,
		Proxies: server.Proxies(cfg.TrustedProxies), AllowPrivate: cfg.AllowPrivate, Sample: cfg.Sample}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.MaxBody == 0 {
		s.MaxBody = DefaultMaxBody
	}

	r := mux.NewRouter()
	if cfg.RouteMatched != nil {
		r.Use(routeMatched(cfg.RouteMatched))
	}
	if s.Fed != nil {
		s.Fed.Register(r)
	}
	r.HandleFunc("/healthz", s.Healthz).Methods(http.MethodGet, http.MethodHead)
	feeds.New(s).Route(r) // /export/…, /feed/evenements.atom, /catalogue.pdf
	api.New(s).Route(r.PathPrefix("/api/v1").Subrouter())
	// The pages come after the federation routes, which answer the same
	// /lieux/{id} and /evenements/{id} to ActivityPub clients.
	site := page.New(s, page.Options{TileURL: cfg.TileURL, TileAttribution: cfg.TileAttribution,
		Reports: cfg.Reports, Messages: page.French(web.French, admin.French)})
	web.New(site).Route(r)
	admin.New(site).Route(r)
	return logRequests(s.Log, r)
}

// routeMatched is the router middleware that tells fn the template of
// the matched route.
func routeMatched(fn func(*http.Request, string)) mux.MiddlewareFunc {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if cur := mux.CurrentRoute(r); cur != nil {
				if tpl, err := cur.GetPathTemplate(); err == nil {
					fn(r, tpl)
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}

// logRequests logs one line per request.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration", time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
