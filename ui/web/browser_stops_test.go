package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestBrowserMobileUnitStop: a network publishes, through the API, a
// stop of its minibus at the village hall of Mane (04), a village with no
// place. Someone searching from Mane with "Où ?" finds the stop beside
// the (far) places, on the map too; its page says where and who runs
// it; the unit's page lists its next passages. axe stays clean on those
// pages.
func TestBrowserMobileUnitStop(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in, _ := uitest.BrowserInstance(t)
	bus := in.CreatePlace(map[string]any{"nom": "Bus numérique des Alpes", "adresse": "4 rue du Docteur Honnorat",
		"code_postal": "04000", "commune": "Digne-les-Bains", "code_insee": "04070", "latitude": 44.092, "longitude": 6.236,
		"itinerance": []string{"Itinérant"}, "telephone": "0492000000"})
	start := in.Now.Add(50 * time.Hour).Truncate(time.Hour)
	stop := in.CreateEvent(map[string]any{"nom": "Permanence numérique au village", "lieu": bus.ID,
		"debut": start.Format(time.RFC3339), "fin": start.Add(2 * time.Hour).Format(time.RFC3339), "frais_a_charge": []string{"Gratuit"},
		"etape": map[string]any{"nom": "Salle des fêtes", "adresse": "Place de la Mairie", "code_postal": "04300", "commune": "Mane"}})
	if stop.Etape == nil || stop.Etape.CodeINSEE != "04111" || !stop.Etape.PositionApproximative {
		t.Fatalf("API answered the stop %+v; want it located at Mane's centre", stop.Etape)
	}
	if ps, _ := in.Store.Places(catalogue.PlaceQuery{Text: "Mane", Limit: 1}); ps.Total != 0 {
		t.Fatalf("%d places match Mane; the test wants a village with none", ps.Total)
	}

	// Without JavaScript too.
	in.WantPage("/lieux?ou=Mane+%2804%29", 200, `id="passages"`, "Permanence numérique au village", "Salle des fêtes, Mane")
	// The unit, among the places near its base, says where it goes next.
	in.WantPage("/lieux?ou=Digne-les-Bains", 200, "Bus numérique des Alpes", "Salle des fêtes, Mane")

	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(in.Srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("ou")),
		chromedp.SendKeys(chromedp.ID("ou"), "Mane (04)"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("passages")),
	)
	heading := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("passages")))
	item := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`section.stops li.stop`)))
	if !strings.Contains(heading, "1 passage") || !strings.Contains(item, "Permanence numérique au village") ||
		!strings.Contains(item, "Salle des fêtes, Mane") || !strings.Contains(item, "Bus numérique des Alpes") {
		t.Errorf("stops from Mane: %q / %q; want the stop at the village hall, by the bus", heading, item)
	}
	// On the map, with the places.
	// The map loads Leaflet when it comes near the screen.
	uitest.CDPDo(t, ctx, chromedp.ScrollIntoView(chromedp.ID("carte")))
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('#carte .leaflet-marker-icon').length > 0`))
	titles := uitest.CDPRun(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#carte .leaflet-marker-icon')].map(m => m.title)`))
	found := false
	for _, title := range titles {
		found = found || title == "Permanence numérique au village"
	}
	if !found {
		t.Errorf("map markers %q; want the stop's", titles)
	}

	// Its page: where, and who runs it.
	uitest.CDPDo(t, ctx, chromedp.Click(chromedp.CSS(`section.stops li.stop h3 a`)), chromedp.WaitVisible(chromedp.CSS(`aside.side-col`)))
	where := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`aside.side-col`)))
	for _, want := range []string{"Salle des fêtes", "04300 Mane", "proposé par", "Bus numérique des Alpes"} {
		if !strings.Contains(where, want) {
			t.Errorf("event page's Où ? = %q; want %q", where, want)
		}
	}
	uitest.CDPDo(t, ctx, chromedp.ScrollIntoView(chromedp.ID("carte")))
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('#carte .leaflet-marker-icon').length === 1`))

	// The unit's page lists its next passages.
	uitest.CDPDo(t, ctx, chromedp.Click(chromedp.CSS(`aside.side-col a[href^="/lieux/"]`)), chromedp.WaitVisible(chromedp.ID("agenda")))
	if h := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("agenda"))); h != "Prochains passages de l'unité mobile" {
		t.Errorf("unit page heading = %q", h)
	}
	passages := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`ul.events`)))
	if !strings.Contains(passages, "Permanence numérique au village") || !strings.Contains(passages, "Salle des fêtes, Mane") {
		t.Errorf("unit page passages = %q; want the stop, its spot and commune", passages)
	}

	src := uitest.AxeSource(t)
	for _, path := range []string{"/lieux?ou=Mane+%2804%29", "/evenements/" + stop.ID, "/lieux/" + bus.ID} {
		uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")), chromedp.Sleep(300*time.Millisecond),
			chromedp.Evaluate[chromedp.Void](src))
		found := uitest.CDPRun(t, ctx, chromedp.Evaluate[[]uitest.AxeViolation](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`, chromedp.EvalAwaitPromise))
		for _, v := range found {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s violation %s (%s) at %v", path, v.Impact, v.ID, v.Help, v.Nodes)
			} else {
				t.Logf("%s: %s issue %s (%s) at %v", path, v.Impact, v.ID, v.Help, v.Nodes)
			}
		}
	}
}
