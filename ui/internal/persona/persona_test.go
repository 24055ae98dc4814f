package persona_test

// One test per person, each following that person's path end to end in a
// real headless Chromium, on real instances (bbolt in t.TempDir() behind
// httptest servers; the federated ones sign and deliver for real). They
// skip without Chromium or axe-core, and fail instead in CI (CI=true).
//
// They wait on conditions (chromedp waits, polls, uitest.Eventually), never
// on fixed sleeps, and allow minutes, not seconds: the machine that runs
// them may be a loaded 2-core one.
//
// Each step is a function named after what the person does
// (atelierOnSheet, agendaForTheSenior, placeFormFits,
// eventPlaceSearchable, mobileStop, skillsAcrossNetworks), which acts
// through the pages and checks what the person sees there. A click that
// loads a page goes through submit, which waits for the new page, never
// for an element the old one already shows.

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// pathTimeout bounds one person's whole path in the browser: minutes, for
// a loaded 2-core machine.
const pathTimeout = 12 * time.Minute

// The two screens every search must work on.
var (
	phone  = screen{390, 844}
	laptop = screen{1366, 900}
)

type screen struct{ W, H int64 }

func (s screen) String() string { return fmt.Sprintf("%d×%d", s.W, s.H) }

// smartphone is the service a smartphone atelier offers.
const smartphone = "Maîtrise des outils numériques du quotidien"

// firstResultLine is the height of a result's first line (its name): it
// must be on the first screen.
const firstResultLine = 48

// box is where an element is on its page (its top and bottom, from the
// top of the page) and the screen's height; Top is -1 when it is missing.
type box struct {
	Top, Bottom, Screen float64
}

// where measures the element sel on the page shown.
func where(t *testing.T, ctx context.Context, sel string) box {
	t.Helper()
	return uitest.CDPRun(t, ctx, chromedp.Evaluate[box](fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		if (!e) return {Top: -1, Bottom: -1, Screen: window.innerHeight};
		const r = e.getBoundingClientRect();
		return {Top: r.top + window.scrollY, Bottom: r.bottom + window.scrollY, Screen: window.innerHeight};
	})()`, sel)))
}

// texts are the texts of the elements sel, in order (as drawn, or as
// written for those folded away).
func texts(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	return uitest.CDPRun(t, ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(e => (e.innerText || e.textContent).trim())`, sel)))
}

// submit does act (a click that loads another page) and waits for that
// page to be loaded and to show ready. The page shown before is marked
// first, so that its own elements are never taken for the new page's.
func submit(t *testing.T, ctx context.Context, act chromedp.Action[chromedp.Void], ready string) {
	t.Helper()
	uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](`window.maillageBefore = true`), act)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		// While the new page loads, the evaluation may fail: ask again.
		ask, cancel := context.WithTimeout(ctx, 20*time.Second)
		loaded, err := chromedp.Run(ask, chromedp.Evaluate[bool](`!window.maillageBefore && document.readyState !== 'loading'`))
		cancel()
		if err == nil && loaded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no new page after the click (last error: %v)", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	uitest.CDPDo(t, ctx, chromedp.WaitVisible(chromedp.CSS(ready)))
}

