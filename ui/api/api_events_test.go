package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestEventCRUDAndRecurrence(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(nil)
	e := in.CreateEvent(map[string]any{
		"nom": "Atelier smartphone", "description": `<p>Apprendre à <strong>installer</strong> une application</p><script>alert(1)</script>`,
		"debut": "2026-07-15T14:00:00+02:00", "fin": "2026-07-15T16:00:00+02:00",
		"lieu": p.APID, "recurrence": "FREQ=WEEKLY;BYDAY=WE;COUNT=10",
		"services": []string{"Maîtrise des outils numériques du quotidien"}, "capacite": 8,
	})
	if e.Lieu != p.ID || e.Statut != catalogue.StatusScheduled || strings.Contains(e.Description, "script") {
		t.Fatalf("created event = %+v", e)
	}

	// Ten Wednesdays from 15 July; the next four weeks hold four, at
	// 14:00 Paris time each.
	res := in.Events("from=" + url.QueryEscape("2026-07-13T00:00:00+02:00") + "&to=" + url.QueryEscape("2026-08-10T00:00:00+02:00"))
	if res.Total != 4 {
		t.Fatalf("occurrences in four weeks = %d; want 4", res.Total)
	}
	for i, item := range res.Items {
		want := time.Date(2026, 7, 15+7*i, 14, 0, 0, 0, catalogue.Paris)
		if !item.Debut.Equal(want) || item.Fin.Sub(item.Debut) != 2*time.Hour || item.ID != e.ID {
			t.Errorf("occurrence %d = %v–%v (%s); want %v for two hours", i, item.Debut, item.Fin, item.ID, want)
		}
	}
	if all := in.Events(""); all.Total != 10 {
		t.Errorf("upcoming occurrences = %d; want 10", all.Total)
	}

	body := map[string]any{"nom": "Atelier smartphone", "debut": "2026-07-16T10:00:00+02:00", "fin": "2026-07-16T12:00:00+02:00", "lieu": p.ID, "statut": "annulé"}
	var upd catalogue.Event
	if st := in.Do("PUT", "/api/v1/events/"+e.ID, body, &upd); st != 200 || upd.Statut != catalogue.StatusCancelled || upd.Recurrence != "" {
		t.Fatalf("PUT event = %d %+v", st, upd)
	}
	if all := in.Events(""); all.Total != 1 {
		t.Errorf("after removing the recurrence, occurrences = %d; want 1", all.Total)
	}
	var e2 server.APIError
	if st := in.Do("DELETE", "/api/v1/places/"+p.ID, nil, &e2); st != http.StatusConflict {
		t.Errorf("DELETE a place with events = %d; want 409", st)
	}
	if st := in.Do("DELETE", "/api/v1/events/"+e.ID, nil, nil); st != http.StatusNoContent {
		t.Fatalf("DELETE event = %d", st)
	}
	if all := in.Events(""); all.Total != 0 {
		t.Errorf("after delete, occurrences = %d; want 0", all.Total)
	}
}

func TestBadEventsAreRefused(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(nil)
	valid := func(overrides map[string]any) map[string]any {
		b := map[string]any{"nom": "Café numérique", "debut": "2026-07-20T10:00:00+02:00", "fin": "2026-07-20T12:00:00+02:00", "lieu": p.ID}
		for k, v := range overrides {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return b
	}
	for _, c := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"no title", valid(map[string]any{"nom": nil}), 422, "nom"},
		{"end before start", valid(map[string]any{"fin": "2026-07-20T09:00:00+02:00"}), 422, "fin"},
		{"date without offset", valid(map[string]any{"debut": "2026-07-20 10:00"}), 400, "debut"},
		{"unknown place", valid(map[string]any{"lieu": "nulle-part"}), 422, "lieu"},
		{"bad rrule", valid(map[string]any{"recurrence": "FREQ=SOMETIMES"}), 422, "recurrence"},
		{"bad status", valid(map[string]any{"statut": "peut-être"}), 422, "statut"},
		{"negative capacity", valid(map[string]any{"capacite": -1}), 422, "capacite"},
		{"capacity as text", valid(map[string]any{"capacite": "dix"}), 400, "capacite"},
		{"bad link", valid(map[string]any{"inscription": "javascript:alert(1)"}), 422, "inscription"},
	} {
		var e server.APIError
		if st := in.Do("POST", "/api/v1/events", c.body, &e); st != c.status || e.Fields[c.field] == "" {
			t.Errorf("%s: POST = %d %+v; want %d naming %s", c.name, st, e, c.status, c.field)
		}
	}
	if all := in.Events(""); all.Total != 0 {
		t.Errorf("after refused writes, events = %d; want 0", all.Total)
	}
}

