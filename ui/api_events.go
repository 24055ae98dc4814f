package ui

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
)

func (s *server) listEvents(w http.ResponseWriter, r *http.Request) {
	q, err := s.eventQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.store.Events(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page[*catalogue.Event]{Items: res.Items, Total: res.Total, Next: res.Next})
}

func (s *server) getEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.store.Event(mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// decodeEvent reads, normalises and validates an event from the body.
func (s *server) decodeEvent(w http.ResponseWriter, r *http.Request) (*catalogue.Event, error) {
	var e catalogue.Event
	if err := s.decodeBody(w, r, &e); err != nil {
		return nil, err
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

func (s *server) createEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.decodeEvent(w, r)
	if err == nil {
		err = s.store.CreateEvent(e)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/events/"+e.ID)
	writeJSON(w, http.StatusCreated, e)
}

func (s *server) updateEvent(w http.ResponseWriter, r *http.Request) {
	e, err := s.decodeEvent(w, r)
	if err == nil {
		err = s.store.UpdateEvent(mux.Vars(r)["id"], e)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

func (s *server) deleteEvent(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeleteEvent(mux.Vars(r)["id"]); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
