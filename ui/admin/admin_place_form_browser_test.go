package admin_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// formHeight is the place form's page, measured in the browser.
type formHeight struct {
	Height, Screen float64
}

// maxFormScreens is how many screens the new place form may take.
const maxFormScreens = 3

// TestBrowserPlaceFormHeight: the new place form fits in a few screens,
// at 1366×900 and 390×844: its sections are folded but the essential
// two, and its 96 types of place are a filtered list. It was 5,237 px
// (5.8 screens) at 1366×900 and 7,712 px (9.1 screens) at 390×844 with
// every section open and every type shown; it is now 2,126 px (2.4
// screens) and 2,468 px (2.9 screens), 2,123 px at 390×844 without
// JavaScript (docs/BENCHMARKS.md).
func TestBrowserPlaceFormHeight(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in := uitest.AdminInstance(t)
	browserLogin(t, ctx, in, uitest.EditorEmail)
	for _, size := range []struct{ w, h int64 }{{1366, 900}, {390, 844}} {
		uitest.CDPDo(t, ctx, chromedp.EmulateViewport(size.w, size.h),
			chromedp.Navigate(in.Srv.URL+"/admin/lieux/nouveau"), chromedp.WaitVisible(chromedp.ID("nom")),
			chromedp.ScrollIntoView(chromedp.ID("carte-lieu")), chromedp.WaitVisible(chromedp.CSS("#carte-lieu.leaflet-container")))
		got := uitest.CDPRun(t, ctx, chromedp.Evaluate[formHeight](`({Height: document.documentElement.scrollHeight, Screen: window.innerHeight})`))
		t.Logf("%d×%d: %.0f px, %.1f screens", size.w, size.h, got.Height, got.Height/got.Screen)
		if got.Height > maxFormScreens*got.Screen {
			t.Errorf("%d×%d: the place form is %.0f px tall, %.1f screens; want at most %d", size.w, size.h, got.Height, got.Height/got.Screen, maxFormScreens)
		}
	}
	// Without JavaScript: the same sections, every type of place in its
	// scrolled list, the coordinates typed (no filter box, no map). The
	// page loads with scripts off; they are back on only to measure it.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/admin/lieux/nouveau"), chromedp.WaitReady(chromedp.ID("nom")))
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: false}); err != nil {
		t.Fatal(err)
	}
	type noScript struct {
		Height, Screen      float64
		Filter, Map, Checks bool
	}
	got := uitest.CDPRun(t, ctx, chromedp.Evaluate[noScript](`(() => { const drawn = sel => document.querySelector(sel).getClientRects().length > 0;
		return {Height: document.documentElement.scrollHeight, Screen: window.innerHeight,
			Filter: drawn('#typologie-filtre'), Map: drawn('#carte-lieu'), Checks: drawn('input[name=typologie]')}; })()`))
	t.Logf("390×844 without JavaScript: %.0f px, %.1f screens", got.Height, got.Height/got.Screen)
	if got.Filter || got.Map || !got.Checks {
		t.Errorf("without JavaScript: filter shown %v, map shown %v, types shown %v; want only the types", got.Filter, got.Map, got.Checks)
	}
	if got.Height > maxFormScreens*got.Screen {
		t.Errorf("390×844 without JavaScript: %.0f px, %.1f screens; want at most %d", got.Height, got.Height/got.Screen, maxFormScreens)
	}
}

// filterState is what a filtered list shows.
type filterState struct {
	Shown  int
	Status string
	Labels []string
}

