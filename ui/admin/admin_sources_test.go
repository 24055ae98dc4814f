package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// /admin/sources shows each source with its last runs and the alerts, and
// removes a source.
func TestAdminSources(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/sources").Want(t, "no source", 200, "Aucune source programmée.")
	src, err := in.Store.AddSource(storage.Source{URL: "https://reseau.example/lieux.csv", Every: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	run := storage.SourceRun{Source: src.ID, Started: in.Now, Finished: in.Now, Status: "alert", HTTPStatus: 200,
		Unchanged: 6, Vanished: 3, Warnings: []string{"3 lieux sur 9 ont disparu"}}
	if err := in.Store.AddSourceRun(run); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Store.AddAlert(storage.Alert{Source: src.ID, Message: "source https://reseau.example/lieux.csv : 3 lieux sur 9 ont disparu"}); err != nil {
		t.Fatal(err)
	}
	b.Get("/admin/sources").Want(t, "a source", 200, "https://reseau.example/lieux.csv", "alerte : rien supprimé",
		"0 créés, 0 modifiés, 6 inchangés, 0 refusés, 3 disparus, 0 supprimés", "3 lieux sur 9 ont disparu", "Alertes")
	a := b.Post("/admin/sources/"+src.ID+"/retirer", url.Values{})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("remove = %d\n%s", a.Status, a.Body)
	}
	if _, err := in.Store.Source(src.ID); err == nil {
		t.Error("the source is still there")
	}
}

// The form of /admin/sources adds a source with the rules of maillage
// source add: a bad field is named in French and nothing is stored.
func TestAdminSourcesAdd(t *testing.T) {
	in := uitest.AdminInstance(t)
	b := in.Browser()
	b.Login(uitest.EditorEmail)
	b.Get("/admin/sources").Want(t, "form", 200, "Ajouter une source", `<label for="source-url">Adresse du fichier`,
		`<select id="source-periode" name="periode">`, `<option value="24h0m0s" selected>chaque jour</option>`, `name="csrf"`)

	good := url.Values{"url": {"https://reseau.example/lieux.ods"}, "nom": {"Réseau des EPN du Var"}, "periode": {"6h0m0s"},
		"disparus": {"10"}, "correspondance": {`{"nom": "Désignation EPN", "horaires": ""}`}}
	for _, tc := range []struct {
		field, value string
		want         []string
	}{
		{"url", "ftp://reseau.example/lieux.csv", []string{`<a href="#source-url">Adresse du fichier : adresse http(s) complète attendue`, `aria-invalid="true"`}},
		{"url", "http://192.168.1.10/lieux.csv", []string{"Adresse du fichier : adresse privée refusée"}},
		{"url", "", []string{"Adresse du fichier : adresse http(s) complète attendue"}},
		{"nom", strings.Repeat("n", 121), []string{"Nom de la source (facultatif) : 120 caractères au plus"}},
		{"periode", "1m", []string{"Téléchargement : au moins 5m0s entre deux téléchargements"}},
		{"periode", "souvent", []string{"Téléchargement : choisissez une période dans la liste"}},
		{"disparus", "150", []string{"Disparitions supprimées (%) : un pourcentage entre 0 et 100 est attendu"}},
		{"disparus", "beaucoup", []string{"Disparitions supprimées (%) : un pourcentage entre 0 et 100 est attendu"}},
		{"correspondance", `{"nom_du_lieu": "x"}`, []string{"Correspondance des colonnes (facultatif) : « nom_du_lieu » n&#39;est pas un champ du standard"}},
		{"correspondance", `nom=lib_fs`, []string{"Correspondance des colonnes (facultatif) : un objet JSON"}},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(tc.field, tc.value)
		a := b.Post("/admin/sources", form)
		a.Want(t, tc.field+"="+tc.value, http.StatusUnprocessableEntity, tc.want...)
		if !strings.Contains(a.Body, "Réseau des EPN du Var") && tc.field != "nom" {
			t.Errorf("%s=%s: the typed values are lost", tc.field, tc.value)
		}
	}
	if srcs, err := in.Store.Sources(); err != nil || len(srcs) != 0 {
		t.Fatalf("refused forms stored %d sources, %v", len(srcs), err)
	}
	// Without the CSRF token: refused.
	bad := url.Values{"csrf": {"x"}}
	for k, v := range good {
		bad[k] = v
	}
	b.Post("/admin/sources", bad).Want(t, "no csrf", http.StatusForbidden)

	a := b.Post("/admin/sources", good)
	if a.Status != http.StatusSeeOther {
		t.Fatalf("add = %d\n%.2000s", a.Status, a.Body)
	}
	srcs, err := in.Store.Sources()
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources = %+v, %v", srcs, err)
	}
	src := srcs[0]
	if src.URL != "https://reseau.example/lieux.ods" || src.Name != "Réseau des EPN du Var" || src.Every != 6*time.Hour ||
		src.MaxVanished != 0.10 || src.Mapping["nom"] != "Désignation EPN" || src.Mapping["horaires"] != "" || len(src.Mapping) != 2 {
		t.Errorf("stored source %+v", src)
	}
	b.Get("/admin/sources?ok=source-ajoutee").Want(t, "listed", 200, "La source a été ajoutée",
		`<h2 id="source-`+src.ID+`">Réseau des EPN du Var</h2>`, "Tous les 6h0m0s", "Correspondance des colonnes enregistrée",
		"&#34;nom&#34;: &#34;Désignation EPN&#34;")
}
