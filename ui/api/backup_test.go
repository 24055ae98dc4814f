package api_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestBackupRoute: GET /api/v1/admin/backup streams a database that
// checks sound and holds what was written, to an admin token only.
func TestBackupRoute(t *testing.T) {
	in := uitest.NewInstance(t)
	p := in.CreatePlace(nil)
	ed, err := in.Store.CreateToken("site", storage.RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	if st := in.DoWith(ed, "GET", "/api/v1/admin/backup", nil, nil); st != http.StatusForbidden {
		t.Errorf("backup with an editor token: %d; want 403", st)
	}
	if st := in.DoWith("", "GET", "/api/v1/admin/backup", nil, nil); st != http.StatusUnauthorized {
		t.Errorf("backup without a token: %d; want 401", st)
	}
	req, _ := http.NewRequest("GET", in.Srv.URL+"/api/v1/admin/backup", nil)
	req.Header.Set("Authorization", "Bearer "+in.Token)
	resp, err := in.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("backup: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	dir := t.TempDir()
	path := filepath.Join(dir, storage.FileName)
	f, _ := os.Create(path)
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if r, err := storage.CheckFile(path); err != nil || len(r.Problems) > 0 {
		t.Fatalf("CheckFile of the backup: %v %v", r.Problems, err)
	}
	st, err := storage.Open(dir, storage.Options{BaseURL: in.Srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got, err := st.Place(p.ID); err != nil || got.Nom != p.Nom {
		t.Errorf("place in the backup: %+v, %v", got, err)
	}
}
