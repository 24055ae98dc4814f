package admin_test

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestAdminFederationPagesAreForAdmins(t *testing.T) {
	in := uitest.FedAdminInstance(t)
	ed := in.Browser()
	ed.Login(uitest.EditorEmail)
	for _, path := range []string{"/admin/reseaux", "/admin/moderation"} {
		ed.Get(path).Want(t, "editor on "+path, http.StatusForbidden, "réservée aux administrateurs")
	}
	ed.Post("/admin/moderation/bloquer", url.Values{"domaine": {"spam.example"}}).Want(t, "editor blocks", http.StatusForbidden)
	if list, _ := in.Store.Blocks(); len(list) != 0 {
		t.Errorf("an editor blocked %v", list)
	}
	// Without federation, the pages do not exist.
	plain := uitest.AdminInstance(t)
	b := plain.Browser()
	b.Login(uitest.AdminEmail)
	b.Get("/admin/reseaux").Want(t, "without federation", http.StatusNotFound)
	if body := b.Get("/admin").Body; strings.Contains(body, `href="/admin/reseaux"`) || strings.Contains(body, `href="/admin/moderation"`) {
		t.Error("without federation, the menu links to the federation pages")
	}
	fb := in.Browser()
	fb.Login(uitest.AdminEmail)
	if body := fb.Get("/admin").Body; !strings.Contains(body, `href="/admin/reseaux"`) || !strings.Contains(body, `href="/admin/moderation"`) {
		t.Error("the federated admin's menu lacks the federation pages")
	}
}