// check ticks the checkbox or radio sel, shown or folded away.
func check(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const e = document.querySelector(%q);
		if (!e) throw new Error('no ' + %q);
		e.checked = true;
		e.dispatchEvent(new Event('change', {bubbles: true}));
	})()`, sel, sel))
}

// TestPersonaSocialWorker: a social worker at a CCAS desk looks for a free
// smartphone atelier for a senior near Marseille. She searches with
// criteria; the first result is on the first screen, on her phone and on
// her laptop; the places open to everyone stay in a senior's search,
// after the one for seniors; she opens the place and sees its phone first;
// she puts it on an orientation sheet with its Wednesday atelier and
// prints it; the agenda, searched with the same criteria, gives the
// atelier on the first screen too.
func TestPersonaSocialWorker(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowserFor(t, pathTimeout)
	in, _ := uitest.BrowserInstance(t) // 300 sample places, the Marseille fixtures
	club := in.CreatePlace(map[string]any{
		"nom": "Club numérique seniors de Saint-Charles", "pivot": "21130055300057",
		"adresse": "12 rue Léon Gozlan", "code_postal": "13003", "code_insee": "13203",
		"latitude": 43.3060, "longitude": 5.3850, "telephone": "04 91 00 12 34",
		"horaires": "Mo-Fr 09:00-12:00,14:00-17:00", "services": []string{smartphone},
		"publics_specifiquement_adresses": []string{"Seniors"}, "frais_a_charge": []string{"Gratuit"},
	})
	general := in.CreatePlace(map[string]any{
		"nom": "Centre social Belsunce", "pivot": "21130055300065", "adresse": "8 rue Longue des Capucins",
		"latitude": 43.2985, "longitude": 5.3800, "services": []string{smartphone}, "frais_a_charge": []string{"Gratuit"},
	})
	atelier := in.CreateEvent(map[string]any{
		"nom": "Premiers pas sur smartphone", "description": "Appeler, envoyer une photo, installer une application.",
		"debut": "2026-07-15T14:00:00+02:00", "fin": "2026-07-15T16:00:00+02:00", "lieu": club.ID,
		"recurrence": "FREQ=WEEKLY;BYDAY=WE;COUNT=8", "services": []string{smartphone},
		"publics": []string{"Seniors"}, "frais_a_charge": []string{"Gratuit"}, "capacite": 6,
	})
	forAll := in.CreateEvent(map[string]any{
		"nom": "Smartphone pour tous", "description": "Questions libres sur son téléphone.",
		"debut": "2026-07-16T10:00:00+02:00", "fin": "2026-07-16T12:00:00+02:00", "lieu": general.ID,
		"services": []string{smartphone}, "frais_a_charge": []string{"Gratuit"},
	})

	// She fills the search form on her phone: what, where, how far, and
	// "Plus de critères": seniors, free.
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(phone.W, phone.H),
		chromedp.Navigate(in.Srv.URL+"/lieux"),
		chromedp.WaitVisible(chromedp.ID("ou")),
		chromedp.SetValue(chromedp.ID("service"), smartphone),
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
		chromedp.SetValue(chromedp.ID("rayon"), "10"),
		chromedp.Click(chromedp.CSS(`details.filters > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=public][value=Seniors]`)),
		chromedp.Click(chromedp.CSS(`input[name=public][value=Seniors]`)),
		chromedp.Click(chromedp.CSS(`input[name=frais][value=Gratuit]`)),
	)
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)), "#resultats")
	results := uitest.CDPRun(t, ctx, chromedp.Location())
	u, err := url.Parse(results)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/lieux" || q.Get("ou") != "Marseille" || q.Get("public") != "Seniors" || q.Get("frais") != "Gratuit" ||
		q.Get("radius_km") != "10" || q.Get("service") != smartphone {
		t.Fatalf("the form searched %s; want its criteria in a shareable /lieux URL", results)
	}
	resultsFirst(t, ctx, in, u.RequestURI(), "#resultats", `ol.places > li`, phone, laptop)
	uitest.AxeAudit(t, ctx, src, "the results")

	// A senior's search keeps the places open to everyone, after the ones
	// for seniors, which are marked.
	names := texts(t, ctx, `ol.places > li h3 a`)
	marked := uitest.CDPRun(t, ctx, chromedp.Evaluate[[]bool](
		`[...document.querySelectorAll('ol.places > li')].map(li => li.innerText.includes('Accueil spécifique : Seniors'))`))
	iClub, iGeneral := slices.Index(names, club.Nom), slices.Index(names, general.Nom)
	if iClub < 0 || iGeneral < 0 {
		t.Fatalf("results %q; want %q and the general-public %q", names, club.Nom, general.Nom)
	}
	if !marked[iClub] || marked[iGeneral] {
		t.Errorf("marks %v on %q; want the seniors' club marked and the social centre not", marked, names)
	}
	for i := 1; i < len(marked); i++ {
		if marked[i] && !marked[i-1] {
			t.Errorf("result %d (%q) is for seniors but comes after one open to everyone: %q", i+1, names[i], names)
		}
	}
	// The club's result shows its next atelier, free.
	item := texts(t, ctx, fmt.Sprintf(`ol.places > li:nth-child(%d)`, iClub+1))[0]
	if !strings.Contains(item, atelier.Nom) || !strings.Contains(item, "Gratuit") {
		t.Errorf("the club's result does not show its free atelier %q:\n%s", atelier.Nom, item)
	}

	// She opens the club's page on her phone: the phone number is on the
	// first screen, before the hours.
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(phone.W, phone.H),
		chromedp.Navigate(in.Srv.URL+u.RequestURI()),
		chromedp.WaitVisible(chromedp.ID("resultats")),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`[...document.querySelectorAll('ol.places > li h3 a')].find(a => a.textContent.trim() === %q).click()`, club.Nom)),
		chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)),
	)
	if h1 := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page h1`))); h1 != club.Nom {
		t.Fatalf("opened %q; want %q", h1, club.Nom)
	}
	tel, hours := where(t, ctx, `.essentials a[href^="tel:"]`), where(t, ctx, `#horaires`)
	if tel.Top < 0 || tel.Bottom > tel.Screen {
		t.Errorf("the phone ends at %.0f px; want it on the first screen (%.0f px)", tel.Bottom, tel.Screen)
	}
	if hours.Top >= 0 && hours.Top < tel.Bottom {
		t.Errorf("the hours (%.0f px) come before the phone (%.0f px)", hours.Top, tel.Bottom)
	}
	if got := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`.essentials a[href^="tel:"]`))); nbsp(got) != "04 91 00 12 34" {
		t.Errorf("phone shown as %q", got)
	}
	// The map is far below on a phone: Leaflet loads only when she
	// scrolls to it, and then shows the place.
	if m := where(t, ctx, `#carte`); m.Top > m.Screen+300 {
		if n := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('script[src*="leaflet"], link[href*="leaflet"]').length`)); n != 0 {
			t.Errorf("the place page loads Leaflet (%d files) with its map %.0f px down", n, m.Top)
		}
	}
	uitest.CDPDo(t, ctx, chromedp.ScrollIntoView(chromedp.ID("carte")))
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](`document.querySelectorAll('#carte .leaflet-marker-icon').length === 1`, chromedp.WithPollingTimeout(2*time.Minute)))
	uitest.AxeAudit(t, ctx, src, "the place page")

	// At her desk, she runs the same search on the orientation page,
	// keeps the club alone on the sheet and prints it.
	orientation := "/orientation?" + u.RawQuery
	resultsFirst(t, ctx, in, orientation, "#liste-courte", `ol.places > li`, phone, laptop)
	uitest.CDPDo(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('form[action="/orientation/fiche"] input[name=lieu]').forEach(e => e.checked = false)`),
		check(fmt.Sprintf(`form[action="/orientation/fiche"] input[name=lieu][value=%q]`, club.ID)),
		chromedp.Click(chromedp.CSS(`form[action="/orientation/fiche"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("b-nom")),
	)
	sheet := texts(t, ctx, `.sheet-place`)
	if len(sheet) != 1 || !strings.Contains(sheet[0], club.Nom) || !strings.Contains(nbsp(sheet[0]), "04 91 00 12 34") {
		t.Fatalf("the sheet holds %q; want the club alone, with its phone", sheet)
	}
	atelierOnSheet(t, ctx, in, club, atelier)
	uitest.AxeAudit(t, ctx, src, "the orientation sheet")
	uitest.CDPDo(t, ctx,
		chromedp.SendKeys(chromedp.ID("b-nom"), "Mme Arlette Roux"),
		chromedp.Evaluate[chromedp.Void](`window.print = () => { window.printed = (window.printed || 0) + 1 }`),
		chromedp.Click(chromedp.ID("imprimer")),
	)
	if n := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`window.printed || 0`)); n != 1 {
		t.Errorf("the print button printed %d times", n)
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	printed := uitest.CDPRun(t, ctx, chromedp.Evaluate[map[string]bool](`(() => {
		const drawn = sel => { const e = document.querySelector(sel); return !!e && e.getClientRects().length > 0; };
		return {place: drawn('.sheet-place'), atelier: drawn('.sheet-atelier'), person: drawn('.print-person'),
			nav: drawn('header.site'), fields: drawn('#beneficiaire')};
	})()`))
	if !printed["place"] || !printed["atelier"] || !printed["person"] || printed["nav"] || printed["fields"] {
		t.Errorf("printed, the sheet draws %v; want the place, the atelier and the person, not the navigation nor the fields", printed)
	}
	if pdf := uitest.CDPRun(t, ctx, chromedp.PrintToPDF()); !strings.HasPrefix(string(pdf), "%PDF") {
		t.Error("no PDF printed")
	}
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
		t.Fatal(err)
	}

	// The agenda, for the same need.
	agendaForTheSenior(t, ctx, in, src, atelier, forAll)
}

// resultsFirst opens path on each screen and checks that the criteria are
// folded into their one-line summary and that the first result (the
// first element result)'s first line is on the first screen, once the
// element ready is shown. It leaves the page open on the last screen.
func resultsFirst(t *testing.T, ctx context.Context, in *uitest.Instance, path, ready, result string, screens ...screen) {
	t.Helper()
	for _, s := range screens {
		uitest.CDPDo(t, ctx, chromedp.EmulateViewport(s.W, s.H), chromedp.Navigate(in.Srv.URL+path),
			chromedp.WaitVisible(chromedp.CSS(ready)))
		first := where(t, ctx, result)
		open := uitest.CDPRun(t, ctx, chromedp.Evaluate[bool](`document.querySelector('details#criteres').open`))
		switch {
		case first.Top < 0:
			t.Errorf("%s at %s: no result", path, s)
		case open:
			t.Errorf("%s at %s: the criteria are open after a search", path, s)
		case first.Top+firstResultLine > first.Screen:
			t.Errorf("%s at %s: the first result is at %.0f px, below the first screen (%.0f px)", path, s, first.Top, first.Screen)
		default:
			t.Logf("%s at %s: first result at %.0f px", path, s, first.Top)
		}
	}
}

// atelierOnSheet: the atelier goes onto an orientation sheet. From the
// club's page, its "Ajouter à une fiche d'orientation" link opens the
// orientation page with the atelier kept; she searches places for the
// same need there, keeps the club, and the sheet holds both: the club
// with its phone, the atelier with its next sessions and how to register
// (by the club's phone, the atelier having no link of its own).
func atelierOnSheet(t *testing.T, ctx context.Context, in *uitest.Instance, club catalogue.Place, atelier catalogue.Event) {
	t.Helper()
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(laptop.W, laptop.H),
		chromedp.Navigate(in.Srv.URL+"/lieux/"+club.ID), chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)))
	link := fmt.Sprintf(`article.place-page li.event a[href=%q]`, "/orientation?atelier="+atelier.ID)
	if got := texts(t, ctx, link); len(got) != 1 || !strings.HasPrefix(got[0], "Ajouter à une fiche d’orientation") {
		t.Fatalf("the club's page offers %q to put %q on a sheet; want one link", got, atelier.Nom)
	}
	submit(t, ctx, chromedp.Click(chromedp.CSS(link)), "#liste-courte")
	kept := fmt.Sprintf(`form[action="/orientation/fiche"] input[name=atelier][value=%q]`, atelier.ID)
	if !uitest.CDPRun(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.querySelector(%q) && document.querySelector(%q).checked`, kept, kept))) {
		t.Fatalf("/orientation from the atelier's link does not keep %q checked", atelier.Nom)
	}
	if notice := strings.Join(texts(t, ctx, `p.notice[role=status]`), "\n"); !strings.Contains(notice, "L’atelier choisi est gardé") {
		t.Errorf("/orientation from the atelier's link says %q; want that the atelier is kept", notice)
	}
	// The same need, near Marseille; the atelier stays chosen.
	uitest.CDPDo(t, ctx,
		check(fmt.Sprintf(`form.search input[name=service][value=%q]`, smartphone)),
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
	)
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)), `ol.places`)
	uitest.CDPDo(t, ctx,
		chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('form[action="/orientation/fiche"] input[name=lieu]').forEach(e => e.checked = false)`),
		check(fmt.Sprintf(`form[action="/orientation/fiche"] input[name=lieu][value=%q]`, club.ID)),
	)
	if !uitest.CDPRun(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.querySelector(%q) && document.querySelector(%q).checked`, kept, kept))) {
		t.Fatalf("after the search for places, %q is no longer checked", atelier.Nom)
	}
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/orientation/fiche"] button[type=submit]`)), `.sheet-atelier`)
	if loc := uitest.CDPRun(t, ctx, chromedp.Location()); !strings.Contains(loc, "/orientation/fiche?") || !strings.Contains(loc, "atelier="+atelier.ID) {
		t.Errorf("the sheet is at %s; want /orientation/fiche with the atelier", loc)
	}
	places := texts(t, ctx, `.sheet-place:not(.sheet-atelier) h2`)
	if len(places) != 1 || places[0] != club.Nom {
		t.Errorf("the sheet's places are %q; want the club alone", places)
	}
	ateliers := texts(t, ctx, `.sheet-atelier`)
	if len(ateliers) != 1 {
		t.Fatalf("the sheet holds %d ateliers; want %q", len(ateliers), atelier.Nom)
	}
	text := nbsp(ateliers[0])
	for _, want := range []string{atelier.Nom, club.Nom, "Prochaines séances", "mercredi 15 juillet 2026", "mercredi 22 juillet 2026",
		"Tarif : Gratuit", "S’inscrire", "Par téléphone : 04 91 00 12 34", "6 places"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet's atelier lacks %q:\n%s", want, text)
		}
	}
	if n := uitest.CDPRun(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('.sheet-atelier time').length`)); n < 2 {
		t.Errorf("the sheet prints %d sessions of the weekly atelier; want its next ones", n)
	}
}

// agendaCard is what the agenda shows of the ateliers searched.
type agendaCard struct {
	Cards  int      // cards of the atelier
	Dates  []string // the card's next dates (datetime)
	Marked bool     // marked as specifically for an audience
}

// agendaForTheSenior: the agenda, searched through its form on her phone
// for a free smartphone atelier for a senior within 10 km of Marseille.
// The first result is on the first screen on both screens; the weekly
// atelier for seniors is one card with its next dates; the atelier open
// to everyone is kept, unmarked; every atelier listed is free and within
// the radius. The atelier's page gives the place's phone.
func agendaForTheSenior(t *testing.T, ctx context.Context, in *uitest.Instance, src string, atelier, forAll catalogue.Event) {
	t.Helper()
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(phone.W, phone.H),
		chromedp.Navigate(in.Srv.URL+"/evenements"),
		chromedp.WaitVisible(chromedp.ID("ou")),
		chromedp.SetValue(chromedp.ID("service"), smartphone),
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
		chromedp.SetValue(chromedp.ID("rayon"), "10"),
		chromedp.Click(chromedp.CSS(`details.filters > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`input[name=public][value=Seniors]`)),
		chromedp.Click(chromedp.CSS(`input[name=public][value=Seniors]`)),
		chromedp.Click(chromedp.CSS(`input[name=frais][value=Gratuit]`)),
	)
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)), "#resultats")
	u, err := url.Parse(uitest.CDPRun(t, ctx, chromedp.Location()))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/evenements" || q.Get("ou") != "Marseille" || q.Get("public") != "Seniors" || q.Get("frais") != "Gratuit" ||
		q.Get("radius_km") != "10" || q.Get("service") != smartphone {
		t.Fatalf("the agenda's form searched %s; want its criteria in a shareable /evenements URL", u)
	}
	resultsFirst(t, ctx, in, u.RequestURI(), "#resultats", `section.results li.event`, phone, laptop)

	card := func(e catalogue.Event) agendaCard {
		t.Helper()
		return uitest.CDPRun(t, ctx, chromedp.Evaluate[agendaCard](fmt.Sprintf(`(() => {
			const cards = [...document.querySelectorAll('section.results li.event')].filter(li => li.querySelector(':is(h3, h5) > a[href=%q]'));
			const li = cards[0];
			return {Cards: cards.length, Dates: li ? [...li.querySelectorAll('.dates time')].map(e => e.getAttribute('datetime')) : [],
				Marked: !!li && !!li.querySelector('.specific')};
		})()`, "/evenements/"+e.ID)))
	}
	senior, open := card(atelier), card(forAll)
	if senior.Cards != 1 || len(senior.Dates) == 0 || !strings.HasPrefix(senior.Dates[0], "2026-07-22") || !senior.Marked {
		t.Errorf("the weekly atelier for seniors shows as %+v; want one card, marked, with its next dates from 22 July", senior)
	}
	if open.Cards != 1 || open.Marked {
		t.Errorf("the atelier open to everyone shows as %+v; want it kept in a senior's search, unmarked", open)
	}
	type shown struct {
		Title string
		Free  bool
		Km    float64 // -1 when no distance is shown
	}
	for _, c := range uitest.CDPRun(t, ctx, chromedp.Evaluate[[]shown](`[...document.querySelectorAll('section.results li.event')].map(li => {
		const d = li.querySelector('.where .muted');
		const m = d && d.textContent.match(/([0-9]+(?:,[0-9]+)?)\s*(km|m)\b/);
		return {Title: li.querySelector('a').textContent.trim(), Free: [...li.querySelectorAll('.badge')].some(b => b.textContent.trim() === 'Gratuit'),
			Km: m ? parseFloat(m[1].replace(',', '.')) / (m[2] === 'm' ? 1000 : 1) : -1};
	})`)) {
		if !c.Free || c.Km < 0 || c.Km > 10 {
			t.Errorf("the agenda lists %+v; want only free ateliers within 10 km, with their distance", c)
		}
	}
	uitest.AxeAudit(t, ctx, src, "the agenda")

	// She opens the atelier: its page gives the place's phone.
	submit(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`section.results li.event :is(h3, h5) > a[href=%q]`, "/evenements/"+atelier.ID))), `main h1`)
	if h1 := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`main h1`))); h1 != atelier.Nom {
		t.Fatalf("opened %q; want %q", h1, atelier.Nom)
	}
	if page := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(nbsp(page), "04 91 00 12 34") {
		t.Errorf("the atelier's page lacks its place's phone:\n%.1500s", page)
	}
}

