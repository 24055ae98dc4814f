package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// get reads a page or document of the node without a token.
func (n *node) get(path string) (int, string) {
	n.t.Helper()
	resp, err := http.Get(n.srv.BaseURL() + path)
	if err != nil {
		n.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		n.t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// TestOnePlaceSeveralNetworksThroughTheAPI: two départemental networks
// publish the same médiathèque; the region that follows both shows it
// once everywhere (list, either record's id, its page, exports, stats),
// and an editor splits and links it again.
func TestOnePlaceSeveralNetworksThroughTheAPI(t *testing.T) {
	a84 := startNode(t, "Arsenic 84", "arsenic84", false)
	ga := startNode(t, "Grand Avignon numérique", "grandavignon", false)
	paca := startNode(t, "Région Sud", "paca", false)
	for _, c := range []struct {
		n    *node
		body string
	}{
		{a84, `{"pivot":"21840007600013","nom":"Médiathèque Ceccano","adresse":"2 bis rue Laboureur","code_postal":"84000",
"commune":"Avignon","code_insee":"84007","latitude":43.9463,"longitude":4.8059,"date_maj":"2026-09-15"}`},
		{ga, `{"pivot":"21840007600013","nom":"Bibliothèque Ceccano (Avignon)","adresse":"2bis, r. Laboureur","code_postal":"84000",
"commune":"Avignon","code_insee":"84007","latitude":43.9466,"longitude":4.8061,"telephone":"04 90 85 15 59","date_maj":"2026-10-01"}`},
	} {
		if st := c.n.call("POST", "/api/v1/places", c.body, nil); st != http.StatusCreated {
			t.Fatalf("create place: %d", st)
		}
	}
	for _, n := range []*node{a84, ga} {
		if st := paca.call("POST", "/api/v1/follows", `{"target":"`+n.srv.Config.Handle+`@`+n.srv.Addr()+`"}`, nil); st != http.StatusAccepted {
			t.Fatalf("follow: %d", st)
		}
	}
	var l struct {
		Items []struct {
			ID      string `json:"id"`
			Nom     string `json:"nom"`
			Sources []struct {
				ID      string         `json:"id"`
				APID    string         `json:"ap_id"`
				Network map[string]any `json:"network"`
				Updated string         `json:"updated"`
			} `json:"sources"`
		} `json:"items"`
		Total int `json:"total"`
	}
	eventually(t, "the region shows the médiathèque once, from both networks", func() bool {
		paca.call("GET", "/api/v1/places", "", &l)
		return l.Total == 1 && len(l.Items[0].Sources) == 2
	})
	merged := l.Items[0]
	for _, n := range []*node{a84, ga} {
		var byNetwork list
		paca.call("GET", "/api/v1/places?network="+n.srv.BaseURL()+"/actor", "", &byNetwork)
		if byNetwork.Total != 1 || byNetwork.Items[0]["id"] != merged.ID {
			t.Errorf("places of %s: %+v; want the merged place", n.srv.Config.Name, byNetwork)
		}
	}
	for _, s := range merged.Sources {
		if s.APID == "" || s.Updated == "" || s.Network["name"] == nil {
			t.Errorf("source %+v lacks its ap_id, update time or network", s)
		}
		var p map[string]any
		if st := paca.call("GET", "/api/v1/places/"+s.ID, "", &p); st != http.StatusOK || p["id"] != merged.ID || len(p["sources"].([]any)) != 2 || p["telephone"] == nil {
			t.Errorf("GET /api/v1/places/%s: %d %v; want the merged place %s", s.ID, st, p, merged.ID)
		}
		st, page := paca.get("/lieux/" + s.ID)
		if st != http.StatusOK || !strings.Contains(page, "Publié par") || !strings.Contains(page, "Arsenic 84") || !strings.Contains(page, "Grand Avignon numérique") {
			t.Errorf("/lieux/%s: %d, without both networks", s.ID, st)
		}
	}
	var geo struct {
		Features []any `json:"features"`
	}
	if _, body := paca.get("/export/lieux.geojson"); json.Unmarshal([]byte(body), &geo) != nil || len(geo.Features) != 1 {
		t.Errorf("GeoJSON export: %d features; want 1", len(geo.Features))
	}
	if _, body := paca.get("/export/lieux.csv"); strings.Count(strings.TrimSpace(body), "\n") != 1 {
		t.Errorf("CSV export: %q; want a header and one line", body)
	}
	var stats struct {
		Places int `json:"lieux"`
	}
	if paca.call("GET", "/api/v1/stats", "", &stats); stats.Places != 1 {
		t.Errorf("stats: %d places; want 1", stats.Places)
	}

	// An editor splits the merge, then links the records again.
	other := merged.Sources[1].ID
	if other == merged.ID {
		other = merged.Sources[0].ID
	}
	req, _ := http.NewRequest("POST", paca.srv.BaseURL()+"/api/v1/places/"+other+"/split", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("split without a token: %v %v", resp, err)
	}
	var p map[string]any
	if st := paca.call("POST", "/api/v1/places/"+other+"/split", "", &p); st != http.StatusOK || p["id"] != other || p["sources"] != nil {
		t.Errorf("split: %d %v; want the record alone", st, p)
	}
	if paca.call("GET", "/api/v1/places", "", &l); l.Total != 2 {
		t.Errorf("after the split: %d places; want 2", l.Total)
	}
	if st := paca.call("POST", "/api/v1/places/"+other+"/link", `{"with":"inconnu"}`, nil); st != http.StatusNotFound {
		t.Errorf("link with an unknown place: %d; want 404", st)
	}
	if st := paca.call("POST", "/api/v1/places/"+other+"/link", `{}`, nil); st != http.StatusBadRequest {
		t.Errorf("link without with: %d; want 400", st)
	}
	if st := paca.call("POST", "/api/v1/places/"+other+"/link", `{"with":"`+merged.ID+`"}`, &p); st != http.StatusOK || len(p["sources"].([]any)) != 2 {
		t.Errorf("link: %d %v; want the merged place", st, p)
	}
	if paca.call("GET", "/api/v1/places", "", &l); l.Total != 1 {
		t.Errorf("after the link: %d places; want 1", l.Total)
	}
}
