package federation

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReferenceFixturesParse reads every ActivityStreams sample of
// Mastodon, Mobilizon, Gancio and Bonfire with go-fed's vocabulary, and
// every actor with the reader used for followers and followed networks.
func TestReferenceFixturesParse(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	if err != nil || len(files) < 20 {
		t.Fatalf("fixtures: %d files, %v", len(files), err)
	}
	s := &Service{}
	for _, f := range files {
		name := filepath.Base(f)
		if strings.Contains(name, "webfinger") || strings.Contains(name, "nodeinfo") {
			continue // not ActivityStreams documents
		}
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var docs []map[string]any // a file holds an object or a list of them
			if err := json.Unmarshal(data, &docs); err != nil {
				docs = make([]map[string]any, 1)
				if err := json.Unmarshal(data, &docs[0]); err != nil {
					t.Fatal(err)
				}
			}
			for _, doc := range docs {
				typ, err := toType(context.Background(), doc, nil)
				if err != nil {
					t.Fatalf("go-fed cannot read it: %v", err)
				}
				if want := str(doc, "type"); typ.GetTypeName() != want {
					t.Errorf("read as %s; the document says %s", typ.GetTypeName(), want)
				}
			}
			doc := docs[0]
			if strings.Contains(name, "-actor-") {
				s.now = timeNowForTest
				a, err := s.actorFromDoc(context.Background(), doc)
				if err != nil {
					t.Fatalf("actor refused: %v", err)
				}
				if a.Inbox == "" || a.KeyID == "" || a.PublicKeyPEM == "" {
					t.Errorf("actor read without inbox or key: %+v", a)
				}
				if _, err := DecodePublicKey(a.PublicKeyPEM); err != nil {
					t.Errorf("actor key unreadable: %v", err)
				}
			}
		})
	}
}

var timeNowForTest = newClock().Now
