package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exitCode is the status main gives for the error of run.
func exitCode(err error) int {
	var st *exitStatus
	switch {
	case err == nil:
		return 0
	case errors.As(err, &st):
		return st.code
	}
	return 1
}

func TestImportExitStatus(t *testing.T) {
	dir := t.TempDir()
	allRejected := filepath.Join(t.TempDir(), "sans-noms.csv")
	if err := os.WriteFile(allRejected, []byte("nom;adresse;code_postal;commune\n;1 rue A;69001;Lyon\n;2 rue B;69002;Lyon\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file string
		want int
	}{
		{"../../catalogue/standard/testdata/producers/departement-gironde.csv", 0},
		{"../../catalogue/standard/testdata/broken-v1.csv", 2},
		{allRejected, 1},
		{"../../catalogue/standard/testdata/no-header.csv", 1},
		{"../../catalogue/standard/testdata/absent.csv", 1},
	} {
		out, _, err := runImport(t, "--data", dir, tc.file)
		if got := exitCode(err); got != tc.want {
			t.Errorf("import %s: exit status %d (%v); want %d\n%s", tc.file, got, err, tc.want, out)
		}
	}
}

func TestImportProducerSpreadsheetWithoutMapping(t *testing.T) {
	dir := t.TempDir()
	file := "../../catalogue/standard/testdata/producers/france-services-national.csv"

	out, _, err := runImport(t, "--data", dir, "--dry-run", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"nom ← « lib_fs »", "horaires_lundi ← « h_lundi »", "Champs obligatoires sans colonne : services",
		"fichier : services : aucune colonne : chaque lieu est importé comme brouillon « à compléter »",
		"Simulation (--dry-run) : rien n'a été enregistré.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}
	if last := lastLine(out); last != "Résumé : 4 créés, 0 mis à jour, 0 inchangés, 0 rejetés, 8 avertissements, 4 brouillons" {
		t.Errorf("dry run last line %q", last)
	}
	if places, activities := checkStore(t, dir); places != 0 || activities != 0 {
		t.Fatalf("dry run wrote %d places, %d activities", places, activities)
	}

	if _, _, err := runImport(t, "--data", dir, file); err != nil {
		t.Fatal(err)
	}
	// Drafts: stored, but neither listed nor published.
	if places, activities := checkStore(t, dir); places != 0 || activities != 0 {
		t.Errorf("after importing drafts: %d places listed, %d activities; want none", places, activities)
	}
}

func TestImportMappingFile(t *testing.T) {
	tmp := t.TempDir()
	data := filepath.Join(tmp, "lieux.csv")
	os.WriteFile(data, []byte("Structure;Intitulé;Localité;Voie;CP;Offre\nCommune de Saint-Avit;Atelier numérique;Saint-Avit;1 place de la Mairie;40090;Accès internet et matériel informatique\n"), 0o644)
	mapping := filepath.Join(tmp, "correspondance.json")
	os.WriteFile(mapping, []byte(`{"nom": "Intitulé", "structure_parente": "Structure"}`), 0o644)
	out, _, err := runImport(t, "--data", t.TempDir(), "--mapping", mapping, data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "nom ← « Intitulé » (--mapping)") || lastLine(out) != "Résumé : 1 créés, 0 mis à jour, 0 inchangés, 0 rejetés, 2 avertissements" {
		t.Errorf("report:\n%s", out)
	}
	os.WriteFile(mapping, []byte(`["nom"]`), 0o644)
	if _, _, err := runImport(t, "--data", t.TempDir(), "--mapping", mapping, data); err == nil || !strings.Contains(err.Error(), "objet JSON") {
		t.Errorf("bad mapping file: %v", err)
	}
}

func TestDraftsAreNotExported(t *testing.T) {
	dir := t.TempDir()
	// The department's file: three places and one draft (no services).
	if _, _, err := runImport(t, "--data", dir, "../../catalogue/standard/testdata/producers/departement-gironde.csv"); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"json", "csv"} {
		out, err := runExport(t, "--data", dir, "--format", format)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, "La Fabrique") || !strings.Contains(out, "Médiathèque de Cadillac") {
			t.Errorf("export %s: want the three places, not the draft:\n%s", format, out)
		}
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	for _, file := range []string{"../../catalogue/standard/testdata/broken-v1.csv", "../../catalogue/standard/testdata/producers/france-services-national.csv",
		"../../catalogue/standard/testdata/producers/departement-gironde.csv"} {
		dir := t.TempDir()
		runImport(t, "--data", dir, file)
		out, _, _ := runImport(t, "--data", dir, file)
		if last := lastLine(out); !strings.Contains(last, " 0 créés, 0 mis à jour,") {
			t.Errorf("%s imported twice: %s", file, last)
		}
	}
}
