package uitest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
)

// monday is the clock of these tests: Monday 13 July 2026, 10:00 in Paris,
// the day before Bastille Day.
var Monday = time.Date(2026, 7, 13, 10, 0, 0, 0, catalogue.Paris)

type Instance struct {
	T     *testing.T
	Srv   *httptest.Server
	Store *storage.Store
	Token string
	Now   time.Time
}

// newInstance starts a real store in a temporary directory behind a real
// HTTP server.
func NewInstance(t *testing.T) *Instance {
	t.Helper()
	in := &Instance{T: t, Now: Monday}
	in.Srv = httptest.NewServer(nil)
	st, err := storage.Open(t.TempDir(), storage.Options{BaseURL: in.Srv.URL, Now: func() time.Time { return in.Now }})
	if err != nil {
		t.Fatal(err)
	}
	in.Store = st
	in.Srv.Config.Handler = ui.New(ui.Config{
		Store:   st,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:     func() time.Time { return in.Now },
		MaxBody: 64 << 10,
	})
	t.Cleanup(func() {
		in.Srv.Close()
		if err := st.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		st.Close()
	})
	in.Token, err = st.CreateToken("tests", storage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// do sends a request with the token and decodes the JSON answer into out
// (when not nil); it returns the status.
func (in *Instance) Do(method, path string, body any, out any) int {
	in.T.Helper()
	return in.DoWith(in.Token, method, path, body, out)
}

func (in *Instance) DoWith(token, method, path string, body any, out any) int {
	in.T.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			in.T.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, in.Srv.URL+path, r)
	if err != nil {
		in.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := in.Srv.Client().Do(req)
	if err != nil {
		in.T.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		in.T.Fatal(err)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			in.T.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode
}

// placeJSON is a valid place body; overrides replace or add fields.
func PlaceJSON(overrides map[string]any) map[string]any {
	p := map[string]any{
		"pivot": "43493312300029", "nom": "Médiathèque de l'Alcazar",
		"adresse": "58 cours Belsunce", "code_postal": "13001", "commune": "Marseille",
		"code_insee": "13201", "latitude": 43.2989, "longitude": 5.3782,
		"typologie": []string{"BIB"}, "telephone": "04 91 55 90 00",
		"horaires":       "Tu-Sa 11:00-19:00; PH off",
		"services":       []string{"Accès internet et matériel informatique", "Aide aux démarches administratives"},
		"frais_a_charge": []string{"Gratuit"},
		"date_maj":       "2026-06-01",
	}
	for k, v := range overrides {
		if v == nil {
			delete(p, k)
		} else {
			p[k] = v
		}
	}
	return p
}

func (in *Instance) CreatePlace(overrides map[string]any) catalogue.Place {
	in.T.Helper()
	var p catalogue.Place
	if st := in.Do("POST", "/api/v1/places", PlaceJSON(overrides), &p); st != http.StatusCreated {
		in.T.Fatalf("POST /api/v1/places = %d; want 201", st)
	}
	return p
}

type PlacePage struct {
	Items []catalogue.Place
	Total int
	Next  string
}

func (in *Instance) Names(query string) []string {
	in.T.Helper()
	var page PlacePage
	if st := in.Do("GET", "/api/v1/places?"+query, nil, &page); st != 200 {
		in.T.Fatalf("GET /api/v1/places?%s = %d", query, st)
	}
	var names []string
	for _, p := range page.Items {
		names = append(names, p.Nom)
	}
	return names
}
