package web_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// axeAudit runs axe-core as TestBrowserAccessibilityAudit does.
const axeAudit = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
	.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
		nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`

// TestBrowserAtelierOnOrientationSheet follows a social worker: in the
// agenda, the Wednesday smartphone atelier is one card with its next
// dates; "ajouter à une fiche d'orientation" keeps it while she looks for
// a place near Marseille; the sheet she prints holds the place and the
// atelier, with its next sessions and how to register. axe finds nothing
// serious on the way.
func TestBrowserAtelierOnOrientationSheet(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in, _ := uitest.BrowserInstance(t)
	found, err := in.Store.Events(catalogue.EventQuery{Text: "smartphone", From: in.Now, Limit: 1})
	if err != nil || len(found.Items) == 0 {
		t.Fatal("no smartphone atelier", err)
	}
	id := found.Items[0].ID
	card := `ul.events a[href="/evenements/` + id + `"]`
	audit := func(what string) {
		t.Helper()
		uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](src))
		for _, v := range uitest.CDPRun(t, ctx, chromedp.Evaluate[[]uitest.AxeViolation](axeAudit, chromedp.EvalAwaitPromise)) {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s violation %s (%s) at %v", what, v.Impact, v.ID, v.Help, v.Nodes)
			}
		}
	}

	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(in.Srv.URL+"/evenements?q=smartphone&ou=Marseille&frais=Gratuit"),
		chromedp.WaitVisible(chromedp.ID("resultats")))
	week := uitest.CDPRun(t, ctx, chromedp.Evaluate[map[string]any](`(() => {
		const cards = document.querySelectorAll('`+card+`');
		const li = cards[0] && cards[0].closest('li');
		return {cards: cards.length, dates: li ? li.querySelectorAll('.dates time').length : 0,
			text: li ? li.innerText : ''}; })()`))
	if week["cards"] != 1.0 || week["dates"] != 4.0 || !strings.Contains(week["text"].(string), "Prochaines dates") {
		t.Errorf("weekly view: the weekly atelier = %v; want one card with its next 4 dates", week)
	}
	audit("agenda")

	uitest.CDPDo(t, ctx,
		chromedp.Click(chromedp.CSS(`li.event a[href="/orientation?atelier=`+id+`"]`)),
		chromedp.WaitVisible(chromedp.ID("liste-courte")))
	if !uitest.CDPRun(t, ctx, chromedp.Evaluate[bool](`document.querySelector('input[type=checkbox][name=atelier][value="`+id+`"]').checked`)) {
		t.Error("the atelier added from the agenda is not checked on /orientation")
	}
	audit("orientation with an atelier")
	uitest.CDPDo(t, ctx,
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.places`)),
		chromedp.Click(chromedp.CSS(`form[action="/orientation/fiche"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.sheet-atelier`)),
		chromedp.Sleep(300*time.Millisecond), // the map
	)
	audit("sheet")
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed := uitest.CDPRun(t, ctx, chromedp.Evaluate[map[string]any](`(() => {
		const a = document.querySelector('.sheet-atelier');
		return {shown: a.getClientRects().length > 0, places: document.querySelectorAll('.sheet-place:not(.sheet-atelier)').length,
			sessions: a.querySelectorAll('time').length, text: a.innerText}; })()`))
	text, _ := printed["text"].(string)
	if printed["shown"] != true || printed["places"].(float64) < 1 || printed["sessions"] != 4.0 {
		t.Errorf("printed sheet: %v; want the places and the atelier with 4 sessions", printed)
	}
	for _, want := range []string{"Atelier smartphone", "Prochaines séances", "mercredi 15 juillet 2026", "S’inscrire",
		"En ligne : https://example.org/inscription", "Par téléphone : 04", "Par courriel : alcazar@example.org"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed atelier lacks %q:\n%s", want, text)
		}
	}
	uitest.CDPRun(t, ctx, chromedp.PrintToPDF())
}
