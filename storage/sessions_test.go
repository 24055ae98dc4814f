package storage

import (
	"errors"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestSessionLifecycle(t *testing.T) {
	now := testNow
	s, err := Open(t.TempDir(), Options{BaseURL: "http://maillage.test", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Session("inconnue"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Session before any login = %v; want ErrNotFound", err)
	}
	id, err := s.CreateSession("marie@example.org", RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	if len(id) < 43 {
		t.Errorf("session id %q is shorter than 256 bits", id)
	}
	// Only the hash is stored.
	s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
			if strings.Contains(string(k)+string(v), id) {
				t.Errorf("the session id is stored in clear")
			}
			return nil
		})
	})
	se, err := s.Session(id)
	if err != nil || se.Email != "marie@example.org" || se.Role != RoleEditor {
		t.Fatalf("Session = %+v, %v", se, err)
	}
	// Used every 11 hours, it lives until its absolute limit.
	for now.Sub(testNow) < SessionMaxAge-11*time.Hour {
		now = now.Add(11 * time.Hour)
		if _, err := s.Session(id); err != nil {
			t.Fatalf("after %v: %v", now.Sub(testNow), err)
		}
	}
	now = testNow.Add(SessionMaxAge + time.Minute)
	if _, err := s.Session(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("after 7 days: %v; want ErrNotFound", err)
	}
	// Idle for more than 12 hours, it ends.
	now = testNow
	id2, err := s.CreateSession("marie@example.org", RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(SessionIdle + time.Minute)
	if _, err := s.Session(id2); !errors.Is(err, ErrNotFound) {
		t.Errorf("after 12 idle hours: %v; want ErrNotFound", err)
	}
	// Logged out, it is gone.
	id3, err := s.CreateSession("admin@example.org", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(id3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(id3); !errors.Is(err, ErrNotFound) {
		t.Errorf("after logout: %v; want ErrNotFound", err)
	}
	// Expired sessions are swept by the next login.
	if _, err := s.CreateSession("admin@example.org", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	now = now.Add(SessionIdle + time.Minute)
	if _, err := s.CreateSession("admin@example.org", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	n := 0
	s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketSessions).Stats().KeyN; return nil })
	if n != 1 {
		t.Errorf("%d sessions stored; want only the live one", n)
	}
}

func TestTokensListAndRevoke(t *testing.T) {
	s, _ := openTestStore(t)
	a, err := s.CreateToken("import nocturne", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateToken("site du département", RoleAdmin); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListTokens()
	if err != nil || len(list) != 2 {
		t.Fatalf("ListTokens = %v, %v", list, err)
	}
	for _, ti := range list {
		if strings.Contains(ti.ID, a) {
			t.Errorf("ListTokens shows the token itself")
		}
	}
	var first TokenInfo
	for _, ti := range list {
		if ti.Label == "import nocturne" {
			first = ti
		}
	}
	if err := s.RevokeToken(first.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckToken(a); !errors.Is(err, ErrNotFound) {
		t.Errorf("revoked token still works: %v", err)
	}
	if err := s.RevokeToken(first.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second revoke = %v; want ErrNotFound", err)
	}
	if list, _ := s.ListTokens(); len(list) != 1 {
		t.Errorf("%d tokens left; want 1", len(list))
	}
}

func TestDeleteUser(t *testing.T) {
	s, _ := openTestStore(t)
	for _, u := range []struct{ email, role string }{{"admin@a.example", RoleAdmin}, {"ed@a.example", RoleEditor}} {
		if err := s.AddUser(u.email, u.role, "un mot de passe assez long"); err != nil {
			t.Fatal(err)
		}
	}
	theirs, err := s.CreateSession("ed@a.example", RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := s.CreateSession("admin@a.example", RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser("admin@a.example"); !errors.Is(err, ErrConflict) {
		t.Errorf("deleting the last admin: %v; want ErrConflict", err)
	}
	if err := s.DeleteUser(" ED@a.example"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(theirs); !errors.Is(err, ErrNotFound) {
		t.Errorf("the deleted account's session: %v; want ErrNotFound", err)
	}
	if _, err := s.Session(mine); err != nil {
		t.Errorf("another account's session ended: %v", err)
	}
	if err := s.DeleteUser("ed@a.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting an unknown account: %v; want ErrNotFound", err)
	}
	if users, _ := s.Users(); len(users) != 1 || users[0].Email != "admin@a.example" {
		t.Errorf("Users() = %+v", users)
	}
}

func TestTokenRoles(t *testing.T) {
	s, _ := openTestStore(t)
	ed, err := s.CreateToken("site du département", RoleEditor)
	if err != nil {
		t.Fatal(err)
	}
	if tok, err := s.CheckToken(ed); err != nil || tok.Role != RoleEditor {
		t.Errorf("CheckToken(editor's) = %v, %v; want role editor", tok, err)
	}
	for _, role := range []string{"", "root", "Admin"} {
		if _, err := s.CreateToken("x", role); err == nil || !strings.Contains(err.Error(), "rôle inconnu") {
			t.Errorf("CreateToken(role %q) = %v; want a French refusal", role, err)
		}
	}
	if list, _ := s.ListTokens(); len(list) != 1 {
		t.Errorf("%d tokens after refused roles; want 1", len(list))
	}
}

// TestTokenWithoutRoleIsAdmin reads a token as stored before roles were
// recorded: it keeps working, as an admin token, after a restart too.
func TestTokenWithoutRoleIsAdmin(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{BaseURL: "http://maillage.test", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	const old = "mlg_un-jeton-d-avant-les-roles"
	err = s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketTokens).Put(tokenKey(old), []byte(`{"label":"script historique","created":"2025-01-02T03:04:05Z"}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openAt(t, dir)
	if tok, err := s.CheckToken(old); err != nil || tok.Role != RoleAdmin {
		t.Errorf("CheckToken(role-less) = %v, %v; want role admin", tok, err)
	}
	if list, err := s.ListTokens(); err != nil || len(list) != 1 || list[0].Role != RoleAdmin {
		t.Errorf("ListTokens = %v, %v; want the token, as admin", list, err)
	}
}

func TestRoleAllows(t *testing.T) {
	for _, c := range []struct {
		have, need string
		want       bool
	}{
		{RoleAdmin, RoleAdmin, true},
		{RoleAdmin, RoleEditor, true},
		{RoleEditor, RoleEditor, true},
		{RoleEditor, RoleAdmin, false},
		{"", RoleEditor, false},
		{"root", RoleEditor, false},
		{RoleAdmin, "root", false},
	} {
		if got := RoleAllows(c.have, c.need); got != c.want {
			t.Errorf("RoleAllows(%q, %q) = %v; want %v", c.have, c.need, got, c.want)
		}
	}
}
