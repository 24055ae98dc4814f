package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestEveryPublicPageRenders(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, _, atelier := in.Marseille()
	for _, c := range []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Trouver de l’aide avec le numérique", `action="/lieux"`, `href="#contenu"`, "Aide aux démarches administratives"}},
		{"/lieux", 200, []string{"2 lieux trouvés", "Médiathèque de l&#39;Alcazar", "France Services d&#39;Aix", `id="carte"`}},
		{"/lieux/" + alcazar.ID, 200, []string{"<h1>Médiathèque de l&#39;Alcazar</h1>", "Bibliothèque / Médiathèque", "Signaler une erreur",
			`name="csrf"`, "Atelier smartphone", "Aidants Connect", "alcazar@example.org", "04\u00a091\u00a055\u00a090\u00a000", "application/ld+json"}},
		{"/evenements", 200, []string{"Atelier smartphone", "Permanence impôts", "Semaine du lundi 13 juillet", "/export/evenements.ics", "/feed/evenements.atom"}},
		{"/evenements/" + atelier.ID, 200, []string{"<h1>Atelier smartphone</h1>", "Tous les mercredis", "S’inscrire", "8 places", "Médiathèque de l&#39;Alcazar"}},
		{"/reseaux", 200, []string{"Les réseaux", "Ce réseau publie 2 lieux"}},
		{"/statistiques", 200, []string{"Statistiques du catalogue", "2 lieux", "13 — Bouches-du-Rhône", "Fraîcheur des informations"}},
		{"/orientation", 200, []string{"Orienter une personne", "jamais envoyés", `action="/orientation"`}},
		{"/orientation?service=" + url.QueryEscape("Aide aux démarches administratives"), 200, []string{"Lieux proposés", `action="/orientation/fiche"`, `name="lieu"`}},
		{"/orientation/fiche?lieu=" + alcazar.ID, 200, []string{"Fiche d’orientation", `<svg class="qr"`, "/orientation/fiche?lieu=" + alcazar.ID}},
		{"/widget/lieux", 200, []string{`<base target="_blank">`, "Médiathèque de l&#39;Alcazar", in.Srv.URL + "/lieux/" + alcazar.ID}},
		{"/widget/evenements", 200, []string{"Atelier smartphone", in.Srv.URL + "/evenements/" + atelier.ID}},
		{"/lieux/inconnu", 404, []string{"Page introuvable"}},
		{"/evenements/inconnu", 404, []string{"Page introuvable"}},
		{"/nulle-part", 404, []string{"Page introuvable"}},
	} {
		in.WantPage(c.path, c.status, c.want...)
	}
}

func TestPagesSendSecurityHeaders(t *testing.T) {
	in := uitest.NewInstance(t)
	resp, _ := in.Page("/")
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'self'", "img-src 'self' data: https://tile.openstreetmap.org"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if resp.Header.Get("X-Frame-Options") != "SAMEORIGIN" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers = %v", resp.Header)
	}
	// Widgets are made to be framed anywhere.
	resp, _ = in.Page("/widget/lieux")
	if resp.Header.Get("X-Frame-Options") != "" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
		t.Errorf("widget headers = %v", resp.Header)
	}
}

func TestTileURLIsConfigurable(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Srv.Config.Handler = ui.New(ui.Config{Store: in.Store, Now: func() time.Time { return in.Now }, Logger: uitest.QuietLog,
		TileURL: "https://{s}.tiles.example.fr/{z}/{x}/{y}.png", TileAttribution: "© Exemple"})
	in.CreatePlace(nil)
	resp, body := in.Page("/lieux")
	if !strings.Contains(body, `data-tiles="https://{s}.tiles.example.fr/{z}/{x}/{y}.png"`) || !strings.Contains(body, `data-attribution="© Exemple"`) {
		t.Errorf("the map does not use the configured tiles")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "https://*.tiles.example.fr") {
		t.Errorf("CSP %q does not allow the tiles", csp)
	}
}

