package metrics

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// routeKey holds, in a request's context, the slot SetRoute fills.
type routeKey struct{}

// SetRoute records the template of the route the router matched for r
// ("/lieux/{id}"): Middleware labels the request with it. Outside
// Middleware it does nothing.
func SetRoute(r *http.Request, template string) {
	if slot, ok := r.Context().Value(routeKey{}).(*string); ok {
		*slot = template
	}
}

// Middleware times every request of next by route template (the one the
// router gave SetRoute, else Route's guess from the path) and, for lists
// of places and events with filters, as a search.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		slot := new(string)
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), routeKey{}, slot)))
		d := time.Since(start)
		route := *slot
		if route == "" {
			route = Route(r.URL.Path, sw.status)
		}
		m.ObserveRequest(route, r.Method, sw.status, d)
		if kind := searchKind(route); kind != "" && r.Method == http.MethodGet && r.URL.RawQuery != "" {
			m.ObserveSearch(kind, d)
		}
	})
}

// searchKind names the routes whose filtered GET is a search.
func searchKind(route string) string {
	switch route {
	case "/lieux", "/api/v1/places":
		return "places"
	case "/evenements", "/api/v1/events":
		return "events"
	}
	return ""
}

// collections are path segments followed by an id.
var collections = map[string]bool{
	"lieux": true, "evenements": true, "places": true, "events": true, "follows": true,
	"followers": true, "blocks": true, "tokens": true, "jetons": true, "users": true, "comptes": true,
	"reports": true, "signalements": true, "abonnes": true, "suivis": true, "networks": true,
}

// word matches the fixed segments of routes: lowercase words of at most
// 12 characters ("signalements"), never a record id (16 base32
// characters), an e-mail or a domain with digits. "v1" and "2.1" are
// fixed too.
var word = regexp.MustCompile(`^(\.?[a-z][a-z_-]{0,11}|v1|2\.1)$`)

// Route guesses the label of a request path the router did not name: its
// route template, with ids as
// {id} ("/lieux/{id}", "/api/v1/places/{id}/split"), static assets as
// "/static/*", and "other" for answers 404 and 405, so that scanners
// probing random paths add no series.
func Route(path string, status int) string {
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
		return "other"
	}
	if path == "/" || path == "" {
		return "/"
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if segs[0] == "static" {
		return "/static/*"
	}
	if len(segs) > 5 {
		segs = segs[:5]
	}
	var b strings.Builder
	for i, s := range segs {
		b.WriteByte('/')
		if !word.MatchString(s) || (i > 0 && collections[segs[i-1]] && !isAction(s)) {
			b.WriteString("{id}")
			continue
		}
		b.WriteString(s)
	}
	return b.String()
}

// isAction names the fixed words that follow a collection.
func isAction(s string) bool {
	switch s {
	case "nouveau", "nouvel", "nouvelle", "new", "import":
		return true
	}
	return false
}

// statusWriter keeps the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushing,
// deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
