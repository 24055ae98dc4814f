package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/storage"
)

// localPlaces reads every local place of a store, by id.
func localPlaces(t *testing.T, st *storage.Store) map[string]*catalogue.Place {
	t.Helper()
	out := map[string]*catalogue.Place{}
	for cursor := ""; ; {
		page, err := st.Places(catalogue.PlaceQuery{Network: "local", Limit: 500, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			out[p.ID] = p
		}
		if page.Next == "" {
			return out
		}
		cursor = page.Next
	}
}

// TestBackupRestoreDrill is the restore drill: a running instance keeps
// taking writes through its API while `maillage backup --url` copies it;
// the copy, restored into a new directory, opens, passes Store.Check and
// holds every place written before the backup began, each as the live
// instance has it.
func TestBackupRestoreDrill(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir)
	t.Cleanup(func() { srv.Close() })
	token, err := srv.Store().CreateToken("sauvegarde", storage.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	create := func(n int) {
		body := strings.Replace(placeBody, "EPN de la Joliette", fmt.Sprintf("EPN numéro %d", n), 1)
		if st, v := post(t, srv.BaseURL()+"/api/v1/places", token, body); st != http.StatusCreated {
			t.Errorf("create place %d: %d %v", n, st, v)
		}
	}
	for n := range 200 {
		create(n)
	}
	before := len(localPlaces(t, srv.Store()))

	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 4 { // writers all along the backup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 1000 * (w + 1); !stop.Load(); n++ {
				create(n)
			}
		}()
	}
	out := filepath.Join(t.TempDir(), "sauvegarde.db")
	msg, err := runCmd(t, "", "backup", "--url", srv.BaseURL(), "--token", token, "--out", out)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if !strings.Contains(msg, "vérifiée") {
		t.Errorf("backup said %q", msg)
	}
	if msg, err := runCmd(t, "", "check", out); err != nil || !strings.Contains(msg, "aucun problème") {
		t.Errorf("check of the backup: %q, %v", msg, err)
	}

	restored := filepath.Join(t.TempDir(), "data")
	if msg, err := runCmd(t, "", "restore", out, "--data", restored); err != nil || !strings.Contains(msg, "restauré") {
		t.Fatalf("restore: %q, %v", msg, err)
	}
	st, err := storage.Open(restored, storage.Options{BaseURL: srv.BaseURL()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(); err != nil {
		t.Errorf("Check of the restored store: %v", err)
	}
	got, live := localPlaces(t, st), localPlaces(t, srv.Store())
	if len(got) < before {
		t.Errorf("%d places restored; want at least the %d written before the backup", len(got), before)
	}
	for id, p := range got {
		lp, ok := live[id]
		if !ok {
			t.Errorf("restored place %s is not on the live instance", id)
			continue
		}
		a, _ := json.Marshal(p)
		b, _ := json.Marshal(lp)
		if string(a) != string(b) {
			t.Errorf("restored place %s differs:\n%s\nlive:\n%s", id, a, b)
		}
	}
	t.Logf("%d places before the backup, %d in it, %d live after", before, len(got), len(live))
}

// TestBackupRestoreCommands: backup of a stopped instance, check, and what
// restore refuses: a directory holding a database without --force, a
// damaged file, a running instance's directory.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCmd(t, "", "token", "create", "--data", dir); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "b.db")
	if _, err := runCmd(t, "", "backup", "--data", dir, "--out", out); err != nil {
		t.Fatalf("offline backup: %v", err)
	}
	if _, err := runCmd(t, "", "backup", "--data", t.TempDir(), "--out", out+"2"); err == nil || !strings.Contains(err.Error(), "pas de base de données") {
		t.Errorf("backup of an empty directory: %v", err)
	}
	if _, err := runCmd(t, "", "backup", "--url", "http://127.0.0.1:1", "--out", out+"3"); err == nil || !strings.Contains(err.Error(), "--token") {
		t.Errorf("backup --url without --token: %v", err)
	}

	if _, err := runCmd(t, "", "restore", out, "--data", dir); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over a database: %v; want a refusal naming --force", err)
	}
	data, _ := os.ReadFile(out)
	damaged := filepath.Join(t.TempDir(), "abimee.db")
	os.WriteFile(damaged, data[:len(data)/2], 0o600)
	if _, err := runCmd(t, "", "restore", damaged, "--data", t.TempDir()); err == nil || !strings.Contains(err.Error(), "n'est pas une sauvegarde intacte") {
		t.Errorf("restore of a truncated file: %v", err)
	}
	if _, err := runCmd(t, "", "check", damaged); err == nil {
		t.Error("check of a truncated backup: no error")
	}

	srv := startServer(t, dir)
	if _, err := runCmd(t, "", "restore", out, "--data", dir, "--force"); err == nil || !strings.Contains(err.Error(), "arrêtez-le") {
		t.Errorf("restore into a running instance's directory: %v", err)
	}
	if _, err := runCmd(t, "", "check", "--data", dir); err == nil || !strings.Contains(err.Error(), "maillage serve") {
		t.Errorf("check of a running instance's directory: %v", err)
	}
	srv.Close()
	if msg, err := runCmd(t, "", "restore", out, "--data", dir, "--force"); err != nil {
		t.Fatalf("restore --force: %q, %v", msg, err)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, storage.FileName+".before-restore-*"))
	if len(kept) != 1 {
		t.Errorf("old database kept as %v; want one file", kept)
	}
	if msg, err := runCmd(t, "", "check", "--data", dir); err != nil || !strings.Contains(msg, "aucun problème") {
		t.Errorf("check after restore: %q, %v", msg, err)
	}
	if msg, err := runCmd(t, "", "repair", "--data", dir); err != nil || !strings.Contains(msg, "réparation terminée") {
		t.Errorf("repair of a sound directory: %q, %v", msg, err)
	}
}

