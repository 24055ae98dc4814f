package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/ui/internal/server"
)

// Module serves the JSON API under /api/v1.
type Module struct {
	*server.Server
}

// New returns the API of the instance that s serves.
func New(s *server.Server) *Module { return &Module{Server: s} }

// Route adds the API's routes to api, the /api/v1 subrouter.
func (s *Module) Route(api *mux.Router) {
	api.HandleFunc("/places", s.listPlaces).Methods(http.MethodGet)
	api.HandleFunc("/places", s.Auth(server.RoleCatalogue, s.createPlace)).Methods(http.MethodPost)
	api.HandleFunc("/places/{id}", s.getPlace).Methods(http.MethodGet)
	api.HandleFunc("/places/{id}", s.Auth(server.RoleCatalogue, s.updatePlace)).Methods(http.MethodPut)
	api.HandleFunc("/places/{id}", s.Auth(server.RoleCatalogue, s.deletePlace)).Methods(http.MethodDelete)
	api.HandleFunc("/places/{id}/split", s.Auth(server.RoleCatalogue, s.splitPlace)).Methods(http.MethodPost)
	api.HandleFunc("/places/{id}/link", s.Auth(server.RoleCatalogue, s.linkPlace)).Methods(http.MethodPost)
	api.HandleFunc("/events", s.listEvents).Methods(http.MethodGet)
	api.HandleFunc("/events", s.Auth(server.RoleCatalogue, s.createEvent)).Methods(http.MethodPost)
	api.HandleFunc("/events/{id}", s.getEvent).Methods(http.MethodGet)
	api.HandleFunc("/events/{id}", s.Auth(server.RoleCatalogue, s.updateEvent)).Methods(http.MethodPut)
	api.HandleFunc("/events/{id}", s.Auth(server.RoleCatalogue, s.deleteEvent)).Methods(http.MethodDelete)
	api.HandleFunc("/import", s.Auth(server.RoleCatalogue, s.importPlaces)).Methods(http.MethodPost)
	api.HandleFunc("/stats", s.stats).Methods(http.MethodGet)
	api.HandleFunc("/admin/backup", s.Auth(server.RoleBackup, s.backup)).Methods(http.MethodGet)
	if s.Fed != nil {
		s.registerFederation(api)
	}
	api.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		server.WriteJSON(w, http.StatusNotFound, server.APIError{Error: "ressource inconnue"})
	})
	api.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		server.WriteJSON(w, http.StatusMethodNotAllowed, server.APIError{Error: "méthode non permise"})
	})
}
