package federation

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// fixtureDir holds a copy of ../shared/reference/fediverse (samples of
// what Mastodon, Mobilizon, Gancio and Bonfire send), so that the tests
// run from any checkout.
const fixtureDir = "testdata/fediverse"

// remoteNetwork is the network a remote object is read as coming from.
var remoteNetwork = catalogue.Network{Name: "Maillage 13", Actor: "https://maillage-13.example/actor"}

// overTheWire is what a peer parses: obj with its @context, as JSON.
func overTheWire(t *testing.T, obj map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(Document(obj))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// readFixture returns a peer sample, decoded.
func readFixture(t *testing.T, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// iris reads a property that may be one IRI or an array of them.
func iris(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// localPlace is a place of the local catalogue with every field of the
// standard set, normalised as the store keeps it.
func localPlace(t *testing.T) *catalogue.Place {
	t.Helper()
	lat, lon := 43.29965, 5.37753
	p := &catalogue.Place{
		ID:                      "lieu-local-42",
		APID:                    "https://maillage-13.example/lieux/alcazar",
		Network:                 catalogue.Network{Name: "Maillage 13", Actor: "https://maillage-13.example/actor", Local: true},
		Updated:                 time.Date(2026, 10, 30, 9, 15, 42, 123456789, catalogue.Paris),
		Published:               time.Date(2026, 9, 14, 7, 0, 0, 0, time.UTC),
		Pivot:                   "21130055300016",
		Nom:                     "Médiathèque de l'Alcazar & EPN",
		Adresse:                 "58 cours Belsunce",
		ComplementAdresse:       "Entrée par la cour",
		CodePostal:              "13001",
		Commune:                 "Marseille",
		CodeINSEE:               "13201",
		Latitude:                &lat,
		Longitude:               &lon,
		Typologie:               []string{"BIB", "MUNI"},
		Telephone:               "+33491557000",
		Courriels:               []string{"numerique@bmvr.example", "accueil@bmvr.example"},
		SiteWeb:                 []string{"https://www.bmvr.example/"},
		Horaires:                "Tu-Sa 11:00-19:00",
		PresentationResume:      "Espace public numérique : ateliers & accès libre.",
		PresentationDetail:      "Ateliers collectifs le mercredi.\n\nAccompagnement individuel sur rendez-vous.",
		Source:                  "maillage-13",
		StructureParente:        "Ville de Marseille",
		Services:                []string{"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		Publics:                 []string{"Seniors", "Jeunes"},
		PriseEnCharge:           []string{"Surdité", "Illettrisme"},
		Frais:                   []string{"Gratuit"},
		Dispositifs:             []string{"Conseillers numériques", "France Services"},
		FormationsLabels:        []string{"Formé à « Mon Espace Santé »"},
		AutresLabels:            []string{"Label Marseille numérique"},
		ModalitesAcces:          []string{"Se présenter", "Téléphoner"},
		ModalitesAccompagnement: []string{"Accompagnement individuel", "Dans un atelier collectif"},
		Itinerance:              []string{"Fixe"},
		FicheAccesLibre:         "https://acceslibre.beta.gouv.fr/app/13-marseille/a/bibliotheque/erp/alcazar/",
		PriseRDV:                "https://rdv.bmvr.example/epn",
		DateMaj:                 "2026-10-30",
		ChampsIntervention:      []string{"Administration en ligne", "Acculturation et éducation au numérique"},
		Equipements:             []string{"Ordinateurs en libre accès", "Imprimante"},
	}
	p.Normalize()
	if err := p.Validate(); err != nil {
		t.Fatalf("test place is invalid: %v", err)
	}
	return p
}

// asReceived is p as a peer should store it: same fields, no local id,
// the network it was received from, the time to the second.
func asReceived(p *catalogue.Place) catalogue.Place {
	want := *p
	want.ID = ""
	want.Network = remoteNetwork
	want.Updated = p.Updated // to the nanosecond: peers order versions by it
	return want
}

// samePlace fails unless got holds every field of want.
func samePlace(t *testing.T, got *catalogue.Place, want catalogue.Place) {
	t.Helper()
	if !got.Updated.Equal(want.Updated) {
		t.Errorf("updated = %v, want %v", got.Updated, want.Updated)
	}
	g := *got
	g.Updated = want.Updated
	gv, wv := reflect.ValueOf(g), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			f := gv.Type().Field(i).Name
			if gp, ok := gv.Field(i).Interface().(*float64); ok && gp != nil && wv.Field(i).Interface().(*float64) != nil {
				t.Errorf("%s = %v, want %v", f, *gp, *wv.Field(i).Interface().(*float64))
				continue
			}
			t.Errorf("%s = %#v, want %#v", f, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

func TestPlaceRoundTrip(t *testing.T) {
	full := localPlace(t)
	bare := localPlace(t)
	bare.ComplementAdresse, bare.Latitude, bare.Longitude = "", nil, nil
	bare.Typologie, bare.Courriels, bare.SiteWeb, bare.Equipements = nil, nil, nil, nil
	for _, tc := range []struct {
		name string
		p    *catalogue.Place
	}{
		{"every field", full},
		{"no complement, coordinates or lists", bare},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := overTheWire(t, PlaceObject(tc.p))
			got, err := placeFromObject(context.Background(), doc, remoteNetwork)
			if err != nil {
				t.Fatal(err)
			}
			samePlace(t, got, asReceived(tc.p))
		})
	}
}

// localEvent is an event of the local catalogue at p, normalised as the
// store keeps it.
func localEvent(t *testing.T, p *catalogue.Place, debut, fin time.Time) *catalogue.Event {
	t.Helper()
	capacite := 12
	e := &catalogue.Event{
		ID:        "evt-local-7",
		APID:      "https://maillage-13.example/evenements/atelier-smartphone",
		Network:   p.Network,
		Updated:   time.Date(2026, 10, 1, 18, 4, 5, 600, catalogue.Paris),
		Published: time.Date(2026, 9, 15, 8, 30, 0, 0, time.UTC),
		Nom:       "Atelier smartphone : premiers pas",
		Description: `<p>Venez avec votre <strong>smartphone</strong> chargé.</p>` +
			`<ul><li>réglages</li><li>applications &amp; sécurité</li></ul>` +
			`<p><a href="https://www.bmvr.example/agenda">Programme complet</a></p>`,
		Debut:       debut,
		Fin:         fin,
		Lieu:        p.ID,
		Services:    []string{"Maîtrise des outils numériques du quotidien", "Utilisation sécurisée du numérique"},
		Publics:     []string{"Seniors", "Surdité"},
		Inscription: "https://www.bmvr.example/inscription/42",
		Capacite:    &capacite,
		Frais:       []string{"Gratuit sous condition"},
		Statut:      catalogue.StatusScheduled,
	}
	e.Normalize()
	return e
}

func paris(year int, month time.Month, day, hour, min int) time.Time {
	return time.Date(year, month, day, hour, min, 0, 0, catalogue.Paris)
}

func TestEventRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name             string
		debut, fin       time.Time
		startTime, endTm string // as sent
		cancelled        bool
		recurrence       string
	}{
		{"cancelled, winter time", paris(2026, 11, 18, 14, 0), paris(2026, 11, 18, 16, 0),
			"2026-11-18T14:00:00+01:00", "2026-11-18T16:00:00+01:00", true, ""},
		{"summer time", paris(2026, 6, 10, 9, 30), paris(2026, 6, 10, 12, 0),
			"2026-06-10T09:30:00+02:00", "2026-06-10T12:00:00+02:00", false, ""},
		{"over the night the clocks go back", paris(2026, 10, 24, 20, 0), paris(2026, 10, 25, 10, 0),
			"2026-10-24T20:00:00+02:00", "2026-10-25T10:00:00+01:00", false, ""},
		{"weekly from summer into winter", paris(2026, 9, 30, 14, 0), paris(2026, 9, 30, 16, 0),
			"2026-09-30T14:00:00+02:00", "2026-09-30T16:00:00+02:00", false, "FREQ=WEEKLY;BYDAY=WE;COUNT=10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := localPlace(t)
			e := localEvent(t, p, tc.debut, tc.fin)
			if tc.cancelled {
				e.Statut = catalogue.StatusCancelled
			}
			e.Recurrence = tc.recurrence
			if err := e.Validate(); err != nil {
				t.Fatalf("test event is invalid: %v", err)
			}
			doc := overTheWire(t, EventObject(e, p))
			if doc["startTime"] != tc.startTime || doc["endTime"] != tc.endTm {
				t.Errorf("sent startTime %v, endTime %v; want %s, %s", doc["startTime"], doc["endTime"], tc.startTime, tc.endTm)
			}

			got, gotPlace, err := eventFromObject(context.Background(), doc, remoteNetwork)
			if err != nil {
				t.Fatal(err)
			}
			if got.Debut.Format(time.RFC3339) != tc.startTime || got.Fin.Format(time.RFC3339) != tc.endTm {
				t.Errorf("read debut %s, fin %s; want %s, %s (same instant and offset)",
					got.Debut.Format(time.RFC3339), got.Fin.Format(time.RFC3339), tc.startTime, tc.endTm)
			}
			if !got.Updated.Equal(e.Updated) {
				t.Errorf("updated = %v, want %v", got.Updated, e.Updated)
			}
			want := *e
			want.ID, want.Network, want.Lieu = "", remoteNetwork, p.APID
			g := *got
			g.Debut, g.Fin, g.Updated = want.Debut, want.Fin, want.Updated
			if !reflect.DeepEqual(g, want) {
				gj, _ := json.MarshalIndent(g, "", " ")
				wj, _ := json.MarshalIndent(want, "", " ")
				t.Errorf("event read back:\n%s\nwant:\n%s", gj, wj)
			}
			samePlace(t, gotPlace, asReceived(p))
		})
	}
}

// TestEventObjectShape checks what Mastodon and Mobilizon read from our
// events: Mastodon shows name, summary, content and url only, so the
// date and the place must be in the French summary.
func TestEventObjectShape(t *testing.T) {
	for _, tc := range []struct {
		name       string
		debut, fin time.Time
		cancelled  bool
		startTime  string
		status     string
		title      string
		summary    []string // all in the summary, which GoToSocial shows as the content warning
		content    []string // all in the content
	}{
		{"wednesday in november", paris(2026, 11, 18, 14, 0), paris(2026, 11, 18, 16, 0), false,
			"2026-11-18T14:00:00+01:00", "CONFIRMED", "Atelier smartphone : premiers pas",
			[]string{"Atelier smartphone : premiers pas · ", "mercredi 18 novembre 2026", "14 h 00", "16 h 00",
				"Médiathèque de l'Alcazar & EPN", "13001 Marseille", "Gratuit sous condition",
				"Inscription : https://www.bmvr.example/inscription/42"},
			[]string{"Quand : mercredi 18 novembre 2026", "Tarif : Gratuit sous condition",
				`Inscription : <a href="https://www.bmvr.example/inscription/42">`}},
		{"cancelled in july", paris(2026, 7, 4, 10, 0), paris(2026, 7, 4, 12, 0), true,
			"2026-07-04T10:00:00+02:00", "CANCELLED", "ANNULÉ — Atelier smartphone : premiers pas",
			[]string{"ANNULÉ — Atelier smartphone", "samedi 4 juillet 2026", "10 h 00", "Médiathèque de l'Alcazar & EPN"},
			[]string{"<p><strong>Cet atelier est annulé.</strong></p>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := localPlace(t)
			e := localEvent(t, p, tc.debut, tc.fin)
			if tc.cancelled {
				e.Statut = catalogue.StatusCancelled
			}
			doc := overTheWire(t, EventObject(e, p))
			actor := p.Network.Actor

			if !contains(iris(doc["@context"]), nsActivityStreams) {
				t.Errorf("@context %v lacks %s", doc["@context"], nsActivityStreams)
			}
			for key, want := range map[string]any{
				"type": "Event", "id": e.APID, "name": tc.title, "attributedTo": actor,
				"startTime": tc.startTime, "timezone": "Europe/Paris", "ical:status": tc.status,
				"description": e.Description, "mediaType": "text/html",
				"maximumAttendeeCapacity": 12.0, "published": "2026-09-15T08:30:00Z",
			} {
				if doc[key] != want {
					t.Errorf("%s = %#v, want %#v", key, doc[key], want)
				}
			}
			content := str(doc, "content")
			for _, want := range append(tc.content, e.Description, `<a href="`+e.APID+`">`) {
				if !strings.Contains(content, want) {
					t.Errorf("content %q lacks %q", content, want)
				}
			}
			plain := *e
			plain.Description = "Venez avec votre smartphone.\n\nPrêt & chargé."
			if c := str(EventObject(&plain, p), "content"); !strings.Contains(c, "<p>Venez avec votre smartphone.</p><p>Prêt &amp; chargé.</p><p>Quand") {
				t.Errorf("content of a plain-text description = %q; want its paragraphs", c)
			}
			if cm, _ := doc["contentMap"].(map[string]any); cm["fr"] != content {
				t.Errorf("contentMap = %#v, want the content in French", doc["contentMap"])
			}
			if end, err := time.Parse(time.RFC3339, str(doc, "endTime")); err != nil || !end.Equal(tc.fin) {
				t.Errorf("endTime = %v, want %v", doc["endTime"], tc.fin)
			}
			if !contains(iris(doc["to"]), Public) {
				t.Errorf("to = %v, want it public (Mastodon makes it unlisted otherwise)", doc["to"])
			}
			if !contains(iris(doc["url"]), e.APID) {
				t.Errorf("url = %v, want %s", doc["url"], e.APID)
			}
			if u, err := time.Parse(time.RFC3339, str(doc, "updated")); err != nil || !u.Equal(e.Updated) {
				t.Errorf("updated = %v, want %v: an edited event says when (Mastodon ignores an Update without it)", doc["updated"], e.Updated)
			}

			loc, _ := doc["location"].(map[string]any)
			if loc == nil {
				t.Fatalf("location = %#v, want an embedded Place", doc["location"])
			}
			if loc["type"] != "Place" || loc["id"] != p.APID || loc["name"] != p.Nom {
				t.Errorf("location type %v, id %v, name %v", loc["type"], loc["id"], loc["name"])
			}
			if loc["latitude"] != *p.Latitude || loc["longitude"] != *p.Longitude {
				t.Errorf("location at %v, %v", loc["latitude"], loc["longitude"])
			}
			addr, _ := loc["address"].(map[string]any)
			for key, want := range map[string]string{
				"type": "PostalAddress", "streetAddress": "58 cours Belsunce, Entrée par la cour",
				"postalCode": "13001", "addressLocality": "Marseille",
			} {
				if addr[key] != want {
					t.Errorf("location.address.%s = %#v, want %q", key, addr[key], want)
				}
			}

			summary := str(doc, "summary")
			for _, want := range tc.summary {
				if !strings.Contains(summary, want) {
					t.Errorf("summary %q lacks %q", summary, want)
				}
			}
			if strings.ContainsAny(summary, "<>") || strings.Contains(summary, "&amp;") {
				t.Errorf("summary %q is not plain text", summary)
			}
		})
	}
}

// TestPlaceObjectShape checks the dereferenceable Place a peer fetches.
func TestPlaceObjectShape(t *testing.T) {
	p := localPlace(t)
	doc := overTheWire(t, PlaceObject(p))
	if !contains(iris(doc["@context"]), nsActivityStreams) {
		t.Errorf("@context %v lacks %s", doc["@context"], nsActivityStreams)
	}
	for key, want := range map[string]any{
		"type": "Place", "id": p.APID, "name": p.Nom, "attributedTo": p.Network.Actor,
		"latitude": *p.Latitude, "longitude": *p.Longitude, "summary": p.PresentationResume,
	} {
		if doc[key] != want {
			t.Errorf("%s = %#v, want %#v", key, doc[key], want)
		}
	}
	if !contains(iris(doc["to"]), Public) {
		t.Errorf("to = %v, want it public", doc["to"])
	}
	if addr, _ := doc["address"].(map[string]any); addr["type"] != "PostalAddress" || addr["addressLocality"] != "Marseille" {
		t.Errorf("address = %#v, want a PostalAddress in Marseille", doc["address"])
	}
	if c := str(doc, "content"); c != "<p>Ateliers collectifs le mercredi.</p><p>Accompagnement individuel sur rendez-vous.</p>" {
		t.Errorf("content = %q, want the detail as HTML paragraphs", c)
	}
}

// eventObjectOf returns the Event of a peer sample: the object of a
// Create, with the activity's @context as the inbox passes it on.
func eventObjectOf(t *testing.T, file string) map[string]any {
	t.Helper()
	doc, _ := readFixture(t, file).(map[string]any)
	if doc["type"] == "Create" {
		obj, _ := doc["object"].(map[string]any)
		if obj == nil {
			t.Fatalf("%s: Create without an embedded object", file)
		}
		obj["@context"] = doc["@context"]
		return obj
	}
	return doc
}

// gancioEventAt is an Event as current Gancio sends it (FEDERATION-NOTES
// §1.2), with location set to one of Gancio's own test locations.
func gancioEventAt(t *testing.T, file string) map[string]any {
	t.Helper()
	return map[string]any{
		"@context":  []any{nsActivityStreams, nsSecurity},
		"id":        "http://localhost:13120/federation/m/42",
		"type":      "Event",
		"name":      "Atelier smartphone",
		"url":       "http://localhost:13120/event/atelier-smartphone",
		"startTime": "2025-03-05T14:00:00.000+01:00",
		"endTime":   "2025-03-05T16:00:00.000+01:00",
		"content":   "<p>Apportez votre téléphone.</p>",
		"location":  readFixture(t, file),
	}
}

// TestEventFromPeerSamples reads the events of the Mobilizon and Gancio
// samples: each is either kept with its name, start and place, or refused
// with a reason an administrator can act on.
func TestEventFromPeerSamples(t *testing.T) {
	type place struct{ id, name, street, postal, commune string }
	mobilizon2018 := place{"https://event1.tcit.fr/address/eeecc11d-0030-43e8-a897-6422876372jd",
		"Locaux de Framasoft", "10 Rue Jangot", "69007", "Lyon"}
	for _, tc := range []struct {
		file    string
		doc     func(*testing.T, string) map[string]any
		wantErr string // refused, with this in the reason

		name, id, start, end string
		place                place
	}{
		// Mobilizon: a Place with a PostalAddress, no endTime (2 h assumed).
		{file: "mobilizon-create-event.json", doc: eventObjectOf, name: "My first event",
			id:    "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
			start: "2018-02-12T14:08:20Z", end: "2018-02-12T16:08:20Z", place: mobilizon2018},
		{file: "mobilizon-create-event-with-media.json", doc: eventObjectOf, name: "My first event",
			id:    "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
			start: "2018-02-12T14:08:20Z", end: "2018-02-12T16:08:20Z", place: mobilizon2018},
		{file: "mobilizon-create-event-with-media-1.json", doc: eventObjectOf, name: "My first event",
			id:    "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
			start: "2018-02-12T14:08:20Z", end: "2018-02-12T16:08:20Z", place: mobilizon2018},
		{file: "mobilizon-create-event-with-media-2.json", doc: eventObjectOf, name: "My first event",
			id:    "https://mobilizon.fr/events/39a0c4a6-f2b6-41dc-bbe2-fc5bff76cc93",
			start: "2018-02-12T14:08:20Z", end: "2018-02-12T16:08:20Z", place: mobilizon2018},
		// A group's event with no location at all: nowhere to list it.
		{file: "mobilizon-create-event-group.json", doc: eventObjectOf, wantErr: "without an embedded location"},
		// Blank street, null postal code, old swapped geo coordinates (not used).
		{file: "mobilizon-event-object-2019.json", doc: eventObjectOf, name: "Mobilizon Launching Party",
			id:    "https://mobilizon.local/events/252d5816-00a3-4a89-a66f-15bf65c33e39",
			start: "2019-12-18T13:00:00Z", end: "2019-12-18T14:00:00Z",
			place: place{"https://mobilizon.local/address/1368fdab-1e2c-4de6-bcff-a90c84abdee1",
				"Cour du Château des Ducs de Bretagne", "", "", "Nantes"}},
		// Gancio 2021: the location is a bare {name}: an address (no id)
		// with no commune, that no search could find.
		{file: "gancio-create-event.json", doc: eventObjectOf, wantErr: "etape.commune"},
		// Edited sample without startTime.
		{file: "gancio-v1.22-event-object.json", doc: eventObjectOf, wantErr: "debut"},
		// Gancio's parsePlace test inputs, as the location of a current Gancio event.
		{file: "gancio-location-bad-location-without-a-name.json", doc: gancioEventAt, wantErr: "place without name"},
		{file: "gancio-location-physical-location-without-id.json", doc: gancioEventAt, wantErr: "etape.commune"},
		{file: "gancio-location-virtual-location.json", doc: gancioEventAt, wantErr: "online event"},
		{file: "gancio-location-physical-location-no-address.json", wantErr: "only a link", doc: func(t *testing.T, file string) map[string]any {
			doc := gancioEventAt(t, file)
			doc["location"] = "http://localhost:13120/federation/p/1" // a reference, not embedded
			return doc
		}},
		{file: "gancio-location-multiple-mixed-locations.json", doc: gancioEventAt, name: "Atelier smartphone",
			id: "http://localhost:13120/federation/m/42", start: "2025-03-05T14:00:00+01:00", end: "2025-03-05T16:00:00+01:00",
			place: place{id: "http://localhost:13120/federation/p/4", name: "Location with a name"}},
		{file: "gancio-location-physical-location-no-address.json", doc: gancioEventAt, name: "Atelier smartphone",
			id: "http://localhost:13120/federation/m/42", start: "2025-03-05T14:00:00+01:00", end: "2025-03-05T16:00:00+01:00",
			place: place{id: "http://localhost:13120/federation/p/1", name: "Location with a name"}},
		{file: "gancio-location-physical-location-with-postal-address.json", doc: gancioEventAt, name: "Atelier smartphone",
			id: "http://localhost:13120/federation/m/42", start: "2025-03-05T14:00:00+01:00", end: "2025-03-05T16:00:00+01:00",
			place: place{"http://localhost:13120/federation/p/2", "Location with a postal address",
				"15 Fediverse Street", "8010", "Fediverse Town"}},
		{file: "gancio-location-physical-location-with-simple-string-address.json", doc: gancioEventAt, name: "Atelier smartphone",
			id: "http://localhost:13120/federation/m/42", start: "2025-03-05T14:00:00+01:00", end: "2025-03-05T16:00:00+01:00",
			place: place{id: "http://localhost:13120/federation/p/3", name: "Location with a simple string address",
				street: "Simple string address"}},
	} {
		t.Run(strings.TrimSuffix(tc.file, ".json"), func(t *testing.T) {
			e, p, err := eventFromObject(context.Background(), tc.doc(t, tc.file), remoteNetwork)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want a refusal about %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e.Nom != tc.name || e.APID != tc.id || e.Network != remoteNetwork || e.Statut != catalogue.StatusScheduled {
				t.Errorf("event %q (%s, %+v, %s), want %q (%s)", e.Nom, e.APID, e.Network, e.Statut, tc.name, tc.id)
			}
			if got := e.Debut.Format(time.RFC3339); got != tc.start {
				t.Errorf("debut = %s, want %s", got, tc.start)
			}
			if got := e.Fin.Format(time.RFC3339); got != tc.end {
				t.Errorf("fin = %s, want %s", got, tc.end)
			}
			if e.Capacite != nil {
				t.Errorf("capacite = %d, want none (Mobilizon sends 0 for no limit)", *e.Capacite)
			}
			if e.Lieu != tc.place.id {
				t.Errorf("lieu = %q, want the place %q", e.Lieu, tc.place.id)
			}
			gotPlace := place{p.APID, p.Nom, p.Adresse, p.CodePostal, p.Commune}
			if gotPlace != tc.place {
				t.Errorf("place = %+v, want %+v", gotPlace, tc.place)
			}
			if p.Network != remoteNetwork || p.Latitude != nil {
				t.Errorf("place network %+v, latitude %v", p.Network, p.Latitude)
			}
			if e.Description == "" || strings.Contains(e.Description, "class=") {
				t.Errorf("description = %q, want the content, sanitised", e.Description)
			}
		})
	}
}

// TestEventFromHostileObject: whatever a peer puts in an event's text,
// names come out as plain text and the description as safe HTML.
func TestEventFromHostileObject(t *testing.T) {
	doc := map[string]any{
		"@context":  nsActivityStreams,
		"id":        "https://evil.example/events/1",
		"type":      "Event",
		"name":      "<h1>Atelier</h1> <b>numérique</b><script>alert(1)</script> &amp; café",
		"startTime": "2026-11-18T14:00:00+01:00",
		"endTime":   "2026-11-18T16:00:00+01:00",
		"content": `<p onclick="steal()" style="color:red">Bienvenue à <em>tous</em></p>` +
			`<script>alert(1)</script><img src=x onerror="alert(2)">` +
			`<a href="javascript:alert(3)">piège</a> <a href="https://ok.example/">programme</a>` +
			`<iframe src="https://evil.example/"></iframe>`,
		"location": map[string]any{
			"type":                "Place",
			"id":                  "https://evil.example/places/1",
			"name":                "<a href='https://evil.example'>Salle</a> <i>des fêtes</i>",
			"address":             map[string]any{"type": "PostalAddress", "streetAddress": "<b>1 place</b> de la Mairie", "postalCode": "13001", "addressLocality": "<script>x()</script>Marseille"},
			"presentation_resume": `<img src=x onerror="alert(4)">Accueil libre`,
		},
	}
	e, p, err := eventFromObject(context.Background(), doc, remoteNetwork)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ field, got, want string }{
		{"event name", e.Nom, "Atelier numérique & café"},
		{"place name", p.Nom, "Salle des fêtes"},
		{"street", p.Adresse, "1 place de la Mairie"},
		{"commune", p.Commune, "Marseille"},
		{"presentation_resume", p.PresentationResume, "Accueil libre"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	for _, bad := range []string{"<script", "alert", "onclick", "onerror", "style=", "javascript:", "<img", "<iframe", "steal"} {
		if strings.Contains(e.Description, bad) {
			t.Errorf("description %q keeps %q", e.Description, bad)
		}
	}
	for _, kept := range []string{"Bienvenue à <em>tous</em>", `href="https://ok.example/"`, "programme"} {
		if !strings.Contains(e.Description, kept) {
			t.Errorf("description %q lost %q", e.Description, kept)
		}
	}
}

// TestPlaceFromObject reads standalone Places and refuses what cannot be
// a place of the catalogue.
func TestPlaceFromObject(t *testing.T) {
	bonfire, _ := readFixture(t, "bonfire-place-geojson.json").(map[string]any)
	got, err := placeFromObject(context.Background(), bonfire, remoteNetwork)
	if err != nil {
		t.Fatalf("Bonfire place: %v", err)
	}
	if got.APID != "https://mocked.local/relation/27005" || got.Nom != "CERN - Site de Meyrin" ||
		got.Latitude == nil || *got.Latitude != 46.23343 || *got.Longitude != 6.04718 {
		t.Errorf("Bonfire place read as %s %q at %v,%v", got.APID, got.Nom, got.Latitude, got.Longitude)
	}

	for _, tc := range []struct {
		name    string
		doc     map[string]any
		wantErr string
		is      error
	}{
		{"a Note", map[string]any{"type": "Note", "id": "https://p.example/notes/1", "content": "salut"}, "", errNotOurs},
		{"an Event", map[string]any{"type": "Event", "id": "https://p.example/e/1", "name": "Atelier"}, "", errNotOurs},
		{"a type go-fed does not know", map[string]any{"type": "Gizmo", "id": "https://p.example/g/1", "name": "x"}, "unreadable object", nil},
		{"no type", map[string]any{"id": "https://p.example/lieux/1", "name": "Médiathèque"}, "unreadable object", nil},
		{"no id", map[string]any{"type": "Place", "name": "Médiathèque"}, "place without id", nil},
		{"no name", map[string]any{"type": "Place", "id": "https://p.example/lieux/1"}, "place without name", nil},
		{"a name that is only markup", map[string]any{"type": "Place", "id": "https://p.example/lieux/1", "name": "<b> </b><script>x</script>"}, "place without name", nil},
		{"latitude out of range", map[string]any{"type": "Place", "id": "https://p.example/lieux/1", "name": "Médiathèque",
			"latitude": 147.2, "longitude": 5.3}, "impossible coordinates", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := placeFromObject(context.Background(), tc.doc, remoteNetwork)
			switch {
			case err == nil:
				t.Fatalf("read %+v, want a refusal", p)
			case tc.is != nil && !errors.Is(err, tc.is):
				t.Fatalf("err = %v, want %v", err, tc.is)
			case tc.wantErr != "" && !strings.Contains(err.Error(), tc.wantErr):
				t.Fatalf("err = %v, want a refusal about %q", err, tc.wantErr)
			}
		})
	}
}

// A place at its commune's centre is sent without coordinates: a
// receiving Maillage places it the same way, others get no false
// precision.
func TestPlaceObjectLeavesOutAnApproximatePosition(t *testing.T) {
	lat, lon := 43.35, 5.51
	p := &catalogue.Place{ID: "x", APID: "https://a.example/lieux/x", Nom: "EPN", Commune: "Allauch", CodePostal: "13190",
		Latitude: &lat, Longitude: &lon, PositionApproximative: true, Network: catalogue.Network{Actor: "https://a.example/network"}}
	m := PlaceObject(p)
	if _, ok := m["latitude"]; ok {
		t.Errorf("PlaceObject(approximate) = %v; want no latitude", m)
	}
	p.PositionApproximative = false
	if m := PlaceObject(p); m["latitude"] != 43.35 {
		t.Errorf("PlaceObject(placed) latitude = %v; want 43.35", m["latitude"])
	}
}
