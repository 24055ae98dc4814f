package sources

import (
	"bytes"
	"encoding/json"
	"strings"
)

// remap renames, in a CSV header or in the keys of JSON objects, the
// source columns of mapping (standard field → source column) to the
// standard's field names, so that the reader finds them. A spreadsheet
// (XLSX, ODS) is returned as it is, with a warning.
//
// TODO: hand the mapping to catalogue/standard once its reader takes one
// (issue 15, `--mapping`), and drop this.
func remap(data []byte, mapping map[string]string) ([]byte, string) {
	if len(mapping) == 0 {
		return data, ""
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return data, "correspondance des colonnes non appliquée à un tableur : les colonnes sont reconnues automatiquement"
	}
	rename := make(map[string]string, len(mapping))
	for field, column := range mapping {
		rename[strings.ToLower(strings.TrimSpace(column))] = field
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\xef\xbb\xbf")
	if len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') {
		var doc any
		if err := json.Unmarshal(trimmed, &doc); err != nil {
			return data, "" // the reader will say what is wrong
		}
		renameKeys(doc, rename, 0)
		out, err := json.Marshal(doc)
		if err != nil {
			return data, ""
		}
		return out, ""
	}
	end := bytes.IndexByte(data, '\n')
	if end < 0 {
		end = len(data)
	}
	header := strings.TrimRight(string(data[:end]), "\r")
	delim := ","
	for _, d := range []string{";", "\t"} {
		if strings.Count(header, d) > strings.Count(header, delim) {
			delim = d
		}
	}
	cells := strings.Split(header, delim)
	for i, c := range cells {
		name := strings.Trim(strings.TrimSpace(c), `"`)
		name = strings.TrimPrefix(name, "\ufeff")
		if f, ok := rename[strings.ToLower(strings.TrimSpace(name))]; ok {
			cells[i] = f
		}
	}
	var b bytes.Buffer
	b.WriteString(strings.Join(cells, delim))
	b.Write(data[len(strings.TrimRight(string(data[:end]), "\r")):])
	return b.Bytes(), ""
}

// renameKeys renames the keys of the objects of a JSON document: the
// records themselves, or those in an array under a key of the top object.
func renameKeys(v any, rename map[string]string, depth int) {
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			renameKeys(e, rename, depth+1)
		}
	case map[string]any:
		if depth > 2 {
			return
		}
		for k, val := range t {
			if f, ok := rename[strings.ToLower(strings.TrimSpace(k))]; ok && f != k {
				delete(t, k)
				t[f] = val
			}
			if _, isList := val.([]any); isList {
				renameKeys(val, rename, depth+1)
			}
		}
	}
}
