package metrics

import "testing"

func TestRoute(t *testing.T) {
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/", 200, "/"},
		{"/lieux", 200, "/lieux"},
		{"/lieux/01JABCDEF2GHJK", 200, "/lieux/{id}"},
		{"/lieux/epn-joliette/signaler", 303, "/lieux/{id}/signaler"},
		{"/api/v1/places/abc123/split", 200, "/api/v1/places/{id}/split"},
		{"/api/v1/followers/42/accept", 200, "/api/v1/followers/{id}/accept"},
		{"/admin/lieux/nouveau", 200, "/admin/lieux/nouveau"},
		{"/.well-known/webfinger", 200, "/.well-known/webfinger"},
		{"/static/app.3f2a.css", 200, "/static/*"},
		{"/wp-login.php", 404, "other"},
		{"/actor/inbox", 405, "other"},
		{"/Lieux/X", 200, "/{id}/{id}"},
		{"/admin/reseaux/abonnes/inconnu/accepter", 303, "/admin/reseaux/abonnes/{id}/accepter"},
		{"/admin/comptes/personne@nulle.part/supprimer", 303, "/admin/comptes/{id}/supprimer"},
		{"/api/v1/blocks/mastodon.example", 200, "/api/v1/blocks/{id}"},
		{"/nodeinfo/2.1", 200, "/nodeinfo/2.1"},
		{"/admin/abcdefghijklmnop/x", 200, "/admin/{id}/x"},
	} {
		if got := Route(tc.path, tc.status); got != tc.want {
			t.Errorf("Route(%q, %d) = %q; want %q", tc.path, tc.status, got, tc.want)
		}
	}
}
