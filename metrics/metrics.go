package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/maillage/maillage/storage"
)

// Options are what New needs.
type Options struct {
	Store *storage.Store
	// Version, Commit and GoVersion label maillage_build_info.
	Version, Commit, GoVersion string
}

// Metrics is one instance's registry and the metrics the code updates.
// Its methods are safe for concurrent use.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.HistogramVec
	inbox      *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	search     *prometheus.HistogramVec
	lastBackup prometheus.Gauge
}

// latencyBuckets suit pages answered in milliseconds: 1 ms to 5 s.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// New builds the registry: the metrics below, the store's gauges, and Go's
// and the process's own.
func New(o Options) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "maillage_http_request_duration_seconds", Help: "Time to answer HTTP requests, by route template, method and status class.",
			Buckets: latencyBuckets,
		}, []string{"route", "method", "code"}),
		inbox: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "maillage_inbox_activities_total", Help: "Activities posted to the inbox, by result (accepted, refused) and reason.",
		}, []string{"result", "reason"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "maillage_deliveries_total", Help: "Delivery attempts, by destination host and outcome (delivered, retried, refused, given_up).",
		}, []string{"host", "outcome"}),
		search: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "maillage_search_duration_seconds", Help: "Time to answer searches (lists of places or events with filters), by kind.",
			Buckets: latencyBuckets,
		}, []string{"kind"}),
		lastBackup: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "maillage_last_backup_timestamp_seconds", Help: "Unix time of the last successful backup; 0 when none since the start.",
		}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "maillage_build_info", Help: "Always 1; the labels name the running binary.",
		ConstLabels: prometheus.Labels{"version": o.Version, "commit": o.Commit, "goversion": o.GoVersion},
	})
	build.Set(1)
	m.reg.MustRegister(m.requests, m.inbox, m.deliveries, m.search, m.lastBackup, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if o.Store != nil {
		m.reg.MustRegister(storeCollector{o.Store})
	}
	return m
}

// Handler serves the registry in the Prometheus text format. It does not
// check who asks: see Protect.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Inbox counts an incoming activity (federation.Observer).
func (m *Metrics) Inbox(accepted bool, reason string) {
	result := "refused"
	if accepted {
		result = "accepted"
	}
	m.inbox.WithLabelValues(result, reason).Inc()
}

// Delivery counts a delivery attempt (federation.Observer).
func (m *Metrics) Delivery(host, outcome string) {
	m.deliveries.WithLabelValues(host, outcome).Inc()
}

// SetLastBackup records a successful backup, for the backup commands and
// the scheduled backups of serve.
func (m *Metrics) SetLastBackup(t time.Time) {
	m.lastBackup.Set(float64(t.Unix()))
}

// ObserveRequest records one answered request.
func (m *Metrics) ObserveRequest(route, method string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, method, statusClass(status)).Observe(d.Seconds())
}

// ObserveSearch records one search of kind places or events.
func (m *Metrics) ObserveSearch(kind string, d time.Duration) {
	m.search.WithLabelValues(kind).Observe(d.Seconds())
}

func statusClass(status int) string {
	switch {
	case status >= 500:
		return "5xx"
	case status >= 400:
		return "4xx"
	case status >= 300:
		return "3xx"
	}
	return "2xx"
}

// storeCollector reads the store's gauges at each scrape.
type storeCollector struct{ st *storage.Store }

var (
	dbBytesDesc  = prometheus.NewDesc("maillage_database_bytes", "Size of the bbolt database file.", nil, nil)
	backlogDesc  = prometheus.NewDesc("maillage_inbox_backlog", "Accepted activities not yet applied to the catalogue (the applier's lag).", nil, nil)
	queueDesc    = prometheus.NewDesc("maillage_delivery_queue", "Deliveries waiting, by destination host.", []string{"host"}, nil)
	bucketDesc   = prometheus.NewDesc("maillage_bucket_keys", "Keys in each top-level bucket of the database.", []string{"bucket"}, nil)
	storeErrDesc = prometheus.NewDesc("maillage_store_gauges_error", "The store's gauges could not be read.", nil, nil)
)

func (c storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- dbBytesDesc
	ch <- backlogDesc
	ch <- queueDesc
	ch <- bucketDesc
}

func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	g, err := c.st.Gauges()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(storeErrDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(dbBytesDesc, prometheus.GaugeValue, float64(g.DatabaseBytes))
	ch <- prometheus.MustNewConstMetric(backlogDesc, prometheus.GaugeValue, float64(g.InboxBacklog))
	for host, n := range g.QueueByHost {
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(n), host)
	}
	for b, n := range g.BucketKeys {
		ch <- prometheus.MustNewConstMetric(bucketDesc, prometheus.GaugeValue, float64(n), b)
	}
}
