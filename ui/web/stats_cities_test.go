package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestStatisticsArrondissementDetail: Marseille is one row of the
// communes, its places coded for the city counted with its
// arrondissements; its link opens the detail, every arrondissement with
// its places (none too), and those coded for the whole city apart. The
// filters are kept, and a commune without arrondissements is answered in
// French.
func TestStatisticsArrondissementDetail(t *testing.T) {
	in := uitest.NewInstance(t)
	for i, insee := range []string{"13201", "13201", "13205", "13055"} {
		in.CreatePlace(map[string]any{"nom": "Lieu " + insee, "pivot": "2113005530001" + string(rune('0'+i)), "code_insee": insee})
	}
	in.CreatePlace(map[string]any{"nom": "Fablab de Toulon", "pivot": "21830137300015", "code_insee": "83137", "code_postal": "83000", "commune": "Toulon"})

	body := in.WantPage("/statistiques", http.StatusOK,
		`<a class="detail" href="/statistiques?commune=Marseille#arrondissements" aria-label="Marseille : détail par arrondissement">détail par arrondissement</a>`)
	wantRows(t, "communes", section(t, body, "communes"), "Commune | Lieux | Part des lieux",
		"Marseille (13) détail par arrondissement | 4 | 80 %", "Toulon (83) | 1 | 20 %")
	if strings.Contains(body, `id="arrondissements"`) {
		t.Error("the detail is shown without being asked for")
	}

	body = in.WantPage("/statistiques?commune=marseille", http.StatusOK, `<meta name="robots" content="noindex">`,
		`<h2 id="arrondissements">Marseille par arrondissement</h2>`,
		"4 lieux à Marseille, dans 2 de ses 16 arrondissements.", `<a href="/statistiques#communes">Revenir à toutes les communes</a>`)
	want := []string{"Arrondissement | Lieux | Part des lieux de la ville",
		"1er arrondissement (13001) | 2 | 50 %", "2e arrondissement (13002) | 0 | 0 %", "3e arrondissement (13003) | 0 | 0 %",
		"4e arrondissement (13004) | 0 | 0 %", "5e arrondissement (13005) | 1 | 25 %"}
	for n := 6; n <= 16; n++ {
		want = append(want, fmt.Sprintf("%de arrondissement (130%02d) | 0 | 0 %%", n, n))
	}
	want = append(want, "Sans arrondissement précisé (code 13055) | 1 | 25 %")
	wantRows(t, "arrondissements", section(t, body, "arrondissements"), want...)

	// The filters stay on the links, and the detail counts what they keep.
	body = in.WantPage("/statistiques?departement=13&commune=13055", http.StatusOK,
		"4 lieux à Marseille", `href="/statistiques?departement=13#communes"`)
	in.WantPage("/statistiques?departement=13", http.StatusOK, `href="/statistiques?commune=Marseille&amp;departement=13#arrondissements"`)
	in.WantPage("/statistiques?departement=83&commune=Lyon", http.StatusOK, "0 lieu à Lyon, dans 0 de ses 9 arrondissements.")
	in.WantPage("/statistiques?commune=Toulon", http.StatusOK, "« Toulon » n’a pas d’arrondissements : seules Paris, Lyon et Marseille en ont.")
}

// TestBrowserStatisticsArrondissementsAudit: the communes with their
// detail link, and the detail of Marseille, pass axe; the link is reached
// by keyboard and leads to the detail's heading.
func TestBrowserStatisticsArrondissementsAudit(t *testing.T) {
	src := uitest.AxeSource(t)
	ctx := uitest.NewBrowser(t)
	in := uitest.NewInstance(t)
	in.Marseille()
	in.CreatePlace(map[string]any{"nom": "EPN du Panier", "pivot": "21130055300011", "code_insee": "13202", "code_postal": "13002"})
	const audit = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
			.map(v => v.id + ' at ' + v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ')))`
	for _, path := range []string{"/statistiques", "/statistiques?commune=Marseille", "/statistiques?commune=Toulon"} {
		uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")),
			chromedp.Evaluate[chromedp.Void](src))
		for _, v := range uitest.CDPRun(t, ctx, chromedp.Evaluate[[]string](audit, chromedp.EvalAwaitPromise)) {
			t.Errorf("%s: %s", path, v)
		}
	}
	uitest.CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+"/statistiques"), chromedp.WaitReady(chromedp.CSS("body")),
		chromedp.Focus(chromedp.CSS("a.detail")), chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.ID("arrondissements")))
	if got := uitest.CDPRun(t, ctx, chromedp.Text(chromedp.ID("arrondissements"))); got != "Marseille par arrondissement" {
		t.Errorf("after the detail link: heading %q", got)
	}
}
