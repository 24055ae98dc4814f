package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// roleRoute is an authenticated API route, with a body that would change
// something if the handler ran.
type roleRoute struct {
	method, path string
	body         any
}

// adminRoutes are the API routes only an admin token may use: follows,
// followers and moderation, as in the admin pages.
func adminRoutes(other *uitest.Instance) []roleRoute {
	return []roleRoute{
		{"POST", "/api/v1/follows", map[string]string{"target": other.Srv.URL + "/actor"}},
		{"DELETE", "/api/v1/follows/inconnu", nil},
		{"GET", "/api/v1/followers", nil},
		{"POST", "/api/v1/followers/inconnu/accept", nil},
		{"POST", "/api/v1/followers/inconnu/reject", nil},
		{"DELETE", "/api/v1/followers/inconnu", nil},
		{"GET", "/api/v1/blocks", nil},
		{"POST", "/api/v1/blocks", map[string]string{"domain": "spam.example"}},
		{"DELETE", "/api/v1/blocks/spam.example", nil},
		{"GET", "/api/v1/hidden", nil},
		{"POST", "/api/v1/hidden", map[string]string{"record": "inconnu"}},
		{"DELETE", "/api/v1/hidden?ap_id=inconnu", nil},
	}
}

func TestEditorTokenKeepsTheCatalogue(t *testing.T) {
	in := uitest.NewFederatedInstance(t)
	ed, err := in.Store.CreateToken("site du département", storage.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	admin := in.Token
	in.Token = ed // in.do and in.postFile send the editor's token
	p := in.CreatePlace(nil)
	if st := in.Do("PUT", "/api/v1/places/"+p.ID, uitest.PlaceJSON(map[string]any{"nom": "Médiathèque de l'Alcazar (BMVR)"}), nil); st != http.StatusOK {
		t.Errorf("editor PUT place = %d; want 200", st)
	}
	ev := in.CreateEvent(map[string]any{"nom": "Atelier smartphone", "lieu": p.ID,
		"debut": "2026-07-15T14:00:00+02:00", "fin": "2026-07-15T16:00:00+02:00"})
	if st := in.Do("DELETE", "/api/v1/events/"+ev.ID, nil, nil); st != http.StatusNoContent {
		t.Errorf("editor DELETE event = %d; want 204", st)
	}
	if st := in.Do("DELETE", "/api/v1/places/"+p.ID, nil, nil); st != http.StatusNoContent {
		t.Errorf("editor DELETE place = %d; want 204", st)
	}
	var a uitest.ImportAnswer
	data := uitest.ReadReference(t, "lieux-mediation-numerique.exemple-valide.v1.0.2.csv")
	if st := in.PostFile("/api/v1/import", "text/csv", data, &a); st != http.StatusOK || a.Brief() != "1 created, 0 updated, 0 unchanged, 0 rejected, 0 warnings" {
		t.Errorf("editor import = %d %s %s", st, a.Brief(), a.Error)
	}
	if st := in.Do("GET", "/api/v1/reports", nil, nil); st != http.StatusOK {
		t.Errorf("editor GET reports = %d; want 200 (the admin pages let editors deal with reports)", st)
	}
	in.Token = admin

	other := uitest.NewFederatedInstance(t)
	for _, rt := range adminRoutes(other) {
		var e server.APIError
		st := in.DoWith(ed, rt.method, rt.path, rt.body, &e)
		if st != http.StatusForbidden || !strings.Contains(e.Error, "rôle « admin »") || !strings.Contains(e.Error, "« editor »") {
			t.Errorf("editor %s %s = %d %q; want 403 naming the role needed", rt.method, rt.path, st, e.Error)
		}
	}
	if fs, _ := in.Store.Followings(); len(fs) != 0 {
		t.Errorf("an editor's token followed %+v", fs)
	}
	if bs, _ := in.Store.Blocks(); len(bs) != 0 {
		t.Errorf("an editor's token blocked %v", bs)
	}
}

func TestAdminTokenDoesEverything(t *testing.T) {
	in := uitest.NewFederatedInstance(t)
	other := uitest.NewFederatedInstance(t)
	p := in.CreatePlace(nil)
	if st := in.Do("DELETE", "/api/v1/places/"+p.ID, nil, nil); st != http.StatusNoContent {
		t.Errorf("admin DELETE place = %d; want 204", st)
	}
	for _, rt := range adminRoutes(other) {
		var e server.APIError
		if st := in.Do(rt.method, rt.path, rt.body, &e); st == http.StatusUnauthorized || st == http.StatusForbidden || st >= 500 {
			t.Errorf("admin %s %s = %d %q; want its normal answer", rt.method, rt.path, st, e.Error)
		}
		if rt.method == "POST" && rt.path == "/api/v1/blocks" {
			if bs, _ := in.Store.Blocks(); len(bs) != 1 {
				t.Errorf("admin block: blocks %v", bs)
			}
		}
	}
	if fs, _ := in.Store.Followings(); len(fs) != 1 {
		t.Errorf("admin follow: followings %+v", fs)
	}
}
