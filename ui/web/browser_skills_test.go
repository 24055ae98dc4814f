package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// A regional coordinator (instance B, which follows A) asks "Qui sait
// faire ?" for 3D printing around Marseille and finds the fablab that
// network A published, with A's name, its contact and a link to its
// page; the page passes axe.
func TestBrowserSkillFoundAcrossNetworks(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	a := uitest.NewPeer(t, "Arsenic 13", "arsenic13")
	b := uitest.NewPeer(t, "Région Sud", "paca")
	fablab := a.CreatePlace(map[string]any{"nom": "Fablab du Panier", "competences": []string{"impression-3d", "electronique"},
		"courriels": []string{"contact@fablab.example"}})
	b.CreatePlace(map[string]any{"nom": "Médiathèque régionale", "competences": []string{"sites-web"}, "pivot": "21130055300016",
		"adresse": "2 rue de la Loge", "code_postal": "13002", "latitude": 43.2970, "longitude": 5.3650})
	b.Follow(a)
	uitest.WaitFor(t, func() bool {
		res, _ := b.Store.Places(catalogue.PlaceQuery{Competences: []string{"impression-3d"}})
		return res.Total == 1
	}, "the region has Arsenic 13's fablab")

	uitest.CDPDo(t, ctx,
		chromedp.Navigate(b.Srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`footer a[href="/competences"]`)),
		chromedp.Click(chromedp.CSS(`footer a[href="/competences"]`)),
		chromedp.WaitVisible(chromedp.ID("competence")),
		chromedp.SetValue(chromedp.ID("competence"), "impression-3d"),
		chromedp.SendKeys(chromedp.ID("ou"), "Marseille"),
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)),
		chromedp.WaitVisible(chromedp.ID("resultats")),
	)
	loc := uitest.CDPRun(t, ctx, chromedp.Location())
	if u, _ := url.Parse(loc); u.Path != "/competences" || u.Query().Get("competence") != "impression-3d" || u.Query().Get("ou") != "Marseille" {
		t.Errorf("results at %s; want a shareable /competences?competence=impression-3d&ou=Marseille", loc)
	}
	if got := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("resultats"))); got != "1 structure trouvée" {
		t.Errorf("count = %q; want 1 structure trouvée", got)
	}
	item := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`ol.places li.place`)))
	for _, want := range []string{"Fablab du Panier", "Réseau : Arsenic 13", "Impression 3D", "Électronique et Arduino", "contact@fablab.example", "04\u00a091\u00a055\u00a090\u00a000"} {
		if !strings.Contains(item, want) {
			t.Errorf("result %q lacks %q", item, want)
		}
	}

	// The page passes axe, with results and without.
	const audit = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`
	for _, path := range []string{"", "/competences"} {
		if path != "" {
			uitest.CDPDo(t, ctx, chromedp.Navigate(b.Srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
		}
		uitest.CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](src))
		for _, v := range uitest.CDPRun(t, ctx, chromedp.Evaluate[[]uitest.AxeViolation](audit, chromedp.EvalAwaitPromise)) {
			if v.Impact == "serious" || v.Impact == "critical" || v.Impact == "moderate" {
				t.Errorf("%s: %s violation %s (%s) at %v", loc+path, v.Impact, v.ID, v.Help, v.Nodes)
			} else {
				t.Logf("%s: %s issue %s (%s) at %v", loc+path, v.Impact, v.ID, v.Help, v.Nodes)
			}
		}
	}

	// The result leads to the place's page on the region's instance.
	uitest.CDPDo(t, ctx,
		chromedp.Navigate(loc),
		chromedp.WaitVisible(chromedp.CSS(`ol.places li.place h3 a`)),
		chromedp.Click(chromedp.CSS(`ol.places li.place h3 a`)),
		chromedp.WaitVisible(chromedp.CSS(`article.place-page h1`)),
	)
	if h1 := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page h1`))); h1 != fablab.Nom {
		t.Errorf("place page h1 = %q; want %q", h1, fablab.Nom)
	}
	page := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.CSS(`article.place-page`)))
	if !strings.Contains(page, "Compétences partagées") || !strings.Contains(page, "Impression 3D") {
		t.Errorf("the place page does not list its skills:\n%s", page)
	}
}
