package catalogue_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
)

var indexNow = time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris)

// catalogueState is a catalogue as a map of records, to index in one go.
type catalogueState struct {
	places map[string]*catalogue.Place
	events map[string]*catalogue.Event
}

func (c catalogueState) index() *catalogue.Index {
	x := catalogue.NewIndex(indexNow)
	for _, p := range c.places {
		x.PutPlace(p)
	}
	for _, e := range c.events {
		x.PutEvent(e)
	}
	return x
}

// TestIndexAfterCompaction replaces and removes enough records to make the
// index renumber its documents and terms, then checks that it answers
// every query as an index built from the remaining records does.
func TestIndexAfterCompaction(t *testing.T) {
	places := sample.Places(2000, 11)
	c := catalogueState{places: map[string]*catalogue.Place{}, events: map[string]*catalogue.Event{}}
	var ids []string
	for i, p := range places {
		p.ID = fmt.Sprintf("p%04d", i)
		p.Network = catalogue.Network{Local: i%7 != 0, Actor: "https://autre.example/acteur"}
		ids = append(ids, p.ID)
		c.places[p.ID] = p
	}
	events := sample.Events(ids, 4000, indexNow, 11)
	for i, e := range events {
		e.ID = fmt.Sprintf("e%04d", i)
		e.Network = catalogue.Network{Local: true}
		c.events[e.ID] = e
	}
	x := c.index()

	// Replace some, with other names, services and hours; remove others.
	for i, p := range places {
		switch i % 4 {
		case 0, 1:
			q := *p
			q.Nom = "Tiers-lieu numérique " + p.Commune
			q.Services = catalogue.Services.Values[i%3 : i%3+2]
			q.Horaires = "Mo-Su 10:00-11:00"
			x.PutPlace(&q)
			c.places[p.ID] = &q
		case 2:
			x.RemovePlace(p.ID)
			delete(c.places, p.ID)
		}
	}
	for i, e := range events {
		switch i % 3 {
		case 0:
			f := *e
			f.Nom = "Atelier fablab"
			f.Debut, f.Fin = e.Debut.AddDate(0, 0, 1), e.Fin.AddDate(0, 0, 1)
			if i%2 == 0 {
				f.Recurrence = "FREQ=WEEKLY;COUNT=10"
			}
			x.PutEvent(&f)
			c.events[e.ID] = &f
		case 1:
			x.RemoveEvent(e.ID)
			delete(c.events, e.ID)
		}
	}
	want := c.index()
	if p, e := x.Len(); p != len(c.places) || e != len(c.events) {
		t.Fatalf("Len = %d, %d; want %d, %d", p, e, len(c.places), len(c.events))
	}

	placeQueries := []catalogue.PlaceQuery{
		{}, {Text: "numérique"}, {Text: "tiers lieu"}, {Text: "mediatheque"}, {Text: "inconnu"},
		{Departement: "13"}, {Departement: "75", Services: catalogue.Services.Values[1:2]},
		{Services: catalogue.Services.Values[:1]}, {Services: catalogue.Services.Values[:3]},
		{Services: catalogue.Services.Values[2:3], OpenAt: indexNow.Add(30 * time.Minute)},
		{OpenAt: indexNow.Add(3 * time.Hour)},
		{Near: &catalogue.LatLon{Lat: 48.8566, Lon: 2.3522}, RadiusKm: 30},
		{Network: "local"}, {Network: "https://autre.example/acteur"},
		{Typologies: []string{"BIB", "EPN"}}, {Frais: []string{"Payant"}}, {Labels: []string{"France Services"}},
	}
	for _, q := range placeQueries {
		q.Limit = 40
		for page := 0; page < 4; page++ {
			got, err := x.Places(q)
			if err != nil {
				t.Fatal(err)
			}
			exp, _ := want.Places(q)
			if !reflect.DeepEqual(got, exp) {
				t.Fatalf("Places(%+v) after compaction = %+v; want %+v", q, got, exp)
			}
			if got.Next == "" {
				break
			}
			q.Cursor = got.Next
		}
	}
	eventQueries := []catalogue.EventQuery{
		{From: indexNow, To: indexNow.AddDate(0, 0, 7)},
		{From: indexNow, To: indexNow.AddDate(0, 1, 0), Text: "fablab"},
		{From: indexNow, Departement: "13"},
		{From: indexNow.AddDate(2, 0, 0), To: indexNow.AddDate(2, 1, 0)},
		{From: indexNow, Services: catalogue.Services.Values[:1], Place: "p0001"},
		{From: indexNow, To: indexNow.AddDate(0, 2, 0), Near: &catalogue.LatLon{Lat: 48.8566, Lon: 2.3522}, RadiusKm: 30, Series: true},
		{From: indexNow, To: indexNow.AddDate(0, 1, 0), Publics: []string{"Seniors"}, PublicsOpen: true, Frais: []string{"Gratuit"}},
	}
	for _, q := range eventQueries {
		for page := 0; page < 4; page++ {
			got, err := x.Events(q)
			if err != nil {
				t.Fatal(err)
			}
			exp, _ := want.Events(q)
			if !reflect.DeepEqual(got, exp) {
				t.Fatalf("Events(%+v) after compaction = %+v; want %+v", q, got, exp)
			}
			if got.Next == "" {
				break
			}
			q.Cursor = got.Next
		}
	}
	groups := [][]string{{"p0001"}, {"p0003", "p0005"}, {"p0002"}}
	if got, exp := x.NextAt(groups, indexNow, indexNow.AddDate(0, 3, 0), 3), want.NextAt(groups, indexNow, indexNow.AddDate(0, 3, 0), 3); !reflect.DeepEqual(got, exp) {
		t.Fatalf("NextAt after compaction = %+v; want %+v", got, exp)
	}
}

