package feeds_test

import (
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestStopsInExportsAndAPI: an event at a stop carries its address
// everywhere it goes out: the API (read back and written again as it
// was read), the iCalendar (LOCATION and GEO of the stop, not of the
// unit's base) and the Atom feed.
func TestStopsInExportsAndAPI(t *testing.T) {
	in := uitest.NewInstance(t)
	bus := in.CreatePlace(map[string]any{"nom": "Bus numérique des Alpes", "code_postal": "04000", "commune": "Digne-les-Bains",
		"latitude": 44.092, "longitude": 6.236, "itinerance": []string{"Itinérant"}})
	start := in.Now.Add(26 * time.Hour).Truncate(time.Hour)
	e := in.CreateEvent(map[string]any{"nom": "Permanence au marché", "lieu": bus.ID,
		"debut": start.Format(time.RFC3339), "fin": start.Add(2 * time.Hour).Format(time.RFC3339),
		"etape": map[string]any{"nom": "Place du marché", "code_postal": "04300", "commune": "Mane", "latitude": 43.9381, "longitude": 5.7392}})

	var got catalogue.Event
	if st := in.Do("GET", "/api/v1/events/"+e.ID, nil, &got); st != 200 || got.Etape == nil || got.Etape.Nom != "Place du marché" ||
		got.Etape.CodeINSEE != "04111" || *got.Etape.Latitude != 43.9381 || got.Etape.PositionApproximative {
		t.Fatalf("GET the event = %d, etape %+v", st, got.Etape)
	}
	var put catalogue.Event
	if st := in.Do("PUT", "/api/v1/events/"+e.ID, got, &put); st != 200 || put.Etape == nil || *put.Etape.Latitude != 43.9381 {
		t.Errorf("PUT back as read = %d, etape %+v", st, put.Etape)
	}
	bad := map[string]any{"nom": "Sans commune", "lieu": bus.ID, "debut": start.Format(time.RFC3339),
		"fin": start.Add(time.Hour).Format(time.RFC3339), "etape": map[string]any{"nom": "Quelque part"}}
	var apiErr struct {
		Fields map[string]string `json:"fields"`
	}
	if st := in.Do("POST", "/api/v1/events", bad, &apiErr); st != 422 && st != 400 || apiErr.Fields["etape.commune"] == "" {
		t.Errorf("POST a stop without commune = %d %v; want an error naming etape.commune", st, apiErr.Fields)
	}

	_, ct, body := in.Get("/export/evenements.ics")
	ics := strings.ReplaceAll(string(body), "\r\n ", "")
	if !strings.Contains(ct, "text/calendar") || !strings.Contains(ics, `LOCATION:Place du marché\, 04300 Mane`) || !strings.Contains(ics, "GEO:43.938100;5.739200") {
		t.Errorf("iCalendar of the stop:\n%s", ics)
	}
	_, _, atom := in.Get("/feed/evenements.atom")
	if !strings.Contains(string(atom), "Place du marché, 04300 Mane") {
		t.Errorf("Atom feed of the stop:\n%s", atom)
	}
}
