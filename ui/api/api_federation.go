package api

import (
	"errors"
	"net/http"
	"path"
	"sort"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
)

// followJSON is a follow as the API shows it.
type followJSON struct {
	ID    string `json:"id"`
	Actor string `json:"actor"`
	State string `json:"state"`
}

func followOut(f storage.Following) followJSON {
	return followJSON{ID: path.Base(f.ID), Actor: f.Actor, State: f.State}
}

func (s *Module) registerFederation(api *mux.Router) {
	api.HandleFunc("/follows", s.Auth(server.RoleFederation, s.createFollow)).Methods(http.MethodPost)
	api.HandleFunc("/follows", s.listFollows).Methods(http.MethodGet)
	api.HandleFunc("/follows/{id}", s.Auth(server.RoleFederation, s.deleteFollow)).Methods(http.MethodDelete)
	api.HandleFunc("/followers", s.Auth(server.RoleFederation, s.listFollowers)).Methods(http.MethodGet)
	api.HandleFunc("/followers/{id}/accept", s.Auth(server.RoleFederation, s.answerFollower(true))).Methods(http.MethodPost)
	api.HandleFunc("/followers/{id}/reject", s.Auth(server.RoleFederation, s.answerFollower(false))).Methods(http.MethodPost)
	api.HandleFunc("/followers/{id}", s.Auth(server.RoleFederation, s.removeFollower)).Methods(http.MethodDelete)
	api.HandleFunc("/networks", s.listNetworks).Methods(http.MethodGet)
	api.HandleFunc("/blocks", s.Auth(server.RoleModeration, s.listBlocks)).Methods(http.MethodGet)
	api.HandleFunc("/blocks", s.Auth(server.RoleModeration, s.createBlock)).Methods(http.MethodPost)
	api.HandleFunc("/blocks/{domain}", s.Auth(server.RoleModeration, s.deleteBlock)).Methods(http.MethodDelete)
	api.HandleFunc("/hidden", s.Auth(server.RoleModeration, s.listHidden)).Methods(http.MethodGet)
	api.HandleFunc("/hidden", s.Auth(server.RoleModeration, s.createHidden)).Methods(http.MethodPost)
	api.HandleFunc("/hidden", s.Auth(server.RoleModeration, s.deleteHidden)).Methods(http.MethodDelete)
	api.HandleFunc("/reports", s.Auth(server.RoleCatalogue, s.listReports)).Methods(http.MethodGet)
}

// listReports shows the error reports on places: typed on this
// instance's pages, or sent by other instances (Flag) about ours.
func (s *Module) listReports(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Reports()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, page[storage.Report]{Items: list, Total: len(list)})
}

func (s *Module) removeFollower(w http.ResponseWriter, r *http.Request) {
	actor, err := s.FollowerActor(mux.Vars(r)["id"])
	if err == nil {
		err = s.Fed.RemoveFollower(actor)
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Module) listBlocks(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Blocks()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, page[string]{Items: list, Total: len(list)})
}

func (s *Module) createBlock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Domain string `json:"domain"`
	}
	if err := s.DecodeBody(w, r, &body); err != nil {
		s.WriteError(w, r, err)
		return
	}
	domain := storage.Domain(body.Domain)
	if domain == "" {
		s.WriteError(w, r, &server.BadRequest{Msg: "domaine manquant", Fields: map[string]string{"domain": "champ obligatoire : un nom d'hôte (mastodon.example), une adresse nom@hôte ou une URL"}})
		return
	}
	places, events, err := s.Fed.Block(domain)
	if errors.Is(err, storage.ErrForbidden) {
		s.WriteError(w, r, &server.BadRequest{Msg: "domaine refusé", Fields: map[string]string{"domain": "une instance ne peut pas se bloquer elle-même"}})
		return
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusCreated, map[string]any{"domain": domain, "places_removed": places, "events_removed": events})
}

func (s *Module) deleteBlock(w http.ResponseWriter, r *http.Request) {
	if err := s.Fed.Unblock(mux.Vars(r)["domain"]); err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Module) listHidden(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.Hidden()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusOK, page[string]{Items: list, Total: len(list)})
}

func (s *Module) createHidden(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Record string `json:"record"`
	}
	if err := s.DecodeBody(w, r, &body); err != nil {
		s.WriteError(w, r, err)
		return
	}
	if body.Record == "" {
		s.WriteError(w, r, &server.BadRequest{Msg: "enregistrement manquant", Fields: map[string]string{"record": "champ obligatoire : l'id ou l'ap_id d'un lieu ou d'un événement d'un autre réseau"}})
		return
	}
	apID, err := s.Fed.Hide(body.Record)
	if errors.Is(err, storage.ErrForbidden) {
		s.WriteError(w, r, &server.BadRequest{Msg: "enregistrement local", Fields: map[string]string{"record": "un enregistrement de ce réseau se supprime, il ne se masque pas"}})
		return
	}
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	server.WriteJSON(w, http.StatusCreated, map[string]string{"ap_id": apID})
}

