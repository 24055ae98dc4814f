package standard

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

// jsonSchema is the part of JSON Schema (2020-12, as Pydantic writes it)
// that data·inclusion's schemas use.
type jsonSchema struct {
	Type                 any                    `json:"type"`
	Properties           map[string]*jsonSchema `json:"properties"`
	Required             []string               `json:"required"`
	AdditionalProperties *bool                  `json:"additionalProperties"`
	AnyOf                []*jsonSchema          `json:"anyOf"`
	Ref                  string                 `json:"$ref"`
	Defs                 map[string]*jsonSchema `json:"$defs"`
	Enum                 []any                  `json:"enum"`
	Pattern              string                 `json:"pattern"`
	MinLength            *int                   `json:"minLength"`
	MaxLength            *int                   `json:"maxLength"`
	Minimum              *float64               `json:"minimum"`
	Format               string                 `json:"format"`
	Items                *jsonSchema            `json:"items"`
	UniqueItems          bool                   `json:"uniqueItems"`
}

func loadJSONSchema(t *testing.T, name string) *jsonSchema {
	t.Helper()
	data, err := os.ReadFile("testdata/schema/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var s jsonSchema
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// check validates v (decoded JSON) against s, whose $refs point into
// root's $defs; it returns one line per problem, prefixed with path.
func (s *jsonSchema) check(root *jsonSchema, path string, v any) []string {
	if s.Ref != "" {
		return root.Defs[strings.TrimPrefix(s.Ref, "#/$defs/")].check(root, path, v)
	}
	if len(s.AnyOf) > 0 {
		var all []string
		for _, alt := range s.AnyOf {
			bad := alt.check(root, path, v)
			if len(bad) == 0 {
				return nil
			}
			all = append(all, bad...)
		}
		return []string{path + ": matches no alternative: " + strings.Join(all, " / ")}
	}
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, path+": "+fmt.Sprintf(format, args...)) }
	if s.Type != nil && !jsonTypeIs(s.Type, v) {
		fail("%T is not %v", v, s.Type)
		return bad
	}
	if len(s.Enum) > 0 && !slices.Contains(s.Enum, v) {
		fail("%v not in enum", v)
	}
	switch x := v.(type) {
	case string:
		n := utf8.RuneCountInString(x)
		if s.MinLength != nil && n < *s.MinLength {
			fail("%q shorter than %d", x, *s.MinLength)
		}
		if s.MaxLength != nil && n > *s.MaxLength {
			fail("%q longer than %d", x, *s.MaxLength)
		}
		if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(x) {
			fail("%q does not match %s", x, s.Pattern)
		}
		switch s.Format {
		case "date":
			if _, err := time.Parse("2006-01-02", x); err != nil {
				fail("%q is not a date", x)
			}
		case "uri":
			if u, err := url.Parse(x); err != nil || u.Scheme == "" || u.Host == "" {
				fail("%q is not a URI", x)
			}
		case "email":
			if !strings.Contains(x, "@") {
				fail("%q is not an email", x)
			}
		}
	case float64:
		if s.Minimum != nil && x < *s.Minimum {
			fail("%v below %v", x, *s.Minimum)
		}
	case []any:
		for i, item := range x {
			if s.Items != nil {
				bad = append(bad, s.Items.check(root, fmt.Sprintf("%s[%d]", path, i), item)...)
			}
			if s.UniqueItems && slices.Contains(x[:i], item) {
				fail("%v repeated", item)
			}
		}
	case map[string]any:
		for _, k := range s.Required {
			if _, ok := x[k]; !ok {
				fail("%s required", k)
			}
		}
		for k, item := range x {
			p, ok := s.Properties[k]
			if !ok {
				if s.Properties != nil {
					fail("%s is not a property of the schema", k)
				}
				continue
			}
			bad = append(bad, p.check(root, path+"."+k, item)...)
		}
	}
	return bad
}

