package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-fed/activity/streams"
)

// TestAsViewReadsLikeTheWholeDocument checks that what go-fed is given of
// a document (its type, the vocabularies of its @context and the
// properties read through it) reads as the whole document does: same
// acceptance, same type, same values of those properties; readActivity
// too.
func TestAsViewReadsLikeTheWholeDocument(t *testing.T) {
	var docs []map[string]any
	files, err := filepath.Glob(filepath.Join(fixtureDir, "*.json"))
	if err != nil || len(files) < 20 {
		t.Fatalf("fixtures: %d files, %v", len(files), err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var list []map[string]any
		if err := json.Unmarshal(data, &list); err != nil {
			var doc map[string]any
			if json.Unmarshal(data, &doc) != nil {
				continue
			}
			list = []map[string]any{doc}
		}
		for _, doc := range list {
			docs = append(docs, doc)
			// Embedded objects and locations, read with the activity's @context.
			obj, _ := doc["object"].(map[string]any)
			if obj == nil {
				continue
			}
			obj["@context"] = doc["@context"]
			docs = append(docs, obj)
			locs, _ := obj["location"].([]any)
			if loc, ok := obj["location"].(map[string]any); ok {
				locs = []any{loc}
			}
			for _, l := range locs {
				if loc, ok := l.(map[string]any); ok {
					loc["@context"] = doc["@context"]
					docs = append(docs, loc)
				}
			}
		}
	}
	event := func(c any, prefix string) map[string]any {
		doc := map[string]any{
			"id": "https://example.org/e/1", "type": prefix + "Event", prefix + "name": "Atelier",
			prefix + "content": "<p>Venez</p>", prefix + "updated": "2026-11-24T10:00:00Z",
			prefix + "to": []any{Public}, prefix + "location": map[string]any{"type": "Place", "name": "EPN"},
		}
		if c != nil {
			doc["@context"] = c
		}
		return doc
	}
	var ours any
	b, _ := json.Marshal(ldContext)
	json.Unmarshal(b, &ours)
	docs = append(docs,
		event(nil, ""),
		event(nsActivityStreams, ""),
		event("http://www.w3.org/ns/activitystreams", ""),
		event(ours, ""),
		event([]any{nsActivityStreams, map[string]any{"toot": "http://joinmastodon.org/ns#", "Hashtag": "as:Hashtag"}}, ""),
		event(map[string]any{nsActivityStreams: "https://example.org/as"}, "https://example.org/as:"),
		event([]any{nsActivityStreams, map[string]any{nsActivityStreams: "https://example.org/as"}}, "https://example.org/as:"),
		event([]any{42.0, true}, ""),
		event("https://example.org/other", ""),
		map[string]any{"@context": nsActivityStreams, "id": "https://example.org/x", "type": "Gizmo"},
		map[string]any{"@context": nsActivityStreams, "id": "https://example.org/x", "type": []any{"Gizmo", "Like"}},
		map[string]any{"@context": nsActivityStreams, "id": "https://example.org/x", "type": []any{"Like", "Create"}},
		map[string]any{"@context": nsActivityStreams, "id": "https://example.org/x", "type": 42.0},
	)

	ctx := context.Background()
	for i, doc := range docs {
		whole := make(map[string]any, len(doc))
		for k, v := range doc {
			whole[k] = v
		}
		if _, ok := whole["@context"]; !ok {
			whole["@context"] = nsActivityStreams
		}
		want, wantErr := streams.ToType(ctx, whole)
		if got, err := readActivity(ctx, doc); fmt.Sprint(err) != fmt.Sprint(wantErr) || err == nil && got.GetTypeName() != want.GetTypeName() {
			t.Errorf("doc %d (%v): readActivity gives %v, %v; the whole document %v, %v", i, doc["type"], got, err, want, wantErr)
		}
		for _, props := range [][]string{activityProps, eventProps, placeProps} {
			got, err := toType(ctx, doc, props)
			if fmt.Sprint(err) != fmt.Sprint(wantErr) {
				t.Errorf("doc %d (%v): toType error %v; the whole document gives %v", i, doc["type"], err, wantErr)
				continue
			}
			if err != nil {
				continue
			}
			if got.GetTypeName() != want.GetTypeName() {
				t.Errorf("doc %d: toType reads a %s; the whole document is a %s", i, got.GetTypeName(), want.GetTypeName())
			}
			gm, err1 := streams.Serialize(got)
			wm, err2 := streams.Serialize(want)
			if err1 != nil || err2 != nil {
				t.Fatalf("doc %d: serialise: %v, %v", i, err1, err2)
			}
			for k := range gm {
				if k == "@context" || k == "type" {
					continue
				}
				name := k[strings.LastIndex(k, ":")+1:]
				found := false
				for _, p := range props {
					found = found || p == name
				}
				if !found {
					t.Errorf("doc %d: go-fed was given %s, not among %v", i, k, props)
				}
			}
			for _, p := range props {
				for k := range wm {
					if k == p || strings.HasSuffix(k, ":"+p) {
						if !reflect.DeepEqual(gm[k], wm[k]) {
							t.Errorf("doc %d: %s reads %v; the whole document gives %v", i, k, gm[k], wm[k])
						}
					}
				}
			}
		}
	}
}
