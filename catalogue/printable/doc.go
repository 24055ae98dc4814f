// Package printable renders the printable catalogue: a paginated A4 PDF,
// in French, of a list of places, to be printed in black and white and
// handed out. It has a cover, a table of contents, the places grouped by
// champ d'intervention or by commune (each with its address, its hours in
// words, its services, publics and contacts, and a QR code to its page),
// and two indexes at the end, by name and by commune, with page numbers.
//
// It embeds its fonts (DejaVu Sans Condensed, see fonts/LICENSE), so
// accents render wherever the file is opened. It imports catalogue and
// the PDF and QR-code libraries only: no storage, no HTTP.
package printable
