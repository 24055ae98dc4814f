package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/maillage/maillage/storage"
)

// Error reports on places. A report typed on one of our pages about a
// place of another network is kept here and sent to that network as a
// Flag, the activity Mastodon and others use for reports; a Flag about
// one of our places is kept for our editors. The reporter's contact
// address is never sent to another instance.

// Report stores a report and, for a remote place, queues a Flag to the
// network that owns it.
func (s *Service) Report(r storage.Report) error {
	place, err := s.store.Place(r.PlaceAP)
	if err == nil && !place.Network.Local {
		if a, err := s.fetchActor(context.Background(), place.Network.Actor, false); err == nil {
			flag := s.activity("Flag", s.newActivityID(), []string{place.APID}, place.Network.Actor)
			flag["content"] = r.Message
			body, err := json.Marshal(withContext(flag))
			if err != nil {
				return err
			}
			if err := s.store.Enqueue(a.Inbox, body); err != nil {
				return err
			}
			r.Forwarded = place.Network.Actor
		} else {
			s.log.Warn("report: origin unreachable, kept here only", "place", place.APID, "err", err)
		}
	}
	return s.store.AddReport(&r)
}

// onFlag keeps a report another instance sends about one of our places.
func (s *Service) onFlag(id, actor string, doc map[string]any) error {
	var objects []string
	switch o := doc["object"].(type) {
	case string:
		objects = []string{o}
	case []any:
		for _, v := range o {
			if str, ok := v.(string); ok {
				objects = append(objects, str)
			}
		}
	}
	content, _ := doc["content"].(string)
	content = plainText(content)
	if len(content) > 2000 {
		content = content[:2000]
	}
	for _, o := range objects {
		if hostOf(o) != s.host || !strings.Contains(o, "/lieux/") && !strings.Contains(o, "/evenements/") {
			continue // reports about accounts or other instances' objects are not ours
		}
		p, err := s.store.Place(o)
		if err != nil {
			continue
		}
		if err := s.store.MarkActivity(id); err != nil {
			return err
		}
		return s.store.AddReport(&storage.Report{Place: p.ID, PlaceAP: p.APID, Message: content, Created: s.now(), From: actor})
	}
	return httpError(http.StatusUnprocessableEntity, "Flag about nothing of ours")
}