func TestSearchPageFilters(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	for _, c := range []struct {
		query string
		want  []string
		not   []string
	}{
		{"q=mediatheque", []string{"1 lieu trouvé", "Alcazar"}, []string{"Aix</a>"}},
		{"service=" + url.QueryEscape("Aide aux démarches administratives"), []string{"2 lieux trouvés"}, nil},
		// Places open to everyone are kept, after those for seniors.
		{"public=Seniors", []string{"2 lieux trouvés", "Alcazar", "Accueil spécifique : Seniors"}, nil},
		{"public=Seniors&specialise=1", []string{"1 lieu trouvé", "Alcazar"}, []string{"Aix"}},
		{"frais=Gratuit", []string{"1 lieu trouvé", "Alcazar"}, nil},
		{"label=" + url.QueryEscape("Aidants Connect"), []string{"1 lieu trouvé"}, nil},
		{"itinerant=1", []string{"1 lieu trouvé", "France Services d&#39;Aix"}, nil},
		// Monday 10:00: Aix is open, the Alcazar (Tu-Sa 11-19) is not.
		{"quand=maintenant", []string{"1 lieu trouvé", "France Services d&#39;Aix", "Ouvert · ferme à 12\u00a0h"}, nil},
		// Saturday: only the Alcazar.
		{"quand=samedi", []string{"1 lieu trouvé", "Alcazar"}, nil},
		// Tuesday 14 July is a public holiday: the Alcazar is closed
		// (PH off); Aix's hours have no PH rule, so it is open.
		{"quand=date&date=2026-07-14", []string{"1 lieu trouvé", "Aix"}, nil},
		{"quand=date&date=2026-07-15&heure=18:00", []string{"1 lieu trouvé", "Alcazar"}, nil},
		{"ou=Marseille", []string{"1 lieu trouvé", "Autour de Marseille (13)", "Alcazar"}, nil},
		{"ou=13100&radius_km=50", []string{"2 lieux trouvés"}, nil},
		{"ou=13", []string{"2 lieux trouvés"}, nil},
		{"near=43.30,5.38&radius_km=5", []string{"1 lieu trouvé", "Recherche autour de la position indiquée"}, nil},
		{"network=local", []string{"2 lieux trouvés"}, nil},
	} {
		body := in.WantPage("/lieux?"+c.query, 200, c.want...)
		for _, n := range c.not {
			if strings.Contains(body, n) {
				t.Errorf("/lieux?%s holds %q", c.query, n)
			}
		}
		// The URL is the search: the share link carries the filters.
		if !strings.Contains(body, "Lien de cette recherche") {
			t.Errorf("/lieux?%s: no share link", c.query)
		}
	}
}

func TestSearchPageExplainsWhatItCannotRead(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	for _, c := range []struct{ query, want string }{
		{"ou=Atlantide", "Aucune commune de France ne porte ce nom"},
		{"ou=Marseile", "Marseille (13)"}, // unknown as written: suggestions
		{"ou=Mars", "Mars (07)"},          // homonyms: choose one
		{"service=Cuisine", "valeur inconnue « Cuisine »"},
		{"quand=date&date=demain", "date attendue"},
		{"quand=date&date=2026-07-15&heure=midi", "heure attendue"},
		{"near=500,5&radius_km=3", "LAT,LON attendu"},
	} {
		body := in.WantPage("/lieux?"+c.query, http.StatusBadRequest, c.want, "Certains critères sont à corriger")
		if !strings.Contains(body, `aria-invalid="true"`) && !strings.Contains(c.query, "service") && !strings.Contains(c.query, "near") {
			t.Errorf("/lieux?%s: no field marked invalid", c.query)
		}
	}
}

