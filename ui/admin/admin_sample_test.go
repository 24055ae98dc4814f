package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/ui"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// sampleInstance is an admin instance whose home can load sample data:
// here, the generator's places of the Bouches-du-Rhône (cmd/maillage
// hands its --demo-seed, tested there). It returns the number of loads.
func sampleInstance(t *testing.T) (*uitest.Instance, func() int) {
	t.Helper()
	in := uitest.AdminInstance(t)
	var mu sync.Mutex
	loads := 0
	load := func() (int, error) {
		mu.Lock()
		loads++
		mu.Unlock()
		var places []*catalogue.Place
		for _, p := range sample.Places(600, 1) {
			if p.Departement() == "13" && len(places) < 5 {
				places = append(places, p)
			}
		}
		return len(places), in.Store.CreatePlaces(places)
	}
	in.Srv.Config.Handler = ui.New(ui.Config{Store: in.Store, Logger: uitest.QuietLog, Now: func() time.Time { return in.Now },
		TileURL: in.Srv.URL + "/tuiles/{z}/{x}/{y}.png", Sample: load})
	return in, func() int { mu.Lock(); defer mu.Unlock(); return loads }
}

// TestAdminLoadSample: the home of an empty catalogue has a button that
// loads the sample data (a POST with the CSRF token); once the catalogue
// holds anything, the button is gone and a POST is refused in French,
// changing nothing.
func TestAdminLoadSample(t *testing.T) {
	in, loads := sampleInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	home := b.Get("/admin")
	home.Want(t, "home of an empty catalogue", http.StatusOK, `<form method="post" action="/admin/exemple"`,
		"Charger les données d’exemple", `<a href="/admin/import">importer un fichier`)
	if strings.Contains(home.Body, "maillage serve --demo-seed") {
		t.Error("the home tells to restart with --demo-seed although its button loads the sample")
	}
	if a := b.Post("/admin/exemple", url.Values{"csrf": {"faux"}}); a.Status != http.StatusForbidden || loads() != 0 {
		t.Fatalf("without a valid CSRF token: %d, %d loads; want 403 and nothing loaded", a.Status, loads())
	}
	a := b.Post("/admin/exemple", nil)
	if a.Status != http.StatusSeeOther || a.Location() != "/admin?ok=exemple-charge" || loads() != 1 {
		t.Fatalf("load = %d %s, %d loads", a.Status, a.Location(), loads())
	}
	home = b.Get(a.Location())
	home.Want(t, "home after loading", http.StatusOK, "Les données d’exemple sont chargées", "<strong>5</strong>")
	if strings.Contains(home.Body, "/admin/exemple") {
		t.Error("the home still offers the sample once the catalogue holds places")
	}
	b.Post("/admin/exemple", nil).Want(t, "second load", http.StatusConflict, "Le catalogue n’est pas vide")
	if loads() != 1 {
		t.Errorf("%d loads; want the second refused before loading", loads())
	}
}

// TestAdminLoadSampleRefusesADraft: a catalogue holding only a draft is
// not empty.
func TestAdminLoadSampleRefusesADraft(t *testing.T) {
	in, loads := sampleInstance(t)
	lat, lon := 43.3, 5.4
	draft := &catalogue.Place{Nom: "Brouillon", Commune: "Marseille", Latitude: &lat, Longitude: &lon, DateMaj: "2026-07-01",
		Pivot: catalogue.UnknownPivot, ACompleter: []string{"adresse", "code_postal"}}
	if err := in.Store.CreatePlaces([]*catalogue.Place{draft}); err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	if a := b.Get("/admin"); strings.Contains(a.Body, "/admin/exemple") {
		t.Error("the home offers the sample data beside a draft")
	}
	b.Post("/admin/exemple", nil).Want(t, "load beside a draft", http.StatusConflict, "Le catalogue n’est pas vide")
	if loads() != 0 {
		t.Errorf("%d loads; want none", loads())
	}
}

// TestBrowserAdminLoadSample: the button works in a browser, by keyboard,
// and the home passes axe before and after.
func TestBrowserAdminLoadSample(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in, loads := sampleInstance(t)
	browserLogin(t, ctx, in, uitest.EditorEmail)
	uitest.CDPDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/exemple"] button`)))
	axeAudit(t, ctx, src, "/admin of an empty catalogue with the sample button")
	uitest.CDPDo(t, ctx, chromedp.Focus(chromedp.CSS(`form[action="/admin/exemple"] button`)), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`p.notice.ok`)))
	if loads() != 1 {
		t.Errorf("%d loads; want 1", loads())
	}
	axeAudit(t, ctx, src, "/admin after loading the sample")
}
