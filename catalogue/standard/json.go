package standard

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// containers are the keys under which a JSON document may hold its
// records: a GeoJSON FeatureCollection, or an API's envelope.
var containers = map[string]bool{"features": true, "data": true, "items": true, "lieux": true, "results": true, "records": true, "structures": true}

// readJSON reads an array of objects, an envelope holding one, a
// GeoJSON FeatureCollection, or a single object.
func (rd *reader) readJSON(text string) error {
	lines := newLineIndex(text)
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return jsonError(err, lines)
	}
	if tok == json.Delim('[') {
		return rd.readJSONArray(dec, text, lines)
	}
	// An object: an envelope, or a single place.
	obj := map[string]any{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return jsonError(err, lines)
		}
		key, _ := kt.(string)
		if containers[canonicalKey(key)] {
			if t, err := dec.Token(); err == nil && t == json.Delim('[') {
				return rd.readJSONArray(dec, text, lines)
			} else if err != nil {
				return jsonError(err, lines)
			}
			return fmt.Errorf("%w : « %s » devrait être une liste d'objets", ErrFormat, key)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return jsonError(err, lines)
		}
		obj[key] = v
	}
	if !hasKey(obj, "nom") {
		return fmt.Errorf("%w : JSON sans liste de lieux (une liste d'objets, ou un objet avec « data », « items » ou « features »)", ErrFormat)
	}
	rd.addJSON(1, 1, obj)
	return nil
}

func (rd *reader) readJSONArray(dec *json.Decoder, text string, lines lineIndex) error {
	for index := 1; dec.More(); index++ {
		start := skipSpace(text, int(dec.InputOffset()))
		var v any
		if err := dec.Decode(&v); err != nil {
			return jsonError(err, lines)
		}
		line := lines.line(start)
		obj, ok := v.(map[string]any)
		if !ok {
			rd.queueReject(Issue{Line: line, Record: index, Reason: "objet JSON attendu, " + jsonType(v) + " reçu"})
			continue
		}
		rd.addJSON(line, index, obj)
	}
	if _, err := dec.Token(); err != nil && !errors.Is(err, io.EOF) {
		return jsonError(err, lines)
	}
	return nil
}

// addJSON converts a JSON object into a raw row: a GeoJSON Feature gives
// its properties and its point.
func (rd *reader) addJSON(line, index int, obj map[string]any) {
	if props, ok := obj["properties"].(map[string]any); ok && obj["type"] == "Feature" {
		flat := make(map[string]any, len(props)+2)
		for k, v := range props {
			flat[k] = v
		}
		if g, ok := obj["geometry"].(map[string]any); ok {
			if c, ok := g["coordinates"].([]any); ok && len(c) == 2 {
				if _, has := flat["longitude"]; !has {
					flat["longitude"] = c[0]
				}
				if _, has := flat["latitude"]; !has {
					flat["latitude"] = c[1]
				}
			}
		}
		if _, has := flat["id"]; !has && obj["id"] != nil {
			flat["id"] = obj["id"]
		}
		obj = flat
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys) // so that of two spellings of a key, the same one wins every time
	row := make(rawRow, len(obj))
	for _, k := range keys {
		ck := rd.jsonKey(k)
		if ck == "" {
			continue
		}
		rd.noteKey(ck, k)
		v := jsonValue(obj[k])
		if old, dup := row[ck]; dup && !old.empty() {
			continue
		}
		row[ck] = v
	}
	rd.queue(line, index, row)
}

// jsonValue turns a decoded JSON value into a value: numbers and booleans
// as their text, arrays of scalars as lists.
func jsonValue(x any) value {
	switch t := x.(type) {
	case nil:
		return value{}
	case string:
		return value{text: t}
	case json.Number:
		return value{text: t.String(), isNum: true}
	case bool:
		return value{text: strconv.FormatBool(t)}
	case []any:
		v := value{isList: true}
		for _, e := range t {
			switch e.(type) {
			case []any, map[string]any:
				v.list = append(v.list, "") // nested structures carry nothing the standard knows
			default:
				v.list = append(v.list, jsonText(e))
			}
			if _, ok := e.(json.Number); ok && len(t) == 1 {
				v.isNum = true
			}
		}
		return v
	case map[string]any:
		return value{object: t}
	}
	return value{}
}

// jsonText is the text of a JSON scalar.
func jsonText(x any) string {
	switch t := x.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		return strconv.FormatBool(t)
	}
	return ""
}