func TestSearchPagination(t *testing.T) {
	in := uitest.NewInstance(t)
	for i := 0; i < page.PageSize+5; i++ {
		in.CreatePlace(map[string]any{"nom": "Lieu " + string(rune('A'+i))})
	}
	body := in.WantPage("/lieux", 200, "25 lieux trouvés", `rel="next"`)
	next := regexp.MustCompile(`href="(/lieux\?cursor=[^"]+)" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no next link")
	}
	body = in.WantPage(strings.ReplaceAll(next[1], "&amp;", "&"), 200, "Lieu Y", "Revenir au début")
	if strings.Contains(body, ">Lieu A<") {
		t.Error("second page repeats the first")
	}
	// Filters the index does not know page with an offset.
	body = in.WantPage("/lieux?quand=samedi", 200, "25 lieux trouvés", "cursor=o20")
	if c := strings.Count(body, `class="place"`); c != page.PageSize {
		t.Errorf("first page of quand=samedi has %d places", c)
	}
	body = in.WantPage("/lieux?quand=samedi&cursor=o20", 200, "25 lieux trouvés")
	if c := strings.Count(body, `class="place"`); c != 5 {
		t.Errorf("second page of quand=samedi has %d places; want 5", c)
	}
}

func TestCommuneSuggestions(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	var got []string
	if st := in.Do("GET", "/communes?q=aix", nil, &got); st != 200 || len(got) == 0 || got[0] != "Aix-en-Provence (13)" {
		t.Errorf("GET /communes?q=aix = %d %v; want Aix-en-Provence first", st, got)
	}
	if st := in.Do("GET", "/communes?q=1319", nil, &got); st != 200 || len(got) == 0 || got[0] != "Allauch (13)" {
		t.Errorf("GET /communes?q=1319 = %d %v; want the communes of postal codes 1319x", st, got)
	}
	if st := in.Do("GET", "/communes?q=cuques", nil, &got); st != 200 || len(got) != 1 || got[0] != "Plan-de-Cuques (13)" {
		t.Errorf("GET /communes?q=cuques = %d %v; want a word inside the name to match", st, got)
	}
	// Every commune of France is known, with or without a place, at once.
	if st := in.Do("GET", "/communes?q=allau", nil, &got); st != 200 || len(got) != 1 || got[0] != "Allauch (13)" {
		t.Errorf("GET /communes?q=allau = %d %v; want Allauch, which has no place", st, got)
	}
}

// A commune without a place gives the nearest places, with their distance.
func TestSearchAroundACommuneWithoutPlaces(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	// Allauch is 12 km from the Alcazar: nothing within 10 km.
	in.WantPage("/lieux?ou=Allauch", 200, "Aucun lieu à moins de 10 km. Voici les plus proches, avec leur distance depuis Allauch (13).",
		"Alcazar", "· à 12", "France Services d&#39;Aix", "· à 20")
	// Within a distance asked for: an ordinary search around.
	in.WantPage("/lieux?ou=13380&radius_km=20", 200, "Autour de Plan-de-Cuques (13)", "Alcazar")
	// A place created without coordinates is placed at its commune's
	// centre, and found around it.
	in.CreatePlace(map[string]any{"nom": "EPN d'Allauch", "pivot": "00000000000000", "adresse": "1 place de la Mairie", "commune": "Allauch", "code_postal": "13190", "code_insee": nil,
		"latitude": nil, "longitude": nil})
	in.WantPage("/lieux?ou=Allauch", 200, "Autour de Allauch (13)", "EPN d&#39;Allauch")
}

func TestPlacePage(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, aix, _ := in.Marseille()
	// Monday 13 July, 10:00; Tuesday is Bastille Day (PH off).
	body := in.WantPage("/lieux/"+alcazar.ID, 200,
		"Fermé · ouvre mercredi à 11\u00a0h",
		"mardi 14 juillet <span class=\"muted\">(jour férié)</span></th>\n<td>fermé</td>",
		"mercredi 15 juillet</th>\n<td>11\u00a0h – 19\u00a0h</td>",
		"Mis à jour le", "lundi 1er juin 2026", "Publié par le réseau",
		`href="/evenements?place=`+alcazar.ID+`"`, "openstreetmap.org/directions?to=43.298900%2C5.378200")
	if strings.Contains(body, "plus d’un an") {
		t.Error("a place updated last month is flagged as stale")
	}
	// The recurring atelier appears once, as a series.
	if n := strings.Count(body, "<h3><a href=\"/evenements/"); n != 1 {
		t.Errorf("place page lists %d events; want the series once", n)
	}
	in.WantPage("/lieux/"+aix.ID, 200, "Ouvert · ferme à 12\u00a0h", "Itinérant")

	// JSON-LD: a schema.org place that parses.
	ld := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(body)
	if ld == nil {
		t.Fatal("no JSON-LD")
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(ld[1]), &doc); err != nil {
		t.Fatalf("JSON-LD %s: %v", ld[1], err)
	}
	if doc["@context"] != "https://schema.org" || doc["name"] != "Médiathèque de l'Alcazar" || doc["geo"] == nil || doc["openingHoursSpecification"] == nil {
		t.Errorf("JSON-LD = %v", doc)
	}

	// After twelve months without an update, a warning.
	in.Now = in.Now.AddDate(1, 1, 0)
	in.WantPage("/lieux/"+alcazar.ID, 200, "il y a plus d’un an")
}

func TestPlacePageKeepsUnreadableHours(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(map[string]any{"horaires": "le mardi matin, sauf vacances"})
	body := in.WantPage("/lieux/"+p.ID, 200, "Horaires indiqués :", "le mardi matin, sauf vacances")
	if strings.Contains(body, `class="status`) {
		t.Error("a badge for hours that cannot be read")
	}
}

