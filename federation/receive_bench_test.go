package federation

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// benchActivity is a Create{Event} with its embedded Place, as
// BenchmarkInbox posts them.
func benchActivity(tb testing.TB) (body []byte, actor string) {
	tb.Helper()
	base, now := "http://127.0.0.1:40001", newClock().Now()
	actor = base + "/actor"
	lat, lon := 43.3, 5.4
	p := &catalogue.Place{
		APID: base + "/lieux/p1", Network: catalogue.Network{Actor: actor},
		Nom: "EPN 1", Adresse: "2 rue de la République", CodePostal: "13002", Commune: "Marseille",
		Latitude: &lat, Longitude: &lon, DateMaj: "2026-11-01", Updated: now,
	}
	p.Normalize()
	e := &catalogue.Event{APID: base + "/evenements/e1", Network: p.Network,
		Nom: "Atelier numérique", Description: "<p>Découvrir sa messagerie.</p>",
		Debut: now, Fin: now.Add(2 * time.Hour), Updated: now}
	body, err := json.Marshal(Document(map[string]any{
		"id": base + "/activities/c1", "type": "Create", "actor": actor,
		"object": EventObject(e, p), "to": []string{Public},
	}))
	if err != nil {
		tb.Fatal(err)
	}
	return body, actor
}

// BenchmarkReceiveParse is the inbox's reading of a Create{Event}, from
// the body to the catalogue records, without signature or storage.
func BenchmarkReceiveParse(b *testing.B) {
	body, actor := benchActivity(b)
	ctx := context.Background()
	network := catalogue.Network{Name: "Réseau", Actor: actor}
	b.ReportAllocs()
	for b.Loop() {
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			b.Fatal(err)
		}
		envelope := without(doc, "object")
		envelope["object"] = doc["object"].(map[string]any)["id"]
		if _, err := toType(ctx, envelope); err != nil {
			b.Fatal(err)
		}
		obj := doc["object"].(map[string]any)
		obj["@context"] = doc["@context"]
		if _, _, err := eventFromObject(ctx, obj, network); err != nil {
			b.Fatal(err)
		}
	}
}
