package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportCrashRow: the one-line CSV that took a whole server down
// (issue 16: "0:00-" made the hours parser panic in the goroutine that
// builds records) is imported: the row is reported on its line, it and
// the rest are imported, and the store is sound.
func TestImportCrashRow(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "lieux.csv")
	csv := "id,nom,adresse,code_postal,commune,horaires,services,date_maj\n" +
		"a1,EPN du Panier,2 rue du Panier,13002,Marseille,0:00-,Aide aux démarches administratives,2026-01-05\n" +
		"a2,EPN de la Joliette,1 place de la Joliette,13002,Marseille,Mo-Fr 09:00-12:00,Aide aux démarches administratives,2026-01-05\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := runImport(t, "--data", dir, file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{"ligne 2 (id « a1 ») : horaires : illisibles", "Résumé : 2 créés"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if places, _ := checkStore(t, dir); places != 2 {
		t.Errorf("%d places imported; want 2", places)
	}
}