func TestActivityPubClientsStillGetJSONLD(t *testing.T) {
	in := uitest.NewFederatedInstance(t)
	p := in.CreatePlace(nil)
	e := in.CreateEvent(map[string]any{"nom": "Atelier", "debut": "2026-07-15T14:00:00+02:00",
		"fin": "2026-07-15T16:00:00+02:00", "lieu": p.ID})
	for _, path := range []string{"/lieux/" + p.ID, "/evenements/" + e.ID} {
		for _, accept := range []string{"application/activity+json", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`} {
			req, _ := http.NewRequest("GET", in.Srv.URL+path, nil)
			req.Header.Set("Accept", accept)
			resp, err := in.Srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.Contains(ct, "json") || !strings.Contains(string(b), `"@context"`) {
				t.Errorf("GET %s Accept %s = %d %s %.200s", path, accept, resp.StatusCode, ct, b)
			}
		}
		in.WantPage(path, 200, "<!doctype html>")
	}
}

func TestReportForm(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(nil)
	jar := uitest.NewJar(t)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func() string {
		resp, err := client.Get(in.Srv.URL + "/lieux/" + p.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(b))
		if m == nil {
			t.Fatal("no CSRF token on the place page")
		}
		return m[1]
	}
	post := func(c *http.Client, form url.Values, origin string) (int, string) {
		req, _ := http.NewRequest("POST", in.Srv.URL+"/lieux/"+p.ID+"/signaler", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b) + resp.Header.Get("Location")
	}
	token := get()
	msg := "Le lieu est fermé le mercredi."

	// Without the token, with another's token, or from another site: refused.
	for _, c := range []struct {
		name   string
		client *http.Client
		form   url.Values
		origin string
	}{
		{"no token", client, url.Values{"message": {msg}}, ""},
		{"bad token", client, url.Values{"message": {msg}, "csrf": {"faux"}}, ""},
		{"no cookie", &http.Client{}, url.Values{"message": {msg}, "csrf": {token}}, ""},
		{"other site", client, url.Values{"message": {msg}, "csrf": {token}}, "https://evil.example"},
	} {
		if st, body := post(c.client, c.form, c.origin); st != http.StatusForbidden || !strings.Contains(body, "Le formulaire a expiré") {
			t.Errorf("%s: POST = %d", c.name, st)
		}
	}
	// Invalid fields are named.
	if st, body := post(client, url.Values{"message": {""}, "csrf": {token}}, ""); st != 422 || !strings.Contains(body, "décrivez l’erreur") {
		t.Errorf("empty message: %d", st)
	}
	if st, body := post(client, url.Values{"message": {msg}, "contact": {"pas une adresse"}, "csrf": {token}}, ""); st != 422 || !strings.Contains(body, "adresse électronique attendue") {
		t.Errorf("bad contact: %d", st)
	}
	// Without a place to store reports, the form says so and keeps the text.
	if st, body := post(client, url.Values{"message": {msg}, "csrf": {token}}, ""); st != http.StatusServiceUnavailable || !strings.Contains(body, msg) {
		t.Errorf("without Reports: %d", st)
	}
	// With one, the report is stored and the page thanks the sender.
	reports := &uitest.ReportBox{}
	in.Srv.Config.Handler = ui.New(ui.Config{Store: in.Store, Now: func() time.Time { return in.Now }, Logger: uitest.QuietLog, Reports: reports})
	token = get() // the new handler has a new key
	st, loc := post(client, url.Values{"message": {msg}, "contact": {"marie@example.org"}, "csrf": {token}}, in.Srv.URL)
	if st != http.StatusSeeOther || !strings.HasSuffix(loc, "/lieux/"+p.ID+"?signalement=envoye#signaler") {
		t.Fatalf("POST report = %d %s", st, loc)
	}
	if len(reports.Got) != 1 || reports.Got[0].Message != msg || reports.Got[0].Place != p.ID || reports.Got[0].PlaceAP != p.APID || reports.Got[0].Contact != "marie@example.org" {
		t.Errorf("reports = %+v", reports.Got)
	}
	in.WantPage("/lieux/"+p.ID+"?signalement=envoye", 200, "Merci ! Votre signalement a été transmis")
}

// TestAgendaViews: the agenda by week, month or as a list, a recurring
// atelier once with its next dates in every view, and its filters.
func TestAgendaViews(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, _, atelier := in.Marseille()
	in.WantPage("/evenements", 200, "2 événements à venir", "Semaine du lundi 13 juillet", "mercredi 15 juillet",
		"Prochaines dates : <time", `aria-current="page">Par semaine`)
	in.WantPage("/evenements?vue=mois", 200, "Juillet 2026", `aria-current="page">Par mois`)
	body := in.WantPage("/evenements?vue=liste", 200, "Tous les mercredis, 14\u00a0h – 16\u00a0h, jusqu’au mercredi 16 septembre 2026", "Prochaines dates :")
	for _, vue := range []string{"semaine", "mois", "liste"} {
		_, body = in.Page("/evenements?vue=" + vue)
		if n := strings.Count(body, `href="/evenements/`+atelier.ID+`"`); n != 1 {
			t.Errorf("vue=%s shows the weekly atelier %d times; want once", vue, n)
		}
	}
	// Filters, and the feeds with the same filter.
	svc := url.QueryEscape("Aide aux démarches administratives")
	body = in.WantPage("/evenements?service="+svc, 200, "1 événement à venir", "Permanence impôts",
		"/export/evenements.ics?service="+svc, "/feed/evenements.atom?service="+svc)
	if strings.Contains(body, "Atelier smartphone") {
		t.Error("service filter ignored")
	}
	in.WantPage("/evenements?du=2026-07-20&au=2026-07-26", 200, "1 événement à venir", "mercredi 22 juillet")
	in.WantPage("/evenements?place="+alcazar.ID, 200, "1 événement à venir", "Au lieu : Médiathèque de l&#39;Alcazar")
	in.WantPage("/evenements?ou=13", 200, "2 événements à venir") // the département
	in.WantPage("/evenements?du=hier", http.StatusBadRequest, "date attendue")
	in.WantPage("/evenements?du=2026-07-20&au=2026-07-10", http.StatusBadRequest, "doit être postérieur")
}

func TestEventPage(t *testing.T) {
	in := uitest.NewInstance(t)
	_, aix, atelier := in.Marseille()
	body := in.WantPage("/evenements/"+atelier.ID, 200, "Prochaines dates", "mercredi 15 juillet 2026, 14\u00a0h – 16\u00a0h",
		"Apprendre à installer une application.", "Gratuit", `href="https://example.org/inscription"`)
	ld := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(body)
	var doc map[string]any
	if ld == nil || json.Unmarshal([]byte(ld[1]), &doc) != nil {
		t.Fatal("no JSON-LD that parses")
	}
	if doc["@type"] != "Event" || doc["startDate"] != "2026-07-15T14:00:00+02:00" || doc["location"] == nil ||
		doc["eventStatus"] != "https://schema.org/EventScheduled" || doc["maximumAttendeeCapacity"] != 8.0 {
		t.Errorf("JSON-LD = %v", doc)
	}
	cancelled := in.CreateEvent(map[string]any{"nom": "Atelier annulé", "debut": "2026-07-20T09:00:00+02:00",
		"fin": "2026-07-20T10:00:00+02:00", "lieu": aix.ID, "statut": "annule"})
	in.WantPage("/evenements/"+cancelled.ID, 200, "Cet événement est annulé.", "EventCancelled")
	// Likes and boosts from the fediverse are counted on the page.
	for i, r := range []struct{ kind, actor string }{
		{storage.ReactionLike, "https://social.example/users/a"}, {storage.ReactionLike, "https://social.example/users/b"},
		{storage.ReactionAnnounce, "https://social.example/users/a"},
	} {
		if err := in.Store.PutReaction(fmt.Sprintf("https://social.example/activities/%d", i), r.kind, atelier.APID, r.actor); err != nil {
			t.Fatal(err)
		}
	}
	in.WantPage("/evenements/"+atelier.ID, 200, "2 personnes aiment cet atelier sur le fédivers · partagé 1 fois")
	in.Now = in.Now.AddDate(0, 1, 0)
	in.WantPage("/evenements/"+cancelled.ID, 200, "Cet événement est passé.")
}

func TestNetworksPage(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	if err := in.Store.SetSettings(storage.Settings{Name: "Arsenic 13", Handle: "arsenic13"}); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(in.Srv.URL)
	for _, f := range []storage.Following{
		{ID: in.Srv.URL + "/follows/1", Actor: "https://a83.example/actor", State: storage.FollowAccepted},
		{ID: in.Srv.URL + "/follows/2", Actor: "https://a84.example/actor", State: storage.FollowPending},
	} {
		if err := in.Store.PutFollowing(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Store.PutActor(storage.RemoteActor{ID: "https://a83.example/actor", Name: "Arsenic 83", PreferredUsername: "arsenic83"}); err != nil {
		t.Fatal(err)
	}
	if err := in.Store.PutFollower(storage.Follower{Actor: "https://mastodon.example/users/marie", State: storage.FollowAccepted, Since: uitest.Monday}); err != nil {
		t.Fatal(err)
	}
	in.WantPage("/reseaux", 200, `value="@arsenic13@`+u.Host+`"`, "Ce réseau publie 2 lieux", "et 11 dates d’ateliers à venir",
		"Ce réseau suit 2 réseaux", "Arsenic 83", "@arsenic83@a83.example", "En attente de réponse", "a84.example",
		"1 abonné", "mastodon.example", "lundi 13 juillet 2026")
}

func TestOrientationNeverAsksForTheName(t *testing.T) {
	in := uitest.NewInstance(t)
	alcazar, aix, _ := in.Marseille()
	body := in.WantPage("/orientation?service="+url.QueryEscape("Aide aux démarches administratives")+"&ou=Marseille&radius_km=50", 200,
		"2 lieux trouvés", `value="`+alcazar.ID+`" checked`, `value="`+aix.ID+`" checked`)
	_ = body
	sheet := in.WantPage("/orientation/fiche?lieu="+alcazar.ID+"&lieu="+aix.ID+"&service="+url.QueryEscape("Aide aux démarches administratives"), 200,
		"Médiathèque de l&#39;Alcazar", "France Services d&#39;Aix", "Besoins :", `<svg class="qr"`, `id="b-nom"`, `id="p-nom"`,
		in.Srv.URL+"/orientation/fiche?lieu="+alcazar.ID+"&amp;lieu="+aix.ID)
	// The name and notes fields are in no form and have no name: a
	// browser cannot submit them.
	if strings.Contains(sheet, "<form") {
		t.Error("the sheet holds a form")
	}
	for _, id := range []string{"b-nom", "b-notes"} {
		tag := regexp.MustCompile(`<(input|textarea)[^>]*id="` + id + `"[^>]*>`).FindString(sheet)
		if tag == "" || strings.Contains(tag, "name=") {
			t.Errorf("field %s = %q; want it present and without a name", id, tag)
		}
	}
	in.WantPage("/orientation/fiche?lieu=inconnu", 404, "Aucun lieu choisi")
}

func TestWidgetsTakeTheSameFilters(t *testing.T) {
	in := uitest.NewInstance(t)
	in.Marseille()
	body := in.WantPage("/widget/lieux?itinerant=1", 200, "1 lieu trouvé", "France Services d&#39;Aix", in.Srv.URL+"/lieux?itinerant=1")
	if strings.Contains(body, "Alcazar") || strings.Contains(body, "<nav") {
		t.Errorf("widget: filter ignored or navigation shown")
	}
	body = in.WantPage("/widget/evenements?service="+url.QueryEscape("Aide aux démarches administratives")+"&limit=5", 200, "Permanence impôts")
	if strings.Contains(body, "Atelier smartphone") {
		t.Error("widget events: filter ignored")
	}
}

func TestStaticAssets(t *testing.T) {
	in := uitest.NewInstance(t)
	_, home := in.Page("/")
	m := regexp.MustCompile(`href="(/static/site\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(home)
	if m == nil {
		t.Fatal("no versioned stylesheet")
	}
	req, _ := http.NewRequest("GET", in.Srv.URL+m[1], nil)
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") ||
		resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Errorf("GET %s = %d %v", m[1], resp.StatusCode, resp.Header)
	}
	for path, status := range map[string]int{
		"/static/leaflet/leaflet.js":             200,
		"/static/leaflet/images/marker-icon.png": 200,
		"/static/site.js":                        200,
		"/static/nope.js":                        404,
		"/static/../templates/_layout.html":      404,
	} {
		resp, _ := in.Page(path)
		if resp.StatusCode != status {
			t.Errorf("GET %s = %d; want %d", path, resp.StatusCode, status)
		}
	}
}

// TestPagesWeighLessThan100KB adds up, for each page, the compressed
// bytes of the HTML and of the styles and scripts it loads (map tiles
// aside).
func TestPagesWeighLessThan100KB(t *testing.T) {
	in := uitest.NewInstance(t)
	for i := 0; i < 30; i++ {
		in.CreatePlace(map[string]any{"nom": "Espace public numérique " + string(rune('A'+i)),
			"presentation_resume": "Accompagnement aux démarches en ligne, ateliers et accès libre.",
			"presentation_detail": strings.Repeat("Accompagnement aux démarches en ligne. ", 10)})
	}
	alcazar, _, atelier := in.Marseille()
	asset := regexp.MustCompile(`(?:href|src)="(/static/[^"]+\.(?:css|js)\?v=[0-9a-f]+)"`)
	for _, path := range []string{"/", "/lieux", "/lieux/" + alcazar.ID, "/evenements", "/evenements/" + atelier.ID,
		"/reseaux", "/statistiques", "/orientation?service=" + url.QueryEscape("Aide aux démarches administratives"),
		"/orientation/fiche?lieu=" + alcazar.ID, "/widget/lieux", "/widget/evenements"} {
		total := 0
		body := ""
		for i, u := range []string{path} {
			n, b := uitest.TransferSize(t, in.Srv.URL+u)
			total += n
			if i == 0 {
				body = b
			}
		}
		for _, m := range asset.FindAllStringSubmatch(body, -1) {
			n, _ := uitest.TransferSize(t, in.Srv.URL+m[1])
			total += n
		}
		t.Logf("%s: %d bytes", path, total)
		if total > 100<<10 {
			t.Errorf("%s weighs %d bytes; want under 100 KB", path, total)
		}
	}
}

// A place without coordinates says on its page that its position is its
// commune's centre, and offers no route to it.
func TestPlacePageOfAnApproximatePosition(t *testing.T) {
	in := uitest.NewInstance(t)
	pl := in.CreatePlace(map[string]any{"nom": "EPN d'Allauch", "pivot": "00000000000000", "adresse": "1 place de la Mairie",
		"commune": "Allauch", "code_postal": "13190", "code_insee": nil, "latitude": nil, "longitude": nil})
	if !pl.PositionApproximative {
		t.Fatalf("POST /api/v1/places without coordinates: position_approximative false")
	}
	body := in.WantPage("/lieux/"+pl.ID, 200, "Position approximative : le lieu est placé au centre de sa commune.", `id="carte"`)
	if strings.Contains(body, "openstreetmap.org/directions") {
		t.Error("a route is offered to a commune's centre")
	}
}