func TestEventFilters(t *testing.T) {
	in := uitest.NewInstance(t)
	marseille := in.CreatePlace(nil)
	toulon := in.CreatePlace(map[string]any{"nom": "Fablab de Toulon", "commune": "Toulon", "code_postal": "83000", "code_insee": "83137",
		"latitude": 43.1242, "longitude": 5.9280})
	in.CreateEvent(map[string]any{"nom": "Atelier impression 3D", "debut": "2026-07-16T14:00:00+02:00", "fin": "2026-07-16T17:00:00+02:00", "lieu": toulon.ID,
		"services": []string{"Loisirs et créations numériques"}, "publics": []string{"Jeunes"}})
	in.CreateEvent(map[string]any{"nom": "Permanence démarches en ligne", "debut": "2026-07-17T09:00:00+02:00", "fin": "2026-07-17T12:00:00+02:00", "lieu": marseille.ID,
		"services": []string{"Aide aux démarches administratives"}, "publics": []string{"Seniors"}, "frais_a_charge": []string{"Gratuit"}})
	in.CreateEvent(map[string]any{"nom": "Permanence démarches en ligne", "debut": "2026-09-01T09:00:00+02:00", "fin": "2026-09-01T12:00:00+02:00", "lieu": marseille.ID})
	in.CreateEvent(map[string]any{"nom": "Atelier passé", "debut": "2026-07-01T09:00:00+02:00", "fin": "2026-07-01T12:00:00+02:00", "lieu": marseille.ID})

	for _, c := range []struct {
		query string
		want  int
	}{
		{"", 3}, // from now: the past atelier is gone
		{"q=demarche", 2},
		{"q=impression", 1},
		{"departement=83", 1},
		{"departement=13", 2},
		{"place=" + url.QueryEscape(toulon.APID), 1},
		{"place=" + marseille.ID + "&to=" + url.QueryEscape("2026-08-01T00:00:00+02:00"), 1},
		{"service=Aide+aux+d%C3%A9marches+administratives", 1},
		{"public=Jeunes", 1},
		{"network=local", 3},
		{"from=" + url.QueryEscape("2026-06-01T00:00:00Z"), 4},
		{"q=demarche&departement=13&from=" + url.QueryEscape("2026-08-01T00:00:00Z"), 1},
		{"frais=Gratuit", 1},
		{"near=43.2965,5.3698&radius_km=20", 2}, // around Marseille: not Toulon, 50 km away
		{"near=43.2965,5.3698&radius_km=60", 3},
		{"near=43.2965,5.3698&radius_km=20&frais=Gratuit", 1},
	} {
		if got := in.Events(c.query); got.Total != c.want || len(got.Items) != c.want {
			t.Errorf("events?%s = %d (%d items); want %d", c.query, got.Total, len(got.Items), c.want)
		}
	}
	var e server.APIError
	if st := in.Do("GET", "/api/v1/events?from=2026-08-01T00:00:00Z&to=2026-07-01T00:00:00Z", nil, &e); st != 400 || e.Fields["to"] == "" {
		t.Errorf("to before from = %d %+v; want 400 naming to", st, e)
	}
	for query, field := range map[string]string{"radius_km=20": "radius_km", "near=quai": "near", "frais=Cher": "frais"} {
		e = server.APIError{}
		if st := in.Do("GET", "/api/v1/events?"+query, nil, &e); st != 400 || e.Fields[field] == "" {
			t.Errorf("events?%s = %d %+v; want 400 naming %s", query, st, e, field)
		}
	}
}

func TestHealthz(t *testing.T) {
	in := uitest.NewInstance(t)
	resp, err := in.Srv.Client().Get(in.Srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz = %d", resp.StatusCode)
	}
}
