package ui

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// apiError is the body of every error answer of the API.
type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"`
}

// errBodyTooLarge and errBadRequest are raised by the decoding helpers.
var errBodyTooLarge = errors.New("corps de requête trop volumineux")

// badRequest is an error in the request itself, shown to the client.
type badRequest struct {
	msg    string
	fields map[string]string
}

func (e *badRequest) Error() string { return e.msg }

// writeError maps an error to a status and a French message. Internal
// detail goes to the log only.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var verr *catalogue.ValidationError
	var bad *badRequest
	switch {
	case errors.As(err, &verr):
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "données invalides", Fields: verr.Fields})
	case errors.As(err, &bad):
		writeJSON(w, http.StatusBadRequest, apiError{Error: bad.msg, Fields: bad.fields})
	case errors.Is(err, errBodyTooLarge):
		writeJSON(w, http.StatusRequestEntityTooLarge, apiError{Error: "corps de requête trop volumineux"})
	case errors.Is(err, catalogue.ErrBadCursor):
		writeJSON(w, http.StatusBadRequest, apiError{Error: "curseur invalide", Fields: map[string]string{"cursor": "curseur invalide ou expiré"}})
	case errors.Is(err, storage.ErrNotFound):
		writeJSON(w, http.StatusNotFound, apiError{Error: "introuvable"})
	case errors.Is(err, storage.ErrReadOnly):
		writeJSON(w, http.StatusForbidden, apiError{Error: "cet enregistrement appartient à un autre réseau : il ne peut pas être modifié ici"})
	case errors.Is(err, storage.ErrConflict):
		writeJSON(w, http.StatusConflict, apiError{Error: conflictMessage(r)})
	default:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "erreur interne"})
	}
}

func conflictMessage(r *http.Request) string {
	if r.Method == http.MethodDelete {
		return "des événements ont encore lieu ici : supprimez-les ou déplacez-les d'abord"
	}
	return "conflit avec l'état enregistré"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v) // the client may have gone; nothing to do then
}
