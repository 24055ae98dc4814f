package ui

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
)

// page is the JSON answer of a list.
type page[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next"`
}

func (s *server) listPlaces(w http.ResponseWriter, r *http.Request) {
	q, err := s.placeQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	res, err := s.store.Places(q)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page[*catalogue.Place]{Items: res.Items, Total: res.Total, Next: res.Next})
}

// getPlace answers the place as lists show it: the merged place of all
// its networks' records when several publish it, whichever record's id
// is asked.
func (s *server) getPlace(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.MergedPlace(mux.Vars(r)["id"])
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// decodePlace reads, normalises and validates a place from the body.
func (s *server) decodePlace(w http.ResponseWriter, r *http.Request) (*catalogue.Place, error) {
	var p catalogue.Place
	if err := s.decodeBody(w, r, &p); err != nil {
		return nil, err
	}
	if p.DateMaj == "" {
		p.DateMaj = s.now().In(catalogue.Paris).Format("2006-01-02")
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &p, nil
}

func (s *server) createPlace(w http.ResponseWriter, r *http.Request) {
	p, err := s.decodePlace(w, r)
	if err == nil {
		err = s.store.CreatePlace(p)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/places/"+p.ID)
	writeJSON(w, http.StatusCreated, p)
}

func (s *server) updatePlace(w http.ResponseWriter, r *http.Request) {
	p, err := s.decodePlace(w, r)
	if err == nil {
		err = s.store.UpdatePlace(mux.Vars(r)["id"], p)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *server) deletePlace(w http.ResponseWriter, r *http.Request) {
	if err := s.store.DeletePlace(mux.Vars(r)["id"]); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// splitPlace detaches a record from the place it was merged into.
func (s *server) splitPlace(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if err := s.store.SplitPlace(id); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.getPlace(w, r)
}

// linkPlace merges a record with another that matching missed.
func (s *server) linkPlace(w http.ResponseWriter, r *http.Request) {
	var body struct {
		With string `json:"with"`
	}
	if err := s.decodeBody(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	if body.With == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "lieu à rapprocher manquant", Fields: map[string]string{"with": "obligatoire"}})
		return
	}
	if err := s.store.LinkPlaces(mux.Vars(r)["id"], body.With); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.getPlace(w, r)
}