func TestPutEntryRefusesBadEntries(t *testing.T) {
	p := &catalogue.Place{ID: "a", Nom: "Médiathèque", CodePostal: "13001", Network: catalogue.Network{Local: true}}
	e := &catalogue.Event{ID: "b", Nom: "Atelier", Lieu: "a", Debut: indexNow, Fin: indexNow.Add(time.Hour)}
	pe, ee := catalogue.AppendPlaceEntry(nil, p), catalogue.AppendEventEntry(nil, e)
	x := catalogue.NewIndex(indexNow)
	for n := range len(pe) {
		if err := x.PutPlaceEntry("a", pe[:n]); err == nil {
			t.Errorf("PutPlaceEntry of %d bytes of %d: no error", n, len(pe))
		}
	}
	for n := range len(ee) {
		if err := x.PutEventEntry("b", ee[:n]); err == nil {
			t.Errorf("PutEventEntry of %d bytes of %d: no error", n, len(ee))
		}
	}
	if err := x.PutPlaceEntry("a", append(pe, 0)); err == nil {
		t.Error("PutPlaceEntry with a byte too many: no error")
	}
	other := append([]byte{catalogue.EntryVersion + 1}, pe[1:]...)
	if err := x.PutPlaceEntry("a", other); !errors.Is(err, catalogue.ErrEntryVersion) {
		t.Errorf("PutPlaceEntry of another version: %v; want ErrEntryVersion", err)
	}
	if p, e := x.Len(); p != 0 || e != 0 {
		t.Fatalf("Len after bad entries = %d, %d; want 0, 0", p, e)
	}
	if err := x.PutPlaceEntry("a", pe); err != nil {
		t.Fatal(err)
	}
	if err := x.PutEventEntry("b", ee); err != nil {
		t.Fatal(err)
	}
	if hits, _ := x.Places(catalogue.PlaceQuery{Text: "mediatheques", Departement: "13"}); hits.Total != 1 {
		t.Errorf("place from its entry not found: %+v", hits)
	}
	if hits, _ := x.Events(catalogue.EventQuery{From: indexNow, Departement: "13"}); hits.Total != 1 {
		t.Errorf("event from its entry not found: %+v", hits)
	}
}

