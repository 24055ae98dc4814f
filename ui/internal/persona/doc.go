// Package persona holds the end-to-end tests of the people Maillage serves,
// one test per person, each following that person's path through the
// pages in a real headless Chromium (through ui/internal/uitest): a social
// worker looking for an atelier for a senior, a network coordinator
// publishing a place and an atelier, a regional coordinator following
// another network. The package has no code of its own; its tests import
// the web, admin and federation layers only through the harness.
package persona
