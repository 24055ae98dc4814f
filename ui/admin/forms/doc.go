// Package forms converts the controls of the editors' forms to and from
// the catalogue's strings: the opening-hours grid to and from OSM
// opening_hours, the repeat controls of an event to and from an RRULE,
// and one-line values. It holds no handler and renders nothing.
package forms
