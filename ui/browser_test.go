package ui

// End-to-end tests in a real headless Chromium, driven with chromedp: the
// search, the orientation sheet, keyboard-only use and an axe-core audit
// of every public page. They skip when Chromium (or, for the audit,
// testdata/axe/node_modules) is missing, and fail instead in CI (CI=true).
// scripts/test.sh installs both.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/sample"
)

// missing skips a test for want of a tool, or fails it in CI.
func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func chromiumPath() string {
	if p := os.Getenv("MAILLAGE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium for one test and returns the context
// of its tab.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		missing(t, "chromium is not installed (apt-get install chromium, or set MAILLAGE_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "fr-FR"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// seenRequest is a request as the server received it.
type seenRequest struct {
	Method, URI, Body string
	Header            http.Header
}

// requestLog keeps every request the server receives.
type requestLog struct {
	mu   sync.Mutex
	seen []seenRequest
	next http.Handler
}

func (rec *requestLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.mu.Lock()
	rec.seen = append(rec.seen, seenRequest{Method: r.Method, URI: r.RequestURI, Body: string(body), Header: r.Header.Clone()})
	rec.mu.Unlock()
	rec.next.ServeHTTP(w, r)
}

// browserInstance is an instance with a few hundred sample places and the
// Marseille fixtures, its map tiles asked of itself (no request leaves
// the machine), and a log of the requests it receives.
func browserInstance(t *testing.T) (*instance, *requestLog) {
	t.Helper()
	in := newInstance(t)
	rec := &requestLog{next: New(Config{Store: in.store, Logger: quietLog, Now: func() time.Time { return in.now },
		TileURL: in.srv.URL + "/tuiles/{z}/{x}/{y}.png"})}
	in.srv.Config.Handler = rec
	places := sample.Places(300, 1)
	for _, p := range places {
		p.Normalize()
	}
	if err := in.store.CreatePlaces(places); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(places))
	for i, p := range places {
		ids[i] = p.ID
	}
	if err := in.store.CreateEvents(sample.Events(ids, 300, in.now, 1)); err != nil {
		t.Fatal(err)
	}
	in.marseille()
	return in, rec
}

func cdpRun[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func cdpDo(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSearchToPlacePage(t *testing.T) {
	ctx := newBrowser(t)
	in, _ := browserInstance(t)
	cdpDo(t, ctx,
		chromedp.Navigate(in.srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("ou")),
		chromedp.SendKeys(chromedp.ID("ou"), "Mars"),
	)
	// The commune field suggests the catalogue's communes.
	cdpRun(t, ctx, chromedp.Poll[bool](`[...document.querySelectorAll('#communes option')].some(o => o.value === 'Marseille (13)')`))
	cdpDo(t, ctx,
		chromedp.SendKeys(chromedp.ID("ou"), "eille"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.places li.place h3 a`)),
	)
	loc := cdpRun(t, ctx, chromedp.Location())
	if u, _ := url.Parse(loc); u.Path != "/lieux" || u.Query().Get("ou") != "Marseille" {
		t.Errorf("results at %s; want a shareable /lieux?ou=Marseille", loc)
	}
	count := cdpRun(t, ctx, chromedp.Text(chromedp.ID("resultats")))
	if !strings.Contains(count, "trouvé") {
		t.Errorf("count = %q", count)
	}
	// The map shows the list's places.
	cdpRun(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('#carte .leaflet-marker-icon').length > 0`))
	items := cdpRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('ol.places li.place').length`))
	markers := cdpRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#carte .leaflet-marker-icon').length`))
	if markers != items {
		t.Errorf("%d markers for %d places", markers, items)
	}
	name := cdpRun(t, ctx, chromedp.Text(chromedp.CSS(`ol.places li.place h3 a`)))
	cdpDo(t, ctx,
		chromedp.Click(chromedp.CSS(`ol.places li.place h3 a`)),
		chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)),
	)
	if h1 := cdpRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page h1`))); h1 != name {
		t.Errorf("place page h1 = %q; want %q", h1, name)
	}
	cdpRun(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('#carte .leaflet-marker-icon').length === 1`))
}

