package uitest

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
)

func NewJar(t *testing.T) *cookiejar.Jar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return jar
}

func GzipReader(b []byte) (string, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	out, err := io.ReadAll(r)
	return string(out), err
}

// newFederatedInstance is an instance with its ActivityPub routes, as
// cmd/maillage wires it (without the delivery workers).
func NewFederatedInstance(t *testing.T) *Instance {
	t.Helper()
	in := NewInstance(t)
	fed, err := federation.New(federation.Config{Store: in.Store, BaseURL: in.Srv.URL, Logger: QuietLog,
		Now: func() time.Time { return in.Now }, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	in.Srv.Config.Handler = ui.New(ui.Config{Store: in.Store, Logger: QuietLog, Now: func() time.Time { return in.Now }, Federation: fed})
	return in
}

const Evil = `<script>alert("x")</script>`

// hostile fills every text field of the catalogue with markup, through the
// store (which, like a remote network, does not validate), and returns
// the pages that show them.
func Hostile(t *testing.T, in *Instance) []string {
	t.Helper()
	if err := in.Store.SetSettings(storage.Settings{Name: Evil, Handle: "reseau"}); err != nil {
		t.Fatal(err)
	}
	lat, lon := 43.3, 5.38
	p := &catalogue.Place{
		Pivot: Evil, Nom: Evil, Adresse: Evil, ComplementAdresse: Evil, CodePostal: "13001", Commune: Evil + "ville",
		CodeINSEE: "13201", Latitude: &lat, Longitude: &lon, Typologie: []string{Evil}, Telephone: Evil,
		Courriels: []string{Evil}, SiteWeb: []string{`javascript:alert("x")`}, Horaires: Evil,
		PresentationResume: Evil, PresentationDetail: Evil, Source: Evil, StructureParente: Evil,
		Services: []string{Evil}, Publics: []string{Evil}, PriseEnCharge: []string{Evil}, Frais: []string{Evil},
		Dispositifs: []string{Evil}, FormationsLabels: []string{Evil}, AutresLabels: []string{Evil},
		ModalitesAcces: []string{Evil}, ModalitesAccompagnement: []string{Evil}, Itinerance: []string{Evil},
		FicheAccesLibre: `javascript:alert("x")`, PriseRDV: `javascript:alert("x")`, DateMaj: Evil,
		ChampsIntervention: []string{Evil}, Equipements: []string{Evil},
	}
	if err := in.Store.CreatePlace(p); err != nil {
		t.Fatal(err)
	}
	capacity := 3
	e := &catalogue.Event{
		Nom: Evil, Description: `<p>ok</p>` + Evil + `<img src=x onerror=alert(1)>`,
		Debut: Monday.Add(24 * time.Hour), Fin: Monday.Add(26 * time.Hour), Lieu: p.ID,
		Services: []string{Evil}, Publics: []string{Evil}, Inscription: `javascript:alert("x")`,
		Capacite: &capacity, Frais: []string{Evil}, Statut: Evil, Recurrence: "FREQ=WEEKLY;COUNT=3",
	}
	if err := in.Store.CreateEvent(e); err != nil {
		t.Fatal(err)
	}
	plain := &catalogue.Event{Nom: "Texte", Description: Evil, Debut: Monday.Add(48 * time.Hour),
		Fin: Monday.Add(49 * time.Hour), Lieu: p.ID}
	if err := in.Store.CreateEvent(plain); err != nil {
		t.Fatal(err)
	}
	remote := &catalogue.Place{APID: "https://evil.example/lieux/1", Nom: "Lieu distant", Commune: "Aix",
		Network: catalogue.Network{Name: Evil, Actor: "https://evil.example/actor"}, Updated: Monday,
		Competences: []catalogue.Skill{{ID: Evil, Libelle: Evil}}}
	if err := in.Store.PutRemotePlace("https://evil.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	if err := in.Store.PutFollowing(storage.Following{ID: in.Srv.URL + "/f/1", Actor: "https://evil.example/actor", State: storage.FollowAccepted}); err != nil {
		t.Fatal(err)
	}
	if err := in.Store.PutFollower(storage.Follower{Actor: "https://evil.example/users/x", State: Evil}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"https://evil.example/actor", "https://evil.example/users/x"} {
		if err := in.Store.PutActor(storage.RemoteActor{ID: id, Name: Evil, PreferredUsername: Evil}); err != nil {
			t.Fatal(err)
		}
	}
	q := url.QueryEscape(Evil)
	return []string{
		"/", "/lieux", "/lieux/" + p.ID, "/lieux/" + remote.ID, "/evenements", "/evenements?vue=liste",
		"/evenements?vue=mois", "/evenements/" + e.ID, "/evenements/" + plain.ID, "/reseaux",
		"/orientation?q=" + q, "/orientation/fiche?lieu=" + p.ID + "&service=" + q, "/widget/lieux",
		"/widget/evenements", "/evenements?place=" + p.ID,
		"/lieux?q=" + q + "&ou=" + q + "&date=" + q + "&heure=" + q + "&quand=date&network=" + q + "&label=" + q + "&near=" + q,
		"/evenements?q=" + q + "&ou=" + q + "&du=" + q + "&au=" + q + "&network=" + q + "&place=" + q,
		"/lieux?ou=" + url.QueryEscape(Evil[:10]), "/widget/lieux?q=" + q + "&ou=" + q,
		"/statistiques", "/statistiques?tout=1&network=" + q, "/statistiques?departement=" + q,
		"/competences?competence=*", "/competences?competence=" + q + "&q=" + q + "&ou=" + q,
	}
}

// rawMarkup finds markup that escaping should have neutralised.
var RawMarkup = regexp.MustCompile(`(?i)<script>alert|<img[^>]*onerror|href="javascript:|src="javascript:`)
