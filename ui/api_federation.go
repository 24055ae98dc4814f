package ui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"path"
	"sort"

	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// Federation is what the web layer needs of the ActivityPub side.
type Federation interface {
	// Register adds the ActivityPub routes; they come before the pages.
	Register(r *mux.Router)
	Follow(ctx context.Context, target string) (storage.Following, error)
	Unfollow(ctx context.Context, actor string) error
	AnswerFollower(actor string, accept bool) (storage.Follower, error)
	RemoveFollower(actor string) error
	Block(domain string) (places, events int, err error)
	Unblock(domain string) error
	Hide(ref string) (apID string, err error)
	Unhide(apID string) error
}

// followJSON is a follow as the API shows it.
type followJSON struct {
	ID    string `json:"id"`
	Actor string `json:"actor"`
	State string `json:"state"`
}

func followOut(f storage.Following) followJSON {
	return followJSON{ID: path.Base(f.ID), Actor: f.Actor, State: f.State}
}

// followerID is the opaque id of a follower in the API.
func followerID(actor string) string {
	h := sha256.Sum256([]byte(actor))
	return hex.EncodeToString(h[:8])
}

func (s *server) registerFederation(api *mux.Router) {
	api.HandleFunc("/follows", s.auth(roleFederation, s.createFollow)).Methods(http.MethodPost)
	api.HandleFunc("/follows", s.listFollows).Methods(http.MethodGet)
	api.HandleFunc("/follows/{id}", s.auth(roleFederation, s.deleteFollow)).Methods(http.MethodDelete)
	api.HandleFunc("/followers", s.auth(roleFederation, s.listFollowers)).Methods(http.MethodGet)
	api.HandleFunc("/followers/{id}/accept", s.auth(roleFederation, s.answerFollower(true))).Methods(http.MethodPost)
	api.HandleFunc("/followers/{id}/reject", s.auth(roleFederation, s.answerFollower(false))).Methods(http.MethodPost)
	api.HandleFunc("/followers/{id}", s.auth(roleFederation, s.removeFollower)).Methods(http.MethodDelete)
	api.HandleFunc("/networks", s.listNetworks).Methods(http.MethodGet)
	api.HandleFunc("/blocks", s.auth(roleModeration, s.listBlocks)).Methods(http.MethodGet)
	api.HandleFunc("/blocks", s.auth(roleModeration, s.createBlock)).Methods(http.MethodPost)
	api.HandleFunc("/blocks/{domain}", s.auth(roleModeration, s.deleteBlock)).Methods(http.MethodDelete)
	api.HandleFunc("/hidden", s.auth(roleModeration, s.listHidden)).Methods(http.MethodGet)
	api.HandleFunc("/hidden", s.auth(roleModeration, s.createHidden)).Methods(http.MethodPost)
	api.HandleFunc("/hidden", s.auth(roleModeration, s.deleteHidden)).Methods(http.MethodDelete)
	api.HandleFunc("/reports", s.auth(roleCatalogue, s.listReports)).Methods(http.MethodGet)
}

// listReports shows the error reports on places: typed on this
// instance's pages, or sent by other instances (Flag) about ours.
func (s *server) listReports(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Reports()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page[storage.Report]{Items: list, Total: len(list)})
}

func (s *server) removeFollower(w http.ResponseWriter, r *http.Request) {
	actor, err := s.followerActor(mux.Vars(r)["id"])
	if err == nil {
		err = s.fed.RemoveFollower(actor)
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// followerActor finds the follower whose API id is id.
func (s *server) followerActor(id string) (string, error) {
	fs, err := s.store.Followers()
	if err != nil {
		return "", err
	}
	for _, f := range fs {
		if followerID(f.Actor) == id {
			return f.Actor, nil
		}
	}
	return "", storage.ErrNotFound
}

func (s *server) listBlocks(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Blocks()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page[string]{Items: list, Total: len(list)})
}

func (s *server) createBlock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Domain string `json:"domain"`
	}
	if err := s.decodeBody(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	domain := storage.Domain(body.Domain)
	if domain == "" {
		s.writeError(w, r, &badRequest{msg: "domaine manquant", fields: map[string]string{"domain": "champ obligatoire : un nom d'hôte (mastodon.example), une adresse nom@hôte ou une URL"}})
		return
	}
	places, events, err := s.fed.Block(domain)
	if errors.Is(err, storage.ErrForbidden) {
		s.writeError(w, r, &badRequest{msg: "domaine refusé", fields: map[string]string{"domain": "une instance ne peut pas se bloquer elle-même"}})
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"domain": domain, "places_removed": places, "events_removed": events})
}