// TestPersonaNetworkCoordinator: the coordinator of a departmental network
// logs in, creates a place without a SIRET, creates a weekly atelier at
// it, and finds both published: the place in the public search and its
// page, the atelier in the agenda and on its page. Her place form fits in
// three screens, she finds the event's place by typing its name, and she
// publishes a stop of the network's minibus in a village with no place,
// which the public search from that village finds.
func TestPersonaNetworkCoordinator(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowserFor(t, pathTimeout)
	in, _ := uitest.NetworkInstance(t, "Arsenic 13", "arsenic13")
	in.Marseille() // the network's places already in the catalogue
	bus := in.CreatePlace(map[string]any{"nom": "Bus numérique d’Arsenic 13", "pivot": "21130055300099",
		"adresse": "Place de l'Hôtel de Ville", "code_postal": "13100", "commune": "Aix-en-Provence", "code_insee": "13001",
		"latitude": 43.5297, "longitude": 5.4474, "itinerance": []string{"Itinérant"}, "telephone": "04 42 00 11 22"})
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(laptop.W, laptop.H))
	uitest.BrowserLogin(t, ctx, in, uitest.EditorEmail)

	const name = "Espace numérique de la Belle de Mai"
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin/lieux/nouveau"),
		chromedp.WaitVisible(chromedp.ID("nom")),
	)
	placeFormFits(t, ctx, in)
	uitest.AxeAudit(t, ctx, src, "the place form")
	// Every field by its id, whether its section is shown or folded.
	uitest.CDPDo(t, ctx,
		chromedp.SetValue(chromedp.ID("nom"), name),
		chromedp.SetValue(chromedp.ID("adresse"), "37 rue Guibal"),
		chromedp.SetValue(chromedp.ID("code_postal"), "13003"),
		chromedp.SetValue(chromedp.ID("commune"), "Marseille"),
		chromedp.SetValue(chromedp.ID("latitude"), "43.3128"),
		chromedp.SetValue(chromedp.ID("longitude"), "5.3899"),
		chromedp.SetValue(chromedp.ID("telephone"), "04 91 11 22 33"),
		check(`input[name=services][value="`+smartphone+`"]`),
		check(`input[name=frais_a_charge][value="Gratuit"]`),
		chromedp.SetValue(chromedp.ID(uitest.GridField(2, 0, false)), "14:00"),
		chromedp.SetValue(chromedp.ID(uitest.GridField(2, 0, true)), "17:00"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/lieux/nouveau"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice.ok`)),
	)
	if msg := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`p.notice.ok`))); msg != "Le lieu a été enregistré." {
		t.Fatalf("after saving the place: %q", msg)
	}
	res, err := in.Store.Places(catalogue.PlaceQuery{Network: "local", Text: "Belle de Mai", Limit: 2})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("the new place: %+v %v", res.Items, err)
	}
	place := *res.Items[0]
	if place.Pivot != catalogue.UnknownPivot {
		t.Errorf("saved without a SIRET, the pivot is %q; want the standard's placeholder", place.Pivot)
	}

	const title = "Atelier smartphone du mercredi"
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin/evenements/nouveau"),
		chromedp.WaitVisible(chromedp.ID("nom")),
	)
	eventPlaceSearchable(t, ctx, "belle de mai", place)
	uitest.CDPDo(t, ctx,
		chromedp.SetValue(chromedp.ID("nom"), title),
		chromedp.SetValue(chromedp.ID("description"), "Prendre en main son téléphone : appels, photos, messages."),
		chromedp.SetValue(chromedp.ID("debut_date"), "2026-07-15"),
		chromedp.SetValue(chromedp.ID("debut_heure"), "14:00"),
		chromedp.SetValue(chromedp.ID("fin_heure"), "16:00"),
		chromedp.Click(chromedp.ID("repetition-1")),
		check(`input[name=jours][value=WE]`),
		chromedp.SetValue(chromedp.ID("occurrences"), "6"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/evenements/nouveau"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice.ok`)),
	)
	if msg := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`p.notice.ok`))); msg != "L’événement a été enregistré." {
		t.Fatalf("after saving the atelier: %q", msg)
	}
	events, err := in.Store.Events(catalogue.EventQuery{Place: place.ID, From: in.Now, Limit: 1})
	if err != nil || len(events.Items) != 1 {
		t.Fatalf("the new atelier: %+v %v", events.Items, err)
	}
	atelier := events.Items[0]

	// Both are published: the public search finds the place, its page and
	// the agenda show the atelier, the atelier's page names the place.
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/lieux?q="+url.QueryEscape("Belle de Mai")),
		chromedp.WaitVisible(chromedp.ID("resultats")))
	if names := texts(t, ctx, `ol.places > li h3 a`); len(names) != 1 || names[0] != name {
		t.Errorf("the public search finds %q; want %q", names, name)
	}
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/lieux/"+place.ID), chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)))
	page := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(page, title) || strings.Contains(page, "SIRET") {
		t.Errorf("the place's public page lacks its atelier, or shows a SIRET:\n%.2000s", page)
	}
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/evenements"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if links := texts(t, ctx, `main a[href^="/evenements/"]`); slices.Index(links, title) < 0 {
		t.Errorf("the agenda lacks %q: %q", title, links)
	}
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/evenements/"+atelier.ID), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	if page := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(page, name) || !strings.Contains(nbsp(page), "04 91 11 22 33") {
		t.Errorf("the atelier's page lacks its place or the place's phone:\n%.2000s", page)
	}
	mobileStop(t, ctx, in, src, bus)
}

