package api

import (
	"net/http"

	"github.com/maillage/maillage/ui/internal/server"
)

func (s *Module) stats(w http.ResponseWriter, r *http.Request) {
	f, err := server.StatsFilterOf(r)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	out, err := s.ComputeStats(f)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, out)
}
