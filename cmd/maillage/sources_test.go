package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runSource(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"source"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestSourceCommands(t *testing.T) {
	body := "identifiant,Nom de la structure,adresse,code_postal,commune,services,source,date_maj\n" +
		"s1,EPN des Tilleuls,1 rue des Tilleuls,13190,Allauch,Aide aux démarches administratives,Réseau test,2026-01-05\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) }))
	defer srv.Close()
	dir := t.TempDir()
	mapping := filepath.Join(t.TempDir(), "mapping.json")
	if err := os.WriteFile(mapping, []byte(`{"id": "identifiant", "nom": "Nom de la structure"}`), 0o600); err != nil {
		t.Fatal(err)
	}

	badMapping := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(badMapping, []byte(`{"nom_du_lieu": "Nom"}`), 0o600); err != nil {
		t.Fatal(err)
	}

	// Bad input gets a clear French error naming the flag, and changes nothing.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "--data", dir, "--url", srv.URL + "/lieux.csv"}, "--url : adresse privée refusée"},
		{[]string{"add", "--data", dir, "--url", "ftp://exemple.fr/x.csv"}, "--url : adresse http(s)"},
		{[]string{"add", "--data", dir, "--url", "https://exemple.fr/x.csv", "--every", "1m"}, "--every : au moins 5m0s"},
		{[]string{"add", "--data", dir, "--url", "https://exemple.fr/x.csv", "--max-vanished", "0"}, "--max-vanished"},
		{[]string{"remove", "--data", dir, "nope"}, "source « nope » inconnue"},
		{[]string{"add", "--data", dir, "--url", "https://exemple.fr/x.csv", "--name", strings.Repeat("n", 121)}, "--name : 120 caractères au plus"},
		{[]string{"add", "--data", dir, "--url", "https://exemple.fr/x.csv", "--mapping", badMapping}, "--mapping : « nom_du_lieu » n'est pas un champ du standard"},
	} {
		if _, err := runSource(t, tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("source %v: %v; want an error containing %q", tt.args, err, tt.want)
		}
	}
	if out, err := runSource(t, "list", "--data", dir); err != nil || !strings.Contains(out, "aucune source") {
		t.Fatalf("list after refusals: %q, %v; want no source", out, err)
	}

	out, err := runSource(t, "add", "--data", dir, "--url", srv.URL+"/lieux.csv", "--mapping", mapping, "--every", "6h", "--name", "Réseau des Tilleuls", "--allow-private")
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	id := strings.Fields(strings.TrimPrefix(out, "source "))[0]
	out, err = runSource(t, "run", "--data", dir, "--url", "http://localhost:8080", "--allow-private", id)
	if err != nil || !strings.Contains(out, "imported : 1 créés") {
		t.Fatalf("run: %q, %v; want 1 place created", out, err)
	}
	out, err = runSource(t, "list", "--data", dir)
	if err != nil || !strings.Contains(out, id) || !strings.Contains(out, "Réseau des Tilleuls") || !strings.Contains(out, "6h0m0s") || !strings.Contains(out, "1 créés") {
		t.Fatalf("list: %q, %v; want the source with its last run", out, err)
	}
	// The mapping is kept with the source: shown, replaced, refused when bad.
	if out, err = runSource(t, "mapping", "--data", dir, id); err != nil || !strings.Contains(out, `"nom": "Nom de la structure"`) {
		t.Fatalf("mapping: %q, %v; want the source's mapping", out, err)
	}
	other := filepath.Join(t.TempDir(), "other.json")
	if err := os.WriteFile(other, []byte(`{"id": "identifiant", "nom": "Nom de la structure", "horaires": ""}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err = runSource(t, "mapping", "--data", dir, "--mapping", other, id); err != nil || !strings.Contains(out, "remplacée (3 champs)") {
		t.Fatalf("mapping --mapping: %q, %v", out, err)
	}
	if _, err = runSource(t, "mapping", "--data", dir, "--mapping", badMapping, id); err == nil || !strings.Contains(err.Error(), "--mapping : « nom_du_lieu »") {
		t.Errorf("bad mapping: %v", err)
	}
	if _, err = runSource(t, "mapping", "--data", dir, "nope"); err == nil || !strings.Contains(err.Error(), "source « nope » inconnue") {
		t.Errorf("unknown source: %v", err)
	}
	if out, err = runSource(t, "mapping", "--data", dir, id); err != nil || !strings.Contains(out, `"horaires": ""`) {
		t.Fatalf("mapping after the change: %q, %v", out, err)
	}
	if out, err = runSource(t, "remove", "--data", dir, id); err != nil || !strings.Contains(out, "retirée") {
		t.Fatalf("remove: %q, %v", out, err)
	}
	if out, _ := runSource(t, "list", "--data", dir); !strings.Contains(out, "aucune source") {
		t.Errorf("list after remove: %q", out)
	}
}