// maxFormScreens is how many screens the new place form may take.
const maxFormScreens = 3

// placeFormFits measures the new place form (the "done when":
// the place form's height is measured) on both screens, once its map is
// drawn: with its sections folded and its types of place in a filtered
// list, it fits in maxFormScreens screens. It leaves the form open on
// the laptop.
func placeFormFits(t *testing.T, ctx context.Context, in *uitest.Instance) {
	t.Helper()
	for _, s := range []screen{phone, laptop} {
		uitest.CDPDo(t, ctx, chromedp.EmulateViewport(s.W, s.H),
			chromedp.Navigate(in.Srv.URL+"/admin/lieux/nouveau"),
			chromedp.WaitVisible(chromedp.ID("nom")),
			chromedp.ScrollIntoView(chromedp.ID("carte-lieu")), chromedp.WaitVisible(chromedp.CSS("#carte-lieu.leaflet-container")))
		if where(t, ctx, `form[action="/admin/lieux/nouveau"]`).Top < 0 {
			t.Fatal("no place form")
		}
		page := uitest.CDPRun(t, ctx, chromedp.Evaluate[box](`({Top: 0, Bottom: document.documentElement.scrollHeight, Screen: window.innerHeight})`))
		screens := page.Bottom / page.Screen
		t.Logf("at %s, the place form's page is %.0f px tall, %.1f screens", s, page.Bottom, screens)
		if screens > maxFormScreens {
			t.Errorf("at %s, the place form's page is %.0f px tall, %.1f screens; want at most %d", s, page.Bottom, screens, maxFormScreens)
		}
	}
}

