package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/maillage/maillage/storage"
)

// scrape GETs a /metrics URL and parses the Prometheus text answer.
func scrape(t *testing.T, url, token string) (int, map[string]*dto.MetricFamily) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, nil
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse %s: %v", url, err)
	}
	return resp.StatusCode, families
}

// value is the value of the family's series whose labels include want;
// -1 when there is none.
func value(families map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	f := families[name]
	if f == nil {
		return -1
	}
	for _, m := range f.Metric {
		labels := map[string]string{}
		for _, l := range m.Label {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// TestMetricsScrapedAndParsed: an instance that followed another, served
// pages and searches, and refused an unsigned activity shows it all at
// /metrics, to admin tokens and on --metrics-listen only.
func TestMetricsScrapedAndParsed(t *testing.T) {
	a13 := startServerWith(t, Config{Name: "Arsenic 13", Handle: "arsenic13", DemoSeed: true})
	dir := t.TempDir()
	paca := &Server{Config: Config{Data: dir, Listen: "127.0.0.1:0", MetricsListen: "127.0.0.1:0", Name: "Arsenic PACA", Handle: "paca",
		AllowPrivate: true, Follow: []string{"arsenic13@" + a13.Addr()}}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := paca.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer paca.Close()
	admin, err := paca.Store().CreateToken("supervision", storage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	editor, err := paca.Store().CreateToken("rédaction", storage.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, "the follow is accepted", func() bool {
		_, fs := scrape(t, paca.BaseURL()+"/metrics", admin)
		return value(fs, "maillage_inbox_activities_total", map[string]string{"result": "accepted", "reason": "new"}) >= 1
	})
	for _, path := range []string{"/", "/lieux?q=atelier", "/api/v1/places?q=atelier", "/nulle-part", "/api/v1/places/aaaabbbbccccdddd", "/export/lieux.csv"} {
		resp, err := http.Get(paca.BaseURL() + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	resp, err := http.Post(paca.BaseURL()+"/actor/inbox", "application/activity+json", strings.NewReader(`{"type":"Create"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	paca.Metrics().SetLastBackup(time.Unix(1_800_000_000, 0))

	for _, tc := range []struct{ token string }{{""}, {"mlg_faux"}, {editor}} {
		if status, _ := scrape(t, paca.BaseURL()+"/metrics", tc.token); status != http.StatusNotFound {
			t.Errorf("/metrics with token %q = %d; want 404", tc.token, status)
		}
	}
	status, fs := scrape(t, "http://"+paca.MetricsAddr()+"/metrics", "")
	if status != http.StatusOK {
		t.Fatalf("/metrics on --metrics-listen = %d", status)
	}
	for _, c := range []struct {
		name   string
		labels map[string]string
		min    float64
	}{
		{"maillage_http_request_duration_seconds", map[string]string{"route": "/", "method": "GET", "code": "2xx"}, 1},
		{"maillage_http_request_duration_seconds", map[string]string{"route": "/lieux", "code": "2xx"}, 1},
		{"maillage_http_request_duration_seconds", map[string]string{"route": "other", "code": "4xx"}, 1},
		{"maillage_http_request_duration_seconds", map[string]string{"route": "/api/v1/places/{id}", "code": "4xx"}, 1},
		{"maillage_http_request_duration_seconds", map[string]string{"route": "/actor/inbox", "method": "POST"}, 1},
		{"maillage_http_request_duration_seconds", map[string]string{"route": "/export/lieux.csv", "code": "2xx"}, 1}, // the router's template
		{"maillage_search_duration_seconds", map[string]string{"kind": "places"}, 2},
		{"maillage_inbox_activities_total", map[string]string{"result": "accepted", "reason": "new"}, 1},
		{"maillage_inbox_activities_total", map[string]string{"result": "refused", "reason": "signature"}, 1},
		{"maillage_deliveries_total", map[string]string{"host": a13.Addr(), "outcome": "delivered"}, 1},
		{"maillage_database_bytes", nil, 1},
		{"maillage_inbox_backlog", nil, 0},
		{"maillage_bucket_keys", map[string]string{"bucket": "tokens"}, 2},
		{"maillage_last_backup_timestamp_seconds", nil, 1_800_000_000},
		{"maillage_build_info", nil, 1},
	} {
		if v := value(fs, c.name, c.labels); v < c.min {
			t.Errorf("%s%v = %v; want ≥ %v", c.name, c.labels, v, c.min)
		}
	}
}
