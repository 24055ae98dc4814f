package web_test

// End-to-end tests in a real headless Chromium, driven with chromedp: the
// search, the orientation sheet, keyboard-only use and an axe-core audit
// of every public page. They skip when Chromium (or, for the audit,
// testdata/axe/node_modules) is missing, and fail instead in CI (CI=true).
// scripts/test.sh installs both.

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestBrowserSearchToPlacePage(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in, _ := uitest.BrowserInstance(t)
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("ou")),
		chromedp.SendKeys(chromedp.ID("ou"), "Mars"),
	)
	// The commune field suggests the catalogue's communes.
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](`[...document.querySelectorAll('#communes option')].some(o => o.value === 'Marseille (13)')`))
	uitest.CDPDo(t, ctx,
		chromedp.SendKeys(chromedp.ID("ou"), "eille"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.places li.place h3 a`)),
	)
	loc := uitest.CDPRun(t, ctx, chromedp.Location())
	if u, _ := url.Parse(loc); u.Path != "/lieux" || u.Query().Get("ou") != "Marseille" {
		t.Errorf("results at %s; want a shareable /lieux?ou=Marseille", loc)
	}
	count := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("resultats")))
	if !strings.Contains(count, "trouvé") {
		t.Errorf("count = %q", count)
	}
	// The map shows the list's places.
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('#carte .leaflet-marker-icon').length > 0`))
	items := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('ol.places li.place').length`))
	markers := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#carte .leaflet-marker-icon').length`))
	if markers != items {
		t.Errorf("%d markers for %d places", markers, items)
	}
	name := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`ol.places li.place h3 a`)))
	uitest.CDPDo(t, ctx,
		chromedp.Click(chromedp.CSS(`ol.places li.place h3 a`)),
		chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)),
	)
	if h1 := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page h1`))); h1 != name {
		t.Errorf("place page h1 = %q; want %q", h1, name)
	}
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('#carte .leaflet-marker-icon').length === 1`))
}

