// Package communes is the list of every French commune, embedded in the
// binary: INSEE code, name, département, postal codes, population and
// centre. It answers the "Où ?" field (a name, a postal code, a label
// "Nom (13)", an INSEE code) without reading the store, so every commune
// of France is known from the start and the list never goes stale, and it
// places a record without coordinates at its commune's centre.
//
// The data is communes.tsv.gz, built by ./gen from two Etalab packages
// (see gen/main.go and SOURCE.md). The package owns no I/O beyond reading
// its embedded file; it imports only catalogue.
package communes
