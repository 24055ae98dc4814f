package federation

import (
	"bytes"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// The network's profile as fediverse users see it: avatar and header
// (icon, image), profile fields (attachment PropertyValues), pinned
// posts (featured: the next ateliers), a French HTML summary, and an
// outbox that lists what a follower can see.

// featuredSize is the number of ateliers pinned on the profile.
const featuredSize = 5

// profileSummary is the actor's French summary, in HTML.
func profileSummary(name string, p storage.Profile) string {
	s := "<p>Réseau de médiation numérique <strong>" + html.EscapeString(name) +
		"</strong> : ses lieux et ses ateliers, sur Maillage.</p>"
	if p.Summary != "" {
		s += textToHTML(p.Summary)
	}
	return s
}

// decorateActor adds the profile to the actor document doc.
func (s *Service) decorateActor(doc map[string]any, name string) {
	p, err := s.store.Profile()
	if err != nil {
		s.log.Error("actor profile", "err", err)
	}
	base := strings.TrimSuffix(s.cfg.BaseURL, "/")
	doc["summary"] = profileSummary(name, p)
	doc["summaryMap"] = map[string]string{"fr": doc["summary"].(string)}
	doc["icon"] = map[string]any{"type": "Image", "mediaType": imageType(p.LogoType), "url": s.actor + "/icon.png"}
	doc["image"] = map[string]any{"type": "Image", "mediaType": imageType(p.HeaderType), "url": s.actor + "/header.png"}
	doc["featured"] = s.actor + "/featured"
	doc["discoverable"] = true
	doc["indexable"] = true
	site := p.Website
	if site == "" {
		site = base + "/"
	}
	fields := []any{propertyValue("Site web", link(site, strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(site, "https://"), "http://"), "/")))}
	if p.Contact != "" {
		fields = append(fields, propertyValue("Contact", link("mailto:"+p.Contact, p.Contact)))
	}
	if p.Territory != "" {
		fields = append(fields, propertyValue("Territoire", html.EscapeString(p.Territory)))
	}
	fields = append(fields, propertyValue("Agenda", link(base+"/evenements", "Tous les ateliers")))
	doc["attachment"] = fields
}

func propertyValue(name, value string) map[string]any {
	return map[string]any{"type": "PropertyValue", "name": name, "value": value}
}

func link(href, text string) string {
	return `<a href="` + html.EscapeString(href) + `" rel="me nofollow noopener noreferrer" target="_blank">` + html.EscapeString(text) + `</a>`
}

func imageType(t string) string {
	if t == "" {
		return "image/png"
	}
	return t
}

// icon answers the network's avatar: its uploaded logo, or one drawn
// from its initials.
func (s *Service) icon(w http.ResponseWriter, r *http.Request) {
	p, _ := s.store.Profile()
	data, kind := p.Logo, p.LogoType
	if len(data) == 0 {
		data, kind = AvatarPNG(s.settings().Name), "image/png"
	}
	serveImage(w, r, data, kind)
}

// header answers the network's header image.
func (s *Service) header(w http.ResponseWriter, r *http.Request) {
	p, _ := s.store.Profile()
	data, kind := p.Header, p.HeaderType
	if len(data) == 0 {
		data, kind = HeaderPNG(s.settings().Name), "image/png"
	}
	serveImage(w, r, data, kind)
}

func serveImage(w http.ResponseWriter, r *http.Request, data []byte, kind string) {
	w.Header().Set("Content-Type", kind)
	w.Header().Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// featured is the collection of pinned posts: the next ateliers.
func (s *Service) featured(w http.ResponseWriter, r *http.Request) {
	items, err := s.nextEvents(featuredSize)
	if err != nil {
		s.log.Error("featured", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	writeAP(w, http.StatusOK, map[string]any{
		"id": s.actor + "/featured", "type": "OrderedCollection", "totalItems": len(items), "orderedItems": items,
	})
}

// nextEvents are the Events of the next n local ateliers to start, each
// once (a recurring one at its next occurrence's place in the list).
func (s *Service) nextEvents(n int) ([]any, error) {
	page, err := s.store.Events(catalogue.EventQuery{Network: "local", From: s.now(), Limit: 4 * n})
	if err != nil {
		return nil, err
	}
	items, seen := []any{}, map[string]bool{}
	for _, occ := range page.Items {
		if seen[occ.ID] || len(items) == n {
			continue
		}
		seen[occ.ID] = true
		e, err := s.store.Event(occ.ID) // the series, as published
		if err != nil {
			return nil, err
		}
		p, err := s.placeOf(e)
		if err != nil {
			return nil, err
		}
		items = append(items, EventObject(e, p))
	}
	return items, nil
}

// outbox lists what a follower can see of the network: the Create of
// each local event not over yet (recurring series once), newest first by
// id order of the store, with their current version. Place activities,
// which people's servers do not receive (storage.Follower.Wants), and
// past events are left out, so that totalItems is what a follower can
// list.
func (s *Service) outbox(w http.ResponseWriter, r *http.Request) {
	total, err := s.countCurrentEvents()
	if err != nil {
		s.log.Error("outbox", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.collection(w, r, s.actor+"/outbox", total, func(cursor string) ([]any, string, error) {
		events, next, err := s.store.CurrentEvents(s.now(), true, cursor, pageSize)
		if err != nil {
			return nil, "", err
		}
		items := make([]any, 0, len(events))
		for _, e := range events {
			p, err := s.placeOf(e)
			if err != nil {
				return nil, "", err
			}
			obj := EventObject(e, p)
			a := s.activity("Create", e.APID+"#create", obj)
			a["to"], a["cc"], a["published"] = obj["to"], obj["cc"], obj["published"]
			items = append(items, a)
		}
		return items, next, nil
	})
}

// countCurrentEvents counts the local events the outbox lists (from the
// store's index: no record is read).
func (s *Service) countCurrentEvents() (int, error) {
	return s.store.CountCurrentEvents(s.now(), true), nil
}