// TestDamagedDatabaseRefusedAtStart: serve and check on a truncated
// maillage.db answer the French message, not a runtime dump.
func TestDamagedDatabaseRefusedAtStart(t *testing.T) {
	dir := t.TempDir()
	srv := startServer(t, dir)
	token, _ := srv.Store().CreateToken("t", storage.RoleAdmin)
	for n := range 50 {
		post(t, srv.BaseURL()+"/api/v1/places", token, strings.Replace(placeBody, "Joliette", fmt.Sprint(n), 1))
	}
	srv.Close()
	path := filepath.Join(dir, storage.FileName)
	data, _ := os.ReadFile(path)
	os.WriteFile(path, data[:len(data)/3], 0o600)
	s := &Server{Config: Config{Data: dir, Listen: "127.0.0.1:0", Name: "x", Handle: "x"}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := s.Open(context.Background())
	if err == nil {
		s.Close()
		t.Fatal("serve started on a truncated database")
	}
	for _, want := range []string{path, "endommagé", "maillage check --data", "maillage repair --data"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("serve: %q; want it to say %q", err, want)
		}
	}
	if msg, err := runCmd(t, "", "check", "--data", dir); err == nil || !strings.Contains(msg, "tronqué") {
		t.Errorf("check: %q, %v; want the truncation and a non-zero status", msg, err)
	}
}

// TestDailyBackups: serve --backup-dir writes a backup every period (a
// day; shortened here) and keeps --backup-keep of them, each sound.
func TestDailyBackups(t *testing.T) {
	backups := t.TempDir()
	srv := &Server{
		Config:      Config{Data: t.TempDir(), Listen: "127.0.0.1:0", Name: "x", Handle: "x", BackupDir: backups, BackupKeep: 2},
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		backupEvery: 50 * time.Millisecond,
	}
	if err := srv.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	eventually(t, "more than two backups were written", func() bool {
		last, ok := newestBackup(backups)
		return ok && time.Since(last) < time.Second && len(serveBackups(backups)) == 2
	})
	time.Sleep(200 * time.Millisecond)
	names := serveBackups(backups)
	if len(names) != 2 {
		t.Fatalf("%d backups kept; want 2", len(names))
	}
	for _, n := range names {
		if r, err := storage.CheckFile(filepath.Join(backups, n)); err != nil || len(r.Problems) > 0 {
			t.Errorf("backup %s: %v %v", n, r.Problems, err)
		}
	}
	if _, err := parseServeFlags([]string{"--backup-dir", backups, "--backup-keep", "0"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("--backup-keep 0 accepted")
	}
}
