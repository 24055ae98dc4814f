package uitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

const ReferenceDir = "../../catalogue/standard/testdata/reference"

// importAnswer is the body of POST /api/v1/import.
type ImportAnswer struct {
	DryRun   bool   `json:"dry_run"`
	Format   string `json:"format"`
	Version  string `json:"version"`
	Rows     int    `json:"rows"`
	Summary  map[string]int
	Rejected []struct {
		Line   int    `json:"line"`
		ID     string `json:"id"`
		Field  string `json:"field"`
		Reason string `json:"reason"`
	} `json:"rejected"`
	Warnings []json.RawMessage `json:"warnings"`
	Places   []struct {
		Record int    `json:"record"`
		ID     string `json:"id"`
		Action string `json:"action"`
		Place  string `json:"place"`
	} `json:"places"`
	Error string `json:"error"`
}

func (a ImportAnswer) Brief() string {
	s := a.Summary
	return fmt.Sprintf("%d created, %d updated, %d unchanged, %d rejected, %d warnings",
		s["created"], s["updated"], s["unchanged"], s["rejected"], s["warnings"])
}

// postFile sends body to path with the token and decodes the answer.
func (in *Instance) PostFile(path, contentType string, body []byte, out any) int {
	in.T.Helper()
	req, err := http.NewRequest("POST", in.Srv.URL+path, bytes.NewReader(body))
	if err != nil {
		in.T.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+in.Token)
	req.Header.Set("Content-Type", contentType)
	resp, err := in.Srv.Client().Do(req)
	if err != nil {
		in.T.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		in.T.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		in.T.Fatalf("POST %s: decode %s: %v", path, data, err)
	}
	return resp.StatusCode
}

func ReadReference(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ReferenceDir, name))
	if err != nil {
		t.Skipf("reference sample not available: %v", err)
	}
	return data
}

func (in *Instance) LocalPlaces() int {
	in.T.Helper()
	var page struct{ Total int }
	if st := in.Do("GET", "/api/v1/places?network=local&limit=1", nil, &page); st != http.StatusOK {
		in.T.Fatalf("GET places = %d", st)
	}
	return page.Total
}
