package standard

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
)

func TestJSONRoundTrip(t *testing.T) {
	for _, maillage := range []bool{false, true} {
		places := exportPlaces()
		var buf bytes.Buffer
		if err := WriteJSON(&buf, places, WriteOptions{Maillage: maillage}); err != nil {
			t.Fatal(err)
		}
		var raw []map[string]any
		if err := json.Unmarshal(buf.Bytes(), &raw); err != nil || len(raw) != len(places) {
			t.Fatalf("WriteJSON wrote %d objects, %v; want %d", len(raw), err, len(places))
		}
		if _, isList := raw[0]["services"].([]any); !isList {
			t.Errorf("services written as %T; want an array", raw[0]["services"])
		}
		res, err := Read(bytes.NewReader(buf.Bytes()), Options{Today: "2026-07-13"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Format != FormatJSON || len(res.Rejected) > 0 || len(res.Records) != len(places) {
			t.Fatalf("Maillage=%v: read back %s, %d places, rejected %v", maillage, res.Format, len(res.Records), res.Rejected)
		}
		for i, rec := range res.Records {
			want := portable(places[i], maillage)
			if rec.ID != places[i].ID {
				t.Errorf("record %d: id %q; want %q", i, rec.ID, places[i].ID)
			}
			if h := want.Horaires; h != "" {
				if _, err := catalogue.ParseHours(h); err != nil {
					want.HoursError = ""
					if osm, ok := frenchHoursToOSM(h); ok {
						want.Horaires = osm
					} else {
						want.Horaires, want.PresentationDetail = "", joinParagraphs(want.PresentationDetail, "Horaires : "+h)
					}
				}
			}
			if len(want.Services) == 0 {
				want.ACompleter = []string{"services"}
			}
			if got := portable(rec.Place, maillage); !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				t.Errorf("Maillage=%v: Read(WriteJSON(%s)) =\n%s\nwant\n%s", maillage, places[i].ID, g, w)
			}
		}
	}
}

func TestJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, nil, WriteOptions{}); err != nil || strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("WriteJSON(nil) = %q, %v; want []", buf.String(), err)
	}
}
