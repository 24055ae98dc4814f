package api_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
	"github.com/maillage/maillage/ui/internal/server"
	"github.com/maillage/maillage/ui/internal/uitest"
)

// TestDiskFullAnswers507: on a real full disk (a small tmpfs), API writes
// answer 507 with a French message, not a generic 500; reads still work.
func TestDiskFullAnswers507(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=4m"); err != nil {
		t.Skipf("a full disk is tested on a small tmpfs, and mounting one failed (%v): run the tests as root to run this one", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
	srv := httptest.NewServer(nil)
	defer srv.Close()
	st, err := storage.Open(dir, storage.Options{BaseURL: srv.URL, Now: func() time.Time { return uitest.Monday }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv.Config.Handler = ui.New(ui.Config{Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return uitest.Monday }})
	in := &uitest.Instance{T: t, Srv: srv, Store: st, Now: uitest.Monday}
	if in.Token, err = st.CreateToken("tests", storage.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	first := in.CreatePlace(nil)

	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	for buf := make([]byte, 16<<10); ; {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Close()

	var status int
	var answer server.APIError
	for i := 0; i < 200 && status != http.StatusInsufficientStorage; i++ {
		body := uitest.PlaceJSON(map[string]any{"presentation_detail": strings.Repeat("Ateliers numériques pour tous. ", 60)})
		answer = server.APIError{}
		status = in.Do("POST", "/api/v1/places", body, &answer)
		if status != http.StatusCreated && status != http.StatusInsufficientStorage {
			t.Fatalf("POST place on a full disk: %d %+v; want 201 (while pages remain) or 507", status, answer)
		}
	}
	if status != http.StatusInsufficientStorage || !strings.Contains(answer.Error, "disque du serveur est plein") {
		t.Fatalf("POST place on a full disk: %d %+v; want 507 saying the disk is full", status, answer)
	}
	var got map[string]any
	if st := in.Do("GET", "/api/v1/places/"+first.ID, nil, &got); st != http.StatusOK {
		t.Errorf("GET place on a full disk: %d; want 200", st)
	}
}
