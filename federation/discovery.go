package federation

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"net/http"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/gorilla/mux"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// Version is the software version announced in NodeInfo.
const Version = "0.1.0"

func randomID() string {
	var b [10]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// settings returns the network's name and handle, with defaults.
func (s *Service) settings() storage.Settings {
	st, _ := s.store.Settings()
	if st.Handle == "" {
		st.Handle = "reseau"
	}
	if st.Name == "" {
		st.Name = st.Handle
	}
	return st
}

// webfinger answers acct:HANDLE@HOST, the host with its port.
func (s *Service) webfinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	st := s.settings()
	acct := "acct:" + st.Handle + "@" + s.host
	if !strings.EqualFold(resource, acct) && resource != s.actor {
		http.Error(w, "unknown resource", http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, "application/jrd+json", map[string]any{
		"subject": acct,
		"aliases": []string{s.actor},
		"links": []map[string]string{
			{"rel": "self", "type": ContentType, "href": s.actor},
			{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": strings.TrimSuffix(s.cfg.BaseURL, "/") + "/"},
		},
	})
}

func (s *Service) nodeinfoLinks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"links": []map[string]string{
			{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": strings.TrimSuffix(s.cfg.BaseURL, "/") + "/nodeinfo/2.1"},
			// FEP-2677: the application actor, which Mobilizon and Gancio follow.
			{"rel": "https://www.w3.org/ns/activitystreams#Application", "href": s.actor},
		},
	})
}

func (s *Service) nodeinfo(w http.ResponseWriter, r *http.Request) {
	places, _ := s.store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1, Records: true})
	events, _ := s.store.Events(catalogue.EventQuery{Network: "local", From: s.now(), Limit: 1})
	st := s.settings()
	writeJSON(w, http.StatusOK, `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`, map[string]any{
		"version": "2.1",
		"software": map[string]string{
			"name": "maillage", "version": Version,
			"repository": "https://github.com/maillage/maillage", "homepage": "https://github.com/maillage/maillage",
		},
		"protocols":         []string{"activitypub"},
		"services":          map[string][]string{"inbound": {}, "outbound": {"atom1.0"}},
		"openRegistrations": false,
		"usage":             map[string]any{"users": map[string]int{"total": 1}, "localPosts": places.Total + events.Total},
		"metadata":          map[string]any{"nodeName": st.Name, "places": places.Total, "upcomingEvents": events.Total},
	})
}

