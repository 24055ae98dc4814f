package standard

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Mapped says which column of a file gives a field of the standard (or a
// pseudo-column: adresse_postale, horaires_lundi…).
type Mapped struct {
	Field  string `json:"field"`
	Column string `json:"column"`
	// Synonym is true when the column is named otherwise than the
	// standard names the field, and was recognised.
	Synonym bool `json:"synonym,omitempty"`
	// Forced is true when Options.Mapping gave it.
	Forced bool `json:"forced,omitempty"`
}

// ErrMapping is wrapped by the errors of Read for an Options.Mapping that
// names an unknown field or a column the file lacks.
var ErrMapping = errors.New("correspondance des colonnes invalide")

// MappingField reports whether Options.Mapping may name field: a column
// of the standard, or a pseudo-column (adresse_postale, horaires_lundi,
// horaires_lundi_matin…).
func MappingField(field string) bool { return knownField(field) }

// ColumnsError is the error of Read for a file whose columns (or keys)
// give neither the places' names nor their communes or coordinates. It
// wraps ErrFormat, and carries the columns the file has, as Result's
// Mapping and Unused would, so that an editor can map them by hand.
type ColumnsError struct {
	Mapping []Mapped
	Unused  []string
	msg     string
}

func (e *ColumnsError) Error() string { return e.msg }
func (e *ColumnsError) Unwrap() error { return ErrFormat }

// noneMapped reports whether Options.Mapping says that no column gives
// field (it maps field to ""): a column detected as giving it is left
// unused.
func (rd *reader) noneMapped(field string) bool {
	col, ok := rd.opts.Mapping[field]
	return ok && strings.TrimSpace(col) == ""
}

// requiredColumns are the fields the standard requires that a file
// should give a column for.
var requiredColumns = []string{"nom", "adresse", "code_postal", "commune", "services"}

// mapHeader decides which field each column of header gives: those
// Options.Mapping names, then the standard's own names, then synonyms.
// It fills Result.Mapping, Unused and NoColumn, and fails, wrapping
// ErrFormat, when no column gives the places' names, or neither their
// commune nor their coordinates: nothing could be imported.
func (rd *reader) mapHeader(header []string, delim string) ([]string, error) {
	names := make([]string, len(header))
	taken := map[string]int{} // field → column index
	res := rd.res
	for field, col := range rd.opts.Mapping {
		if !knownField(field) {
			return nil, fmt.Errorf("%w : « %s » n'est pas un champ du standard (%s…)", ErrMapping, field, strings.Join(ColumnsV1[:6], ", "))
		}
		if strings.TrimSpace(col) == "" {
			continue // no column gives it: see below
		}
		i := slices.IndexFunc(header, func(h string) bool { return sameColumn(h, col) })
		if i < 0 {
			return nil, fmt.Errorf("%w : %s : la colonne « %s » n'est pas dans le fichier (colonnes : %s)",
				ErrMapping, field, col, shorten(strings.Join(header, delim), 200))
		}
		if names[i] != "" {
			return nil, fmt.Errorf("%w : la colonne « %s » est donnée à %s et à %s", ErrMapping, col, names[i], field)
		}
		names[i], taken[field] = field, i
	}
	synonym := make([]bool, len(header))
	for pass := range 2 {
		for i, h := range header {
			if names[i] != "" {
				continue
			}
			f, syn := headerField(h)
			if f == "" || syn != (pass == 1) || rd.noneMapped(f) {
				continue
			}
			if first, dup := taken[f]; dup {
				if !syn {
					res.Warnings = append(res.Warnings, Issue{Field: f,
						Reason: fmt.Sprintf("colonne en double (n° %d et n° %d) : seule la première est lue", first+1, i+1)})
				}
				continue
			}
			names[i], taken[f], synonym[i] = f, i, syn
			if !syn {
				rd.noteKey(f, strings.TrimSpace(h))
			}
		}
	}
	for i, h := range header {
		h = strings.TrimSpace(strings.Trim(h, "\ufeff\""))
		switch {
		case names[i] != "":
			_, forced := rd.opts.Mapping[names[i]]
			res.Mapping = append(res.Mapping, Mapped{Field: names[i], Column: h, Synonym: synonym[i], Forced: forced})
		case h != "":
			res.Unused = append(res.Unused, h)
		}
	}
	has := func(f string) bool { _, ok := taken[f]; return ok }
	hasAddress := has(colAdressePostale)
	coords := has("latitude") && has("longitude")
	if !has("nom") {
		return nil, &ColumnsError{Mapping: res.Mapping, Unused: res.Unused, msg: fmt.Sprintf("%v : aucune colonne ne donne le nom des lieux (nom) ; colonnes du fichier : « %s » ; "+
			"indiquez-la avec une correspondance (--mapping)", ErrFormat, shorten(strings.Join(header, delim), 200))}
	}
	if !has("commune") && !coords && !hasAddress {
		return nil, &ColumnsError{Mapping: res.Mapping, Unused: res.Unused, msg: fmt.Sprintf("%v : aucune colonne ne donne la commune des lieux (commune) ni leurs coordonnées (latitude, longitude) ; "+
			"colonnes du fichier : « %s » ; indiquez-la avec une correspondance (--mapping)", ErrFormat, shorten(strings.Join(header, delim), 200))}
	}
	for _, f := range requiredColumns {
		if has(f) || hasAddress && f != "services" {
			continue
		}
		res.NoColumn = append(res.NoColumn, f)
		rd.noColumn[f] = true
		if f == "services" || f == "adresse" || f == "code_postal" || f == "commune" && coords {
			res.Warnings = append(res.Warnings, Issue{Field: f, Reason: "aucune colonne : chaque lieu est importé comme brouillon « à compléter »"})
		}
	}
	if !has("date_maj") {
		rd.noColumn["date_maj"] = true
		res.Warnings = append(res.Warnings, Issue{Field: "date_maj", Reason: "aucune colonne : date du jour utilisée (" + rd.opts.Today + ")"})
	}
	return names, nil
}
