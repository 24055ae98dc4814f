package main

import (
	"crypto/tls"
	"io"
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkHTTPSHomePage measures the home page over HTTPS on loopback
// (--tls-cert, ECDSA P-256, TLS 1.3), with the demo's 14 places of
// Arsenic 13: "handshake" opens a new connection for every request (a
// full TLS handshake each time, the worst case), "keepalive" reuses one.
// It reports the p99 and p50 wall-clock latency of one request (the
// target is p99 ≤ 20 ms) and the CPU time of the process per request,
// client and server together (cpu-ms): on a shared machine the wall-clock
// tail is mostly time spent waiting for a CPU.
func BenchmarkHTTPSHomePage(b *testing.B) {
	srv, client := startTLSServer(b)
	seeded, err := seedDemo(srv.Store(), demoTerritory[0], 0)
	if err != nil || seeded == 0 {
		b.Fatal(seeded, err)
	}
	for _, bc := range []struct {
		name      string
		keepalive bool
	}{{"handshake", false}, {"keepalive", true}} {
		b.Run(bc.name, func(b *testing.B) {
			tr := client.Transport.(*http.Transport).Clone()
			tr.DisableKeepAlives = !bc.keepalive
			tr.TLSClientConfig.ClientSessionCache = nil // no resumption: full handshakes
			c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
			defer tr.CloseIdleConnections()
			durations := make([]time.Duration, 0, b.N)
			cpu := processCPU()
			b.ResetTimer()
			for b.Loop() {
				start := time.Now()
				resp, err := c.Get(srv.BaseURL() + "/")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.TLS.Version != tls.VersionTLS13 {
					b.Fatalf("GET / = %d, TLS %v", resp.StatusCode, resp.TLS)
				}
				durations = append(durations, time.Since(start))
			}
			b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(len(durations)), "cpu-ms")
			slices.Sort(durations)
			b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
		})
	}
}
