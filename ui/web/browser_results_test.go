package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// firstResult is where a page's first result is, and its criteria.
type firstResult struct {
	Top, Height float64
	Open        bool
	Summary     string
	Found       bool
}

// firstLine is the height of a result's first line (its name), which must
// be on the first screen.
const firstLine = 48

// TestBrowserResultsFirst: after a search with criteria, the form folds
// into one line of what is active and the first result is within the
// first screen, on a phone (390×844) and a laptop (1366×900), on /lieux,
// /orientation and the agenda. The folding is the server's: the same
// pages with JavaScript off stay folded (TestCriteriaFoldWithoutJavaScript).
func TestBrowserResultsFirst(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in, _ := uitest.BrowserInstance(t)
	svc := url.QueryEscape("Maîtrise des outils numériques du quotidien")
	pages := []struct{ path, first, active string }{
		{"/lieux?ou=Marseille&frais=Gratuit&public=Seniors&radius_km=10&service=" + svc, "ol.places > li", "Gratuit · Seniors"},
		{"/orientation?ou=Marseille&frais=Gratuit&public=Seniors&service=" + svc, "ol.places > li", "Gratuit · Seniors"},
		{"/evenements?q=smartphone&ou=Marseille&vue=semaine", "ul.events > li", "« smartphone » · Marseille (13)"},
		{"/evenements?ou=Marseille&radius_km=20&frais=Gratuit&public=Seniors", "ul.events > li", "Marseille (13) · 20 km · Gratuit · Seniors"},
	}
	for _, size := range []struct{ w, h int64 }{{390, 844}, {1366, 900}} {
		uitest.CDPDo(t, ctx, chromedp.EmulateViewport(size.w, size.h))
		for _, pg := range pages {
			uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+pg.path), chromedp.WaitReady(chromedp.CSS("body")))
			got := uitest.CDPRun(t, ctx, chromedp.Evaluate[firstResult](fmt.Sprintf(`(() => {
				const first = document.querySelector(%q);
				const d = document.querySelector('details#criteres');
				return {Top: first ? first.getBoundingClientRect().top + window.scrollY : -1,
					Height: window.innerHeight, Open: d.open, Found: !!first,
					Summary: d.querySelector('summary').textContent};
			})()`, pg.first)))
			what := fmt.Sprintf("%s at %d×%d", pg.path, size.w, size.h)
			if !got.Found {
				t.Errorf("%s: no result (%s)", what, pg.first)
				continue
			}
			if got.Open {
				t.Errorf("%s: the criteria are open after a search", what)
			}
			if !strings.Contains(got.Summary, pg.active) || !strings.Contains(got.Summary, "modifier") {
				t.Errorf("%s: summary %q; want %q and modifier", what, got.Summary, pg.active)
			}
			if got.Top+firstLine > got.Height {
				t.Errorf("%s: first result at %.0f px, its first line not on the first screen (%.0f px)", what, got.Top, got.Height)
			} else {
				t.Logf("%s: first result at %.0f px of %.0f", what, got.Top, got.Height)
			}
		}
	}
}

// TestCriteriaFoldWithoutJavaScript: the server renders the criteria
// closed after a search, with the line of what is active, and open before
// a search or when a criterion is wrong.
func TestCriteriaFoldWithoutJavaScript(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	const closed = `<details class="criteria" id="criteres">`
	const open = `<details class="criteria" id="criteres" open>`
	for _, c := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/lieux?ou=Marseille&frais=Gratuit&public=Seniors&radius_km=10", 200, []string{closed, "Vos critères :</span> Marseille (13) · 10 km · Gratuit · Seniors · <span class=\"modify\">modifier</span>"}},
		{"/orientation?ou=Marseille&quand=maintenant", 200, []string{closed, "Marseille (13) · Ouvert maintenant"}},
		{"/evenements?q=smartphone&du=2026-07-01", 200, []string{closed, "« smartphone » · du mercredi 1er juillet 2026"}},
		{"/lieux", 200, []string{open, "Critères de recherche"}},
		{"/orientation", 200, []string{open}},
		{"/evenements", 200, []string{open}},
		{"/lieux?ou=Marseille&quand=date&date=hier", 400, []string{open}},
	} {
		in.WantPage(c.path, c.status, c.want...)
	}
	if _, body := in.Page("/"); strings.Contains(body, "criteres") {
		t.Error("the home page folds its form; it has no search to show")
	}
}

// TestBrowserPlacePageOnAPhone: on a phone (390×844), a place's page shows
// its status, address, itinerary link, phone and e-mail on the first
// screen; hours, services and events follow.
func TestBrowserPlacePageOnAPhone(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in, _ := uitest.BrowserInstance(t)
	alcazar := in.CreatePlace(map[string]any{"nom": "EPN de la Belle de Mai", "pivot": "21130055300032",
		"courriels": []string{"epn@example.org"}, "presentation_resume": strings.Repeat("Un espace public numérique. ", 7)})
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(in.Srv.URL+"/lieux/"+alcazar.ID),
		chromedp.WaitReady(chromedp.CSS("body")))
	const bottoms = `(() => Object.fromEntries(Object.entries({
		status: '.page-head .status', address: '.essentials .address', route: '.essentials a[href*="directions"]',
		phone: '.essentials a[href^="tel:"]', email: '.essentials a[href^="mailto:"]', hours: '#horaires'})
		.map(([k, sel]) => { const e = document.querySelector(sel); return [k, e ? e.getBoundingClientRect().bottom + window.scrollY : -1]; })))()`
	got := uitest.CDPRun(t, ctx, chromedp.Evaluate[map[string]float64](bottoms))
	for _, k := range []string{"status", "address", "route", "phone", "email"} {
		if got[k] < 0 || got[k] > 844 {
			t.Errorf("the %s ends at %.0f px; want it on the first screen (844 px): %v", k, got[k], got)
		}
	}
	if got["hours"] < got["email"] {
		t.Errorf("the hours come before the contact: %v", got)
	}
	t.Logf("bottoms at 390×844: %v", got)
}