func (s *Module) deleteHidden(w http.ResponseWriter, r *http.Request) {
	if err := s.Fed.Unhide(r.URL.Query().Get("ap_id")); err != nil {
		s.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Module) createFollow(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Target string `json:"target"`
	}
	if err := s.DecodeBody(w, r, &body); err != nil {
		s.WriteError(w, r, err)
		return
	}
	if body.Target == "" {
		s.WriteError(w, r, &server.BadRequest{Msg: "cible manquante", Fields: map[string]string{"target": "champ obligatoire : nom@hôte ou l'URL d'un acteur"}})
		return
	}
	f, err := s.Fed.Follow(r.Context(), body.Target)
	if err != nil {
		server.WriteJSON(w, http.StatusBadGateway, server.APIError{Error: "impossible de suivre ce réseau : " + err.Error(),
			Fields: map[string]string{"target": err.Error()}})
		return
	}
	server.WriteJSON(w, http.StatusAccepted, followOut(f))
}

func (s *Module) listFollows(w http.ResponseWriter, r *http.Request) {
	fs, err := s.Store.Followings()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	out := []followJSON{}
	for _, f := range fs {
		out = append(out, followOut(f))
	}
	server.WriteJSON(w, http.StatusOK, page[followJSON]{Items: out, Total: len(out)})
}

func (s *Module) deleteFollow(w http.ResponseWriter, r *http.Request) {
	fs, err := s.Store.Followings()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	for _, f := range fs {
		if path.Base(f.ID) == mux.Vars(r)["id"] {
			if err := s.Fed.Unfollow(r.Context(), f.Actor); err != nil {
				s.WriteError(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	s.WriteError(w, r, storage.ErrNotFound)
}

type followerJSON struct {
	ID    string `json:"id"`
	Actor string `json:"actor"`
	State string `json:"state"`
}

func (s *Module) listFollowers(w http.ResponseWriter, r *http.Request) {
	fs, err := s.Store.Followers()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	out := []followerJSON{}
	for _, f := range fs {
		out = append(out, followerJSON{ID: server.FollowerID(f.Actor), Actor: f.Actor, State: f.State})
	}
	server.WriteJSON(w, http.StatusOK, page[followerJSON]{Items: out, Total: len(out)})
}

func (s *Module) answerFollower(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor, err := s.FollowerActor(mux.Vars(r)["id"])
		if err != nil {
			s.WriteError(w, r, err)
			return
		}
		f, err := s.Fed.AnswerFollower(actor, accept)
		if err != nil {
			s.WriteError(w, r, err)
			return
		}
		server.WriteJSON(w, http.StatusOK, followerJSON{ID: server.FollowerID(f.Actor), Actor: f.Actor, State: f.State})
	}
}

type networkJSON struct {
	catalogue.Network
	Places int `json:"places"`
	Events int `json:"events"`
}

// listNetworks counts the records of each network this instance holds.
func (s *Module) listNetworks(w http.ResponseWriter, r *http.Request) {
	actors := map[string]string{s.Store.ActorIRI(): ""}
	fs, err := s.Store.Followings()
	if err != nil {
		s.WriteError(w, r, err)
		return
	}
	for _, f := range fs {
		if f.State == storage.FollowAccepted {
			actors[f.Actor] = ""
		}
	}
	var out []networkJSON
	for actor := range actors {
		places, err := s.Store.Places(catalogue.PlaceQuery{Network: actor, Limit: 1})
		if err != nil {
			s.WriteError(w, r, err)
			return
		}
		events, err := s.Store.Events(catalogue.EventQuery{Network: actor, From: s.Now(), Limit: 1})
		if err != nil {
			s.WriteError(w, r, err)
			return
		}
		n := catalogue.Network{Actor: actor, Local: actor == s.Store.ActorIRI()}
		switch {
		case len(places.Items) > 0:
			n = places.Items[0].Network
		case len(events.Items) > 0:
			n = events.Items[0].Network
		case n.Local:
			st, _ := s.Store.Settings()
			n.Name = st.Name
		}
		out = append(out, networkJSON{Network: n, Places: places.Total, Events: events.Total})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Local || !out[j].Local && out[i].Name < out[j].Name })
	server.WriteJSON(w, http.StatusOK, page[networkJSON]{Items: out, Total: len(out)})
}