// placeChoice is what the event form's place field shows.
type placeChoice struct {
	Shown    []string
	Total    int
	Selected string
	Status   string
}

// eventPlaceSearchable chooses the event's place as a coordinator does
// in a long list: she types part of its name in the filter box over the
// list, the list keeps only the matching place, the count is announced,
// and Enter picks it.
func eventPlaceSearchable(t *testing.T, ctx context.Context, typed string, place catalogue.Place) {
	t.Helper()
	const state = `(() => { const s = document.getElementById('lieu'), o = Array.from(s.options).filter(o => o.value);
		return {Shown: o.filter(o => !o.hidden).map(o => o.textContent), Total: o.length, Selected: s.value,
			Status: document.getElementById('lieu-compte').textContent}; })()`
	uitest.CDPDo(t, ctx, chromedp.WaitVisible(chromedp.ID("lieu-filtre")), chromedp.SendKeys(chromedp.ID("lieu-filtre"), typed))
	// The filter answers as she types: wait for the count.
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](`document.getElementById('lieu-compte').textContent !== ''`, chromedp.WithPollingTimeout(time.Minute)))
	got := uitest.CDPRun(t, ctx, chromedp.Evaluate[placeChoice](state))
	if len(got.Shown) != 1 || !strings.HasPrefix(got.Shown[0], place.Nom) || got.Status != fmt.Sprintf("Un lieu correspond sur %d", got.Total) || got.Total < 2 {
		t.Errorf("the place list filtered by %q shows %q, %q; want %q alone among the %d, announced", typed, got.Shown, got.Status, place.Nom, got.Total)
	}
	uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('lieu-filtre').dispatchEvent(
		new KeyboardEvent('keydown', {key: 'Enter', bubbles: true, cancelable: true}))`))
	if got = uitest.CDPRun(t, ctx, chromedp.Evaluate[placeChoice](state)); got.Selected != place.ID {
		t.Fatalf("Enter on the only match chose %q; want %q (%s)", got.Selected, place.Nom, place.ID)
	}
}

// mobileStop: the coordinator publishes a stop of the network's minibus
// "à une autre adresse", the village hall of Vauvenargues, a village with
// no place; then, as anyone, the search from Vauvenargues finds it (on
// the map too), its page says where and who runs it, and the minibus's
// page lists it among its next passages. axe stays clean.
func mobileStop(t *testing.T, ctx context.Context, in *uitest.Instance, src string, bus catalogue.Place) {
	t.Helper()
	const title, village = "Permanence numérique à Vauvenargues", "Vauvenargues"
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin/evenements/nouveau"),
		chromedp.WaitVisible(chromedp.ID("nom")),
	)
	eventPlaceSearchable(t, ctx, "bus numerique", bus)
	uitest.CDPDo(t, ctx,
		chromedp.Click(chromedp.ID("ou-adresse")),
		chromedp.WaitVisible(chromedp.ID("etape_nom")),
		chromedp.SendKeys(chromedp.ID("etape_nom"), "Salle des fêtes"),
		chromedp.SendKeys(chromedp.ID("etape_adresse"), "Place de la Mairie"),
		chromedp.SendKeys(chromedp.ID("etape_code_postal"), "13126"),
		chromedp.SendKeys(chromedp.ID("etape_commune"), village),
		chromedp.SetValue(chromedp.ID("nom"), title),
		chromedp.SetValue(chromedp.ID("description"), "Le bus s’arrête devant la mairie : démarches en ligne, smartphone, courriels."),
		chromedp.SetValue(chromedp.ID("debut_date"), "2026-07-17"),
		chromedp.SetValue(chromedp.ID("debut_heure"), "10:00"),
		chromedp.SetValue(chromedp.ID("fin_heure"), "12:00"),
		check(`input[name=frais_a_charge][value="Gratuit"]`),
	)
	uitest.AxeAudit(t, ctx, src, "the event form at another address")
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/evenements/nouveau"] button[type=submit]`)), `p.notice.ok`)
	if msg := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`p.notice.ok`))); msg != "L’événement a été enregistré." {
		t.Fatalf("after saving the stop: %q", msg)
	}

	// Anyone searching from the village finds the stop, before the (far)
	// places.
	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(phone.W, phone.H),
		chromedp.Navigate(in.Srv.URL+"/lieux"),
		chromedp.WaitVisible(chromedp.ID("ou")),
		chromedp.SendKeys(chromedp.ID("ou"), village),
	)
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)), "#passages")
	heading := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("passages")))
	stops := texts(t, ctx, `section.stops li.stop`)
	if !strings.Contains(heading, "1 passage") || len(stops) != 1 || !strings.Contains(stops[0], title) ||
		!strings.Contains(stops[0], "Salle des fêtes, "+village) || !strings.Contains(stops[0], bus.Nom) {
		t.Fatalf("from %s: %q, %q; want the stop at the village hall, by the minibus", village, heading, stops)
	}
	uitest.CDPDo(t, ctx, chromedp.ScrollIntoView(chromedp.ID("carte")))
	uitest.CDPRun(t, ctx, chromedp.Poll[bool](fmt.Sprintf(`[...document.querySelectorAll('#carte .leaflet-marker-icon')].some(m => m.title === %q)`, title),
		chromedp.WithPollingTimeout(time.Minute)))
	uitest.AxeAudit(t, ctx, src, "the search from a village with a stop")

	// The stop's page: where, approximately, and who runs it.
	submit(t, ctx, chromedp.Click(chromedp.CSS(`section.stops li.stop h3 a`)), `aside.side-col`)
	if h1 := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`main h1`))); h1 != title {
		t.Fatalf("opened %q; want %q", h1, title)
	}
	side := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`aside.side-col`)))
	for _, want := range []string{"Salle des fêtes", "Place de la Mairie", "13126 " + village, "Emplacement approximatif", "proposé par", bus.Nom} {
		if !strings.Contains(side, want) {
			t.Errorf("the stop's page says %q; want %q", side, want)
		}
	}

	// The minibus's page lists its next passages.
	submit(t, ctx, chromedp.Click(chromedp.CSS(`aside.side-col a[href^="/lieux/"]`)), "#agenda")
	if h1 := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page h1`))); h1 != bus.Nom {
		t.Fatalf("opened %q; want the minibus's page", h1)
	}
	if h := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("agenda"))); h != "Prochains passages de l'unité mobile" {
		t.Errorf("the minibus's page heads its events %q", h)
	}
	if passages := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page ul.events`))); !strings.Contains(passages, title) ||
		!strings.Contains(passages, "Salle des fêtes, "+village) {
		t.Errorf("the minibus's passages: %q; want the stop at %s", passages, village)
	}
	uitest.AxeAudit(t, ctx, src, "the minibus's page")
}

