package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestNextStepsAtFirstStart: a fresh instance tells how to make the first
// account and how to fill the catalogue; once it has both it says nothing.
func TestNextStepsAtFirstStart(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir)
	var out bytes.Buffer
	if err := printNextSteps(&out, srv); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"maillage user add --data " + dir + " --email", "/admin/connexion", "/admin/import", "--demo-seed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("next steps of a fresh instance lack %q:\n%s", want, out.String())
		}
	}
	if err := srv.Store().AddUser("admin@exemple.fr", "admin", "un mot de passe assez long"); err != nil {
		t.Fatal(err)
	}
	token, err := srv.Store().CreateToken("tests", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := post(t, srv.BaseURL()+"/api/v1/places", token, placeBody); status != 201 {
		t.Fatalf("POST place = %d %v", status, body)
	}
	out.Reset()
	if err := printNextSteps(&out, srv); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("an instance with an account and places still prints:\n%s", out.String())
	}
	srv.Close()
}
