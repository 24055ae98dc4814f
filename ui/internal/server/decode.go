package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/maillage/maillage/catalogue"
)

// readOnlyFields may appear in a body (a client that PUTs back what it
// read) and are ignored.
var readOnlyFields = map[string]bool{
	"id": true, "ap_id": true, "network": true, "updated": true,
	"horaires_erreur": true, "distance_km": true,
}

// DecodeBody reads a JSON object into v, a pointer to a struct. The body is
// limited to s.MaxBody. Unknown fields are refused, naming them; read-only
// fields are ignored; a value of the wrong type names its field.
func (s *Server) DecodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return ErrBodyTooLarge
	}
	if err != nil {
		return &BadRequest{Msg: "corps de requête illisible"}
	}
	if field, bad := catalogue.InvalidUTF8Field(data); bad {
		// encoding/json would replace the bytes silently.
		return &BadRequest{Msg: "texte mal encodé : UTF-8 attendu", Fields: map[string]string{field: "texte mal encodé : octets invalides en UTF-8"}}
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return &BadRequest{Msg: "JSON invalide : un objet est attendu"}
	}
	known := jsonFields(v)
	fields := map[string]string{}
	for key := range raw {
		switch {
		case readOnlyFields[key]:
			delete(raw, key)
		case !known[key]:
			fields[key] = "champ inconnu"
		}
	}
	if len(fields) > 0 {
		return &BadRequest{Msg: "champs inconnus", Fields: fields}
	}
	// Decode field by field, so a bad value names its field.
	target := reflect.ValueOf(v).Elem()
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		one, _ := json.Marshal(map[string]json.RawMessage{key: raw[key]})
		if err := json.Unmarshal(one, v); err != nil {
			fields[key] = typeReason(target, key)
		}
	}
	if len(fields) > 0 {
		return &BadRequest{Msg: "valeurs de type incorrect", Fields: fields}
	}
	return nil
}

// typeReason says in French what the field key of the struct expects.
func typeReason(target reflect.Value, key string) string {
	f, ok := fieldByJSONName(target.Type(), key)
	if !ok {
		return "valeur invalide"
	}
	t := f.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeOf(time.Time{}):
		return "date et heure RFC 3339 attendues, par exemple 2026-03-05T14:00:00+01:00"
	case t.Kind() == reflect.String:
		return "texte attendu"
	case t.Kind() == reflect.Slice:
		return "liste de textes attendue"
	case t.Kind() == reflect.Int:
		return "nombre entier attendu"
	case t.Kind() == reflect.Float64:
		return "nombre attendu"
	}
	return "valeur invalide"
}

func jsonFields(v any) map[string]bool {
	t := reflect.TypeOf(v).Elem()
	m := make(map[string]bool, t.NumField())
	for i := range t.NumField() {
		if name := jsonName(t.Field(i)); name != "" {
			m[name] = true
		}
	}
	return m
}

func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if jsonName(t.Field(i)) == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}
