package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
)

// counterOf turns a histogram's sample count into a collector testutil
// can read.
func counterOf(o prometheus.Observer) prometheus.Collector {
	var m dto.Metric
	o.(prometheus.Metric).Write(&m)
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "n", Help: "n"})
	c.Add(float64(m.GetHistogram().GetSampleCount()))
	return c
}

func TestRoute(t *testing.T) {
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/", 200, "/"},
		{"/lieux", 200, "/lieux"},
		{"/lieux/01JABCDEF2GHJK", 200, "/lieux/{id}"},
		{"/lieux/epn-joliette/signaler", 303, "/lieux/{id}/signaler"},
		{"/api/v1/places/abc123/split", 200, "/api/v1/places/{id}/split"},
		{"/api/v1/followers/42/accept", 200, "/api/v1/followers/{id}/accept"},
		{"/admin/lieux/nouveau", 200, "/admin/lieux/nouveau"},
		{"/.well-known/webfinger", 200, "/.well-known/webfinger"},
		{"/static/app.3f2a.css", 200, "/static/*"},
		{"/wp-login.php", 404, "other"},
		{"/actor/inbox", 405, "other"},
		{"/Lieux/X", 200, "/{id}/{id}"},
		{"/admin/reseaux/abonnes/inconnu/accepter", 303, "/admin/reseaux/abonnes/{id}/accepter"},
		{"/admin/comptes/personne@nulle.part/supprimer", 303, "/admin/comptes/{id}/supprimer"},
		{"/api/v1/blocks/mastodon.example", 200, "/api/v1/blocks/{id}"},
		{"/nodeinfo/2.1", 200, "/nodeinfo/2.1"},
		{"/admin/abcdefghijklmnop/x", 200, "/admin/{id}/x"},
	} {
		if got := Route(tc.path, tc.status); got != tc.want {
			t.Errorf("Route(%q, %d) = %q; want %q", tc.path, tc.status, got, tc.want)
		}
	}
}

// TestMiddlewareUsesTheRoutersTemplate: a route template given through
// SetRoute labels the request; without one, Route's guess does.
func TestMiddlewareUsesTheRoutersTemplate(t *testing.T) {
	m := New(Options{})
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/export/lieux.csv" {
			SetRoute(r, "/export/lieux.csv")
		}
	}))
	for _, p := range []string{"/export/lieux.csv", "/export/lieux.csv", "/lieux/abcdefghijklmnop"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	if n := testutil.CollectAndCount(m.requests); n != 2 {
		t.Errorf("%d series; want 2", n)
	}
	for route, want := range map[string]float64{"/export/lieux.csv": 2, "/lieux/{id}": 1} {
		h, err := m.requests.GetMetricWithLabelValues(route, http.MethodGet, "2xx")
		if err != nil {
			t.Fatal(err)
		}
		if got := testutil.ToFloat64(counterOf(h)); got != want {
			t.Errorf("requests for %s = %v; want %v", route, got, want)
		}
	}
}
