package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/maillage/maillage/storage"
)

// auth lets a request through only with a valid API token in
// "Authorization: Bearer TOKEN" whose role covers role (see roles.go);
// otherwise it answers 401 (no token, an unknown one) or 403 (a token of
// a lesser role), and the handler does not run.
func (s *Server) Auth(role string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="maillage"`)
			WriteJSON(w, http.StatusUnauthorized, APIError{Error: "jeton d'API manquant : en-tête Authorization: Bearer JETON attendu"})
			return
		}
		tok, err := s.Store.CheckToken(strings.TrimSpace(token))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="maillage", error="invalid_token"`)
			WriteJSON(w, http.StatusUnauthorized, APIError{Error: "jeton d'API invalide"})
			return
		}
		if !storage.RoleAllows(tok.Role, role) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="maillage", error="insufficient_scope"`)
			WriteJSON(w, http.StatusForbidden, APIError{Error: fmt.Sprintf(
				"cette action demande un jeton d'API de rôle « %s » ; ce jeton a le rôle « %s »", role, tok.Role)})
			return
		}
		next(w, r)
	}
}

// bearer reads the token of an "Authorization: Bearer TOKEN" header. The
// scheme's name is case-insensitive (RFC 9110, section 11.1).
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}
