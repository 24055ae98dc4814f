package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

const var83 = "https://var.example/actor"

// statsCatalogue holds five places in two départements (13 and 83) from
// two networks, two of them stale, and one upcoming event. It returns the
// ids of the stale places.
func statsCatalogue(t *testing.T, in *uitest.Instance) (alcazar, hyeres string) {
	t.Helper()
	if err := in.Store.SetSettings(storage.Settings{Name: "Arsenic 13", Handle: "arsenic13"}); err != nil {
		t.Fatal(err)
	}
	fresh := uitest.Monday.AddDate(0, -2, 0).Format("2006-01-02")
	old := uitest.Monday.AddDate(-2, 0, 0).Format("2006-01-02")
	in.CreatePlace(map[string]any{"nom": "EPN Belsunce", "pivot": "00000000000001", "date_maj": fresh,
		"services": []string{"Aide aux démarches administratives"}})
	a := in.CreatePlace(map[string]any{"nom": "Médiathèque de l'Alcazar", "date_maj": old})
	in.CreatePlace(map[string]any{"nom": "Cyberbase d'Aubagne", "pivot": "00000000000002", "commune": "Aubagne",
		"code_postal": "13400", "code_insee": "13005", "date_maj": fresh, "services": []string{"Aide aux démarches administratives"},
		"publics_specifiquement_adresses": []string{"Seniors"}, "dispositif_programmes_nationaux": []string{"Aidants Connect"}})
	in.CreateEvent(map[string]any{"nom": "Atelier smartphone", "debut": "2026-07-15T14:00:00+02:00",
		"fin": "2026-07-15T16:00:00+02:00", "lieu": a.ID})
	remote := func(n int, nom, commune, cp, insee string, updated int) *catalogue.Place {
		lat, lon := 43.12, 5.93
		p := &catalogue.Place{APID: fmt.Sprintf("https://var.example/lieux/%d", n), Nom: nom, Adresse: "1 rue X",
			CodePostal: cp, Commune: commune, CodeINSEE: insee, Latitude: &lat, Longitude: &lon,
			Services: []string{"Accès internet et matériel informatique"},
			Network:  catalogue.Network{Name: "Arsenic 83", Actor: var83}, Updated: uitest.Monday.AddDate(updated, 0, 0)}
		if err := in.Store.PutRemotePlace(fmt.Sprintf("https://var.example/activities/%d", n), p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	remote(1, "Fablab de Toulon", "Toulon", "83000", "83137", 0)
	h := remote(2, "EPN d'Hyères", "Hyères", "83400", "83069", -3)
	if err := in.Store.PutFollowing(storage.Following{ID: in.Srv.URL + "/f/1", Actor: var83, State: storage.FollowAccepted}); err != nil {
		t.Fatal(err)
	}
	if err := in.Store.PutActor(storage.RemoteActor{ID: var83, Name: "Arsenic 83", PreferredUsername: "arsenic83"}); err != nil {
		t.Fatal(err)
	}
	return a.ID, h.ID
}

// section is the part of a page from the element of id to the end of
// its section.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no element %s", id)
		return ""
	}
	end := strings.Index(body[i:], "</section>")
	if end < 0 {
		return body[i:]
	}
	return body[i : i+end]
}

// rows are the rows of the tables in html as text: the cells without
// markup, separated by " | ".
var cells = regexp.MustCompile(`<t[hd][^>]*>(.*?)</t[hd]>`)
var tags = regexp.MustCompile(`<[^>]+>`)

// nbsp writes no-break spaces as spaces, for reading.
var nbsp = strings.NewReplacer("\u00a0", " ", "\u202f", " ")

func rows(html string) []string {
	var out []string
	for _, tr := range strings.Split(html, "<tr>")[1:] {
		var cs []string
		for _, m := range cells.FindAllStringSubmatch(tr, -1) {
			cs = append(cs, strings.TrimSpace(nbsp.Replace(tags.ReplaceAllString(m[1], ""))))
		}
		out = append(out, strings.Join(cs, " | "))
	}
	return out
}

