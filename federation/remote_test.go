package federation

import (
	"html"
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	// slow is plainText without its shortcut for text without markup.
	slow := func(s string) string {
		s = scriptPattern.ReplaceAllString(s, " ")
		return strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(s, " ")))
	}
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"  Médiathèque  ", "Médiathèque"},
		{"\tlun.-ven. 9h-12h\n", "lun.-ven. 9h-12h"},
		{"a > b", "a > b"},
		{"<b>Médiathèque</b>", "Médiathèque"},
		{"Bouygues &amp; fils", "Bouygues & fils"},
		{"x<script>alert(1)</script>y", "x y"},
		{"<style>p{}</style> Accueil ", "Accueil"},
	} {
		if got := plainText(tc.in); got != tc.want || got != slow(tc.in) {
			t.Errorf("plainText(%q) = %q; want %q (and %q without the shortcut)", tc.in, got, tc.want, slow(tc.in))
		}
	}
}