func (s *server) deleteBlock(w http.ResponseWriter, r *http.Request) {
	if err := s.fed.Unblock(mux.Vars(r)["domain"]); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) listHidden(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.Hidden()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page[string]{Items: list, Total: len(list)})
}

func (s *server) createHidden(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Record string `json:"record"`
	}
	if err := s.decodeBody(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	if body.Record == "" {
		s.writeError(w, r, &badRequest{msg: "enregistrement manquant", fields: map[string]string{"record": "champ obligatoire : l'id ou l'ap_id d'un lieu ou d'un événement d'un autre réseau"}})
		return
	}
	apID, err := s.fed.Hide(body.Record)
	if errors.Is(err, storage.ErrForbidden) {
		s.writeError(w, r, &badRequest{msg: "enregistrement local", fields: map[string]string{"record": "un enregistrement de ce réseau se supprime, il ne se masque pas"}})
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"ap_id": apID})
}

func (s *server) deleteHidden(w http.ResponseWriter, r *http.Request) {
	if err := s.fed.Unhide(r.URL.Query().Get("ap_id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *server) createFollow(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Target string `json:"target"`
	}
	if err := s.decodeBody(w, r, &body); err != nil {
		s.writeError(w, r, err)
		return
	}
	if body.Target == "" {
		s.writeError(w, r, &badRequest{msg: "cible manquante", fields: map[string]string{"target": "champ obligatoire : nom@hôte ou l'URL d'un acteur"}})
		return
	}
	f, err := s.fed.Follow(r.Context(), body.Target)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, apiError{Error: "impossible de suivre ce réseau : " + err.Error(),
			Fields: map[string]string{"target": err.Error()}})
		return
	}
	writeJSON(w, http.StatusAccepted, followOut(f))
}

func (s *server) listFollows(w http.ResponseWriter, r *http.Request) {
	fs, err := s.store.Followings()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []followJSON{}
	for _, f := range fs {
		out = append(out, followOut(f))
	}
	writeJSON(w, http.StatusOK, page[followJSON]{Items: out, Total: len(out)})
}

func (s *server) deleteFollow(w http.ResponseWriter, r *http.Request) {
	fs, err := s.store.Followings()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, f := range fs {
		if path.Base(f.ID) == mux.Vars(r)["id"] {
			if err := s.fed.Unfollow(r.Context(), f.Actor); err != nil {
				s.writeError(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	s.writeError(w, r, storage.ErrNotFound)
}

type followerJSON struct {
	ID    string `json:"id"`
	Actor string `json:"actor"`
	State string `json:"state"`
}

func (s *server) listFollowers(w http.ResponseWriter, r *http.Request) {
	fs, err := s.store.Followers()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := []followerJSON{}
	for _, f := range fs {
		out = append(out, followerJSON{ID: followerID(f.Actor), Actor: f.Actor, State: f.State})
	}
	writeJSON(w, http.StatusOK, page[followerJSON]{Items: out, Total: len(out)})
}

func (s *server) answerFollower(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		actor, err := s.followerActor(mux.Vars(r)["id"])
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		f, err := s.fed.AnswerFollower(actor, accept)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, followerJSON{ID: followerID(f.Actor), Actor: f.Actor, State: f.State})
	}
}

type networkJSON struct {
	catalogue.Network
	Places int `json:"places"`
	Events int `json:"events"`
}

// listNetworks counts the records of each network this instance holds.
func (s *server) listNetworks(w http.ResponseWriter, r *http.Request) {
	actors := map[string]string{s.store.ActorIRI(): ""}
	fs, err := s.store.Followings()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	for _, f := range fs {
		if f.State == storage.FollowAccepted {
			actors[f.Actor] = ""
		}
	}
	var out []networkJSON
	for actor := range actors {
		places, err := s.store.Places(catalogue.PlaceQuery{Network: actor, Limit: 1})
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		events, err := s.store.Events(catalogue.EventQuery{Network: actor, From: s.now(), Limit: 1})
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		n := catalogue.Network{Actor: actor, Local: actor == s.store.ActorIRI()}
		switch {
		case len(places.Items) > 0:
			n = places.Items[0].Network
		case len(events.Items) > 0:
			n = events.Items[0].Network
		case n.Local:
			st, _ := s.store.Settings()
			n.Name = st.Name
		}
		out = append(out, networkJSON{Network: n, Places: places.Total, Events: events.Total})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Local || !out[j].Local && out[i].Name < out[j].Name })
	writeJSON(w, http.StatusOK, page[networkJSON]{Items: out, Total: len(out)})
}
