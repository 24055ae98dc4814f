package ui

import (
	"net/http"
	"strings"
)

// auth lets a request through only with a valid API token in
// "Authorization: Bearer TOKEN"; otherwise it answers 401.
func (s *server) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="maillage"`)
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "jeton d'API manquant : en-tête Authorization: Bearer JETON attendu"})
			return
		}
		if _, err := s.store.CheckToken(strings.TrimSpace(token)); err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="maillage", error="invalid_token"`)
			writeJSON(w, http.StatusUnauthorized, apiError{Error: "jeton d'API invalide"})
			return
		}
		next(w, r)
	}
}
