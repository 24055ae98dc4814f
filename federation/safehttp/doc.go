// Package safehttp owns the instance's outgoing HTTP client: it refuses
// loopback, private and reserved addresses at dial time (after DNS
// resolution) unless configured, limits response sizes and follows
// redirects only within the same host. Federation and scheduled sources
// fetch through it; it depends on nothing of Maillage, so any package may.
package safehttp
