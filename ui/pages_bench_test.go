package ui

// Benchmarks of the pages at national scale: 25,000 places
// (sample.Places(25000, 1)) and 100,000 events (sample.Events) in a real
// bbolt file. See docs/BENCHMARKS.md, "Web pages", for the command and
// the figures. Set MAILLAGE_BENCH_PAGES_DATA to a directory to build the
// dataset there once and reuse it across runs.

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/storage"
)

// pagesBenchNow is the clock of the benchmarks: a Monday morning; the
// events cover the year from it.
var pagesBenchNow = time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)

// openBenchStore opens the national-scale store, building it first when
// needed, in dir.
func openBenchStore(b *testing.B, dir string) *storage.Store {
	b.Helper()
	opts := storage.Options{BaseURL: "http://bench.example", Now: func() time.Time { return pagesBenchNow }}
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
		events := sample.Events(ids, 100000, pagesBenchNow, 1)
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

// BenchmarkPages measures, on the national-scale catalogue, the
// server-side time of /lieux with filters and of place pages (handler
// call, gzip included, as for a browser), and the home page's requests
// per second over HTTP on loopback.
func BenchmarkPages(b *testing.B) {
	dir := os.Getenv("MAILLAGE_BENCH_PAGES_DATA")
	if dir == "" {
		dir = b.TempDir()
	}
	st := openBenchStore(b, dir)
	if err := st.SetSettings(storage.Settings{Name: "Réseau national", Handle: "national"}); err != nil {
		b.Fatal(err)
	}
	h := New(Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return pagesBenchNow }})

	svc := []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien",
		"Accès internet et matériel informatique"}
	cities := []string{"Marseille", "Paris", "Lyon", "Lille", "Toulouse", "Bordeaux", "Rennes", "Mende"}
	var searches []string
	for i, c := range cities {
		s := url.QueryEscape(svc[i%len(svc)])
		searches = append(searches,
			"/lieux?service="+s+"&ou="+url.QueryEscape(c)+"&quand=maintenant",
			"/lieux?q=mediatheque&ou="+url.QueryEscape(c)+"&radius_km=20&frais=Gratuit",
			"/lieux?service="+s+"&public=Seniors&ou="+url.QueryEscape(c))
	}
	page, err := st.Places(catalogue.PlaceQuery{Limit: 500})
	if err != nil {
		b.Fatal(err)
	}
	var places []string
	for _, p := range page.Items {
		places = append(places, "/lieux/"+p.ID)
	}

	latency := func(paths []string) func(b *testing.B) {
		return func(b *testing.B) {
			for _, p := range paths { // warm up: communes, hours, caches
				benchServe(b, h, p)
			}
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				benchServe(b, h, paths[i%len(paths)])
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		}
	}
	b.Run("search", latency(searches))
	b.Run("place", latency(places))
	b.Run("home", func(b *testing.B) {
		srv := httptest.NewServer(h)
		defer srv.Close()
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		defer client.CloseIdleConnections()
		get := func() error {
			req, _ := http.NewRequest("GET", srv.URL+"/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := client.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return fmt.Errorf("GET / = %d", resp.StatusCode)
			}
			return nil
		}
		if err := get(); err != nil {
			b.Fatal(err)
		}
		var failed atomic.Int64
		b.SetParallelism(4)
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if get() != nil {
					failed.Add(1)
				}
			}
		})
		elapsed := time.Since(start)
		b.StopTimer()
		if failed.Load() > 0 {
			b.Fatalf("%d requests failed", failed.Load())
		}
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	})
}

// benchServe runs one GET through the handler, as a browser asks for it.
func benchServe(b *testing.B, h http.Handler, path string) {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		b.Fatalf("GET %s = %d", path, w.Code)
	}
}
