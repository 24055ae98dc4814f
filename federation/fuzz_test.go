package federation

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// FuzzVerify: no Signature, Date or Digest header a peer sends makes
// Verify panic, and nothing but the genuine signature verifies.
func FuzzVerify(f *testing.F) {
	key, _ := keys(&testing.T{})
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Create"}`)
	genuine := signedRequest(&testing.T{}, key, body, now)
	f.Add(genuine.Header.Get("Signature"), genuine.Header.Get("Date"), genuine.Header.Get("Digest"), body)
	for _, h := range []string{
		`keyId="x",signature="` + strings.Repeat("A", 40) + `"`,
		`keyId="x",headers="(request-target) host (created) digest",created=9223372036854775807,signature="AA=="`,
		`keyId="x",headers="(request-target) host date digest",expires=-1,signature="AA==",algorithm="hs2019"`,
		`Signature keyId=x,signature=AA==`,
		`keyId="`, `=`, `,,,`, `headers=""`,
	} {
		f.Add(h, genuine.Header.Get("Date"), "SHA-256=x, MD5=y", body)
	}
	resolve, _ := resolverFor(key)
	f.Fuzz(func(t *testing.T, sig, date, digestHeader string, body []byte) {
		req := httptest.NewRequest("POST", "/inbox?x=1", strings.NewReader(string(body)))
		req.Host = "region.example"
		req.Header.Set("Signature", sig)
		req.Header.Set("Date", date)
		req.Header.Set("Digest", digestHeader)
		_, _, err := Verify(context.Background(), req, body, resolve, now.Add(time.Minute))
		if err == nil && sig != genuine.Header.Get("Signature") {
			t.Fatalf("Verify accepts a signature it was not given: %q", sig)
		}
	})
}

// FuzzDecodePublicKey: no publicKeyPem an actor publishes makes the
// decoding panic.
func FuzzDecodePublicKey(f *testing.F) {
	key, _ := keys(&testing.T{})
	f.Add(EncodePublicKey(&key.PublicKey))
	f.Add("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
	f.Add("-----BEGIN RSA PUBLIC KEY-----\n-----END RSA PUBLIC KEY-----\n")
	f.Fuzz(func(t *testing.T, s string) {
		DecodePublicKey(s)
	})
}

// FuzzObjects: no document a peer sends makes the reading of an
// activity, a Place or an Event panic, and what is read from it is valid
// enough to store: an id, a name, a place whose opening hours and a
// recurrence evaluate.
func FuzzObjects(f *testing.F) {
	p := &catalogue.Place{APID: "https://a.example/lieux/1", Nom: "EPN", Horaires: "Mo-Fr 09:00-12:00", Updated: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	start := time.Date(2026, 11, 25, 14, 0, 0, 0, catalogue.Paris)
	e := &catalogue.Event{APID: "https://a.example/evenements/1", Nom: "Atelier", Debut: start, Fin: start.Add(2 * time.Hour), Recurrence: "FREQ=WEEKLY;BYDAY=WE"}
	for _, doc := range []map[string]any{Document(PlaceObject(p)), Document(EventObject(e, p))} {
		b, _ := json.Marshal(doc)
		f.Add(b)
	}
	crash := Document(EventObject(e, p))
	crash["recurrence"] = "FREQ=MONTHLY;BYDAY=10FR"
	crash["location"].(map[string]any)["horaires"] = "0:00-"
	b, _ := json.Marshal(crash)
	f.Add(b)
	b, _ = json.Marshal(Document(map[string]any{"id": "https://a.example/activities/1", "type": "Create", "actor": "https://a.example/actor", "object": crash}))
	f.Add(b)
	f.Add([]byte(`{"type":"Place","id":"https://a.example/lieux/1","name":["a",{"x":1}],"latitude":"x","address":7}`))
	f.Add([]byte(`{"type":"Event","location":[{"type":"VirtualLocation"},"https://x"],"startTime":"2026-13-45T99:00:00Z"}`))
	network := catalogue.Network{Actor: "https://a.example/actor"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc map[string]any
		if json.Unmarshal(data, &doc) != nil {
			return
		}
		ctx := context.Background()
		readActivity(ctx, clone(doc))
		if p, err := placeFromObject(ctx, clone(doc), network); err == nil {
			if p.APID == "" || p.Nom == "" {
				t.Fatalf("placeFromObject keeps a place without id or name: %+v", p)
			}
			if h, err := catalogue.ParseHours(p.Horaires); err == nil {
				h.OpenAt(start)
			}
		}
		if e, p, err := eventFromObject(ctx, clone(doc), network); err == nil {
			if e.APID == "" || p == nil && (e.Etape == nil || e.Lieu != "") || p != nil && e.Lieu != p.APID {
				t.Fatalf("eventFromObject keeps an event without id or place: %+v, %+v", e, p)
			}
			if _, err := e.Expand(start, start.AddDate(1, 0, 0)); err != nil {
				t.Fatalf("eventFromObject keeps a recurrence that does not expand: %v", err)
			}
		}
	})
}

// clone copies doc deeply: the readers change what they are given.
func clone(doc map[string]any) map[string]any {
	b, _ := json.Marshal(doc)
	var out map[string]any
	json.Unmarshal(b, &out)
	return out
}
