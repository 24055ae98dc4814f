// Package sources fetches, on schedule, the files that networks register
// as sources (a URL of a CSV, JSON, XLSX or ODS file, with its mapping and
// period) and imports them through storage.ImportPlaces, so that the
// changes federate like any edit.
//
// A Runner owns one goroutine, started by Start and stopped by Close (or
// by the context given to Start); a panic in a run is recovered and kept
// as that run's error. Fetches are conditional (ETag, If-Modified-Since)
// and go through safehttp.Client, which refuses private addresses
// unless the instance allows them. A record that vanished from the file
// is deleted only when fewer than the source's share (20 % by default) of
// its records vanish at once; beyond that nothing is deleted and the
// editors get an alert. Every run is kept with its counts and warnings.
//
// A source's mapping (field of the standard → column or key of the file,
// the format of maillage import --mapping) is handed to the reader, so it
// applies to every format. Check validates a new source for both maillage
// source add and the form of /admin/sources.
//
// It reads files with catalogue/standard and writes with storage; it does
// not import ui.
package sources
