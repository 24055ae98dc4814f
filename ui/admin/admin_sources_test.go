package admin_test

import (
	"net/http"
	"net/url"
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
