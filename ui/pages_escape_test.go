package ui

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
)

func newJar(t *testing.T) *cookiejar.Jar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

func gzipReader(b []byte) (string, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	out, err := io.ReadAll(r)
	return string(out), err
}

// newFederatedInstance is an instance with its ActivityPub routes, as
// cmd/maillage wires it (without the delivery workers).
func newFederatedInstance(t *testing.T) *instance {
	t.Helper()
	in := newInstance(t)
	fed, err := federation.New(federation.Config{Store: in.store, BaseURL: in.srv.URL, Logger: quietLog,
		Now: func() time.Time { return in.now }, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	in.srv.Config.Handler = New(Config{Store: in.store, Logger: quietLog, Now: func() time.Time { return in.now }, Federation: fed})
	return in
}

const evil = `<script>alert("x")</script>`

// hostile fills every text field of the catalogue with markup, through the
// store (which, like a remote network, does not validate), and returns
// the pages that show them.
func hostile(t *testing.T, in *instance) []string {
	t.Helper()
	if err := in.store.SetSettings(storage.Settings{Name: evil, Handle: "reseau"}); err != nil {
		t.Fatal(err)
	}
	lat, lon := 43.3, 5.38
	p := &catalogue.Place{
		Pivot: evil, Nom: evil, Adresse: evil, ComplementAdresse: evil, CodePostal: "13001", Commune: evil + "ville",
		CodeINSEE: "13201", Latitude: &lat, Longitude: &lon, Typologie: []string{evil}, Telephone: evil,
		Courriels: []string{evil}, SiteWeb: []string{`javascript:alert("x")`}, Horaires: evil,
		PresentationResume: evil, PresentationDetail: evil, Source: evil, StructureParente: evil,
		Services: []string{evil}, Publics: []string{evil}, PriseEnCharge: []string{evil}, Frais: []string{evil},
		Dispositifs: []string{evil}, FormationsLabels: []string{evil}, AutresLabels: []string{evil},
		ModalitesAcces: []string{evil}, ModalitesAccompagnement: []string{evil}, Itinerance: []string{evil},
		FicheAccesLibre: `javascript:alert("x")`, PriseRDV: `javascript:alert("x")`, DateMaj: evil,
		ChampsIntervention: []string{evil}, Equipements: []string{evil},
	}
	if err := in.store.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	capacity := 3
	e := &catalogue.Event{
		Nom: evil, Description: `<p>ok</p>` + evil + `<img src=x onerror=alert(1)>`,
		Debut: monday.Add(24 * time.Hour), Fin: monday.Add(26 * time.Hour), Lieu: p.ID,
		Services: []string{evil}, Publics: []string{evil}, Inscription: `javascript:alert("x")`,
		Capacite: &capacity, Frais: []string{evil}, Statut: evil, Recurrence: "FREQ=WEEKLY;COUNT=3",
	}
	if err := in.store.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	plain := &catalogue.Event{Nom: "Texte", Description: evil, Debut: monday.Add(48 * time.Hour),
		Fin: monday.Add(49 * time.Hour), Lieu: p.ID}
	if err := in.store.CreateEvent(plain); err != nil {
		t.Fatal(err)
	}
	remote := &catalogue.Place{APID: "https://evil.example/lieux/1", Nom: "Lieu distant", Commune: "Aix",
		Network: catalogue.Network{Name: evil, Actor: "https://evil.example/actor"}, Updated: monday}
	if err := in.store.PutRemotePlace("https://evil.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	if err := in.store.PutFollowing(storage.Following{ID: in.srv.URL + "/f/1", Actor: "https://evil.example/actor", State: storage.FollowAccepted}); err != nil {
		t.Fatal(err)
	}
	if err := in.store.PutFollower(storage.Follower{Actor: "https://evil.example/users/x", State: evil}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"https://evil.example/actor", "https://evil.example/users/x"} {
		if err := in.store.PutActor(storage.RemoteActor{ID: id, Name: evil, PreferredUsername: evil}); err != nil {
			t.Fatal(err)
		}
	}
	q := url.QueryEscape(evil)
	return []string{
		"/", "/lieux", "/lieux/" + p.ID, "/lieux/" + remote.ID, "/evenements", "/evenements?vue=liste",
		"/evenements?vue=mois", "/evenements/" + e.ID, "/evenements/" + plain.ID, "/reseaux",
		"/orientation?q=" + q, "/orientation/fiche?lieu=" + p.ID + "&service=" + q, "/widget/lieux",
		"/widget/evenements", "/evenements?place=" + p.ID,
		"/lieux?q=" + q + "&ou=" + q + "&date=" + q + "&heure=" + q + "&quand=date&network=" + q + "&label=" + q + "&near=" + q,
		"/evenements?q=" + q + "&ou=" + q + "&du=" + q + "&au=" + q + "&network=" + q + "&place=" + q,
		"/lieux?ou=" + url.QueryEscape(evil[:10]), "/widget/lieux?q=" + q + "&ou=" + q,
		"/statistiques", "/statistiques?tout=1&network=" + q, "/statistiques?departement=" + q,
	}
}

// rawMarkup finds markup that escaping should have neutralised.
var rawMarkup = regexp.MustCompile(`(?i)<script>alert|<img[^>]*onerror|href="javascript:|src="javascript:`)

func TestHostileTextIsEscapedOnEveryPage(t *testing.T) {
	in := newInstance(t)
	for _, path := range hostile(t, in) {
		resp, body := in.page(path)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		if m := rawMarkup.FindString(body); m != "" {
			i := strings.Index(body, m)
			t.Errorf("GET %s: unescaped %q in …%s…", path, m, body[max(0, i-200):min(len(body), i+100)])
		}
		if !strings.Contains(body, "&lt;script&gt;alert") && !strings.Contains(body, `\u003cscript\u003ealert`) {
			t.Errorf("GET %s: the hostile text is not shown escaped", path)
		}
	}
	// The communes' suggestions are JSON with its markup escaped.
	resp, body := in.page("/communes?q=" + url.QueryEscape("<scr"))
	if resp.StatusCode != 200 || strings.Contains(body, "<script>") || !strings.Contains(body, `\u003cscript\u003e`) {
		t.Errorf("GET /communes = %d %s", resp.StatusCode, body)
	}
}

// TestEveryTemplateIsUsed guards against a page file that no handler
// renders (and so no test covers).
func TestEveryTemplateIsUsed(t *testing.T) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{"search": true, "place": true, "agenda": true, "event": true, "networks": true,
		"orientation": true, "sheet": true, "widget_places": true, "widget_events": true, "error": true, "stats": true,
		"admin_login": true, "admin_message": true, "admin_dashboard": true, "admin_reports": true, "admin_tokens": true,
		"admin_places": true, "admin_place_form": true, "admin_place_remote": true, "admin_confirm": true,
		"admin_events": true, "admin_event_form": true,
		"admin_import": true, "admin_accounts": true, "admin_networks": true, "admin_moderation": true}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if !strings.HasPrefix(base, "_") && !used[base] {
			t.Errorf("template %s is rendered by no page", n)
		}
	}
}

// TestMessagesAreAllUsed keeps the catalogue free of stale strings and
// checks that every message has a French text.
func TestMessagesAreAllUsed(t *testing.T) {
	var sources []byte
	for _, dir := range []string{".", "templates"} {
		entries, err := fs.Glob(osDirFS, dir+"/*")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range entries {
			if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !strings.HasPrefix(name, "i18n_") || strings.HasSuffix(name, ".html") {
				b, err := fs.ReadFile(osDirFS, name)
				if err != nil {
					t.Fatal(err)
				}
				sources = append(sources, b...)
			}
		}
	}
	for key, text := range frenchMessages.m {
		if text == "" {
			t.Errorf("message %s is empty", key)
		}
		base := strings.TrimSuffix(strings.TrimSuffix(key, ".one"), ".other")
		prefix := base[:strings.LastIndex(base, ".")+1]
		if !bytes.Contains(sources, []byte(`"`+base+`"`)) && !bytes.Contains(sources, []byte(`"`+prefix+`"`)) &&
			!strings.HasPrefix(key, "field.") && !strings.HasPrefix(key, "status.") && !strings.HasPrefix(key, "follow.state.") {
			t.Errorf("message %s is used nowhere", key)
		}
	}
}

var osDirFS = os.DirFS(".")
