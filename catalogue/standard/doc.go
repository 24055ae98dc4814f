// Package standard reads files of places in the national data standard of
// lieux de médiation numérique (LaMednum/standard-mediation-num), as real
// files come: CSV with a comma, semicolon or tab, in UTF-8 with or without
// a BOM, UTF-16 or Windows-1252; JSON as an array of objects, the national
// API's shape (arrays and a structured adresse) or a GeoJSON
// FeatureCollection; in v1.x ("|" between values) or the older v0.1.x (";"
// between values, courriel, publics_accueillis, conditions_acces,
// labels_nationaux, labels_autres, accessibilite, the 15 old services).
//
// It owns the crosswalk from v0.1 onto v1. Each record comes out as a
// normalised, validated catalogue.Place; a record that breaks a rule is
// rejected with its line, its id, the field and a French reason; a value
// that maps to nothing is kept in the free-text field it belongs to and
// reported as a warning.
//
// It imports catalogue only: no storage, no HTTP, no I/O beyond the reader
// it is given.
package standard
