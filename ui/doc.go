// Package ui is Maillage's web layer. New assembles, on one router, the
// packages that serve each audience:
//
//   - ui/api: the JSON API under /api/v1, for other software and scripts;
//   - ui/web: the public pages (search, places, agenda, orientation sheet,
//     figures, widgets), for the public and social workers;
//   - ui/admin: the editors' pages under /admin;
//   - ui/feeds: the exports and feeds (CSV, GeoJSON, iCalendar, Atom,
//     data·inclusion, the printable catalogue);
//
// and, before them, the ActivityPub routes of the Federation it is handed.
// What they share lives in ui/internal: server (the instance's
// dependencies, JSON errors, token authentication, roles, query parsing,
// client addresses, figures and imports that two audiences use) and page
// (templates, layouts, messages, assets, CSRF, communes, opening hours).
// No audience package imports another. The web layer calls storage and
// catalogue; it must not import bbolt or go-fed, and it announces changes
// to federation only through the Federation interface.
package ui
