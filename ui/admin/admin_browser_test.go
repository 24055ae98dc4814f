package admin_test

// End-to-end tests of the editors' pages in a real headless Chromium, as
// browser_test.go does for the public pages: they skip without Chromium
// (or axe-core), and fail instead in CI (CI=true).

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// browserLogin logs in through the login form.
func browserLogin(t *testing.T, ctx context.Context, in *uitest.Instance, email string) {
	t.Helper()
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin"),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), uitest.Password),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.counts`)),
	)
}

func TestBrowserAdminEditorPublishesAPlaceAndAnEvent(t *testing.T) {
	ctx := uitest.NewBrowser(t)
	in := uitest.AdminInstance(t)
	browserLogin(t, ctx, in, uitest.EditorEmail)

	const name = "Tiers-lieu numérique de la Friche"
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin/lieux/nouveau"),
		chromedp.WaitVisible(chromedp.ID("nom")),
		chromedp.SendKeys(chromedp.ID("nom"), name),
		chromedp.SendKeys(chromedp.ID("pivot"), "43493312300052"),
		chromedp.SendKeys(chromedp.ID("adresse"), "41 rue Jobin"),
		chromedp.SendKeys(chromedp.ID("code_postal"), "13003"),
		chromedp.SendKeys(chromedp.ID("commune"), "Marseille"),
		chromedp.SendKeys(chromedp.ID("latitude"), "43.3117"),
		chromedp.SendKeys(chromedp.ID("longitude"), "5.3903"),
		chromedp.Click(chromedp.CSS(`input[name=services][value="Aide aux démarches administratives"]`)),
		chromedp.SetValue(chromedp.ID(uitest.GridField(2, 0, false)), "09:30"),
		chromedp.SetValue(chromedp.ID(uitest.GridField(2, 0, true)), "12:00"),
		chromedp.SetValue(chromedp.ID(uitest.GridField(3, 0, false)), "09:30"),
		chromedp.SetValue(chromedp.ID(uitest.GridField(3, 0, true)), "12:00"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/lieux/nouveau"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice.ok`)),
	)
	if msg := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`p.notice.ok`))); msg != "Le lieu a été enregistré." {
		t.Fatalf("after saving the place: %q", msg)
	}
	res, err := in.Store.Places(catalogue.PlaceQuery{Network: "local", Limit: 1})
	if err != nil || len(res.Items) != 1 {
		t.Fatalf("places %v %v", res, err)
	}
	pl := res.Items[0]
	if pl.Horaires != "We-Th 09:30-12:00" {
		t.Errorf("hours = %q", pl.Horaires)
	}

	const title = "Atelier premiers pas sur tablette"
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin/evenements/nouveau"),
		chromedp.WaitVisible(chromedp.ID("nom")),
		chromedp.SendKeys(chromedp.ID("nom"), title),
		chromedp.SetValue(chromedp.ID("lieu"), pl.ID),
		chromedp.SendKeys(chromedp.ID("description"), "Allumer, naviguer, installer une application."),
		chromedp.SetValue(chromedp.ID("debut_date"), "2026-07-16"),
		chromedp.SetValue(chromedp.ID("debut_heure"), "14:00"),
		chromedp.SetValue(chromedp.ID("fin_heure"), "16:00"),
	)
	// Without a repetition, its fields are hidden; weekly shows its own.
	shown := `(() => { const drawn = id => document.getElementById(id).getClientRects().length > 0;
		return [drawn('rep-hebdo'), drawn('rep-mensuel'), drawn('rep-fin'), drawn('rep-regle')].join(); })()`
	if got := uitest.CDPRun(t, ctx, chromedp.Evaluate[string](shown)); got != "false,false,false,false" {
		t.Errorf("once: repetition fields shown %s", got)
	}
	uitest.CDPDo(t, ctx, chromedp.Click(chromedp.ID("repetition-1")))
	if got := uitest.CDPRun(t, ctx, chromedp.Evaluate[string](shown)); got != "true,false,true,false" {
		t.Errorf("weekly: repetition fields shown %s", got)
	}
	uitest.CDPDo(t, ctx,
		chromedp.Click(chromedp.CSS(`input[name=jours][value=TH]`)),
		chromedp.SetValue(chromedp.ID("occurrences"), "4"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/evenements/nouveau"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.notice.ok`)),
	)
	if msg := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`p.notice.ok`))); msg != "L’événement a été enregistré." {
		t.Fatalf("after saving the event: %q", msg)
	}

	// The public search finds the place, the agenda shows the atelier.
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/lieux?q="+strings.ReplaceAll("Friche numérique", " ", "+")),
		chromedp.WaitVisible(chromedp.ID("resultats")),
	)
	if got := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`ol.places li.place h3 a`))); got != name {
		t.Errorf("public search shows %q; want %q", got, name)
	}
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/evenements"), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
	agenda := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`main`)))
	if !strings.Contains(agenda, title) || !strings.Contains(agenda, name) {
		t.Errorf("the agenda lacks the atelier or its place:\n%.2000s", agenda)
	}
}