// TestPersonaRegionalCoordinator: the coordinator of a regional instance
// follows a departmental network by its handle from /admin/reseaux. The
// two instances are real servers that sign and deliver to each other;
// the department's places then show in the region's aggregated search,
// labelled with their network, and on their own pages. A skill the
// department added to its fablab through its form is found on the
// region's "Qui sait faire ?" page.
func TestPersonaRegionalCoordinator(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowserFor(t, pathTimeout)
	a13, _ := uitest.NetworkInstance(t, "Arsenic 13", "arsenic13")
	paca, _ := uitest.NetworkInstance(t, "Région Sud numérique", "paca")
	joliette := a13.CreatePlace(map[string]any{"nom": "EPN de la Joliette", "pivot": "21130055300073",
		"adresse": "10 place de la Joliette", "code_postal": "13002", "code_insee": "13202",
		"latitude": 43.3045, "longitude": 5.3670})
	fablab := a13.CreatePlace(map[string]any{"nom": "Fablab du Panier", "pivot": "21130055300081",
		"adresse": "3 rue du Panier", "latitude": 43.2995, "longitude": 5.3695,
		"courriels": []string{"contact@fablab-panier.example"}, "competences": []string{"electronique"}})
	paca.CreatePlace(map[string]any{"nom": "Médiathèque régionale", "pivot": "21130055300016",
		"adresse": "2 rue de la Loge", "code_postal": "13002", "latitude": 43.2970, "longitude": 5.3650,
		"competences": []string{"impression-3d"}})
	paca.CreatePlace(map[string]any{"nom": "Tiers-lieu de Toulon", "pivot": "21830055300015",
		"adresse": "1 place de la Liberté", "code_postal": "83000", "commune": "Toulon", "code_insee": "83137",
		"latitude": 43.1242, "longitude": 5.9280})

	uitest.CDPDo(t, ctx, chromedp.EmulateViewport(laptop.W, laptop.H))
	skillOffered(t, ctx, a13, fablab, "impression-3d")
	uitest.BrowserLogin(t, ctx, paca, uitest.AdminEmail)
	handle := "arsenic13@" + strings.TrimPrefix(a13.Srv.URL, "http://")
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(paca.Srv.URL+"/admin/reseaux"),
		chromedp.WaitVisible(chromedp.ID("cible")),
		chromedp.SendKeys(chromedp.ID("cible"), handle),
		chromedp.Click(chromedp.CSS(`form[action="/admin/reseaux/suivre"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice.ok`)),
	)
	uitest.AxeAudit(t, ctx, src, "/admin/reseaux after a follow")

	// The follow is accepted and the department's catalogue arrives: the
	// region's search of Marseille lists both of its places.
	uitest.Eventually(t, ctx, paca, "/lieux?ou=Marseille",
		`['EPN de la Joliette', 'Fablab du Panier'].every(n => [...document.querySelectorAll('ol.places > li h3 a')].some(h => h.innerText.trim() === n))`,
		2*time.Minute)
	uitest.AxeAudit(t, ctx, src, "the aggregated search")
	// The region's own place is still there, beside the department's.
	uitest.CDPDo(t, ctx, chromedp.Navigate(paca.Srv.URL+"/lieux"), chromedp.WaitVisible(chromedp.ID("resultats")))
	all := texts(t, ctx, `ol.places > li h3 a`)
	for _, want := range []string{"EPN de la Joliette", "Fablab du Panier", "Tiers-lieu de Toulon"} {
		if !slices.Contains(all, want) {
			t.Errorf("the region's catalogue %q lacks %q", all, want)
		}
	}
	// The network filter offers the followed network.
	networks := texts(t, ctx, `select#network option`)
	if slices.Index(networks, "Arsenic 13") < 0 {
		t.Errorf("the network filter offers %q; want Arsenic 13", networks)
	}
	// The department's place has its page on the region, with its origin.
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(paca.Srv.URL+"/lieux?q="+url.QueryEscape("Joliette")),
		chromedp.WaitVisible(chromedp.CSS(`ol.places > li h3 a`)),
		chromedp.Click(chromedp.CSS(`ol.places > li h3 a`)),
		chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)),
	)
	if page := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`main`))); !strings.Contains(page, joliette.Nom) || !strings.Contains(page, "Arsenic 13") {
		t.Errorf("the Joliette's page on the region lacks its name or its network:\n%.2000s", page)
	}
	skillsAcrossNetworks(t, ctx, src, paca, fablab)
}

