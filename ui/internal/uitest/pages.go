package uitest

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/server"
)

// page fetches a path as a browser would (gzip accepted) and returns the
// answer and its body.
func (in *Instance) Page(path string) (*http.Response, string) {
	in.T.Helper()
	resp, err := in.Srv.Client().Get(in.Srv.URL + path)
	if err != nil {
		in.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		in.T.Fatal(err)
	}
	return resp, string(b)
}

// wantPage checks the status and that the body is a French HTML page
// holding every want.
func (in *Instance) WantPage(path string, status int, want ...string) string {
	in.T.Helper()
	resp, body := in.Page(path)
	if resp.StatusCode != status {
		in.T.Fatalf("GET %s = %d; want %d\n%s", path, resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		in.T.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if !strings.Contains(body, `<html lang="fr"`) {
		in.T.Errorf("GET %s: no <html lang=\"fr\">", path)
	}
	if m := MissingKey.FindString(body); m != "" {
		in.T.Errorf("GET %s: message without text %s", path, m)
	}
	unescaped := html.UnescapeString(body)
	for _, w := range want {
		if !strings.Contains(body, w) && !strings.Contains(unescaped, w) {
			in.T.Errorf("GET %s: body lacks %q", path, w)
		}
	}
	return body
}

var QuietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

var MissingKey = regexp.MustCompile(`\[[a-z]+\.[a-z0-9.]+\]`)

// marseille creates a place in Marseille and one in Aix, and events.
func (in *Instance) Marseille() (alcazar, aix catalogue.Place, atelier catalogue.Event) {
	in.T.Helper()
	alcazar = in.CreatePlace(map[string]any{
		"presentation_resume":             "Espace public numérique au cœur de la médiathèque.",
		"publics_specifiquement_adresses": []string{"Seniors"},
		"courriels":                       []string{"alcazar@example.org"}, "site_web": []string{"https://bmvr.example.org/"},
		"dispositif_programmes_nationaux": []string{"Aidants Connect"},
	})
	aix = in.CreatePlace(map[string]any{
		"nom": "France Services d'Aix", "pivot": "21130001300011", "adresse": "2 place de l'Hôtel de Ville",
		"code_postal": "13100", "commune": "Aix-en-Provence", "code_insee": "13001",
		"latitude": 43.5297, "longitude": 5.4474, "typologie": []string{"RFS"},
		"horaires": "Mo-Fr 09:00-12:00,13:30-17:00", "itinerance": []string{"Itinérant"},
		"services": []string{"Aide aux démarches administratives"}, "frais_a_charge": []string{"Payant"},
	})
	atelier = in.CreateEvent(map[string]any{
		"nom": "Atelier smartphone", "description": "Apprendre à installer une application.",
		"debut": "2026-07-15T14:00:00+02:00", "fin": "2026-07-15T16:00:00+02:00",
		"lieu": alcazar.ID, "recurrence": "FREQ=WEEKLY;BYDAY=WE;COUNT=10",
		"services": []string{"Maîtrise des outils numériques du quotidien"}, "capacite": 8,
		"frais_a_charge": []string{"Gratuit"}, "inscription": "https://example.org/inscription",
	})
	in.CreateEvent(map[string]any{
		"nom": "Permanence impôts", "debut": "2026-07-16T09:00:00+02:00", "fin": "2026-07-16T12:00:00+02:00",
		"lieu": aix.ID, "services": []string{"Aide aux démarches administratives"},
	})
	return alcazar, aix, atelier
}

// ReportBox keeps the reports it is handed, in place of a store.
type ReportBox struct{ Got []server.Report }

func (b *ReportBox) AddReport(r server.Report) error { b.Got = append(b.Got, r); return nil }

// transferSize is the number of bytes a browser downloads for url.
func TransferSize(t *testing.T, u string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("Content-Encoding") != "gzip" {
		return len(raw), string(raw)
	}
	gz, err := GzipReader(raw)
	if err != nil {
		t.Fatal(err)
	}
	return len(raw), gz
}