// TestBrowserPlaceFormTypologyAndMap: the types of place are filtered as
// the editor types (accents and case ignored, the ticked ones kept), the
// count is announced, and a click on the map fills the latitude and
// longitude; the form passes axe with the filter in use.
func TestBrowserPlaceFormTypologyAndMap(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in := uitest.AdminInstance(t)
	browserLogin(t, ctx, in, uitest.EditorEmail)
	const state = `(() => { const shown = Array.from(document.querySelectorAll('#typologie-options .check')).filter(e => e.getClientRects().length > 0);
		return {Shown: shown.length, Status: document.getElementById('typologie-compte').textContent,
			Labels: shown.map(e => e.textContent.trim())}; })()`
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(1366, 900),
		chromedp.Navigate(in.Srv.URL+"/admin/lieux/nouveau"), chromedp.WaitVisible(chromedp.ID("typologie-filtre")),
		chromedp.ScrollIntoView(chromedp.ID("carte-lieu")), chromedp.WaitVisible(chromedp.CSS("#carte-lieu.leaflet-container")),
		chromedp.SendKeys(chromedp.ID("typologie-filtre"), "MEDIATHEQUE"))
	got := uitest.CDPRun(t, ctx, chromedp.Evaluate[filterState](state))
	if got.Shown != 1 || got.Labels[0] != "Bibliothèque / Médiathèque" || got.Status != "Un choix affiché sur 96" {
		t.Errorf("filtered by MEDIATHEQUE: %q %q; want the library alone, announced", got.Status, got.Labels)
	}
	// Enter sends nothing: it moves to the only match, which space ticks.
	// (Enter's keydown alone: the DevTools protocol sends its keypress to
	// the element focused meanwhile, which no keyboard does.)
	uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('typologie-filtre').dispatchEvent(
		new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}))`), chromedp.KeyEvent(" "))
	if checked := uitest.CDPRun(t, ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=typologie][value=BIB]').checked`)); !checked {
		t.Error("Enter then space did not tick the only match")
	}
	uitest.CDPDo(t, ctx, typeInto("typologie-filtre", "france serv"))
	got = uitest.CDPRun(t, ctx, chromedp.Evaluate[filterState](state))
	if got.Shown != 2 || !slices.Contains(got.Labels, "Bibliothèque / Médiathèque") {
		t.Errorf("filtered by france serv: %+v; want France Services and the ticked library", got)
	}
	axeAudit(t, ctx, src, "/admin/lieux/nouveau with the filter in use")
	uitest.CDPDo(t, ctx, typeInto("typologie-filtre", ""))
	if got = uitest.CDPRun(t, ctx, chromedp.Evaluate[filterState](state)); got.Shown != 96 || got.Status != "" {
		t.Errorf("filter emptied: %+v; want every type", got)
	}

	// A click on the map places the marker and fills the coordinates.
	uitest.CDPDo(t, ctx, chromedp.ScrollIntoView(chromedp.ID("carte-lieu")), chromedp.Click(chromedp.ID("carte-lieu")),
		chromedp.WaitVisible(chromedp.CSS("#carte-lieu .leaflet-marker-icon")))
	type coords struct{ Lat, Lon string }
	c := uitest.CDPRun(t, ctx, chromedp.Evaluate[coords](`({Lat: document.getElementById('latitude').value, Lon: document.getElementById('longitude').value})`))
	lat, errLat := strconv.ParseFloat(c.Lat, 64)
	lon, errLon := strconv.ParseFloat(c.Lon, 64)
	if errLat != nil || errLon != nil || lat < 41 || lat > 52 || lon < -5 || lon > 10 {
		t.Errorf("after a click on the map of France: latitude %q, longitude %q", c.Lat, c.Lon)
	}
}

// typeInto replaces the value of the input of id as typing would, with
// its input event.
func typeInto(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.getElementById(%q); e.value = %q;
		e.dispatchEvent(new Event('input', {bubbles: true})); })()`, id, value))
}

// placeChoice is what the event form's place list shows.
type placeChoice struct {
	Shown    []string
	Selected string
	Status   string
}

// TestBrowserEventFormPlaceSearch: the event form's place list is
// filtered by what the editor types (name or commune, accents ignored);
// Enter picks the only match, and the list passes axe meanwhile.
func TestBrowserEventFormPlaceSearch(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in := uitest.AdminInstance(t)
	alcazar, aix, _ := in.Marseille()
	in.CreatePlace(map[string]any{"nom": "Cyberbase d'Aubagne", "pivot": "21130005300015", "commune": "Aubagne",
		"code_postal": "13400", "code_insee": "13005"})
	browserLogin(t, ctx, in, uitest.EditorEmail)
	const state = `(() => { const s = document.getElementById('lieu');
		return {Shown: Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.textContent),
			Selected: s.value, Status: document.getElementById('lieu-compte').textContent}; })()`
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/admin/evenements/nouveau"), chromedp.WaitVisible(chromedp.ID("lieu-filtre")),
		chromedp.SendKeys(chromedp.ID("lieu-filtre"), "marseille"))
	got := uitest.CDPRun(t, ctx, chromedp.Evaluate[placeChoice](state))
	if len(got.Shown) != 1 || got.Shown[0] != alcazar.Nom+" (Marseille)" || got.Status != "Un lieu correspond sur 3" {
		t.Errorf("filtered by marseille: %q %q; want the Alcazar alone, announced", got.Status, got.Shown)
	}
	axeAudit(t, ctx, src, "/admin/evenements/nouveau with the place filter in use")
	uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('lieu-filtre').dispatchEvent(
		new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}))`))
	if got = uitest.CDPRun(t, ctx, chromedp.Evaluate[placeChoice](state)); got.Selected != alcazar.ID {
		t.Errorf("Enter on the only match: %+v; want the Alcazar chosen", got)
	}
	uitest.CDPDo(t, ctx, typeInto("lieu-filtre", "AIX"))
	// The place chosen stays in the list, whatever the filter.
	if got = uitest.CDPRun(t, ctx, chromedp.Evaluate[placeChoice](state)); strings.Join(got.Shown, "|") != aix.Nom+" (Aix-en-Provence)|"+alcazar.Nom+" (Marseille)" {
		t.Errorf("filtered by AIX: %+v; want France Services d'Aix, and the Alcazar chosen", got)
	}
	uitest.CDPDo(t, ctx, typeInto("lieu-filtre", "nulle part"))
	if got = uitest.CDPRun(t, ctx, chromedp.Evaluate[placeChoice](state)); len(got.Shown) != 1 || got.Status != "Aucun lieu ne correspond : essayez un autre mot." {
		t.Errorf("filtered by nulle part: %+v", got)
	}
	uitest.CDPDo(t, ctx, typeInto("lieu-filtre", ""))
	if got = uitest.CDPRun(t, ctx, chromedp.Evaluate[placeChoice](state)); len(got.Shown) != 3 || got.Selected != alcazar.ID {
		t.Errorf("filter emptied: %+v; want the three places, the Alcazar still chosen", got)
	}
}

