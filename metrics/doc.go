// Package metrics owns the instance's Prometheus metrics: request latency
// by route, the inbox's accepted and refused activities, deliveries per
// host, search latency, the store's gauges (database size, applier
// backlog, delivery queue by host, keys per bucket) and the last backup
// time, served at /metrics in the Prometheus text format.
//
// It reads storage (a snapshot at each scrape) and implements
// federation.Observer; it imports neither ui nor federation internals,
// and holds no package-level state: each instance has its own registry.
package metrics