func TestBrowserOrientationSheetNeverSendsTheName(t *testing.T) {
	ctx := newBrowser(t)
	in, rec := browserInstance(t)
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
	cdpDo(t, ctx,
		chromedp.Navigate(in.srv.URL+"/orientation"),
		chromedp.Click(chromedp.CSS(`input[name=service][value="Aide aux démarches administratives"]`)),
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("liste-courte")),
		chromedp.Click(chromedp.CSS(`form[action="/orientation/fiche"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("b-nom")),
		chromedp.SendKeys(chromedp.ID("b-nom"), name),
		chromedp.SendKeys(chromedp.ID("b-notes"), notes),
	)
	if got := cdpRun(t, ctx, chromedp.TextContent(chromedp.ID("p-nom"))); got != name {
		t.Errorf("printed name = %q; want %q", got, name)
	}
	places := cdpRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.sheet-place').length`))
	if places == 0 {
		t.Fatal("the sheet has no place")
	}
	// The print button prints; printed, the sheet shows the name and
	// notes and hides the fields and the navigation.
	cdpDo(t, ctx,
		chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1 }`),
		chromedp.Click(chromedp.ID("imprimer")),
	)
	if n := cdpRun(t, ctx, chromedp.Evaluate[int](`window.printed || 0`)); n != 1 {
		t.Errorf("print called %d times", n)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	shown := cdpRun(t, ctx, chromedp.Evaluate[map[string]string](`(() => {
		const drawn = sel => String(document.querySelector(sel).getClientRects().length > 0);
		return {person: drawn('.print-person'), fields: drawn('#beneficiaire'), nav: drawn('header.site'),
			text: document.querySelector('.print-person').innerText}; })()`))
	if shown["person"] != "true" || shown["fields"] != "false" || shown["nav"] != "false" ||
		!strings.Contains(shown["text"], name) || !strings.Contains(shown["text"], notes) {
		t.Errorf("printed sheet: %v", shown)
	}
	pdf := cdpRun(t, ctx, chromedp.PrintToPDF())
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Error("no PDF printed")
	}
	// Let any late request arrive, then look for the name everywhere.
	cdpDo(t, ctx, chromedp.Sleep(500*time.Millisecond))
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
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, r := range rec.seen {
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
	ctx := newBrowser(t)
	in, _ := browserInstance(t)
	cdpDo(t, ctx, chromedp.Navigate(in.srv.URL+"/lieux?ou=Marseille"), chromedp.WaitVisible(chromedp.ID("q")))

	// The first Tab reaches the skip link, visible and with a visible focus.
	cdpDo(t, ctx, chromedp.KeyEvent(kb.Tab))
	f := cdpRun(t, ctx, chromedp.Evaluate[focusState](focused))
	if f.Cls != "skip" || f.Top < 0 || f.Outline == "none" && f.Shadow == "none" {
		t.Fatalf("first Tab focuses %+v; want the visible skip link", f)
	}
	// Enter follows it: the focus moves to the main content.
	cdpDo(t, ctx, chromedp.KeyEvent(kb.Enter))
	if f := cdpRun(t, ctx, chromedp.Evaluate[focusState](focused)); f.ID != "contenu" {
		t.Fatalf("after the skip link, focus on %+v; want main#contenu", f)
	}
	// Tab then goes through the search fields, then the results.
	var order []string
	reached := map[string]int{}
	for i := 0; i < 80 && reached["result"] == 0; i++ {
		cdpDo(t, ctx, chromedp.KeyEvent(kb.Tab))
		f := cdpRun(t, ctx, chromedp.Evaluate[focusState](focused))
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
		if _, ok := reached[key]; !ok {
			reached[key] = i + 1
			order = append(order, key+"("+f.Tag+")")
		}
	}
	for _, id := range []string{"q", "service", "ou", "rayon", "result"} {
		if reached[id] == 0 {
			t.Errorf("Tab never reaches %s; order: %v", id, order)
		}
	}
	if !(reached["q"] < reached["ou"] && reached["ou"] < reached["result"]) {
		t.Errorf("focus order %v", order)
	}
	// Enter on a result opens its page.
	cdpDo(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)))

	// A whole search with the keyboard alone: type, Enter, Tab to a result.
	cdpDo(t, ctx, chromedp.Navigate(in.srv.URL+"/"), chromedp.WaitVisible(chromedp.ID("q")))
	for i := 0; i < 10; i++ {
		cdpDo(t, ctx, chromedp.KeyEvent(kb.Tab))
		if cdpRun(t, ctx, chromedp.Evaluate[focusState](focused)).ID == "q" {
			break
		}
	}
	cdpDo(t, ctx, chromedp.KeyEvent("mediatheque alcazar"), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("resultats")))
	if got := cdpRun(t, ctx, chromedp.Text(chromedp.ID("resultats"))); got != "1 lieu trouvé" {
		t.Errorf("keyboard search found %q", got)
	}
}

// axeViolation is one rule axe-core found broken, with the elements.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

func TestBrowserAccessibilityAudit(t *testing.T) {
	src, err := os.ReadFile("testdata/axe/node_modules/axe-core/axe.min.js")
	if err != nil {
		missing(t, "axe-core is not installed: run npm ci in ui/testdata/axe ("+err.Error()+")")
	}
	ctx := newBrowser(t)
	in, _ := browserInstance(t)
	alcazar, err := in.store.Places(catalogue.PlaceQuery{Text: "alcazar", Limit: 1})
	if err != nil || len(alcazar.Items) == 0 {
		t.Fatal("no Alcazar", err)
	}
	id := alcazar.Items[0].ID
	events, err := in.store.Events(catalogue.EventQuery{Place: id, From: in.now, Limit: 1})
	if err != nil || len(events.Items) == 0 {
		t.Fatal("no event", err)
	}
	svc := url.QueryEscape("Aide aux démarches administratives")
	pages := []string{
		"/", "/lieux", "/lieux?ou=Marseille&quand=maintenant", "/lieux?ou=Atlantide", "/lieux/" + id,
		"/evenements", "/evenements?vue=mois", "/evenements?vue=liste", "/evenements/" + events.Items[0].ID,
		"/reseaux", "/statistiques", "/statistiques?departement=13&tout=1", "/statistiques?departement=2C", "/orientation", "/orientation?service=" + svc + "&ou=Marseille",
		"/orientation/fiche?lieu=" + id, "/widget/lieux", "/widget/evenements", "/page-inconnue",
	}
	const audit = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`
	for _, path := range pages {
		cdpDo(t, ctx, chromedp.Navigate(in.srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
		if strings.Contains(path, "/lieux") || strings.Contains(path, "fiche") {
			// Let the map draw, so that it is audited too.
			cdpDo(t, ctx, chromedp.Sleep(300*time.Millisecond))
		}
		cdpDo(t, ctx, chromedp.Evaluate[chromedp.Void](string(src)))
		found := cdpRun(t, ctx, chromedp.Evaluate[[]axeViolation](audit, chromedp.EvalAwaitPromise))
		for _, v := range found {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%s: %s violation %s (%s) at %v", path, v.Impact, v.ID, v.Help, v.Nodes)
			} else {
				t.Logf("%s: %s issue %s (%s) at %v", path, v.Impact, v.ID, v.Help, v.Nodes)
			}
		}
	}
}
