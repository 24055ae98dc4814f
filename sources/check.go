package sources

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue/standard"
	"github.com/maillage/maillage/storage"
)

// MaxNameLength is the longest name of a source, in characters.
const MaxNameLength = 120

// Input is what an editor gives for a new source, from the command line
// (maillage source add) or the form of /admin/sources.
type Input struct {
	URL  string
	Name string // optional
	// Every is the period between two fetches, at least MinEvery.
	Every time.Duration
	// MaxVanished is the percentage of records that may vanish at once
	// and be deleted, in ]0, 100]; 0 for the default.
	MaxVanished float64
	Mapping     map[string]string // optional, checked by CheckMapping
}

// Fields of Input, as the errors of Check name them.
const (
	FieldURL         = "url"
	FieldName        = "nom"
	FieldEvery       = "periode"
	FieldMaxVanished = "disparus"
	FieldMapping     = "correspondance"
)

// Check validates in and returns the source to store (storage.AddSource
// gives it its id). A bad field gives an entry of problems, from the
// field to the reason in French; the source is then not to be stored.
// The URL follows CheckURL: a private address only with allowPrivate.
func Check(in Input, allowPrivate bool) (storage.Source, map[string]string) {
	problems := map[string]string{}
	src := storage.Source{Name: strings.TrimSpace(in.Name), Every: in.Every, Mapping: in.Mapping}
	if u, err := CheckURL(in.URL, allowPrivate); err != nil {
		problems[FieldURL] = strings.TrimPrefix(err.Error(), "url : ")
	} else {
		src.URL = u.String()
	}
	if n := utf8.RuneCountInString(src.Name); n > MaxNameLength {
		problems[FieldName] = fmt.Sprintf("%d caractères au plus (%d donnés)", MaxNameLength, n)
	}
	if in.Every < MinEvery {
		problems[FieldEvery] = fmt.Sprintf("au moins %s entre deux téléchargements (%s donné)", MinEvery, in.Every)
	}
	switch {
	case in.MaxVanished == 0:
	case in.MaxVanished < 0 || in.MaxVanished > 100:
		problems[FieldMaxVanished] = fmt.Sprintf("un pourcentage entre 0 et 100 est attendu (%g donné)", in.MaxVanished)
	default:
		src.MaxVanished = in.MaxVanished / 100
	}
	if err := CheckMapping(in.Mapping); err != nil {
		problems[FieldMapping] = err.Error()
	}
	if len(problems) > 0 {
		return storage.Source{}, problems
	}
	return src, nil
}

// ParseMapping reads a mapping in the format of maillage import
// --mapping: a JSON object from a field of the standard (or a
// pseudo-column: adresse_postale, horaires_lundi…) to the header of the
// column, or the key, that gives it; "" when no column gives it. Blank
// data gives no mapping. Errors are in French.
func ParseMapping(data []byte) (map[string]string, error) {
	if strings.TrimSpace(string(data)) == "" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf(`un objet JSON {"champ du standard": "colonne du fichier"} est attendu : %v`, err)
	}
	if err := CheckMapping(m); err != nil {
		return nil, err
	}
	return m, nil
}

// CheckMapping checks that every key of a mapping is a field of the
// standard or a pseudo-column.
func CheckMapping(m map[string]string) error {
	fields := make([]string, 0, len(m))
	for f := range m {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		if !standard.MappingField(f) {
			return fmt.Errorf("« %s » n'est pas un champ du standard (%s…)", f, strings.Join(standard.ColumnsV1[:6], ", "))
		}
	}
	return nil
}