func jsonType(x any) string {
	switch x.(type) {
	case nil:
		return "null"
	case string:
		return "texte"
	case json.Number:
		return "nombre"
	case bool:
		return "booléen"
	case []any:
		return "liste"
	}
	return "objet"
}

func hasKey(obj map[string]any, key string) bool {
	for k := range obj {
		if canonicalKey(k) == key {
			return true
		}
	}
	return false
}

// jsonError reports broken JSON with its line.
func jsonError(err error, lines lineIndex) error {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%w : JSON invalide ligne %d : %v", ErrFormat, lines.line(int(syn.Offset)), syn)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w : JSON incomplet : le fichier s'arrête ligne %d au milieu d'un objet ou d'une liste", ErrFormat, len(lines))
	}
	return fmt.Errorf("%w : JSON invalide : %v", ErrFormat, err)
}

func skipSpace(text string, at int) int {
	for at < len(text) && strings.IndexByte(" \t\r\n,", text[at]) >= 0 {
		at++
	}
	return at
}

// lineIndex finds the line of a byte offset.
type lineIndex []int // offsets of the line starts

func newLineIndex(text string) lineIndex {
	idx := lineIndex{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (idx lineIndex) line(offset int) int {
	return sort.Search(len(idx), func(i int) bool { return idx[i] > offset })
}

// jsonKey is the field a JSON key gives: its canonical name, or the
// field a producer's synonym stands for.
//
// A key that Options.Mapping names gives the field it is mapped to; a key
// detected as a field that the mapping gives to another key gives none.
// The first time a key is seen it is added to Result.Mapping or
// Result.Unused, so that a JSON file reports its keys as a CSV file its
// columns.
func (rd *reader) jsonKey(k string) string {
	if f, ok := rd.keys[k]; ok {
		return f
	}
	if rd.keys == nil {
		rd.keys = map[string]string{}
	}
	f, forced := rd.mappedKey(k)
	syn := false
	if !forced {
		f = canonicalKey(k)
		if _, known := columnsByName[f]; !known {
			if s, ok := headerField(k); ok && s != "" {
				f, syn = s, true
			}
		}
		if _, taken := rd.opts.Mapping[f]; taken {
			f = "" // the mapping gives this field another key
		}
	}
	rd.keys[k] = f
	_, known := columnsByName[f]
	switch {
	case f != "" && (known || isPseudo(f)):
		rd.res.Mapping = append(rd.res.Mapping, Mapped{Field: f, Column: k, Synonym: syn, Forced: forced})
	case strings.TrimSpace(k) != "":
		rd.res.Unused = append(rd.res.Unused, k)
	}
	return f
}

// mappedKey is the field Options.Mapping gives the key or column k, if
// it names one.
func (rd *reader) mappedKey(k string) (string, bool) {
	for field, col := range rd.opts.Mapping {
		if strings.TrimSpace(col) != "" && sameColumn(k, col) {
			return field, true
		}
	}
	return "", false
}

// sameColumn reports whether the header h is the column col of a
// mapping: the same text, or the same canonical name.
func sameColumn(h, col string) bool {
	return strings.TrimSpace(strings.Trim(h, "\ufeff\"")) == strings.TrimSpace(col) || canonicalKey(h) == canonicalKey(col)
}

// checkJSONMapping fails, wrapping ErrMapping, when Options.Mapping names
// an unknown field or a key no object of the file has.
func (rd *reader) checkJSONMapping() error {
	for _, field := range sortedKeys(rd.opts.Mapping) {
		col := rd.opts.Mapping[field]
		if !knownField(field) {
			return fmt.Errorf("%w : « %s » n'est pas un champ du standard (%s…)", ErrMapping, field, strings.Join(ColumnsV1[:6], ", "))
		}
		if strings.TrimSpace(col) != "" && !slices.ContainsFunc(rd.res.Mapping, func(m Mapped) bool { return m.Forced && m.Field == field }) {
			var keys []string
			for _, m := range rd.res.Mapping {
				keys = append(keys, m.Column)
			}
			keys = append(keys, rd.res.Unused...)
			return fmt.Errorf("%w : %s : la clé « %s » n'est dans aucun objet du fichier (clés : %s)",
				ErrMapping, field, col, shorten(strings.Join(keys, ", "), 200))
		}
	}
	return nil
}
