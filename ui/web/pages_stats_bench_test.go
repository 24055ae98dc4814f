package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// BenchmarkStatsPage measures /statistiques on the national-scale
// catalogue of BenchmarkPages (25,000 places, 100,000 events; the same
// MAILLAGE_BENCH_PAGES_DATA): the handler call, gzip included, with the
// whole catalogue and filtered to one département, computed at each
// request (the clock moves past the cache's minute between requests, as
// a change of the catalogue would) and from the cache. It reports the
// page's size, plain and gzipped.
func BenchmarkStatsPage(b *testing.B) {
	dir := os.Getenv("MAILLAGE_BENCH_PAGES_DATA")
	if dir == "" {
		dir = b.TempDir()
	}
	st := uitest.OpenBenchStore(b, dir)
	if err := st.SetSettings(storage.Settings{Name: "Réseau national", Handle: "national"}); err != nil {
		b.Fatal(err)
	}
	now := uitest.PagesBenchNow
	h := ui.New(ui.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return now }})
	for _, c := range []struct {
		name, path string
		step       time.Duration // how far the clock moves between requests
	}{
		{"all/computed", "/statistiques", server.StatsCacheFor},
		{"all/cached", "/statistiques", 0},
		{"departement/computed", "/statistiques?departement=13", server.StatsCacheFor},
		{"departement/cached", "/statistiques?departement=13", 0},
	} {
		b.Run(c.name, func(b *testing.B) {
			plain := httptest.NewRecorder()
			h.ServeHTTP(plain, httptest.NewRequest("GET", c.path, nil))
			if plain.Code != 200 {
				b.Fatalf("GET %s = %d", c.path, plain.Code)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				now = now.Add(c.step)
				uitest.BenchServe(b, h, c.path)
			}
			b.StopTimer()
			w := httptest.NewRecorder()
			req := httptest.NewRequest("GET", c.path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			h.ServeHTTP(w, req)
			b.ReportMetric(float64(plain.Body.Len())/1000, "html-kB")
			b.ReportMetric(float64(w.Body.Len())/1000, "gzip-kB")
		})
	}
}