func TestBrowserOrientationSheetNeverSendsTheName(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in, rec := uitest.BrowserInstance(t)
	const name, notes = "Gwendoline Quesnel-Bizet", "RSA à renouveler avant le 30"
	// Every request the browser makes, as it reports them.
	var mu sync.Mutex
	var sent []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request != nil {
			var b strings.Builder
			b.WriteString(e.Request.URL)
			for k, v := range e.Request.Headers {
				b.WriteString("\n" + k + ": " + fmt.Sprint(v))
			}
			for _, d := range e.Request.PostDataEntries {
				b.WriteString("\n" + string(d.Bytes))
			}
			mu.Lock()
			sent = append(sent, b.String())
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/orientation"),
		chromedp.Click(chromedp.CSS(`input[name=service][value="Aide aux démarches administratives"]`)),
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("liste-courte")),
		chromedp.Click(chromedp.CSS(`form[action="/orientation/fiche"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("b-nom")),
		chromedp.SendKeys(chromedp.ID("b-nom"), name),
		chromedp.SendKeys(chromedp.ID("b-notes"), notes),
	)
	if got := uitest.CDPRun(t, ctx, chromedp.TextContent(chromedp.ID("p-nom"))); got != name {
		t.Errorf("printed name = %q; want %q", got, name)
	}
	places := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.sheet-place').length`))
	if places == 0 {
		t.Fatal("the sheet has no place")
	}
	// The print button prints; printed, the sheet shows the name and
	// notes and hides the fields and the navigation.
	uitest.CDPDo(t, ctx,
		chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1 }`),
		chromedp.Click(chromedp.ID("imprimer")),
	)
	if n := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`window.printed || 0`)); n != 1 {
		t.Errorf("print called %d times", n)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shown := uitest.CDPRun(t, ctx, chromedp.Evaluate[map[string]string](`(() => {
		const drawn = sel => String(document.querySelector(sel).getClientRects().length > 0);
		return {person: drawn('.print-person'), fields: drawn('#beneficiaire'), nav: drawn('header.site'),
			text: document.querySelector('.print-person').innerText}; })()`))
	if shown["person"] != "true" || shown["fields"] != "false" || shown["nav"] != "false" ||
		!strings.Contains(shown["text"], name) || !strings.Contains(shown["text"], notes) {
		t.Errorf("printed sheet: %v", shown)
	}
	pdf := uitest.CDPRun(t, ctx, chromedp.PrintToPDF())
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Error("no PDF printed")
	}
	// Let any late request arrive, then look for the name everywhere.
	uitest.CDPDo(t, ctx, chromedp.Sleep(500*time.Millisecond))
	secrets := []string{name, notes, url.QueryEscape(name), url.PathEscape(name), url.QueryEscape(notes), url.PathEscape(notes), "Quesnel", "renouveler"}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) < 4 {
		t.Fatalf("only %d requests recorded", len(sent))
	}
	for _, s := range sent {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("the browser sent %q in:\n%s", secret, s)
			}
		}
	}
	rec.Mu.Lock()
	defer rec.Mu.Unlock()
	for _, r := range rec.Seen {
		all := r.Method + " " + r.URI + "\n" + r.Body
		for k, v := range r.Header {
			all += "\n" + k + ": " + strings.Join(v, ",")
		}
		for _, secret := range secrets {
			if strings.Contains(all, secret) {
				t.Errorf("the server received %q in:\n%s", secret, all)
			}
		}
	}
}

// focused describes the element that has the focus.
const focused = `(() => { const e = document.activeElement; return {
	id: e.id, tag: e.tagName.toLowerCase(), cls: e.className || '',
	text: (e.innerText || e.value || '').trim().slice(0, 60),
	inMain: !!e.closest('main'), result: !!e.closest('ol.places'),
	outline: getComputedStyle(e).outlineStyle, shadow: getComputedStyle(e).boxShadow,
	top: e.getBoundingClientRect().top }; })()`

type focusState struct {
	ID, Tag, Cls, Text string
	InMain, Result     bool
	Outline, Shadow    string
	Top                float64
}

func TestBrowserKeyboardOnlySearch(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in, _ := uitest.BrowserInstance(t)
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/lieux?ou=Marseille"), chromedp.WaitVisible(chromedp.ID("resultats")))

	// The first Tab reaches the skip link, visible and with a visible focus.
	uitest.CDPDo(t, ctx, chromedp.KeyEvent(kb.Tab))
	f := uitest.CDPRun(t, ctx, chromedp.Evaluate[focusState](focused))
	if f.Cls != "skip" || f.Top < 0 || f.Outline == "none" && f.Shadow == "none" {
		t.Fatalf("first Tab focuses %+v; want the visible skip link", f)
	}
	// Enter follows it: the focus moves to the main content.
	uitest.CDPDo(t, ctx, chromedp.KeyEvent(kb.Enter))
	if f := uitest.CDPRun(t, ctx, chromedp.Evaluate[focusState](focused)); f.ID != "contenu" {
		t.Fatalf("after the skip link, focus on %+v; want main#contenu", f)
	}
	// Tab then reaches the folded criteria, Enter unfolds them, and Tab
	// goes through the search fields, then the results.
	var order []string
	reached := map[string]int{}
	for i := 0; i < 80 && reached["result"] == 0; i++ {
		uitest.CDPDo(t, ctx, chromedp.KeyEvent(kb.Tab))
		f := uitest.CDPRun(t, ctx, chromedp.Evaluate[focusState](focused))
		if !f.InMain {
			t.Fatalf("Tab %d left the main content: %+v", i+1, f)
		}
		if f.Outline == "none" && f.Shadow == "none" {
			t.Errorf("Tab %d: no visible focus on %+v", i+1, f)
		}
		key := f.ID
		if f.Result {
			key = "result"
		}
		if f.Tag == "summary" && reached["summary"] == 0 {
			key = "summary"
			uitest.CDPDo(t, ctx, chromedp.KeyEvent(kb.Enter))
		}
		if _, ok := reached[key]; !ok {
			reached[key] = i + 1
			order = append(order, key+"("+f.Tag+")")
		}
	}
	for _, id := range []string{"summary", "q", "service", "ou", "rayon", "result"} {
		if reached[id] == 0 {
			t.Errorf("Tab never reaches %s; order: %v", id, order)
		}
	}
	if !(reached["summary"] < reached["q"] && reached["q"] < reached["ou"] && reached["ou"] < reached["result"]) {
		t.Errorf("focus order %v", order)
	}
	// Enter on a result opens its page.
	uitest.CDPDo(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)))

	// A whole search with the keyboard alone: type, Enter, Tab to a result.
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	for i := 0; i < 10; i++ {
		uitest.CDPDo(t, ctx, chromedp.KeyEvent(kb.Tab))
		if uitest.CDPRun(t, ctx, chromedp.Evaluate[focusState](focused)).ID == "q" {
			break
		}
	}
	uitest.CDPDo(t, ctx, chromedp.KeyEvent("mediatheque alcazar"), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("resultats")))
	if got := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("resultats"))); got != "1 lieu trouvé" {
		t.Errorf("keyboard search found %q", got)
	}
}

func TestBrowserAccessibilityAudit(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in, _ := uitest.BrowserInstance(t)
	alcazar, err := in.Store.Places(catalogue.PlaceQuery{Text: "alcazar", Limit: 1})
	if err != nil || len(alcazar.Items) == 0 {
		t.Fatal("no Alcazar", err)
	}
	id := alcazar.Items[0].ID
	events, err := in.Store.Events(catalogue.EventQuery{Place: id, From: in.Now, Limit: 1})
	if err != nil || len(events.Items) == 0 {
		t.Fatal("no event", err)
	}
	svc := url.QueryEscape("Aide aux démarches administratives")
	pages := []string{
		"/", "/lieux", "/lieux?ou=Marseille&quand=maintenant", "/lieux?ou=Atlantide", "/lieux/" + id,
		"/evenements", "/evenements?vue=mois", "/evenements?vue=liste", "/evenements/" + events.Items[0].ID,
		"/reseaux", "/statistiques", "/statistiques?departement=13&tout=1", "/statistiques?departement=2C", "/orientation", "/orientation?service=" + svc + "&ou=Marseille",
		"/orientation/fiche?lieu=" + id, "/widget/lieux", "/widget/evenements", "/page-inconnue",
		"/evenements?ou=Marseille&radius_km=20&frais=Gratuit&public=Seniors", "/orientation?atelier=" + events.Items[0].ID,
		"/orientation/fiche?lieu=" + id + "&atelier=" + events.Items[0].ID,
	}
	const audit = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`
	for _, path := range pages {
		uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
		if strings.Contains(path, "/lieux") || strings.Contains(path, "fiche") {
			// Let the map draw, so that it is audited too.
			uitest.CDPDo(t, ctx, chromedp.Sleep(300*time.Millisecond))
		}
		uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](src))
		found := uitest.CDPRun(t, ctx, chromedp.Evaluate[[]uitest.AxeViolation](audit, chromedp.EvalAwaitPromise))
		for _, v := range found {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s violation %s (%s) at %v", path, v.Impact, v.ID, v.Help, v.Nodes)
			} else {
				t.Logf("%s: %s issue %s (%s) at %v", path, v.Impact, v.ID, v.Help, v.Nodes)
			}
		}
	}
}
