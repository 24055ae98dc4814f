package standard

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestReadJSONMapping(t *testing.T) {
	in := `{"data": [
 {"Intitulé": "Atelier numérique de Saint-Avit", "Structure": "Commune de Saint-Avit", "Localité": "Saint-Avit", "Voie": "1 place de la Mairie", "CP": "40090", "Remarque": "x"}
]}`
	res, err := Read(strings.NewReader(in), Options{Today: today, Mapping: map[string]string{"nom": "Intitulé", "structure_parente": "Structure"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 {
		t.Fatalf("rejected %v", res.Rejected)
	}
	p := res.Records[0].Place
	if p.Nom != "Atelier numérique de Saint-Avit" || p.StructureParente != "Commune de Saint-Avit" || p.Commune != "Saint-Avit" || p.CodePostal != "40090" {
		t.Errorf("place %+v", p)
	}
	var forced []string
	for _, m := range res.Mapping {
		if m.Forced {
			forced = append(forced, m.Field+"="+m.Column)
		}
	}
	slices.Sort(forced)
	if !slices.Equal(forced, []string{"nom=Intitulé", "structure_parente=Structure"}) || !slices.Contains(res.Unused, "Remarque") {
		t.Errorf("mapping %+v, unused %v", res.Mapping, res.Unused)
	}
	_, err = Read(strings.NewReader(in), Options{Today: today, Mapping: map[string]string{"nom": "Libellé"}})
	if err == nil || !strings.Contains(err.Error(), "la clé « Libellé » n'est dans aucun objet du fichier") {
		t.Errorf("a key the file lacks: %v", err)
	}
}

func TestReadMappingToNoColumn(t *testing.T) {
	in := "Nom;Commune;Horaires;Remarque\nEPN de Lure;Lure;lundi 9h;x\n"
	res, err := Read(strings.NewReader(in), Options{Today: today, Mapping: map[string]string{"horaires": ""}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Records) != 1 || res.Records[0].Place.Horaires != "" || !slices.Contains(res.Unused, "Horaires") {
		t.Errorf("horaires mapped to no column: %+v, unused %v", res.Records, res.Unused)
	}
	for _, m := range res.Mapping {
		if m.Field == "horaires" {
			t.Errorf("horaires still mapped to %q", m.Column)
		}
	}
	// Mapping the name to no column leaves nothing to import: the error
	// carries the columns, for an editor to choose from.
	_, err = Read(strings.NewReader(in), Options{Today: today, Mapping: map[string]string{"nom": ""}})
	var cerr *ColumnsError
	if !errors.As(err, &cerr) || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "aucune colonne ne donne le nom des lieux") ||
		!slices.Contains(cerr.Unused, "Nom") || len(cerr.Mapping) == 0 {
		t.Errorf("no name column: %v (%+v); want a ColumnsError with the file's columns", err, cerr)
	}
}
