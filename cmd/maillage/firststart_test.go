package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
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

// TestSampleFromTheAdminHome: the admin home's button loads the same
// sample data as --demo-seed (Arsenic 13's, for a handle the demo does not
// know), once: a second click is refused and changes nothing.
func TestSampleFromTheAdminHome(t *testing.T) {
	srv := startServerWith(t, Config{Name: "Mon réseau", Handle: "reseau"})
	if err := srv.Store().AddUser("admin@exemple.fr", "admin", "un mot de passe assez long"); err != nil {
		t.Fatal(err)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	page := func(method, path string, form url.Values) (int, string, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, srv.BaseURL()+path, body)
		if err != nil {
			t.Fatal(err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		token := ""
		if m := csrf.FindSubmatch(b); m != nil {
			token = string(m[1])
		}
		return resp.StatusCode, string(b), token
	}
	_, _, token := page("GET", "/admin/connexion", nil)
	if st, body, _ := page("POST", "/admin/connexion", url.Values{"csrf": {token}, "email": {"admin@exemple.fr"},
		"password": {"un mot de passe assez long"}}); st != http.StatusSeeOther {
		t.Fatalf("login = %d\n%s", st, body)
	}
	_, home, token := page("GET", "/admin", nil)
	if !strings.Contains(home, `action="/admin/exemple"`) {
		t.Fatalf("the home of an empty catalogue has no sample button:\n%s", home)
	}
	if st, body, _ := page("POST", "/admin/exemple", url.Values{"csrf": {token}}); st != http.StatusSeeOther {
		t.Fatalf("load the sample = %d\n%s", st, body)
	}
	places, err := srv.Store().Places(catalogue.PlaceQuery{Network: "local", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	events, err := srv.Store().Events(catalogue.EventQuery{Network: "local", From: time.Now(), Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if places.Total != demoTerritory[0].places || events.Total == 0 || places.Items[0].Departement() != "13" {
		t.Fatalf("after loading: %d places, %d events; want Arsenic 13's %d places and their ateliers", places.Total, events.Total, demoTerritory[0].places)
	}
	_, _, token = page("GET", "/admin", nil)
	if st, body, _ := page("POST", "/admin/exemple", url.Values{"csrf": {token}}); st != http.StatusConflict || !strings.Contains(body, "Le catalogue n’est pas vide") {
		t.Errorf("second load = %d; want 409 in French\n%s", st, body)
	}
	if again, _ := srv.Store().Places(catalogue.PlaceQuery{Network: "local", Limit: 1}); again.Total != places.Total {
		t.Errorf("%d places after the second click; want %d", again.Total, places.Total)
	}
}
