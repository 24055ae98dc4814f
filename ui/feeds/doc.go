// Package feeds serves the exports and feeds of the catalogue: the
// national standard's CSV, GeoJSON, data·inclusion JSON, iCalendar, Atom
// and the printable PDF catalogue, over HTTP and through Export for
// `maillage export`.
package feeds
