package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/internal/uitest"
)

var savedEvent = regexp.MustCompile(`^/admin/evenements/([a-z0-9]+)\?ok=evenement-enregistre$`)

func eventFields(place string, overrides url.Values) url.Values {
	f := url.Values{"nom": {"Atelier CV et lettre de motivation"}, "lieu": {place}, "description": {"Venez avec votre CV."},
		"debut_date": {"2026-07-20"}, "debut_heure": {"14:00"}, "fin_heure": {"16:00"},
		"repetition": {"hebdo"}, "jours": {"MO", "TH"}, "intervalle": {"2"}, "occurrences": {"6"},
		"services": {"Insertion professionnelle via le numérique"}, "publics": {"Seniors"}, "frais_a_charge": {"Gratuit"},
		"capacite": {"10"}, "inscription": {"https://arsenic13.example/inscription"}, "rang": {"1"}, "jour_mois": {"MO"}}
	for k, v := range overrides {
		f[k] = v
	}
	return f
}

func TestAdminEventCreateAndEdit(t *testing.T) {
	in := uitest.AdminInstance(t)
	alcazar, _, _ := in.Marseille()
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/evenements/nouveau?lieu="+alcazar.ID).Want(t, "new event form", 200,
		`<optgroup label="Lieux de ce réseau">`, `<option value="`+alcazar.ID+`" selected>Médiathèque de l&#39;Alcazar (Marseille)</option>`,
		`id="repetition-1" name="repetition" value="hebdo"`, `<legend>Les jours</legend>`, `type="date"`)

	a := b.Post("/admin/evenements/nouveau", eventFields(alcazar.ID, nil))
	m := savedEvent.FindStringSubmatch(a.Location())
	if a.Status != http.StatusSeeOther || m == nil {
		t.Fatalf("create = %d %s\n%s", a.Status, a.Location(), a.Body)
	}
	e, err := in.Store.Event(m[1])
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 7, 20, 14, 0, 0, 0, catalogue.Paris)
	if !e.Debut.Equal(start) || !e.Fin.Equal(start.Add(2*time.Hour)) || e.Recurrence != "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=6" ||
		e.Lieu != alcazar.ID || *e.Capacite != 10 || e.Statut != catalogue.StatusScheduled || len(e.Services) != 1 {
		t.Errorf("stored %+v", e)
	}
	if n := len(e.Occurrences(uitest.Monday, uitest.Monday.AddDate(1, 0, 0))); n != 6 {
		t.Errorf("%d occurrences; want 6", n)
	}
	in.WantPage("/evenements?q=lettre+de+motivation", 200, "Atelier CV et lettre de motivation")

	form := b.Get(a.Location())
	form.Want(t, "edit form", 200, "L’événement a été enregistré.", `value="2026-07-20"`, `value="14:00"`, `value="16:00"`,
		`name="repetition" value="hebdo" checked`, `name="jours" value="MO" checked`, `name="jours" value="TH" checked`,
		`name="intervalle" type="number" value="2"`, `name="occurrences" type="number" value="6"`)
	if strings.Contains(form.Body, `name="jours" value="TU" checked`) {
		t.Error("Tuesday is checked")
	}
	// Monthly, on the last Friday, until the end of the year, cancelled.
	edit := eventFields(alcazar.ID, url.Values{"repetition": {"mensuel"}, "rang": {"-1"}, "jour_mois": {"FR"},
		"occurrences": {""}, "jusqu_au": {"2026-12-31"}, "annule": {"1"}, "debut_date": {"2026-07-31"}})
	if a := b.Post("/admin/evenements/"+e.ID, edit); a.Status != http.StatusSeeOther {
		t.Fatalf("edit = %d\n%s", a.Status, a.Body)
	}
	e, _ = in.Store.Event(e.ID)
	if e.Recurrence != "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T225959Z" || e.Statut != catalogue.StatusCancelled {
		t.Errorf("after edit: %q %q", e.Recurrence, e.Statut)
	}
	b.Get("/admin/evenements/"+e.ID).Want(t, "monthly form", 200, `name="repetition" value="mensuel" checked`,
		`<option value="-1" selected>dernier</option>`, `<option value="FR" selected>vendredi</option>`, `value="2026-12-31"`, `id="annule" name="annule" value="1" checked`)
	// An expert's rule.
	edit = eventFields(alcazar.ID, url.Values{"repetition": {"regle"}, "rrule": {"FREQ=DAILY;COUNT=3"}})
	if a := b.Post("/admin/evenements/"+e.ID, edit); a.Status != http.StatusSeeOther {
		t.Fatalf("edit rule = %d\n%s", a.Status, a.Body)
	}
	if e, _ = in.Store.Event(e.ID); e.Recurrence != "FREQ=DAILY;COUNT=3" {
		t.Errorf("expert rule = %q", e.Recurrence)
	}
	b.Get("/admin/evenements?q=motivation").Want(t, "list", 200, "1 événement", "Atelier CV", "Médiathèque de l&#39;Alcazar")
}

