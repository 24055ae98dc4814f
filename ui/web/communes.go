package web

import (
	"net/http"

	"github.com/maillage/maillage/ui/internal/server"
)

// communeSuggestions answers up to 8 communes of the catalogue whose name
// or postal code starts with q, as JSON: the search page's suggestions.
func (p *Module) communeSuggestions(w http.ResponseWriter, r *http.Request) {
	list, err := p.Communes.Suggest(r.URL.Query().Get("q"), 8)
	if err != nil {
		p.WriteError(w, r, err)
		return
	}
	out := make([]string, 0, len(list))
	for _, c := range list {
		out = append(out, c.Label())
	}
	w.Header().Set("Cache-Control", "max-age=300")
	server.WriteJSON(w, http.StatusOK, out)
}