// actorDoc is the network's Group actor.
func (s *Service) actorDoc(w http.ResponseWriter, r *http.Request) {
	if !WantsActivityPub(r) && strings.Contains(r.Header.Get("Accept"), "text/html") {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	st := s.settings()
	g := streams.NewActivityStreamsGroup()
	setID(g, s.actor)
	setName(g, st.Name)
	setSummary(g, "Réseau de médiation numérique "+st.Name+" : ses lieux et ses ateliers, sur Maillage.")
	setURL(g, strings.TrimSuffix(s.cfg.BaseURL, "/")+"/")
	pu := streams.NewActivityStreamsPreferredUsernameProperty()
	pu.SetXMLSchemaString(st.Handle)
	g.SetActivityStreamsPreferredUsername(pu)
	in := streams.NewActivityStreamsInboxProperty()
	in.SetIRI(mustURL(s.actor + "/inbox"))
	g.SetActivityStreamsInbox(in)
	out := streams.NewActivityStreamsOutboxProperty()
	out.SetIRI(mustURL(s.actor + "/outbox"))
	g.SetActivityStreamsOutbox(out)
	fers := streams.NewActivityStreamsFollowersProperty()
	fers.SetIRI(mustURL(s.actor + "/followers"))
	g.SetActivityStreamsFollowers(fers)
	fing := streams.NewActivityStreamsFollowingProperty()
	fing.SetIRI(mustURL(s.actor + "/following"))
	g.SetActivityStreamsFollowing(fing)
	pk := streams.NewW3IDSecurityV1PublicKey()
	setID(pk, s.keyID)
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	owner.SetIRI(mustURL(s.actor))
	pk.SetW3IDSecurityV1Owner(owner)
	pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pem.Set(EncodePublicKey(&s.key.PublicKey))
	pk.SetW3IDSecurityV1PublicKeyPem(pem)
	pkp := streams.NewW3IDSecurityV1PublicKeyProperty()
	pkp.AppendW3IDSecurityV1PublicKey(pk)
	g.SetW3IDSecurityV1PublicKey(pkp)
	doc := serialize(g)
	doc["endpoints"] = map[string]string{"sharedInbox": strings.TrimSuffix(s.cfg.BaseURL, "/") + "/inbox"}
	doc["manuallyApprovesFollowers"] = s.cfg.ManualApproval
	doc["places"] = s.actor + "/places"
	s.decorateActor(doc, st.Name)
	doc["events"] = s.actor + "/events"
	writeAP(w, http.StatusOK, doc)
}

// pageSize is the number of items of a collection page.
const pageSize = 100

// collection answers an OrderedCollection, or one of its pages when the
// request has ?page= (a cursor; "1" for the first page). A negative total
// is left out (counting would cost a scan).
func (s *Service) collection(w http.ResponseWriter, r *http.Request, id string, total int, page func(cursor string) (items []any, next string, err error)) {
	cursor, paged := r.URL.Query().Get("page"), r.URL.Query().Has("page")
	if !paged {
		doc := map[string]any{"id": id, "type": "OrderedCollection", "first": id + "?page=1"}
		if total >= 0 {
			doc["totalItems"] = total
		}
		writeAP(w, http.StatusOK, doc)
		return
	}
	if cursor == "1" {
		cursor = ""
	}
	items, next, err := page(cursor)
	if errors.Is(err, catalogue.ErrBadCursor) {
		http.Error(w, "bad page", http.StatusBadRequest)
		return
	}
	if err != nil {
		s.log.Error("collection page", "id", id, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if items == nil {
		items = []any{}
	}
	doc := map[string]any{
		"id": id + "?page=" + orOne(cursor), "type": "OrderedCollectionPage", "partOf": id,
		"orderedItems": items,
	}
	if total >= 0 {
		doc["totalItems"] = total
	}
	if next != "" {
		doc["next"] = id + "?page=" + next
	}
	writeAP(w, http.StatusOK, doc)
}

func orOne(cursor string) string {
	if cursor == "" {
		return "1"
	}
	return cursor
}

// placesCollection lists our places; a relay lists every place it holds,
// each attributed to its origin.
func (s *Service) placesCollection(w http.ResponseWriter, r *http.Request) {
	network := "local"
	if s.cfg.Relay {
		network = ""
	}
	first, err := s.store.Places(catalogue.PlaceQuery{Network: network, Limit: 1, Records: true})
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.collection(w, r, s.actor+"/places", first.Total, func(cursor string) ([]any, string, error) {
		page, err := s.store.Places(catalogue.PlaceQuery{Network: network, Limit: pageSize, Cursor: cursor, Records: true})
		var items []any
		for _, p := range page.Items {
			items = append(items, PlaceObject(p))
		}
		return items, page.Next, err
	})
}

// placeOf is the place of the event e, nil for a remote event at a stop
// that no place runs (catalogue.Event.Lieu).
func (s *Service) placeOf(e *catalogue.Event) (*catalogue.Place, error) {
	if e.Lieu == "" && e.Etape != nil {
		return nil, nil
	}
	return s.store.Place(e.Lieu)
}

// eventsCollection lists the local events that are not over (recurring
// series once each): what a new follower needs; a relay lists the events
// of other networks it holds too.
func (s *Service) eventsCollection(w http.ResponseWriter, r *http.Request) {
	s.collection(w, r, s.actor+"/events", -1, func(cursor string) ([]any, string, error) {
		events, next, err := s.store.CurrentEvents(s.now(), !s.cfg.Relay, cursor, pageSize)
		if err != nil {
			return nil, "", err
		}
		items := make([]any, 0, len(events))
		for _, e := range events {
			p, err := s.placeOf(e)
			if err != nil {
				return nil, "", err
			}
			items = append(items, EventObject(e, p))
		}
		return items, next, nil
	})
}

func (s *Service) followers(w http.ResponseWriter, r *http.Request) {
	fs, err := s.store.Followers()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	n := 0
	for _, f := range fs {
		if f.State == storage.FollowAccepted {
			n++
		}
	}
	// Only the count is public: followers may be people.
	writeAP(w, http.StatusOK, map[string]any{"id": s.actor + "/followers", "type": "OrderedCollection", "totalItems": n})
}

func (s *Service) following(w http.ResponseWriter, r *http.Request) {
	fs, err := s.store.Followings()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	items := []string{}
	for _, f := range fs {
		if f.State == storage.FollowAccepted {
			items = append(items, f.Actor)
		}
	}
	writeAP(w, http.StatusOK, map[string]any{
		"id": s.actor + "/following", "type": "OrderedCollection", "totalItems": len(items), "orderedItems": items,
	})
}

// placeDoc answers the Place of one of our places, or its Tombstone.
func (s *Service) placeDoc(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	p, err := s.localPlace(id)
	if err != nil {
		s.gone(w, strings.TrimSuffix(s.cfg.BaseURL, "/")+"/lieux/"+id, err)
		return
	}
	writeAP(w, http.StatusOK, PlaceObject(p))
}

func (s *Service) eventDoc(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	e, err := s.store.Event(id)
	if err == nil && !e.Network.Local {
		err = storage.ErrNotFound
	}
	if err != nil {
		s.gone(w, strings.TrimSuffix(s.cfg.BaseURL, "/")+"/evenements/"+id, err)
		return
	}
	p, err := s.placeOf(e)
	if err != nil {
		s.gone(w, e.APID, err)
		return
	}
	writeAP(w, http.StatusOK, EventObject(e, p))
}

// gone answers 410 with a Tombstone for a deleted object, 404 otherwise.
func (s *Service) gone(w http.ResponseWriter, apID string, err error) {
	if !errors.Is(err, storage.ErrNotFound) {
		s.log.Error("read object", "id", apID, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	ts, terr := s.store.TombstoneOf(apID)
	if terr != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	writeAP(w, http.StatusGone, tombstone(apID, ts.FormerType, ts.Deleted))
}
