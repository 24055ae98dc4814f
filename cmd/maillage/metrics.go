package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/maillage/maillage/metrics"
	"github.com/maillage/maillage/storage"
)

// withMetrics times every request and serves /metrics to admin tokens
// (Authorization: Bearer TOKEN); everyone else gets 404, as if it were
// not there.
func withMetrics(m *metrics.Metrics, st *storage.Store, h http.Handler) http.Handler {
	scrape := m.Handler()
	timed := m.Middleware(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			timed.ServeHTTP(w, r)
			return
		}
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			http.NotFound(w, r)
			return
		}
		t, err := st.CheckToken(token)
		if err != nil || t.Role != storage.RoleAdmin {
			http.NotFound(w, r)
			return
		}
		scrape.ServeHTTP(w, r)
	})
}

// listenMetrics serves /metrics without a token on --metrics-listen: an
// address only the monitoring can reach (loopback, a private network).
func (s *Server) listenMetrics(ctx context.Context) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", s.Config.MetricsListen)
	if err != nil {
		return fmt.Errorf("écouter sur %s (--metrics-listen) : %w", s.Config.MetricsListen, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.Handler())
	s.metricsLn = ln
	s.metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: time.Minute,
		ErrorLog: slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn)}
	s.metricsDone = make(chan error, 1)
	go func() { s.metricsDone <- s.metricsSrv.Serve(ln) }()
	return nil
}

// Metrics is the instance's metrics: the backup commands record the last
// backup there (SetLastBackup).
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// MetricsAddr is the address of --metrics-listen, empty without it.
func (s *Server) MetricsAddr() string {
	if s.metricsLn == nil {
		return ""
	}
	return s.metricsLn.Addr().String()
}