// skillOffered: the department's coordinator adds the skill to its
// fablab's through the place form. (Before the region follows: the
// region then reads the fablab as it is. Sent after, as an Update, at
// the tests' fixed clock, the edit would be dated no later than the
// version the region holds, and the region would keep either one.)
func skillOffered(t *testing.T, ctx context.Context, dept *uitest.Instance, fablab catalogue.Place, skill string) {
	t.Helper()
	uitest.BrowserLogin(t, ctx, dept, uitest.EditorEmail)
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(dept.Srv.URL+"/admin/lieux/"+fablab.ID),
		chromedp.WaitVisible(chromedp.ID("nom")),
		check(fmt.Sprintf(`input[name=competences][value=%q]`, skill)),
	)
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/lieux/`+fablab.ID+`"] button[type=submit]`)), `p.notice.ok`)
	if msg := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`p.notice.ok`))); msg != "Le lieu a été enregistré." {
		t.Fatalf("after adding the skill %s: %q", skill, msg)
	}
	if !uitest.CDPRun(t, ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector('input[name=competences][value=%q]').checked`, skill))) {
		t.Fatalf("the fablab's form, saved, does not offer %s", skill)
	}
}

// skillsAcrossNetworks: the regional coordinator asks "Qui sait faire ?"
// for 3D printing around Marseille through the /competences form and
// finds, across the two networks, the fablab with the department
// network's name and its contact, and the region's own place.
func skillsAcrossNetworks(t *testing.T, ctx context.Context, src string, region *uitest.Instance, fablab catalogue.Place) {
	t.Helper()
	// The department's catalogue reaches the region in its own time.
	const search = "/competences?competence=impression-3d&ou=Marseille"
	uitest.Eventually(t, ctx, region, search,
		fmt.Sprintf(`[...document.querySelectorAll('ol.places > li h3 a')].some(a => a.innerText.trim() === %q)`, fablab.Nom), 2*time.Minute)

	// The regional coordinator asks through the form.
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(region.Srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`footer a[href="/competences"]`)),
	)
	submit(t, ctx, chromedp.Click(chromedp.CSS(`footer a[href="/competences"]`)), "#competence")
	uitest.CDPDo(t, ctx,
		chromedp.SetValue(chromedp.ID("competence"), "impression-3d"),
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
	)
	submit(t, ctx, chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)), "#resultats")
	u, err := url.Parse(uitest.CDPRun(t, ctx, chromedp.Location()))
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/competences" || u.Query().Get("competence") != "impression-3d" || u.Query().Get("ou") != "Marseille" {
		t.Errorf("the skills form searched %s; want a shareable %s", u, search)
	}
	names := texts(t, ctx, `ol.places > li h3 a`)
	if !slices.Contains(names, "Médiathèque régionale") || !slices.Contains(names, fablab.Nom) {
		t.Fatalf("who does 3D printing around Marseille: %q; want the region's place and the department's fablab", names)
	}
	item := nbsp(texts(t, ctx, `ol.places > li`)[slices.Index(names, fablab.Nom)])
	for _, want := range []string{"Réseau : Arsenic 13", "Impression 3D", "Électronique et Arduino", "contact@fablab-panier.example", "04 91 55 90 00"} {
		if !strings.Contains(item, want) {
			t.Errorf("the fablab's result lacks %q:\n%s", want, item)
		}
	}
	uitest.AxeAudit(t, ctx, src, "the skills found across networks")

	// Its result leads to the fablab's page on the region, with its skills.
	submit(t, ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`ol.places > li:nth-child(%d) h3 a`, slices.Index(names, fablab.Nom)+1))), `article.place-page h1`)
	if h1 := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page h1`))); h1 != fablab.Nom {
		t.Fatalf("opened %q; want %q", h1, fablab.Nom)
	}
	if page := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page`))); !strings.Contains(page, "Compétences partagées") ||
		!strings.Contains(page, "Impression 3D") || !strings.Contains(page, "Arsenic 13") {
		t.Errorf("the fablab's page on the region lacks its skills or its network:\n%.2000s", page)
	}
}

// nbsp reads the no-break spaces of a text (phone numbers are written
// with them) as spaces.
func nbsp(s string) string { return strings.ReplaceAll(s, "\u00a0", " ") }
