package catalogue_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// agendaIndex is three places around Marseille (the Vieux-Port, Aubagne
// at 15 km, Toulon at 50 km) and their ateliers on Wednesday 4 and
// Thursday 5 March 2026.
func agendaIndex(t *testing.T) *catalogue.Index {
	t.Helper()
	at := func(day, hour int) time.Time { return time.Date(2026, 3, day, hour, 0, 0, 0, catalogue.Paris) }
	place := func(id string, lat, lon float64) *catalogue.Place {
		return &catalogue.Place{ID: id, Nom: id, CodePostal: "13001", Latitude: &lat, Longitude: &lon, Network: catalogue.Network{Local: true}}
	}
	event := func(id, place string, day, hour int, frais, publics []string, rule string) *catalogue.Event {
		return &catalogue.Event{ID: id, Nom: id, Lieu: place, Debut: at(day, hour), Fin: at(day, hour+2),
			Frais: frais, Publics: publics, Recurrence: rule, Network: catalogue.Network{Local: true}}
	}
	free := []string{"Gratuit"}
	x := catalogue.NewIndex(indexNow)
	x.PutPlace(place("port", 43.2951, 5.3740))
	x.PutPlace(place("aubagne", 43.2927, 5.5708))
	x.PutPlace(place("toulon", 43.1242, 5.9280))
	for _, e := range []*catalogue.Event{
		event("port-soir", "port", 4, 17, free, nil, ""),
		event("aubagne-matin", "aubagne", 4, 9, free, nil, ""),
		event("port-seniors", "port", 4, 14, free, []string{"Seniors"}, ""),
		event("aubagne-payant", "aubagne", 4, 10, []string{"Payant"}, nil, ""),
		event("aubagne-jeunes", "aubagne", 4, 11, free, []string{"Jeunes"}, ""),
		event("toulon-matin", "toulon", 4, 8, free, nil, ""),
		event("port-hebdo", "port", 5, 10, free, nil, "FREQ=WEEKLY;COUNT=8"),
	} {
		x.PutEvent(e)
	}
	return x
}

func eventIDs(h catalogue.EventHits) []string {
	var ids []string
	for _, e := range h.Hits {
		ids = append(ids, e.ID)
	}
	return ids
}

// TestEventsNearByDayThenDistance: around a point, ateliers come by day,
// then nearest first; those beyond the radius and the paid ones are left
// out; "pour qui ?" keeps the ateliers open to everyone, after the ones
// for that public on the same day.
func TestEventsNearByDayThenDistance(t *testing.T) {
	x := agendaIndex(t)
	marseille := &catalogue.LatLon{Lat: 43.2965, Lon: 5.3698}
	from, to := indexNow, time.Date(2026, 3, 6, 0, 0, 0, 0, catalogue.Paris)
	tests := []struct {
		name string
		q    catalogue.EventQuery
		want []string
	}{
		{"near", catalogue.EventQuery{Near: marseille, RadiusKm: 20},
			[]string{"port-seniors", "port-soir", "aubagne-matin", "aubagne-payant", "aubagne-jeunes", "port-hebdo"}},
		{"near, free", catalogue.EventQuery{Near: marseille, RadiusKm: 20, Frais: []string{"Gratuit"}},
			[]string{"port-seniors", "port-soir", "aubagne-matin", "aubagne-jeunes", "port-hebdo"}},
		{"no radius", catalogue.EventQuery{Near: marseille, Frais: []string{"Gratuit"}},
			[]string{"port-seniors", "port-soir", "aubagne-matin", "aubagne-jeunes", "toulon-matin", "port-hebdo"}},
		{"seniors, open to all too", catalogue.EventQuery{Near: marseille, RadiusKm: 20, Frais: []string{"Gratuit"}, Publics: []string{"Seniors"}, PublicsOpen: true},
			[]string{"port-seniors", "port-soir", "aubagne-matin", "port-hebdo"}},
		{"seniors only", catalogue.EventQuery{Near: marseille, RadiusKm: 20, Publics: []string{"Seniors"}},
			[]string{"port-seniors"}},
		{"by time without a point", catalogue.EventQuery{Frais: []string{"Gratuit"}},
			[]string{"toulon-matin", "aubagne-matin", "aubagne-jeunes", "port-seniors", "port-soir", "port-hebdo"}},
	}
	for _, tt := range tests {
		q := tt.q
		q.From, q.To = from, to
		got, err := x.Events(q)
		if err != nil {
			t.Fatal(err)
		}
		if ids := eventIDs(got); !reflect.DeepEqual(ids, tt.want) {
			t.Errorf("%s: Events = %v; want %v", tt.name, ids, tt.want)
		}
		// Page by page, the same list.
		q.Limit = 2
		var paged []string
		for page := 0; page < 10; page++ {
			res, err := x.Events(q)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, eventIDs(res)...)
			if res.Next == "" {
				break
			}
			q.Cursor = res.Next
		}
		if !reflect.DeepEqual(paged, tt.want) {
			t.Errorf("%s: by pages of 2 = %v; want %v", tt.name, paged, tt.want)
		}
	}
	res, _ := x.Events(catalogue.EventQuery{From: from, To: to, Near: marseille, RadiusKm: 20, Publics: []string{"Seniors"}, PublicsOpen: true})
	for _, h := range res.Hits {
		if want := h.ID == "port-seniors"; h.Specific != want {
			t.Errorf("%s: Specific = %v; want %v", h.ID, h.Specific, want)
		}
		if h.ID == "aubagne-matin" && (h.DistanceKm < 15 || h.DistanceKm > 17) {
			t.Errorf("aubagne-matin: DistanceKm = %.1f; want about 16", h.DistanceKm)
		}
	}
}

