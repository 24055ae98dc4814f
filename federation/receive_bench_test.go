package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-fed/activity/pub"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
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
// the body to the catalogue records, without signature or storage (the
// sender is in the memory cache of actors).
func BenchmarkReceiveParse(b *testing.B) {
	body, actor := benchActivity(b)
	ctx := context.Background()
	s := &Service{now: timeNowForTest}
	s.actors.Store(actor, cachedActor{actor: storage.RemoteActor{ID: actor, Name: "Réseau", Fetched: s.now()}})
	b.ReportAllocs()
	for b.Loop() {
		var doc map[string]any
		if err := json.Unmarshal(body, &doc); err != nil {
			b.Fatal(err)
		}
		t, err := readActivity(ctx, doc)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pub.GetId(t); err != nil {
			b.Fatal(err)
		}
		obj := doc["object"].(map[string]any)
		obj["@context"] = doc["@context"]
		if r, err := s.remoteOf(ctx, actor, obj); err != nil || r.Event == nil {
			b.Fatal(r, err)
		}
	}
}

// BenchmarkVerify is the signature check of an incoming activity whose
// key is known, as the inbox does it (blocked domain, then signature).
func BenchmarkVerify(b *testing.B) {
	body, _ := benchActivity(b)
	key, err := GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	now := newClock().Now()
	req := httptest.NewRequest(http.MethodPost, "https://region.example/inbox", bytes.NewReader(body))
	if err := Sign(req, testKeyID, key, body, now); err != nil {
		b.Fatal(err)
	}
	resolve := func(context.Context, string, bool) (*rsa.PublicKey, string, error) {
		return &key.PublicKey, testActor, nil
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Verify(context.Background(), req, body, resolve, now); err != nil {
			b.Fatal(err)
		}
	}
}
