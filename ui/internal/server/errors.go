package server

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// APIError is the body of every error answer of the API.
type APIError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

// ErrBodyTooLarge and errBadRequest are raised by the decoding helpers.
var ErrBodyTooLarge = errors.New("corps de requête trop volumineux")

// BadRequest is an error in the request itself, shown to the client.
type BadRequest struct {
	Msg    string
	Fields map[string]string
	Err    error // the cause, when there is one
}

func (e *BadRequest) Error() string { return e.Msg }
func (e *BadRequest) Unwrap() error { return e.Err }

// WriteError maps an error to a status and a French message. Internal
// detail goes to the log only.
func (s *Server) WriteError(w http.ResponseWriter, r *http.Request, err error) {
	var verr *catalogue.ValidationError
	var bad *BadRequest
	switch {
	case errors.As(err, &verr):
		WriteJSON(w, http.StatusUnprocessableEntity, APIError{Error: "données invalides", Fields: verr.Fields})
	case errors.As(err, &bad):
		WriteJSON(w, http.StatusBadRequest, APIError{Error: bad.Msg, Fields: bad.Fields})
	case errors.Is(err, ErrBodyTooLarge):
		WriteJSON(w, http.StatusRequestEntityTooLarge, APIError{Error: "corps de requête trop volumineux"})
	case errors.Is(err, catalogue.ErrBadCursor):
		WriteJSON(w, http.StatusBadRequest, APIError{Error: "curseur invalide", Fields: map[string]string{"cursor": "curseur invalide ou expiré"}})
	case errors.Is(err, storage.ErrNotFound):
		WriteJSON(w, http.StatusNotFound, APIError{Error: "introuvable"})
	case errors.Is(err, storage.ErrReadOnly):
		WriteJSON(w, http.StatusForbidden, APIError{Error: "cet enregistrement appartient à un autre réseau : il ne peut pas être modifié ici"})
	case errors.Is(err, storage.ErrConflict):
		WriteJSON(w, http.StatusConflict, APIError{Error: conflictMessage(r)})
	case errors.Is(err, storage.ErrDiskFull):
		s.Log.Error("disk full", "method", r.Method, "path", r.URL.Path, "err", err)
		WriteJSON(w, http.StatusInsufficientStorage, APIError{Error: "le disque du serveur est plein : rien n'a été enregistré ; réessayez plus tard ou prévenez l'administrateur de l'instance"})
	default:
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		WriteJSON(w, http.StatusInternalServerError, APIError{Error: "erreur interne"})
	}
}

func conflictMessage(r *http.Request) string {
	if r.Method == http.MethodDelete {
		return "des événements ont encore lieu ici : supprimez-les ou déplacez-les d'abord"
	}
	return "conflit avec l'état enregistré"
}

func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v) // the client may have gone; nothing to do then
}