func jsonTypeIs(t any, v any) bool {
	switch t {
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == float64(int64(f))
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func TestDataInclusionValidatesAgainstSchema(t *testing.T) {
	structure := loadJSONSchema(t, "data-inclusion.v0.structure.json")
	service := loadJSONSchema(t, "data-inclusion.v0.service.json")
	var doc DataInclusion
	for _, p := range exportPlaces() {
		st, sv := DataInclusionOf(p, "arsenic-13", "https://arsenic13.example/lieux/"+p.ID)
		doc.Structures = append(doc.Structures, st)
		doc.Services = append(doc.Services, sv)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var decoded struct{ Structures, Services []any }
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatal(err)
	}
	var bad []string
	for i, st := range decoded.Structures {
		bad = append(bad, structure.check(structure, fmt.Sprintf("structures[%d]", i), st)...)
	}
	for i, sv := range decoded.Services {
		bad = append(bad, service.check(service, fmt.Sprintf("services[%d]", i), sv)...)
	}
	if len(bad) > 0 {
		if len(bad) > 20 {
			bad = bad[:20]
		}
		t.Fatalf("data·inclusion export breaks the schema:\n%s", strings.Join(bad, "\n"))
	}
	// The validator is not vacuous.
	if bad := structure.check(structure, "x", map[string]any{"id": "a", "nom": "ab", "source": "s", "date_maj": "2026-13-01", "typologie": "PIZZA", "autre": 1}); len(bad) != 4 {
		t.Errorf("a broken structure gives %q; want 4 problems (nom, date_maj, typologie, autre)", bad)
	}
}

func TestDataInclusionMapping(t *testing.T) {
	var odd *catalogue.Place
	for _, p := range exportPlaces() {
		if p.ID == "bizarre" {
			odd = p
		}
	}
	st, sv := DataInclusionOf(odd, "arsenic-13", "https://arsenic13.example/lieux/bizarre")
	if st.ID != "bizarre" || sv.ID != "bizarre-mediation-numerique" || sv.StructureID != "bizarre" || sv.Nom != "Médiation numérique" {
		t.Errorf("ids = %q, %q, %q, %q", st.ID, sv.ID, sv.StructureID, sv.Nom)
	}
	if st.Siret != "" || st.RNA != "W133012345" {
		t.Errorf("siret, rna = %q, %q; want the RNA number", st.Siret, st.RNA)
	}
	if st.Typologie != "ASSO" || st.Courriel != "a@example.fr" || st.SiteWeb != "https://example.fr/a|b" {
		t.Errorf("typologie, courriel, site_web = %q, %q, %q", st.Typologie, st.Courriel, st.SiteWeb)
	}
	if !slices.Contains(st.Thematiques, "numerique--prendre-en-main-un-ordinateur") || len(st.Thematiques) != 15 {
		t.Errorf("thematiques = %v; want the 15 of the 9 services", st.Thematiques)
	}
	for _, want := range []string{"aidants-connect", "conseiller-numerique", "france-service", "croix-rouge"} {
		if !slices.Contains(st.LabelsNationaux, want) {
			t.Errorf("labels_nationaux = %v; want %s", st.LabelsNationaux, want)
		}
	}
	for _, want := range []string{"QPV", "Formé à « Mon Espace Santé »", "Certification PIX"} {
		if !slices.Contains(st.LabelsAutres, want) {
			t.Errorf("labels_autres = %v; want %s", st.LabelsAutres, want)
		}
	}
	if got := strings.Join(sv.Types, ","); got != "autonomie,accompagnement,atelier" {
		t.Errorf("types = %s", got)
	}
	if got := strings.Join(sv.ModesAccueil, ","); got != "en-presentiel,a-distance" {
		t.Errorf("modes_accueil = %s", got)
	}
	if got := strings.Join(sv.Frais, ","); got != "gratuit" {
		t.Errorf("frais = %s; want the first value of frais_a_charge", got)
	}
	if !slices.Contains(sv.Profils, "seniors-65") || !slices.Contains(sv.Profils, "surdite") {
		t.Errorf("profils = %v", sv.Profils)
	}
	if got := strings.Join(sv.ModesOrientationAccompagnateur, ","); got != "telephoner,envoyer-un-mail,envoyer-un-mail-avec-une-fiche-de-prescription" {
		t.Errorf("modes_orientation_accompagnateur = %s", got)
	}
	if st.HorairesOuverture != "Mo-Fr 09:00-12:00; PH off" || st.LienSource == "" {
		t.Errorf("horaires_ouverture, lien_source = %q, %q", st.HorairesOuverture, st.LienSource)
	}
}