func wantRows(t *testing.T, name, html string, want ...string) {
	t.Helper()
	got := rows(html)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s rows:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStatisticsPage(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, hyeres := statsCatalogue(t, in)
	body := in.WantPage("/statistiques", 200, "Statistiques du catalogue",
		`<a href="/statistiques" aria-current="page">Statistiques</a>`,
		"5 lieux", "1 date d’atelier à venir", "60\u00a0% des lieux mis à jour depuis moins de 12 mois",
		"2 départements, 4 communes, 2 réseaux",
		`href="/api/v1/stats"`, `href="/export/lieux.csv"`)

	wantRows(t, "networks", section(t, body, "reseaux"),
		"Réseau | Lieux | Dates à venir", "Arsenic 13 | 3 | 1", "Arsenic 83 | 2 | 0")
	wantRows(t, "départements", section(t, body, "departements"),
		"Département | Lieux | Part des lieux", "13 — Bouches-du-Rhône | 3 | 60 %", "83 — Var | 2 | 40 %")
	wantRows(t, "communes", section(t, body, "communes"),
		"Commune | Lieux | Part des lieux", "Marseille (13) détail par arrondissement | 2 | 40 %", "Aubagne (13) | 1 | 20 %",
		"Hyères (83) | 1 | 20 %", "Toulon (83) | 1 | 20 %")
	wantRows(t, "services", section(t, body, "services"),
		"Type d’aide | Lieux | Part des lieux",
		"Accès internet et matériel informatique | 3 | 60 %", "Aide aux démarches administratives | 3 | 60 %")
	wantRows(t, "publics", section(t, body, "publics"), "Public | Lieux | Part des lieux", "Seniors | 1 | 20 %")
	wantRows(t, "labels", section(t, body, "labels"), "Label ou programme | Lieux | Part des lieux", "Aidants Connect | 1 | 20 %")
	if !strings.Contains(body, `href="/lieux?departement=13"`) || !strings.Contains(body, `href="/lieux?network=local"`) ||
		!strings.Contains(body, `href="/lieux?network=`+url.QueryEscape(var83)+`"`) || !strings.Contains(body, `href="/lieux?public=Seniors"`) {
		t.Errorf("the counts do not link to their places")
	}

	// Coverage gaps: the other départements of Provence-Alpes-Côte d'Azur,
	// and the services no place offers.
	gaps := section(t, body, "zones-blanches")
	for _, want := range []string{"Provence-Alpes-Côte d&#39;Azur</strong> (5 lieux) : 04 — Alpes-de-Haute-Provence, 05 — Hautes-Alpes, 06 — Alpes-Maritimes, 84 — Vaucluse",
		"<li>Loisirs et créations numériques</li>"} {
		if !strings.Contains(gaps, want) {
			t.Errorf("gaps lack %q:\n%s", want, gaps)
		}
	}
	for _, not := range []string{"13 — Bouches", "83 — Var", "Aide aux démarches administratives", "Occitanie"} {
		if strings.Contains(gaps, not) {
			t.Errorf("gaps show %q", not)
		}
	}

	// Freshness: per network, and the stale places, linked.
	fresh := section(t, body, "fraicheur")
	wantRows(t, "freshness", fresh, "Réseau | À jour | À mettre à jour | Part à jour",
		"Arsenic 13 | 2 | 1 | 66,7 %", "Arsenic 83 | 1 | 1 | 50 %")
	for _, want := range []string{"60\u00a0% des lieux ont été mis à jour depuis moins de 12 mois",
		"Fiches à mettre à jour : Arsenic 13", `<a href="/lieux/` + alcazar + `">Médiathèque de l&#39;Alcazar</a>, Marseille`,
		`<time datetime="2024-07-13">samedi 13 juillet 2024</time>`,
		"Fiches à mettre à jour : Arsenic 83", `<a href="/lieux/` + hyeres + `">EPN d&#39;Hyères</a>, Hyères`} {
		if !strings.Contains(fresh, want) {
			t.Errorf("freshness lacks %q:\n%s", want, fresh)
		}
	}

	// Twelve months later, every place is stale.
	in.Now = uitest.Monday.AddDate(1, 0, 1)
	in.WantPage("/statistiques", 200, "0\u00a0% des lieux mis à jour")
	in.Now = uitest.Monday
}

func TestStatisticsPageFilters(t *testing.T) {
	in := uitest.NewInstance(t)
	statsCatalogue(t, in)
	body := in.WantPage("/statistiques?departement=83", 200, "2 lieux", "0 date d’atelier à venir",
		"50\u00a0% des lieux mis à jour", "Sans objet pour un seul département.",
		`<option value="83" selected>83 — Var</option>`, `href="/api/v1/stats?departement=83"`,
		`href="/export/lieux.csv?departement=83"`, `<meta name="robots" content="noindex">`, "Voir tout le catalogue")
	wantRows(t, "départements", section(t, body, "departements"), "Département | Lieux | Part des lieux", "83 — Var | 2 | 100 %")
	if strings.Contains(body, "Médiathèque") {
		t.Error("departement=83 shows a place of 13")
	}

	q := "?network=" + url.QueryEscape(var83)
	body = in.WantPage("/statistiques"+q, 200, "2 lieux", `<option value="https://var.example/actor" selected>Arsenic 83</option>`,
		"Fiches à mettre à jour : Arsenic 83")
	wantRows(t, "networks", section(t, body, "reseaux"), "Réseau | Lieux | Dates à venir", "Arsenic 83 | 2 | 0")
	body = in.WantPage("/statistiques?network=local&departement=13", 200, "3 lieux", "1 date d’atelier à venir",
		`<option value="local" selected>Arsenic 13</option>`)
	wantRows(t, "networks", section(t, body, "reseaux"), "Réseau | Lieux | Dates à venir", "Arsenic 13 | 3 | 1")

	// An overseas collectivity outside the list stays chosen.
	in.WantPage("/statistiques?departement=988", 200, "0 lieu", `<option value="988" selected>988</option>`)

	// A département that does not exist is named, and no figure shown.
	body = in.WantPage("/statistiques?departement=Marseille", 400, "Certains critères sont à corriger",
		`href="#stats-departement"`, `aria-invalid="true"`, "département inconnu")
	if strings.Contains(body, `id="en-bref"`) {
		t.Error("figures shown for a bad filter")
	}
}

func TestStatisticsPageCutsLongLists(t *testing.T) {
	in := uitest.NewInstance(t)
	old := uitest.Monday.AddDate(-2, 0, 0).Format("2006-01-02")
	for i := 1; i <= 25; i++ {
		in.CreatePlace(map[string]any{"nom": fmt.Sprintf("Lieu %02d", i), "pivot": fmt.Sprintf("%014d", i),
			"commune": fmt.Sprintf("Commune %02d", i), "code_postal": "13100", "code_insee": fmt.Sprintf("13%03d", i),
			"date_maj": old})
	}
	body := in.WantPage("/statistiques", 200, "Voir tout (25 lignes)", "Et 15 autres fiches.",
		`href="/statistiques?tout=1#communes"`, `href="/statistiques?tout=1#perimes-1"`)
	if n := len(rows(section(t, body, "communes"))); n != 1+webStatsTop {
		t.Errorf("%d rows of communes; want the header and %d", n, webStatsTop)
	}
	if n := strings.Count(section(t, body, "fraicheur"), `<a href="/lieux/`); n != webStatsStaleShown {
		t.Errorf("%d stale places listed; want %d", n, webStatsStaleShown)
	}
	body = in.WantPage("/statistiques?tout=1", 200)
	if n := len(rows(section(t, body, "communes"))); n != 26 {
		t.Errorf("tout=1: %d rows of communes; want 26", n)
	}
	if n := strings.Count(section(t, body, "fraicheur"), `<a href="/lieux/`); n != 25 || strings.Contains(body, "autres fiches") {
		t.Errorf("tout=1: %d stale places listed; want 25", n)
	}
}

func TestStatisticsPageEmptyCatalogue(t *testing.T) {
	in := uitest.NewInstance(t)
	body := in.WantPage("/statistiques", 200, "0 lieu", "Le catalogue ne compte encore aucun lieu situé dans un département.")
	for _, id := range []string{`id="departements"`, `id="fraicheur"`, "<table"} {
		if strings.Contains(body, id) {
			t.Errorf("empty catalogue shows %s", id)
		}
	}
}

func TestStatisticsPageEscapes(t *testing.T) {
	in := uitest.NewInstance(t)
	uitest.Hostile(t, in) // markup in the site's, a network's and a place's names, services, publics, labels
	lat, lon := 43.3, 5.38
	stale := &catalogue.Place{Nom: uitest.Evil, Commune: uitest.Evil, CodePostal: "13001", CodeINSEE: "13201", Latitude: &lat, Longitude: &lon,
		DateMaj: uitest.Monday.AddDate(-2, 0, 0).Format("2006-01-02"), AutresLabels: []string{uitest.Evil}}
	if err := in.Store.CreatePlace(stale); err != nil {
		t.Fatal(err)
	}
	q := url.QueryEscape(uitest.Evil)
	for _, path := range []string{"/statistiques", "/statistiques?tout=1", "/statistiques?network=" + q,
		"/statistiques?departement=" + q + "&network=" + q, "/statistiques?network=" + url.QueryEscape("https://evil.example/actor")} {
		resp, body := in.Page(path)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		if m := uitest.RawMarkup.FindString(body); m != "" {
			t.Errorf("GET %s: unescaped %q", path, m)
		}
		if !strings.Contains(body, "&lt;script&gt;alert") {
			t.Errorf("GET %s: the hostile text is not shown escaped", path)
		}
	}
	_, body := in.Page("/statistiques")
	fresh := section(t, body, "fraicheur")
	if !strings.Contains(fresh, `<a href="/lieux/`+stale.ID+`">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</a>`) {
		t.Errorf("the stale place's name is not shown escaped:\n%s", fresh)
	}
	if !strings.Contains(section(t, body, "reseaux"), `<a href="/lieux?network=https%3A%2F%2Fevil.example%2Factor">&lt;script&gt;`) {
		t.Errorf("the hostile network's name is not shown escaped")
	}
	_, body = in.Page("/statistiques?network=" + q)
	if !strings.Contains(body, `<option value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" selected>`) {
		t.Errorf("the network parameter is not kept escaped in the form")
	}
}

// The statistics page's cuts, as the page states them: the 20 largest
// rows of a long table, the 10 stalest places.
const (
	webStatsTop        = 20
	webStatsStaleShown = 10
)