func TestAdminFollowsAndFollowers(t *testing.T) {
	in := uitest.FedAdminInstance(t)
	other := uitest.NewFederatedInstance(t)
	b := in.Browser()
	b.Login(uitest.AdminEmail)
	b.Get("/admin/reseaux").Want(t, "networks page", 200, "Réseaux que ce réseau suit", `<label for="cible">`)
	b.Post("/admin/reseaux/suivre", url.Values{"cible": {""}}).Want(t, "empty target", http.StatusUnprocessableEntity, "indiquez l’adresse du réseau à suivre")
	b.Post("/admin/reseaux/suivre", url.Values{"cible": {in.Srv.URL + "/actor"}}).
		Want(t, "follow itself", http.StatusUnprocessableEntity, "impossible de suivre ce réseau", `value="`+in.Srv.URL+`/actor"`)

	actor := other.Srv.URL + "/actor"
	a := b.Post("/admin/reseaux/suivre", url.Values{"cible": {actor}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("follow = %d\n%s", a.Status, a.Body)
	}
	fs, _ := in.Store.Followings()
	if len(fs) != 1 || fs[0].Actor != actor || fs[0].State != storage.FollowPending {
		t.Fatalf("followings %+v", fs)
	}
	b.Get(a.Location()).Want(t, "after follow", 200, "La demande d’abonnement a été envoyée.", actor, "En attente de réponse")
	if a := b.Post("/admin/reseaux/suivis/inconnu/retirer", nil); a.Status != http.StatusNotFound {
		t.Errorf("unfollow unknown = %d", a.Status)
	}
	if a := b.Post("/admin/reseaux/suivis/"+followID(fs[0])+"/retirer", nil); a.Status != http.StatusSeeOther {
		t.Fatalf("unfollow = %d\n%s", a.Status, a.Body)
	}
	if fs, _ := in.Store.Followings(); len(fs) != 0 {
		t.Errorf("still following %+v", fs)
	}

	// Followers asking: accepted, refused, then removed.
	for _, who := range []string{"https://a.example/users/a", "https://b.example/users/b"} {
		if err := in.Store.PutFollower(storage.Follower{Actor: who, Inbox: who + "/inbox", FollowID: who + "/follow/1", State: storage.FollowPending}); err != nil {
			t.Fatal(err)
		}
	}
	b.Get("/admin/reseaux").Want(t, "pending followers", 200, "/admin/reseaux/abonnes/"+server.FollowerID("https://a.example/users/a")+"/accepter")
	if a := b.Post("/admin/reseaux/abonnes/"+server.FollowerID("https://a.example/users/a")+"/accepter", nil); a.Status != http.StatusSeeOther {
		t.Fatalf("accept = %d\n%s", a.Status, a.Body)
	}
	if f, err := in.Store.Follower("https://a.example/users/a"); err != nil || f.State != storage.FollowAccepted {
		t.Errorf("accepted follower %+v %v", f, err)
	}
	if a := b.Post("/admin/reseaux/abonnes/"+server.FollowerID("https://b.example/users/b")+"/refuser", nil); a.Status != http.StatusSeeOther {
		t.Fatalf("reject = %d", a.Status)
	}
	if _, err := in.Store.Follower("https://b.example/users/b"); err == nil {
		t.Error("the refused follower is kept")
	}
	if a := b.Post("/admin/reseaux/abonnes/"+server.FollowerID("https://a.example/users/a")+"/retirer", nil); a.Status != http.StatusSeeOther {
		t.Fatalf("remove = %d", a.Status)
	}
	if fs, _ := in.Store.Followers(); len(fs) != 0 {
		t.Errorf("followers left %+v", fs)
	}
	b.Post("/admin/reseaux/abonnes/inconnu/accepter", nil).Want(t, "accept unknown", http.StatusNotFound)
}

func followID(f storage.Following) string { return path.Base(f.ID) }

func TestAdminModeration(t *testing.T) {
	in := uitest.FedAdminInstance(t)
	local := in.CreatePlace(nil)
	remote := &catalogue.Place{APID: "https://autre.example/lieux/1", Nom: "Lieu distant", Commune: "Toulon",
		Network: catalogue.Network{Name: "Arsenic 83", Actor: "https://autre.example/actor"}, Updated: uitest.Monday}
	if err := in.Store.PutRemotePlace("https://autre.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	b := in.Browser()
	b.Login(uitest.AdminEmail)
	b.Get("/admin/moderation").Want(t, "moderation", 200, "Aucun domaine bloqué.", "Aucun lieu ni événement masqué.")
	b.Post("/admin/moderation/bloquer", url.Values{"domaine": {""}}).Want(t, "no domain", http.StatusUnprocessableEntity, "indiquez le domaine à bloquer")
	b.Post("/admin/moderation/bloquer", url.Values{"domaine": {in.Srv.URL}}).Want(t, "self", http.StatusUnprocessableEntity, "se bloquer elle-même")
	a := b.Post("/admin/moderation/bloquer", url.Values{"domaine": {"Spam@Pourriel.Example"}})
	if a.Status != http.StatusSeeOther {
		t.Fatalf("block = %d\n%s", a.Status, a.Body)
	}
	b.Get(a.Location()).Want(t, "after block", 200, "Le domaine a été bloqué.", "pourriel.example")
	if !in.Store.Blocked("https://pourriel.example/actor") {
		t.Error("not blocked")
	}
	if a := b.Post("/admin/moderation/debloquer", url.Values{"domaine": {"pourriel.example"}}); a.Status != http.StatusSeeOther {
		t.Fatalf("unblock = %d", a.Status)
	}
	if in.Store.Blocked("https://pourriel.example/actor") {
		t.Error("still blocked")
	}
	b.Post("/admin/moderation/debloquer", url.Values{"domaine": {"pourriel.example"}}).Want(t, "unblock twice", http.StatusNotFound)

	b.Get("/admin/lieux/"+remote.ID).Want(t, "remote place", 200, `<form method="post" action="/admin/moderation/masquer">`,
		`name="enregistrement" value="`+remote.ID+`"`, "Masquer ce lieu")
	b.Post("/admin/moderation/masquer", url.Values{"enregistrement": {local.ID}}).Want(t, "hide local", http.StatusUnprocessableEntity, "se supprime, il ne se masque pas")
	b.Post("/admin/moderation/masquer", url.Values{"enregistrement": {"inconnu"}}).Want(t, "hide unknown", http.StatusUnprocessableEntity, "aucun lieu ni événement")
	if a := b.Post("/admin/moderation/masquer", url.Values{"enregistrement": {remote.ID}}); a.Status != http.StatusSeeOther {
		t.Fatalf("hide = %d\n%s", a.Status, a.Body)
	}
	if _, err := in.Store.Place(remote.ID); err == nil {
		t.Error("the hidden place is still in the catalogue")
	}
	b.Get("/admin/moderation").Want(t, "hidden list", 200, "https://autre.example/lieux/1", "Ne plus masquer")
	if a := b.Post("/admin/moderation/demasquer", url.Values{"ap_id": {remote.APID}}); a.Status != http.StatusSeeOther {
		t.Fatalf("unhide = %d", a.Status)
	}
	if list, _ := in.Store.Hidden(); len(list) != 0 {
		t.Errorf("still hidden: %v", list)
	}
}

func TestAdminFederationPagesEscapeHostileText(t *testing.T) {
	in := uitest.FedAdminInstance(t)
	uitest.Hostile(t, in)
	b := in.Browser()
	b.Login(uitest.AdminEmail)
	if _, _, err := in.Store.Block(uitest.Evil); err != nil {
		t.Fatal(err)
	}
	uitest.CheckEscaped(t, "/admin/reseaux", b.Get("/admin/reseaux"), 200)
	uitest.CheckEscaped(t, "/admin/moderation", b.Get("/admin/moderation"), 200)
	uitest.CheckEscaped(t, "follow hostile", b.Post("/admin/reseaux/suivre", url.Values{"cible": {uitest.Evil}}), http.StatusUnprocessableEntity)
	uitest.CheckEscaped(t, "hide hostile", b.Post("/admin/moderation/masquer", url.Values{"enregistrement": {uitest.Evil}}), http.StatusUnprocessableEntity)
	uitest.CheckEscaped(t, "dashboard", b.Get("/admin"), 200)
}
