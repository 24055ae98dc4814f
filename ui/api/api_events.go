package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
)

func (s *Module) listEvents(w http.ResponseWriter, r *http.Request) {
	q, err := s.EventQuery(r)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	res, err := s.Store.Events(q)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, page[*catalogue.Event]{Items: res.Items, Total: res.Total, Next: res.Next})
}

func (s *Module) getEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.Store.Event(mux.Vars(r)["id"])
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, e)
}

// decodeEvent reads, normalises and validates an event from the body.
func (s *Module) decodeEvent(w http.ResponseWriter, r *http.Request) (*catalogue.Event, error) {
	var e catalogue.Event
	if err := s.DecodeBody(w, r, &e); err != nil {
		return nil, err
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

func (s *Module) createEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.decodeEvent(w, r)
	if err == nil {
		err = s.Store.CreateEvent(e)
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/events/"+e.ID)
	server.WriteJSON(w, http.StatusCreated, e)
}

func (s *Module) updateEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.decodeEvent(w, r)
	if err == nil {
		err = s.Store.UpdateEvent(mux.Vars(r)["id"], e)
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, e)
}

func (s *Module) deleteEvent(w http.ResponseWriter, r *http.Request) {
	if err := s.Store.DeleteEvent(mux.Vars(r)["id"]); err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
