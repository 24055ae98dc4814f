package uitest

// Benchmarks of the pages at national scale: 25,000 places
// (sample.Places(25000, 1)) and 100,000 events (sample.Events) in a real
// bbolt file. See docs/BENCHMARKS.md, "Web pages", for the command and
// the figures. Set MAILLAGE_BENCH_PAGES_DATA to a directory to build the
// dataset there once and reuse it across runs.

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

// pagesBenchNow is the clock of the benchmarks: a Monday morning; the
// events cover the year from it.
var PagesBenchNow = time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)

// openBenchStore opens the national-scale store, building it first when
// needed, in dir.
func OpenBenchStore(b *testing.B, dir string) *storage.Store {
	b.Helper()
	opts := storage.Options{BaseURL: "http://bench.example", Now: func() time.Time { return PagesBenchNow }}
	if _, err := os.Stat(filepath.Join(dir, storage.FileName)); err != nil {
		began := time.Now()
		st, err := storage.Open(dir, opts)
		if err != nil {
			b.Fatal(err)
		}
		places := sample.Places(25000, 1)
		ids := make([]string, 0, len(places))
		for i := 0; i < len(places); i += 1000 {
			batch := places[i:min(i+1000, len(places))]
			if err := st.CreatePlaces(batch); err != nil {
				b.Fatal(err)
			}
			for _, p := range batch {
				ids = append(ids, p.ID)
			}
		}
		events := sample.Events(ids, 100000, PagesBenchNow, 1)
		for i := 0; i < len(events); i += 5000 {
			if err := st.CreateEvents(events[i:min(i+5000, len(events))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		b.Logf("dataset built in %v", time.Since(began).Round(time.Millisecond))
	}
	st, err := storage.Open(dir, opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// benchServe runs one GET through the handler, as a browser asks for it.
func BenchServe(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("GET %s = %d", path, w.Code)
	}
}
