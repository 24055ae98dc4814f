package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
)

// page is the JSON answer of a list.
type page[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next"`
}

func (s *Module) listPlaces(w http.ResponseWriter, r *http.Request) {
	q, err := s.PlaceQuery(r)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	res, err := s.Store.Places(q)
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, page[*catalogue.Place]{Items: res.Items, Total: res.Total, Next: res.Next})
}

// getPlace answers the place as lists show it: the merged place of all
// its networks' records when several publish it, whichever record's id
// is asked.
func (s *Module) getPlace(w http.ResponseWriter, r *http.Request) {
	p, err := s.Store.MergedPlace(mux.Vars(r)["id"])
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, p)
}

// decodePlace reads, normalises and validates a place from the body.
func (s *Module) decodePlace(w http.ResponseWriter, r *http.Request) (*catalogue.Place, error) {
	var p catalogue.Place
	if err := s.DecodeBody(w, r, &p); err != nil {
		return nil, err
	}
	if p.DateMaj == "" {
		p.DateMaj = s.Now().In(catalogue.Paris).Format("2006-01-02")
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func (s *Module) createPlace(w http.ResponseWriter, r *http.Request) {
	p, err := s.decodePlace(w, r)
	if err == nil {
		err = s.Store.CreatePlace(p)
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/places/"+p.ID)
	server.WriteJSON(w, http.StatusCreated, p)
}

func (s *Module) updatePlace(w http.ResponseWriter, r *http.Request) {
	p, err := s.decodePlace(w, r)
	if err == nil {
		err = s.Store.UpdatePlace(mux.Vars(r)["id"], p)
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, p)
}

func (s *Module) deletePlace(w http.ResponseWriter, r *http.Request) {
	if err := s.Store.DeletePlace(mux.Vars(r)["id"]); err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// splitPlace detaches a record from the place it was merged into.
func (s *Module) splitPlace(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.Store.SplitPlace(id); err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.getPlace(w, r)
}

// linkPlace merges a record with another that matching missed.
func (s *Module) linkPlace(w http.ResponseWriter, r *http.Request) {
	var body struct {
		With string `json:"with"`
	}
	if err := s.DecodeBody(w, r, &body); err != nil {
		s.WriteError(w, r, err)
		return
	}
	if body.With == "" {
		server.WriteJSON(w, http.StatusBadRequest, server.APIError{Error: "lieu à rapprocher manquant", Fields: map[string]string{"with": "obligatoire"}})
		return
	}
	if err := s.Store.LinkPlaces(mux.Vars(r)["id"], body.With); err != nil {
		s.WriteError(w, r, err)
		return
	}
	s.getPlace(w, r)
}
