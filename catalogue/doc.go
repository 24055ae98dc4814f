// Package catalogue is Maillage's domain: places (lieux de médiation
// numérique, in the national data standard v1.0.2), events (ateliers,
// permanences, formations), networks, the standard's taxonomies, the
// skills places offer other structures (skills.go), validation,
// OSM opening hours, RRULE recurrence and the in-memory search index.
//
// It owns no I/O: it must not import net/http, bbolt, go-fed or any other
// package of this module. Every other package may import it.
package catalogue