// TestBrowserEventFormFindsAPlaceBeyondTheList: with more of other
// networks' places than the list offers (1,000), the filter box asks the
// API for those that match, and one found that way can be chosen and
// saved.
func TestBrowserEventFormFindsAPlaceBeyondTheList(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in := uitest.AdminInstance(t)
	const actor = "https://var.example/actor"
	var objs []storage.Remote
	for i := range 1001 {
		lat, lon := 43.12, 5.93
		objs = append(objs, storage.Remote{Place: &catalogue.Place{APID: fmt.Sprintf("https://var.example/lieux/%d", i),
			Nom: fmt.Sprintf("Lieu varois %04d", i), Adresse: "1 rue X", CodePostal: "83000", Commune: "Toulon", CodeINSEE: "83137",
			Latitude: &lat, Longitude: &lon, Network: catalogue.Network{Name: "Arsenic 83", Actor: actor}, Updated: in.Now}})
	}
	lat, lon := 43.12, 5.93
	zebulon := &catalogue.Place{APID: "https://var.example/lieux/zebulon", Nom: "Zébulon numérique", Adresse: "2 rue Y",
		CodePostal: "83000", Commune: "Toulon", CodeINSEE: "83137", Latitude: &lat, Longitude: &lon,
		Network: catalogue.Network{Name: "Arsenic 83", Actor: actor}, Updated: in.Now}
	objs = append(objs, storage.Remote{Place: zebulon})
	if err := in.Store.PutRemote("https://var.example/activities/1", objs...); err != nil {
		t.Fatal(err)
	}
	browserLogin(t, ctx, in, uitest.EditorEmail)
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/admin/evenements/nouveau"), chromedp.WaitVisible(chromedp.ID("lieu-filtre")))
	if n := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#lieu option[value]:not([value=""])').length`)); n != 1000 {
		t.Fatalf("%d places offered; want the first 1,000", n)
	}
	uitest.CDPDo(t, ctx, chromedp.SendKeys(chromedp.ID("lieu-filtre"), "zebulon"),
		chromedp.WaitReady(chromedp.CSS(`#lieu option[value="`+zebulon.ID+`"]`)))
	if got := uitest.CDPRun(t, ctx, chromedp.Evaluate[string](`document.getElementById('lieu-compte').textContent`)); got != "Un lieu correspond sur 1001" {
		t.Errorf("status after the API's answer: %q", got)
	}
	uitest.CDPDo(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.getElementById('lieu-filtre').dispatchEvent(
			new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}))`),
		chromedp.SendKeys(chromedp.ID("nom"), "Atelier au Zébulon"),
		chromedp.SetValue(chromedp.ID("debut_date"), "2026-07-16"),
		chromedp.SetValue(chromedp.ID("debut_heure"), "14:00"),
		chromedp.SetValue(chromedp.ID("fin_heure"), "16:00"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/evenements/nouveau"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice.ok`)))
	res, err := in.Store.Events(catalogue.EventQuery{Text: "Zébulon", From: in.Now, Limit: 1})
	if err != nil || len(res.Items) != 1 || res.Items[0].Lieu != zebulon.ID {
		t.Fatalf("event saved: %+v %v; want at the Zébulon (%s)", res.Items, err, zebulon.ID)
	}
}
