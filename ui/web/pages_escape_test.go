package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

func TestHostileTextIsEscapedOnEveryPage(t *testing.T) {
	in := uitest.NewInstance(t)
	for _, path := range uitest.Hostile(t, in) {
		resp, body := in.Page(path)
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		if m := uitest.RawMarkup.FindString(body); m != "" {
			i := strings.Index(body, m)
			t.Errorf("GET %s: unescaped %q in …%s…", path, m, body[max(0, i-200):min(len(body), i+100)])
		}
		if !strings.Contains(body, "&lt;script&gt;alert") && !strings.Contains(body, `\u003cscript\u003ealert`) {
			t.Errorf("GET %s: the hostile text is not shown escaped", path)
		}
	}
	// The communes' suggestions come from the official list only: a
	// place's hostile commune name is never suggested.
	resp, body := in.Page("/communes?q=" + url.QueryEscape("<scr"))
	if resp.StatusCode != 200 || strings.Contains(body, "script") {
		t.Errorf("GET /communes = %d %s", resp.StatusCode, body)
	}
}
