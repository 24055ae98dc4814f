package ui

import (
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/storage"
)

// DefaultMaxBody is the largest request body accepted when Config.MaxBody
// is zero.
const DefaultMaxBody = 1 << 20

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
}

type server struct {
	store   *storage.Store
	log     *slog.Logger
	now     func() time.Time
	maxBody int64
	fed     Federation
	figures statsCache // computeStats
	proxies proxies    // trusted reverse proxies
}

// New returns the HTTP handler of an instance.
func New(cfg Config) http.Handler {
	s := &server{store: cfg.Store, log: cfg.Logger, now: cfg.Now, maxBody: cfg.MaxBody, fed: cfg.Federation,
		proxies: proxies(cfg.TrustedProxies)}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody == 0 {
		s.maxBody = DefaultMaxBody
	}

	r := mux.NewRouter()
	if s.fed != nil {
		s.fed.Register(r)
	}
	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	s.registerExports(r) // /export/…, /feed/evenements.atom, /catalogue.pdf

	api := r.PathPrefix("/api/v1").Subrouter()
	api.HandleFunc("/places", s.listPlaces).Methods(http.MethodGet)
	api.HandleFunc("/places", s.auth(roleCatalogue, s.createPlace)).Methods(http.MethodPost)
	api.HandleFunc("/places/{id}", s.getPlace).Methods(http.MethodGet)
	api.HandleFunc("/places/{id}", s.auth(roleCatalogue, s.updatePlace)).Methods(http.MethodPut)
	api.HandleFunc("/places/{id}", s.auth(roleCatalogue, s.deletePlace)).Methods(http.MethodDelete)
	api.HandleFunc("/places/{id}/split", s.auth(roleCatalogue, s.splitPlace)).Methods(http.MethodPost)
	api.HandleFunc("/places/{id}/link", s.auth(roleCatalogue, s.linkPlace)).Methods(http.MethodPost)
	api.HandleFunc("/events", s.listEvents).Methods(http.MethodGet)
	api.HandleFunc("/events", s.auth(roleCatalogue, s.createEvent)).Methods(http.MethodPost)
	api.HandleFunc("/events/{id}", s.getEvent).Methods(http.MethodGet)
	api.HandleFunc("/events/{id}", s.auth(roleCatalogue, s.updateEvent)).Methods(http.MethodPut)
	api.HandleFunc("/events/{id}", s.auth(roleCatalogue, s.deleteEvent)).Methods(http.MethodDelete)
	api.HandleFunc("/import", s.auth(roleCatalogue, s.importPlaces)).Methods(http.MethodPost)
	api.HandleFunc("/stats", s.stats).Methods(http.MethodGet)
	if s.fed != nil {
		s.registerFederation(api)
	}
	api.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, apiError{Error: "ressource inconnue"})
	})
	api.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusMethodNotAllowed, apiError{Error: "méthode non permise"})
	})
	// The pages come after the federation routes, which answer the same
	// /lieux/{id} and /evenements/{id} to ActivityPub clients.
	s.registerPages(r, cfg)
	return s.logRequests(r)
}

func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// logRequests logs one line per request.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status,
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
