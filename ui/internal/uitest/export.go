package uitest

import (
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// get fetches path and returns the status, the media type and the body.
func (in *Instance) Get(path string) (int, string, []byte) {
	in.T.Helper()
	resp, err := in.Srv.Client().Get(in.Srv.URL + path)
	if err != nil {
		in.T.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		in.T.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// exportFixture is an instance named "Arsenic 13" with two local places,
// a place of another network, and their events.
type ExportFixture struct {
	In                    *Instance
	Alcazar, Aix, Remote  catalogue.Place
	Single, Weekly, Gone  catalogue.Event
	RemoteEvent           *catalogue.Event
	Description, LongName string
}

func NewExportFixture(t *testing.T) *ExportFixture {
	t.Helper()
	in := NewInstance(t)
	if err := in.Store.SetSettings(storage.Settings{Name: "Arsenic 13"}); err != nil {
		t.Fatal(err)
	}
	f := &ExportFixture{In: in}
	f.Alcazar = in.CreatePlace(nil)
	f.Aix = in.CreatePlace(map[string]any{
		"nom": "Œuvre « Là-haut » : l’atelier", "adresse": "1 rue de l’Église", "code_postal": "13100",
		"commune": "Aix-en-Provence", "code_insee": "13001", "latitude": 43.5297, "longitude": 5.4474,
		"services": []string{"Loisirs et créations numériques"}, "typologie": []string{"TIERS_LIEUX"},
		"champs_intervention": []string{"Pratiques collaboratives"}, "horaires": "Mo-Fr 09:00-12:00",
	})
	lat, lon := 45.764, 4.8357
	remote := &catalogue.Place{
		APID: "https://hinaura.example/lieux/r1", Pivot: "00000000000000", Nom: "Espace numérique de Lyon",
		Adresse: "2 place Bellecour", CodePostal: "69002", Commune: "Lyon", Latitude: &lat, Longitude: &lon,
		Services: []string{"Aide aux démarches administratives"}, DateMaj: "2026-05-01",
		Network: catalogue.Network{Name: "Hinaura", Actor: "https://hinaura.example/actor"},
		Updated: Monday.Add(-time.Hour),
	}
	remote.Normalize()
	if err := in.Store.PutRemotePlace("https://hinaura.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	var err error
	if r, err := in.Store.Place(remote.APID); err == nil {
		f.Remote = *r
	} else {
		t.Fatal(err)
	}

	f.Description = "<p>Apprendre, pas à pas ; avec un <strong>médiateur</strong>.</p><p>Venez avec votre téléphone, votre tablette, vos questions : nous répondrons à toutes, une par une, sans jargon !</p>"
	f.LongName = "Atelier smartphone : installer, mettre à jour et désinstaller une application, gérer ses notifications"
	f.Single = in.CreateEvent(map[string]any{
		"nom": "Café numérique", "debut": "2026-07-20T10:00:00+02:00", "fin": "2026-07-20T12:00:00+02:00",
		"lieu": f.Alcazar.ID, "services": []string{"Aide aux démarches administratives"}, "capacite": 12,
	})
	// Weekly across the end of summer time (25 October 2026).
	f.Weekly = in.CreateEvent(map[string]any{
		"nom": f.LongName, "description": f.Description,
		"debut": "2026-10-14T14:00:00+02:00", "fin": "2026-10-14T16:00:00+02:00",
		"lieu": f.Aix.APID, "recurrence": "FREQ=WEEKLY;BYDAY=WE;UNTIL=20261104",
		"services": []string{"Maîtrise des outils numériques du quotidien", "Loisirs et créations numériques"},
	})
	f.Gone = in.CreateEvent(map[string]any{
		"nom": "Atelier annulé", "debut": "2026-07-22T10:00:00+02:00", "fin": "2026-07-22T11:00:00+02:00",
		"lieu": f.Alcazar.ID, "statut": "annule",
	})
	f.RemoteEvent = &catalogue.Event{
		APID: "https://hinaura.example/evenements/e1", Nom: "Permanence France Services",
		Debut: time.Date(2026, 7, 21, 9, 0, 0, 0, catalogue.Paris), Fin: time.Date(2026, 7, 21, 12, 0, 0, 0, catalogue.Paris),
		Lieu: remote.APID, Network: remote.Network, Updated: Monday.Add(-time.Hour),
	}
	f.RemoteEvent.Normalize()
	if err = in.Store.PutRemoteEvent("https://hinaura.example/activities/2", f.RemoteEvent); err != nil {
		t.Fatal(err)
	}
	return f
}

func MustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