// TestEventsSeries: with Series a weekly atelier is one hit, at its first
// occurrence in range, and counts once.
func TestEventsSeries(t *testing.T) {
	x := agendaIndex(t)
	q := catalogue.EventQuery{From: indexNow, To: indexNow.AddDate(0, 2, 0), Place: "port"}
	all, _ := x.Events(q)
	if all.Total != 10 {
		t.Fatalf("occurrences at port: Total = %d; want 10 (2 single, 8 weekly)", all.Total)
	}
	q.From = time.Date(2026, 3, 10, 0, 0, 0, 0, catalogue.Paris)
	q.Series = true
	got, _ := x.Events(q)
	if got.Total != 1 || len(got.Hits) != 1 || got.Hits[0].ID != "port-hebdo" {
		t.Fatalf("Series from 10 March = %+v; want port-hebdo once", got)
	}
	if want := time.Date(2026, 3, 12, 10, 0, 0, 0, catalogue.Paris); !got.Hits[0].Debut.Equal(want) {
		t.Errorf("Series: Debut = %v; want %v", got.Hits[0].Debut, want)
	}
}

// TestNextAt: each place's next ateliers, each once (a weekly one at its
// next date), soonest first, from the records of a merged place too.
func TestNextAt(t *testing.T) {
	x := agendaIndex(t)
	from := time.Date(2026, 3, 4, 15, 0, 0, 0, catalogue.Paris) // port-seniors is under way
	got := x.NextAt([][]string{{"port"}, {"aubagne", "toulon", "aubagne"}, {"nowhere"}}, from, from.AddDate(0, 0, 31), 2)
	var ids [][]string
	for _, list := range got {
		var l []string
		for _, h := range list {
			l = append(l, h.ID+" "+h.Debut.Format("02 15h"))
		}
		ids = append(ids, l)
	}
	want := [][]string{{"port-seniors 04 14h", "port-soir 04 17h"}, nil, nil}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("NextAt = %q; want %q", ids, want)
	}
	got = x.NextAt([][]string{{"port"}}, time.Date(2026, 3, 6, 0, 0, 0, 0, catalogue.Paris), from.AddDate(0, 1, 0), 2)
	if len(got[0]) != 1 || got[0][0].ID != "port-hebdo" || got[0][0].Debut.Day() != 12 {
		t.Errorf("NextAt after the 5th = %+v; want port-hebdo on the 12th only", got[0])
	}
}
