package main

import (
	"fmt"
	"net/http"
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

// TestAPICrashValues: the two values of issue 16 sent to our own API (a
// place's hours, an event's recurrence, an import file) get an answer, and
// the server goes on serving.
func TestAPICrashValues(t *testing.T) {
	dir := t.TempDir()
	ln, url := listenLoopback(t, "127.0.0.1:0")
	out, err := runCmd(t, "", "token", "create", "--data", dir, "--url", url, "--label", "tests")
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(out)
	srv := startServerOn(t, dir, ln)
	defer srv.Close()

	body := strings.Replace(placeBody, `"date_maj"`, `"horaires":"0:00-","date_maj"`, 1)
	status, place := post(t, srv.BaseURL()+"/api/v1/places", token, body)
	if status != http.StatusCreated || place["horaires_erreur"] == nil {
		t.Fatalf("POST place with hours %q = %d %v; want 201 with the hours flagged", "0:00-", status, place)
	}
	event := `{"nom":"Atelier","lieu":"` + place["id"].(string) + `","debut":"2026-03-06T14:00:00+01:00",
"fin":"2026-03-06T16:00:00+01:00","recurrence":"FREQ=MONTHLY;BYDAY=10FR"}`
	status, answer := post(t, srv.BaseURL()+"/api/v1/events", token, event)
	if status != http.StatusUnprocessableEntity || !strings.Contains(fmt.Sprint(answer), "recurrence") {
		t.Errorf("POST event with BYDAY=10FR = %d %v; want 422 naming recurrence", status, answer)
	}
	csv := "id,nom,adresse,code_postal,commune,horaires,services,date_maj\n" +
		"a1,EPN du Panier,2 rue du Panier,13002,Marseille,0:00-,Aide aux démarches administratives,2026-01-05\n"
	status, answer = post(t, srv.BaseURL()+"/api/v1/import", token, csv)
	if status != http.StatusOK {
		t.Errorf("POST import with the crash row = %d %v; want 200", status, answer)
	}
	bad := strings.Replace(placeBody, "EPN de la Joliette", "EPN de la Joliette\xff", 1)
	status, answer = post(t, srv.BaseURL()+"/api/v1/places", token, bad)
	if fields, _ := answer["fields"].(map[string]any); status != http.StatusBadRequest || fields["nom"] == nil {
		t.Errorf("POST place with invalid UTF-8 in its name = %d %v; want 400 naming nom", status, answer)
	}
	nul := strings.Replace(placeBody, "EPN de la Joliette", `EPN\u0000 de la \u202eJoliette`, 1)
	status, answer = post(t, srv.BaseURL()+"/api/v1/places", token, nul)
	if status != http.StatusCreated || answer["nom"] != "EPN de la Joliette" {
		t.Errorf("POST place with NUL and a bidi override in its name = %d %v; want 201, the name cleaned", status, answer)
	}
	resp, err := http.Get(srv.BaseURL() + "/api/v1/places")
	if err != nil {
		t.Fatalf("the server stopped answering: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET places after them: %d", resp.StatusCode)
	}
}
