package storage

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
)

// sameAsJSON checks that decodePlace and decodeEvent give what
// json.Unmarshal gives for data, error or value.
func sameAsJSON(t *testing.T, data []byte) {
	t.Helper()
	var p, wantP catalogue.Place
	err, wantErr := decodePlace(data, &p), json.Unmarshal(data, &wantP)
	if (err == nil) != (wantErr == nil) || wantErr == nil && !reflect.DeepEqual(p, wantP) {
		t.Errorf("decodePlace(%s) = %+v, %v; want %+v, %v", data, p, err, wantP, wantErr)
	}
	var e, wantE catalogue.Event
	err, wantErr = decodeEvent(data, &e), json.Unmarshal(data, &wantE)
	if (err == nil) != (wantErr == nil) || wantErr == nil && !reflect.DeepEqual(e, wantE) {
		t.Errorf("decodeEvent(%s) = %+v, %v; want %+v, %v", data, e, err, wantE, wantErr)
	}
}

func TestDecodeSampleRecords(t *testing.T) {
	places := sample.Places(300, 7)
	var ids []string
	for i, p := range places {
		p.ID = string(rune('a'+i%26)) + "lieu"
		p.Network = catalogue.Network{Name: "Réseau « test »", Actor: "https://ex.fr/actor", Local: i%2 == 0}
		p.Updated = time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
		ids = append(ids, p.ID)
	}
	events := sample.Events(ids, 1000, time.Date(2026, 3, 2, 10, 0, 0, 0, catalogue.Paris), 7)
	for _, p := range places {
		data, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if !decodePlaceFast(data, new(catalogue.Place)) {
			t.Errorf("fast path refused %s", data)
		}
		sameAsJSON(t, data)
	}
	for _, e := range events {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if !decodeEventFast(data, new(catalogue.Event)) {
			t.Errorf("fast path refused %s", data)
		}
		sameAsJSON(t, data)
	}
}

// TestDecodeEveryField fills every field of a place and an event, so that a
// field added to catalogue without its case in decode.go is caught: the
// fast path would refuse its key.
func TestDecodeEveryField(t *testing.T) {
	var p catalogue.Place
	var e catalogue.Event
	for _, v := range []any{&p, &e} {
		fill(reflect.ValueOf(v).Elem())
		p.Sources = nil // shown with merged places, never stored
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var fast bool
		switch v.(type) {
		case *catalogue.Place:
			fast = decodePlaceFast(data, new(catalogue.Place))
		case *catalogue.Event:
			fast = decodeEventFast(data, new(catalogue.Event))
		}
		if !fast {
			t.Errorf("fast path refused %s: decode.go misses a field", data)
		}
		sameAsJSON(t, data)
	}
}

// fill sets every exported field of v to a value that is not zero.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 5, 1, 10, 30, 0, 0, catalogue.Paris)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.String:
		v.SetString("valeur \"échappée\" <b>&</b> \\ \t 🙂")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(-42)
	case reflect.Float64:
		v.SetFloat(43.2965)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fill(v.Index(0))
		fill(v.Index(1))
	}
}

var decodeCases = []string{
	`{}`,
	`{"etape":null}`,
	`{"etape":{"nom":"Salle des fêtes","commune":"Mane","latitude":43.938,"longitude":5.739,"position_approximative":true}}`,
	`{"etape":{"nom":"a","nom":"b"}}`,
	`{"etape":{"nom":"a","inconnu":1}}`,
	`{"etape":{}}`,
	` { "nom" : "Médiathèque" , "services" : [ "a" , "b" ] } `,
	`{"nom":"a\"b\\c\/d\b\f\n\r\t\u00e9\u003c\u2028"}`,
	`{"nom":"\ud83d\ude42 surrogates"}`,
	`{"nom":"\ud83d lone surrogate"}`,
	`{"nom":"\u12"}`,
	`{"nom":"\x"}`,
	"{\"nom\":\"bad utf-8 \xff\"}",
	"{\"nom\":\"escaped and bad \\n \xff\"}",
	"{\"nom\":\"control \x01\"}",
	`{"nom":null,"services":null,"latitude":null,"capacite":null,"network":null,"updated":null}`,
	`{"services":[]}`,
	`{"services":["a",null]}`,
	`{"services":"a"}`,
	`{"nom":"a","nom":"b"}`,
	`{"Nom":"casse"}`,
	`{"nom":"a","NOM":"b"}`,
	`{"inconnu":{"x":[1,2,{"y":null}]},"nom":"a"}`,
	`{"latitude":43.5,"longitude":-0.5e1}`,
	`{"latitude":01}`,
	`{"latitude":1.}`,
	`{"latitude":-}`,
	`{"latitude":1e999}`,
	`{"latitude":"43"}`,
	`{"capacite":12,"statut":"prevu"}`,
	`{"capacite":1.5}`,
	`{"capacite":99999999999999999999}`,
	`{"capacite":-0}`,
	`{"network":{"name":"n","actor":"a","local":true}}`,
	`{"competences":[{"id":"impression-3d","libelle":"Impression 3D"},{"id":"x"}]}`,
	`{"competences":[]}`,
	`{"competences":["impression-3d"]}`,
	`{"competences":[{"id":"a","id":"b"}]}`,
	`{"competences":[{"ID":"a"}]}`,
	`{"competences":[null]}`,
	`{"competences":[{"id":1}]}`,
	`{"network":{"local":"yes"}}`,
	`{"network":{"local":false,"other":1}}`,
	`{"updated":"2026-03-02T09:00:00.5Z","debut":"2026-03-02T10:00:00+01:00"}`,
	`{"updated":"hier"}`,
	`{"updated":12}`,
	`{"nom":"a"} x`,
	`{"nom":"a",}`,
	`{"nom":"a"`,
	`{"nom" "a"}`,
	`[]`,
	`null`,
	``,
}

func TestDecodeLikeJSON(t *testing.T) {
	for _, c := range decodeCases {
		sameAsJSON(t, []byte(c))
	}
}

func FuzzDecode(f *testing.F) {
	for _, c := range decodeCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sameAsJSON(t, data)
	})
}