func TestAdminEventFormExplainsEveryProblem(t *testing.T) {
	in := uitest.AdminInstance(t)
	alcazar, _, _ := in.Marseille()
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	before, _, _ := in.Store.CurrentEvents(time.Time{}, true, "", 100)
	bad := eventFields("", url.Values{"nom": {""}, "debut_heure": {"25:00"}, "capacite": {"-3"}, "intervalle": {"tous"},
		"inscription": {"inscription.example"}})
	b.Post("/admin/evenements/nouveau", bad).Want(t, "invalid event", http.StatusUnprocessableEntity,
		`href="#nom"`, `href="#lieu"`, `href="#debut_heure"`, `href="#capacite"`, `href="#intervalle"`, `href="#inscription"`,
		`id="nom-erreur">champ obligatoire`, `id="debut_heure-erreur">heure attendue`, `id="capacite-erreur">nombre entier positif attendu`,
		`id="lieu-erreur">champ obligatoire`, `aria-describedby="intervalle-aide intervalle-erreur" aria-invalid="true"`,
		`value="25:00"`, `value="-3"`, `value="tous"`, `value="inscription.example"`, "Venez avec votre CV.</textarea>")
	b.Post("/admin/evenements/nouveau", eventFields(alcazar.ID, url.Values{"fin_heure": {"13:00"}})).
		Want(t, "end before start", http.StatusUnprocessableEntity, `id="fin_heure-erreur">doit être après le début`)
	b.Post("/admin/evenements/nouveau", eventFields("inconnu", nil)).
		Want(t, "unknown place", http.StatusUnprocessableEntity, "lieu inconnu dans le catalogue")
	b.Post("/admin/evenements/nouveau", eventFields(alcazar.ID, url.Values{"jusqu_au": {"2026-12-01"}})).
		Want(t, "until and count", http.StatusUnprocessableEntity, "pas les deux")
	b.Post("/admin/evenements/nouveau", eventFields(alcazar.ID, url.Values{"repetition": {"regle"}, "rrule": {"FREQ=HOURLY"}})).
		Want(t, "hourly rule", http.StatusUnprocessableEntity, `href="#repetition-0"`, "une occurrence par jour au plus")
	if after, _, _ := in.Store.CurrentEvents(time.Time{}, true, "", 100); len(after) != len(before) {
		t.Errorf("%d events stored from bad forms", len(after)-len(before))
	}
}

func TestAdminEventDeleteAndReadOnly(t *testing.T) {
	in := uitest.AdminInstance(t)
	alcazar, _, atelier := in.Marseille()
	remote := &catalogue.Event{APID: "https://autre.example/evenements/1", Nom: "Atelier d’Arsenic 83", Lieu: alcazar.APID,
		Debut: uitest.Monday.Add(48 * time.Hour), Fin: uitest.Monday.Add(50 * time.Hour), Statut: catalogue.StatusScheduled,
		Network: catalogue.Network{Name: "Arsenic 83", Actor: "https://autre.example/actor"}, Updated: uitest.Monday}
	if err := in.Store.PutRemoteEvent("https://autre.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/evenements/"+remote.ID).Want(t, "remote event", http.StatusForbidden, "publié par un autre réseau")
	b.Post("/admin/evenements/"+remote.ID, eventFields(alcazar.ID, nil)).Want(t, "edit remote", http.StatusForbidden)
	b.Post("/admin/evenements/"+remote.ID+"/supprimer", nil).Want(t, "delete remote", http.StatusForbidden)
	if e, err := in.Store.Event(remote.ID); err != nil || e.Nom != "Atelier d’Arsenic 83" {
		t.Errorf("remote event changed: %v %v", e, err)
	}
	b.Get("/admin/evenements/"+atelier.ID+"/supprimer").Want(t, "confirm", 200, "Voulez-vous vraiment supprimer « Atelier smartphone »")
	if a := b.Post("/admin/evenements/"+atelier.ID+"/supprimer", nil); a.Status != http.StatusSeeOther {
		t.Fatalf("delete = %d", a.Status)
	}
	if _, err := in.Store.Event(atelier.ID); err == nil {
		t.Error("the event is still there")
	}
	b.Post("/admin/evenements/"+atelier.ID+"/supprimer", nil).Want(t, "delete twice", http.StatusNotFound)
}

func TestAdminEventPagesEscapeHostileText(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	hostileEvents(in)
	form := url.Values{}
	for _, k := range []string{"nom", "lieu", "description", "debut_date", "debut_heure", "fin_date", "fin_heure", "inscription",
		"capacite", "services", "publics", "frais_a_charge", "repetition", "jours", "intervalle", "rang", "jour_mois", "jusqu_au",
		"occurrences", "rrule", "annule"} {
		form.Set(k, uitest.Evil)
	}
	uitest.CheckEscaped(t, "POST /admin/evenements/nouveau", b.Post("/admin/evenements/nouveau", form), http.StatusUnprocessableEntity)
	list := b.Get("/admin/evenements")
	uitest.CheckEscaped(t, "/admin/evenements", list, 200)
	ids := regexp.MustCompile(`href="/admin/evenements/([a-z0-9]+)"`).FindAllStringSubmatch(list.Body, -1)
	if len(ids) < 3 { // "nouveau" and the two hostile events
		t.Fatalf("%d events listed", len(ids))
	}
	for _, id := range ids {
		if id[1] == "nouveau" {
			continue
		}
		uitest.CheckEscaped(t, "edit "+id[1], b.Get("/admin/evenements/"+id[1]), 200)
		uitest.CheckEscaped(t, "confirm "+id[1], b.Get("/admin/evenements/"+id[1]+"/supprimer"), 200)
	}
	uitest.CheckEscaped(t, "search", b.Get("/admin/evenements?q="+url.QueryEscape(uitest.Evil)), 200)
}

// hostileEvents stores, through the store, a place and events whose
// every text is markup.
func hostileEvents(in *uitest.Instance) {
	in.T.Helper()
	uitest.Hostile(in.T, in)
}
