package federation

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
)

// BenchmarkFlood (issue 16, "Flood"): 16 connections post signed
// Create{Event} from 8 networks as fast as the region's inbox takes them,
// while 8 editors create places through the region's JSON API
// (POST /api/v1/places: decoding, validation, the store's write). It
// reports the API writes per second during the flood, their p99, the
// applier's lag (sampled every 10 ms) and how many activities the inbox
// pushed back with 503. Run it with
//
//	go test ./federation -run '^$' -bench Flood -benchtime 1x
//
// MAILLAGE_FLOOD (default 6000) is the number of activities, signed
// beforehand (the senders' work).
func BenchmarkFlood(b *testing.B) {
	total := 6000
	if v := envInt("MAILLAGE_FLOOD"); v > 0 {
		total = v
	}
	c := newClock()
	region := newInstance(b, c, "Région Sud", "paca")
	var senders []*instance
	for i := range 8 {
		s := newInstance(b, c, fmt.Sprintf("Réseau %d", i), fmt.Sprintf("reseau%d", i))
		region.follow(s)
		senders = append(senders, s)
	}
	token, err := region.store.CreateToken("bench", storage.RoleEditor)
	if err != nil {
		b.Fatal(err)
	}
	api := httptest.NewServer(ui.New(ui.Config{Store: region.store, Now: c.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer api.Close()

	reqs := make([]signed, total)
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := w; n < total; n += 2 {
				r, err := signedCreate(c, senders[n%len(senders)], region, n)
				if err != nil {
					b.Error(err)
				}
				reqs[n] = r
			}
		}()
	}
	wg.Wait()

	for b.Loop() {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
		// The same API writes for 2 s without a flood, to compare.
		var quiet atomic.Int64
		var q sync.WaitGroup
		quietEnd := time.Now().Add(2 * time.Second)
		for w := range 8 {
			q.Add(1)
			go func() {
				defer q.Done()
				for i := 0; time.Now().Before(quietEnd); i++ {
					if _, ok := apiWrite(b, client, api.URL, token, fmt.Sprintf("q%d-%d", w, i)); !ok {
						return
					}
					quiet.Add(1)
				}
			}()
		}
		q.Wait()
		b.ReportMetric(float64(quiet.Load())/2, "api-writes/s-quiet")
		var next, accepted, pushed, failed atomic.Int64
		var flooding atomic.Bool
		flooding.Store(true)
		start := time.Now()
		var flood sync.WaitGroup
		for range 16 {
			flood.Add(1)
			go func() {
				defer flood.Done()
				for {
					n := int(next.Add(1)) - 1
					if n >= len(reqs) {
						return
					}
					req, _ := http.NewRequest(http.MethodPost, region.base+"/inbox", bytes.NewReader(reqs[n].body))
					req.Header = reqs[n].header
					resp, err := client.Do(req)
					switch {
					case err != nil:
						failed.Add(1)
					case resp.StatusCode == http.StatusAccepted:
						accepted.Add(1)
					case resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") != "":
						pushed.Add(1)
					default:
						failed.Add(1)
					}
					if resp != nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				}
			}()
		}
		var lags []time.Duration
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			for flooding.Load() {
				lags = append(lags, region.store.ApplierLag())
				time.Sleep(10 * time.Millisecond)
			}
		}()
		var writes atomic.Int64
		var mu sync.Mutex
		var latencies []time.Duration
		var editors sync.WaitGroup
		for w := range 8 {
			editors.Add(1)
			go func() {
				defer editors.Done()
				for i := 0; flooding.Load(); i++ {
					d, ok := apiWrite(b, client, api.URL, token, fmt.Sprintf("%d-%d", w, i))
					if !ok {
						return
					}
					writes.Add(1)
					mu.Lock()
					latencies = append(latencies, d)
					mu.Unlock()
				}
			}()
		}
		flood.Wait()
		floodTime := time.Since(start)
		flooding.Store(false)
		editors.Wait()
		<-sampled
		region.store.Settle()

		if f := failed.Load(); f > 0 {
			b.Fatalf("%d activities failed (neither 202 nor 503 with Retry-After)", f)
		}
		slices.Sort(latencies)
		slices.Sort(lags)
		b.ReportMetric(float64(accepted.Load())/floodTime.Seconds(), "accepted/s")
		b.ReportMetric(float64(pushed.Load())/float64(total)*100, "%pushed-back")
		b.ReportMetric(float64(writes.Load())/floodTime.Seconds(), "api-writes/s")
		b.ReportMetric(float64(pct(latencies, 99).Microseconds())/1000, "api-p99-ms")
		b.ReportMetric(float64(pct(lags, 99).Microseconds())/1000, "lag-p99-ms")
		b.ReportMetric(float64(lags[len(lags)-1].Microseconds())/1000, "lag-max-ms")
		b.ReportMetric(floodTime.Seconds(), "flood-s")
	}
}

// apiWrite creates one place through the JSON API, on a street of its
// own (places on one street are candidates of the same place, compared at
// each write), and returns how long it took.
func apiWrite(b *testing.B, client *http.Client, base, token, n string) (time.Duration, bool) {
	body := strings.NewReader(fmt.Sprintf(`{"pivot":"00000000000000","nom":"EPN local %s","adresse":"1 rue du Banc %s",`+
		`"code_postal":"13002","commune":"Marseille","code_insee":"13202","date_maj":"2026-01-05"}`, n, n))
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/places", body)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil || resp.StatusCode != http.StatusCreated {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		b.Errorf("API write: %d %v", status, err)
		return 0, false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Since(t0), true
}

// pct returns the p-th percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, len(sorted)*p/100)]
}

// envInt reads a positive integer from the environment; 0 when unset.
func envInt(key string) int {
	n, _ := strconv.Atoi(os.Getenv(key))
	return n
}
