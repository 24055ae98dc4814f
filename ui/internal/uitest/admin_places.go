package uitest

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// placeFields is a valid place form: the fields an editor types.
func PlaceFields(overrides url.Values) url.Values {
	f := url.Values{
		"nom": {"Espace numérique de la Belle de Mai"}, "pivot": {"43493312300037"},
		"typologie": {"EPN"}, "adresse": {"41 rue Jobin"}, "code_postal": {"13003"}, "commune": {"Marseille"},
		"code_insee": {"13203"}, "latitude": {"43,3117"}, "longitude": {"5.3903"}, "telephone": {"04 91 00 00 00"},
		"courriels": {"contact@belle.example\r\naccueil@belle.example"}, "site_web": {"https://belle.example/"},
		"presentation_resume": {"Un espace public numérique au cœur du quartier."},
		"services":            {"Aide aux démarches administratives", "Maîtrise des outils numériques du quotidien"},
		"frais_a_charge":      {"Gratuit"}, "equipements": {"Imprimante 3D\nDécoupeuse laser"},
		"grille": {"1"}, "horaires_origine": {""}, "horaires": {""},
	}
	for d := range 5 {
		f.Set(GridField(d, 0, false), "09:00")
		f.Set(GridField(d, 0, true), "12:00")
		f.Set(GridField(d, 1, false), "14:00")
		f.Set(GridField(d, 1, true), "17:00")
	}
	f.Set(GridField(5, 0, false), "09:00")
	f.Set(GridField(5, 0, true), "12:00")
	for k, v := range overrides {
		f[k] = v
	}
	return f
}

// checkEscaped checks that a page shows the hostile text, escaped.
func CheckEscaped(t *testing.T, what string, a Answer, status int) {
	t.Helper()
	if a.Status != status {
		t.Errorf("%s = %d; want %d", what, a.Status, status)
	}
	if m := RawMarkup.FindString(a.Body); m != "" {
		i := strings.Index(a.Body, m)
		t.Errorf("%s: unescaped %q in …%s…", what, m, a.Body[max(0, i-200):min(len(a.Body), i+100)])
	}
	if !strings.Contains(a.Body, "&lt;script&gt;alert") {
		t.Errorf("%s: the hostile text is not shown escaped", what)
	}
}

// GridField is the name of an opening-hours grid input of the place form:
// day (0 for Monday), span n, its start or its end.
func GridField(day, n int, end bool) string {
	if end {
		return fmt.Sprintf("h-%d-%d-a", day, n)
	}
	return fmt.Sprintf("h-%d-%d-de", day, n)
}
