package server

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/maillage/maillage/storage"
)

// Server holds what every audience's handlers need of the instance: its
// store, logger, clock, request limits, federation side and trusted
// Proxies. One value is built by ui.New and shared by every module.
type Server struct {
	Store   *storage.Store
	Log     *slog.Logger
	Now     func() time.Time
	MaxBody int64
	// Fed is nil when the instance does not federate (tests of the pages
	// alone).
	Fed     Federation
	Figures StatsCache // ComputeStats
	Proxies Proxies    // trusted reverse Proxies
	// AllowPrivate lets an editor register a source at a loopback or
	// private address (the instance's --allow-private).
	AllowPrivate bool
	// Sample, when set, fills an empty catalogue with the sample places
	// and ateliers of serve --demo-seed and returns how many places it
	// added: the admin home's "charger les données d'exemple".
	Sample func() (int, error)
}

// Healthz answers the health checks.
func (s *Server) Healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}
