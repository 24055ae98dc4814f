// Package web serves the public pages, server-rendered in French and
// usable without JavaScript: the search with its list and map, place and
// event pages, the agenda, the networks, the orientation sheet for social
// workers, the figures at /statistiques, the skills map for
// professionals at /competences, the embeddable widgets, the
// communes' suggestions and the static assets. Its templates and its
// messages (messages_fr.go) are its own; the frame comes from
// ui/internal/page.
package web
