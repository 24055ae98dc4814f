package ui

import (
	"bytes"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/admin"
	"github.com/maillage/maillage/ui/internal/page"
	"github.com/maillage/maillage/ui/web"
)

// sourceDirs are the folders whose Go files and templates use the
// messages.
var sourceDirs = []string{"internal/page", "internal/page/templates", "web", "web/templates", "admin", "admin/templates", "admin/forms", "feeds", "api"}

// TestEveryTemplateIsUsed guards against a page file that no handler
// renders (and so no test covers).
func TestEveryTemplateIsUsed(t *testing.T) {
	used := map[string]bool{"search": true, "place": true, "agenda": true, "event": true, "networks": true,
		"orientation": true, "sheet": true, "widget_places": true, "widget_events": true, "error": true, "stats": true,
		"admin_login": true, "admin_message": true, "admin_dashboard": true, "admin_reports": true, "admin_tokens": true,
		"admin_places": true, "admin_place_form": true, "admin_place_remote": true, "admin_confirm": true,
		"admin_events": true, "admin_event_form": true,
		"admin_import": true, "admin_accounts": true, "admin_networks": true, "admin_moderation": true,
		"admin_messages": true, "admin_profile": true,
		"admin_sources": true,
		"skills":        true, "admin_skills": true}
	for _, dir := range []string{"internal/page", "web", "admin"} {
		names, err := fs.Glob(os.DirFS(dir), "templates/*.html")
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range names {
			base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if !strings.HasPrefix(base, "_") && !used[base] {
				t.Errorf("template %s/%s is rendered by no page", dir, n)
			}
		}
	}
}

// TestMessagesAreAllUsed keeps the catalogue free of stale strings and
// checks that every message has a French text. (page.French also panics
// on a key that two audiences define.)
func TestMessagesAreAllUsed(t *testing.T) {
	var sources []byte
	for _, dir := range sourceDirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !strings.HasPrefix(name, "messages_") || strings.HasSuffix(name, ".html") {
				b, err := os.ReadFile(dir + "/" + name)
				if err != nil {
					t.Fatal(err)
				}
				sources = append(sources, b...)
			}
		}
	}
	msgs := page.French(web.French, admin.French)
	for _, key := range msgs.Keys() {
		text, _ := msgs.Lookup(key)
		if text == "" {
			t.Errorf("message %s is empty", key)
		}
		base := strings.TrimSuffix(strings.TrimSuffix(key, ".one"), ".other")
		prefix := base[:strings.LastIndex(base, ".")+1]
		if !bytes.Contains(sources, []byte(`"`+base+`"`)) && !bytes.Contains(sources, []byte(`"`+prefix+`"`)) &&
			!strings.HasPrefix(key, "field.") && !strings.HasPrefix(key, "status.") && !strings.HasPrefix(key, "follow.state.") {
			t.Errorf("message %s is used nowhere", key)
		}
	}
}