func TestOpeningHoursSharedAndReleased(t *testing.T) {
	x := catalogue.NewIndex(indexNow)
	put := func(id, hours string) {
		x.PutPlace(&catalogue.Place{ID: id, Nom: id, Horaires: hours, Network: catalogue.Network{Local: true}})
	}
	open := func(at time.Time) []string {
		hits, err := x.Places(catalogue.PlaceQuery{OpenAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return hits.IDs
	}
	morning, evening := indexNow, indexNow.Add(9*time.Hour) // Monday 10:00 and 19:00
	put("a", "Mo-Fr 09:00-12:00")
	put("b", "Mo-Fr 09:00-12:00")
	put("c", "Mo-Fr 18:00-20:00")
	put("d", "n'importe quoi") // unreadable: never open
	if got := open(morning); !reflect.DeepEqual(got, []string{"a", "b"}) {
		t.Errorf("open at 10:00 = %v; want [a b]", got)
	}
	put("c", "Mo-Fr 09:00-11:00") // frees the evening hours
	x.RemovePlace("a")
	put("e", "Mo 19:00-20:00") // may take the freed slot
	if got := open(morning); !reflect.DeepEqual(got, []string{"b", "c"}) {
		t.Errorf("open at 10:00 = %v; want [b c]", got)
	}
	if got := open(evening); !reflect.DeepEqual(got, []string{"e"}) {
		t.Errorf("open at 19:00 = %v; want [e]", got)
	}
}

// TestIndexGroups: a group is found once, under its id, through any of its
// networks and records' names; searches of records still find every record;
// the group survives a compaction and its members come back when it goes.
func TestIndexGroups(t *testing.T) {
	x := catalogue.NewIndex(indexNow)
	lat, lon := 43.9463, 4.8059
	a := &catalogue.Place{ID: "a", Nom: "Médiathèque Ceccano", CodeINSEE: "84007", Latitude: &lat, Longitude: &lon,
		Network: catalogue.Network{Local: true}, Updated: indexNow}
	b := &catalogue.Place{ID: "b", Nom: "Bibliothèque Ceccano", CodeINSEE: "84007",
		Network: catalogue.Network{Actor: "https://paca.example/actor"}, Updated: indexNow.Add(-time.Hour)}
	c := &catalogue.Place{ID: "c", Nom: "Cyberbase", CodeINSEE: "84007", Network: catalogue.Network{Local: true}}
	merged, _ := catalogue.MergePlaces([]*catalogue.Place{a, b})
	ids := func(q catalogue.PlaceQuery) []string {
		t.Helper()
		hits, err := x.Places(q)
		if err != nil {
			t.Fatal(err)
		}
		if hits.Total != len(hits.IDs) {
			t.Fatalf("total %d for %v", hits.Total, hits.IDs)
		}
		return hits.IDs
	}
	x.PutGroupEntry("g-1", catalogue.AppendGroupEntry(nil, merged, []*catalogue.Place{a, b})) // before its members, as at start-up
	for _, p := range []*catalogue.Place{a, b, c} {
		x.PutPlace(p)
	}
	for range 2 {
		for _, tc := range []struct {
			q    catalogue.PlaceQuery
			want []string
		}{
			{catalogue.PlaceQuery{}, []string{"c", "g-1"}},
			{catalogue.PlaceQuery{Records: true}, []string{"b", "c", "a"}},
			{catalogue.PlaceQuery{Network: "local"}, []string{"c", "g-1"}},
			{catalogue.PlaceQuery{Network: "https://paca.example/actor"}, []string{"g-1"}},
			{catalogue.PlaceQuery{Network: "https://paca.example/actor", Records: true}, []string{"b"}},
			{catalogue.PlaceQuery{Text: "bibliotheque"}, []string{"g-1"}},
			{catalogue.PlaceQuery{Near: &catalogue.LatLon{Lat: lat, Lon: lon}}, []string{"g-1"}},
			{catalogue.PlaceQuery{Departement: "84"}, []string{"c", "g-1"}},
		} {
			if got := ids(tc.q); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Places(%+v) = %v; want %v", tc.q, got, tc.want)
			}
		}
		if p, _ := x.Len(); p != 3 {
			t.Errorf("Len = %d records; want 3", p)
		}
		// Enough removals to compact, then the same answers.
		for i := range 1500 {
			id := fmt.Sprintf("tmp%d", i)
			x.PutPlace(&catalogue.Place{ID: id, Nom: "Temporaire"})
			x.RemovePlace(id)
		}
	}
	x.RemoveGroup("g-1")
	if got := ids(catalogue.PlaceQuery{}); !reflect.DeepEqual(got, []string{"b", "c", "a"}) {
		t.Errorf("without the group: %v", got)
	}
}
