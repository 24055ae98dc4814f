package web_test

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
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// BenchmarkPages measures, on the national-scale catalogue, the
// server-side time of /lieux with filters and of place pages (handler
// call, gzip included, as for a browser), and the home page's requests
// per second over HTTP on loopback.
func BenchmarkPages(b *testing.B) {
	dir := os.Getenv("MAILLAGE_BENCH_PAGES_DATA")
	if dir == "" {
		dir = b.TempDir()
	}
	st := uitest.OpenBenchStore(b, dir)
	if err := st.SetSettings(storage.Settings{Name: "Réseau national", Handle: "national"}); err != nil {
		b.Fatal(err)
	}
	h := ui.New(ui.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return uitest.PagesBenchNow }})

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
	res, err := st.Places(catalogue.PlaceQuery{Limit: 500})
	if err != nil {
		b.Fatal(err)
	}
	var places []string
	for _, p := range res.Items {
		places = append(places, "/lieux/"+p.ID)
	}

	latency := func(paths []string) func(b *testing.B) {
		return func(b *testing.B) {
			for _, p := range paths { // warm up: communes, hours, caches
				uitest.BenchServe(b, h, p)
			}
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				uitest.BenchServe(b, h, paths[i%len(paths)])
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		}
	}
	b.Run("search", latency(searches))
	// The next ateliers of a page of 20 results (issue 17), alone: from
	// the index's events by place (what the page does), and as one event
	// query over the page's places and 31 days (what it did before).
	var pages [][][]string
	for i := 0; i+20 <= len(res.Items) && len(pages) < 25; i += 20 {
		var groups [][]string
		for _, p := range res.Items[i : i+20] {
			groups = append(groups, []string{p.ID, p.APID})
		}
		pages = append(pages, groups)
	}
	now := uitest.PagesBenchNow
	b.Run("ateliers/by-place", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := st.NextEvents(pages[i%len(pages)], now, now.AddDate(0, 0, 31), 2); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ateliers/one-query", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var ids []string
			for _, g := range pages[i%len(pages)] {
				ids = append(ids, g[0])
			}
			if _, err := st.Events(catalogue.EventQuery{Places: ids, From: now, To: now.AddDate(0, 0, 31), Limit: catalogue.MaxLimit}); err != nil {
				b.Fatal(err)
			}
		}
	})
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
