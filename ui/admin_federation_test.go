package ui

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// fedAdminInstance is a federated instance with an admin and an editor.
func fedAdminInstance(t *testing.T) *instance {
	t.Helper()
	in := newFederatedInstance(t)
	if err := in.store.AddUser(adminEmail, storage.RoleAdmin, password); err != nil {
		t.Fatal(err)
	}
	if err := in.store.AddUser(editorEmail, storage.RoleEditor, password); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestAdminFederationPagesAreForAdmins(t *testing.T) {
	in := fedAdminInstance(t)
	ed := in.browser()
	ed.login(editorEmail)
	for _, path := range []string{"/admin/reseaux", "/admin/moderation"} {
		ed.get(path).want(t, "editor on "+path, http.StatusForbidden, "réservée aux administrateurs")
	}
	ed.post("/admin/moderation/bloquer", url.Values{"domaine": {"spam.example"}}).want(t, "editor blocks", http.StatusForbidden)
	if list, _ := in.store.Blocks(); len(list) != 0 {
		t.Errorf("an editor blocked %v", list)
	}
	// Without federation, the pages do not exist.
	plain := adminInstance(t)
	b := plain.browser()
	b.login(adminEmail)
	b.get("/admin/reseaux").want(t, "without federation", http.StatusNotFound)
	if body := b.get("/admin").body; strings.Contains(body, `href="/admin/reseaux"`) || strings.Contains(body, `href="/admin/moderation"`) {
		t.Error("without federation, the menu links to the federation pages")
	}
	fb := in.browser()
	fb.login(adminEmail)
	if body := fb.get("/admin").body; !strings.Contains(body, `href="/admin/reseaux"`) || !strings.Contains(body, `href="/admin/moderation"`) {
		t.Error("the federated admin's menu lacks the federation pages")
	}
}

func TestAdminFollowsAndFollowers(t *testing.T) {
	in := fedAdminInstance(t)
	other := newFederatedInstance(t)
	b := in.browser()
	b.login(adminEmail)
	b.get("/admin/reseaux").want(t, "networks page", 200, "Réseaux que ce réseau suit", `<label for="cible">`)
	b.post("/admin/reseaux/suivre", url.Values{"cible": {""}}).want(t, "empty target", http.StatusUnprocessableEntity, "indiquez l’adresse du réseau à suivre")
	b.post("/admin/reseaux/suivre", url.Values{"cible": {in.srv.URL + "/actor"}}).
		want(t, "follow itself", http.StatusUnprocessableEntity, "impossible de suivre ce réseau", `value="`+in.srv.URL+`/actor"`)

	actor := other.srv.URL + "/actor"
	a := b.post("/admin/reseaux/suivre", url.Values{"cible": {actor}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("follow = %d\n%s", a.status, a.body)
	}
	fs, _ := in.store.Followings()
	if len(fs) != 1 || fs[0].Actor != actor || fs[0].State != storage.FollowPending {
		t.Fatalf("followings %+v", fs)
	}
	b.get(a.location()).want(t, "after follow", 200, "La demande d’abonnement a été envoyée.", actor, "En attente de réponse")
	if a := b.post("/admin/reseaux/suivis/inconnu/retirer", nil); a.status != http.StatusNotFound {
		t.Errorf("unfollow unknown = %d", a.status)
	}
	if a := b.post("/admin/reseaux/suivis/"+followID(fs[0])+"/retirer", nil); a.status != http.StatusSeeOther {
		t.Fatalf("unfollow = %d\n%s", a.status, a.body)
	}
	if fs, _ := in.store.Followings(); len(fs) != 0 {
		t.Errorf("still following %+v", fs)
	}

	// Followers asking: accepted, refused, then removed.
	for _, who := range []string{"https://a.example/users/a", "https://b.example/users/b"} {
		if err := in.store.PutFollower(storage.Follower{Actor: who, Inbox: who + "/inbox", FollowID: who + "/follow/1", State: storage.FollowPending}); err != nil {
			t.Fatal(err)
		}
	}
	b.get("/admin/reseaux").want(t, "pending followers", 200, "/admin/reseaux/abonnes/"+followerID("https://a.example/users/a")+"/accepter")
	if a := b.post("/admin/reseaux/abonnes/"+followerID("https://a.example/users/a")+"/accepter", nil); a.status != http.StatusSeeOther {
		t.Fatalf("accept = %d\n%s", a.status, a.body)
	}
	if f, err := in.store.Follower("https://a.example/users/a"); err != nil || f.State != storage.FollowAccepted {
		t.Errorf("accepted follower %+v %v", f, err)
	}
	if a := b.post("/admin/reseaux/abonnes/"+followerID("https://b.example/users/b")+"/refuser", nil); a.status != http.StatusSeeOther {
		t.Fatalf("reject = %d", a.status)
	}
	if _, err := in.store.Follower("https://b.example/users/b"); err == nil {
		t.Error("the refused follower is kept")
	}
	if a := b.post("/admin/reseaux/abonnes/"+followerID("https://a.example/users/a")+"/retirer", nil); a.status != http.StatusSeeOther {
		t.Fatalf("remove = %d", a.status)
	}
	if fs, _ := in.store.Followers(); len(fs) != 0 {
		t.Errorf("followers left %+v", fs)
	}
	b.post("/admin/reseaux/abonnes/inconnu/accepter", nil).want(t, "accept unknown", http.StatusNotFound)
}

func followID(f storage.Following) string { return path.Base(f.ID) }

func TestAdminModeration(t *testing.T) {
	in := fedAdminInstance(t)
	local := in.createPlace(nil)
	remote := &catalogue.Place{APID: "https://autre.example/lieux/1", Nom: "Lieu distant", Commune: "Toulon",
		Network: catalogue.Network{Name: "Arsenic 83", Actor: "https://autre.example/actor"}, Updated: monday}
	if err := in.store.PutRemotePlace("https://autre.example/activities/1", remote); err != nil {
		t.Fatal(err)
	}
	b := in.browser()
	b.login(adminEmail)
	b.get("/admin/moderation").want(t, "moderation", 200, "Aucun domaine bloqué.", "Aucun lieu ni événement masqué.")
	b.post("/admin/moderation/bloquer", url.Values{"domaine": {""}}).want(t, "no domain", http.StatusUnprocessableEntity, "indiquez le domaine à bloquer")
	b.post("/admin/moderation/bloquer", url.Values{"domaine": {in.srv.URL}}).want(t, "self", http.StatusUnprocessableEntity, "se bloquer elle-même")
	a := b.post("/admin/moderation/bloquer", url.Values{"domaine": {"Spam@Pourriel.Example"}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("block = %d\n%s", a.status, a.body)
	}
	b.get(a.location()).want(t, "after block", 200, "Le domaine a été bloqué.", "pourriel.example")
	if !in.store.Blocked("https://pourriel.example/actor") {
		t.Error("not blocked")
	}
	if a := b.post("/admin/moderation/debloquer", url.Values{"domaine": {"pourriel.example"}}); a.status != http.StatusSeeOther {
		t.Fatalf("unblock = %d", a.status)
	}
	if in.store.Blocked("https://pourriel.example/actor") {
		t.Error("still blocked")
	}
	b.post("/admin/moderation/debloquer", url.Values{"domaine": {"pourriel.example"}}).want(t, "unblock twice", http.StatusNotFound)

	b.get("/admin/lieux/"+remote.ID).want(t, "remote place", 200, `<form method="post" action="/admin/moderation/masquer">`,
		`name="enregistrement" value="`+remote.ID+`"`, "Masquer ce lieu")
	b.post("/admin/moderation/masquer", url.Values{"enregistrement": {local.ID}}).want(t, "hide local", http.StatusUnprocessableEntity, "se supprime, il ne se masque pas")
	b.post("/admin/moderation/masquer", url.Values{"enregistrement": {"inconnu"}}).want(t, "hide unknown", http.StatusUnprocessableEntity, "aucun lieu ni événement")
	if a := b.post("/admin/moderation/masquer", url.Values{"enregistrement": {remote.ID}}); a.status != http.StatusSeeOther {
		t.Fatalf("hide = %d\n%s", a.status, a.body)
	}
	if _, err := in.store.Place(remote.ID); err == nil {
		t.Error("the hidden place is still in the catalogue")
	}
	b.get("/admin/moderation").want(t, "hidden list", 200, "https://autre.example/lieux/1", "Ne plus masquer")
	if a := b.post("/admin/moderation/demasquer", url.Values{"ap_id": {remote.APID}}); a.status != http.StatusSeeOther {
		t.Fatalf("unhide = %d", a.status)
	}
	if list, _ := in.store.Hidden(); len(list) != 0 {
		t.Errorf("still hidden: %v", list)
	}
}

func TestAdminFederationPagesEscapeHostileText(t *testing.T) {
	in := fedAdminInstance(t)
	hostile(t, in)
	b := in.browser()
	b.login(adminEmail)
	if _, _, err := in.store.Block(evil); err != nil {
		t.Fatal(err)
	}
	checkEscaped(t, "/admin/reseaux", b.get("/admin/reseaux"), 200)
	checkEscaped(t, "/admin/moderation", b.get("/admin/moderation"), 200)
	checkEscaped(t, "follow hostile", b.post("/admin/reseaux/suivre", url.Values{"cible": {evil}}), http.StatusUnprocessableEntity)
	checkEscaped(t, "hide hostile", b.post("/admin/moderation/masquer", url.Values{"enregistrement": {evil}}), http.StatusUnprocessableEntity)
	checkEscaped(t, "dashboard", b.get("/admin"), 200)
}
