// Package ui is Maillage's web layer: the JSON API under /api/v1 and, as
// they land, the HTML pages, exports and embedded assets. It calls storage
// and catalogue; it must not import bbolt or go-fed, and it announces
// changes to federation only through an interface it is handed.
package ui
