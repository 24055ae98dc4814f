// Package sample generates realistic, deterministic catalogue data at
// national scale: places spread over every French département in
// proportion to its population, with real communes, real-looking names,
// addresses, SIRET numbers, phone numbers, opening hours and taxonomies,
// and the ateliers and permanences that take place there.
//
// It is meant for benchmarks, demonstrations and tests. The same seed
// always gives the same data; nothing in it is about a real structure.
package sample