// axeAudit runs axe-core on the page shown and reports serious and
// critical violations as errors, others in the log.
func axeAudit(t *testing.T, ctx context.Context, src string, what string) {
	t.Helper()
	const audit = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`
	uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](src))
	found := uitest.CDPRun(t, ctx, chromedp.Evaluate[[]uitest.AxeViolation](audit, chromedp.EvalAwaitPromise))
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: %s violation %s (%s) at %v", what, v.Impact, v.ID, v.Help, v.Nodes)
		} else {
			t.Logf("%s: %s issue %s (%s) at %v", what, v.Impact, v.ID, v.Help, v.Nodes)
		}
	}
}

func TestBrowserAdminAccessibilityAudit(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in := uitest.FedAdminInstance(t)
	alcazar, _, atelier := in.Marseille()
	if err := in.Store.PutFollower(storage.Follower{Actor: "https://a.example/users/a", Inbox: "https://a.example/inbox", State: storage.FollowPending}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := in.Store.Block("pourriel.example"); err != nil {
		t.Fatal(err)
	}
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/admin/connexion"), chromedp.WaitReady(chromedp.CSS("body")))
	axeAudit(t, ctx, src, "/admin/connexion")
	browserLogin(t, ctx, in, uitest.AdminEmail)
	for _, path := range []string{
		"/admin", "/admin/lieux", "/admin/lieux/nouveau", "/admin/lieux/" + alcazar.ID, "/admin/evenements",
		"/admin/evenements/nouveau", "/admin/evenements/" + atelier.ID, "/admin/signalements", "/admin/jetons", "/admin/comptes",
		"/admin/lieux/" + alcazar.ID + "/supprimer", "/admin/import", "/admin/reseaux", "/admin/moderation",
		"/admin/competences",
	} {
		uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
		axeAudit(t, ctx, src, path)
	}
	// The import's preview, with rejected rows and warnings.
	file, err := filepath.Abs("../../catalogue/standard/testdata/broken-v1.csv")
	if err != nil {
		t.Fatal(err)
	}
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin/import"),
		chromedp.SetUploadFiles(chromedp.ID("fichier"), []string{file}),
		chromedp.Click(chromedp.CSS(`form[action="/admin/import"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("rapport")),
	)
	axeAudit(t, ctx, src, "/admin/import preview")
	// The forms with their errors shown.
	for _, form := range []string{"/admin/lieux/nouveau", "/admin/evenements/nouveau"} {
		uitest.CDPDo(t, ctx,
			chromedp.Navigate(in.Srv.URL+form),
			chromedp.WaitVisible(chromedp.ID("nom")),
			chromedp.Click(chromedp.CSS(`form[action="`+form+`"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`div.problems`)),
		)
		axeAudit(t, ctx, src, form+" with errors")
	}
}
