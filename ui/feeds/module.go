package feeds

import "github.com/maillage/maillage/ui/internal/server"

// Module serves the exports and feeds: the national-standard CSV,
// GeoJSON, data·inclusion, iCalendar, Atom and the printable catalogue.
type Module struct {
	*server.Server
}

// New returns the exports of the instance that s serves.
func New(s *server.Server) *Module { return &Module{Server: s} }
