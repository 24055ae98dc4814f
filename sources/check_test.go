package sources

import (
	"strings"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	good := Input{URL: " https://reseau.example/lieux.ods ", Name: " Réseau ", Every: 24 * time.Hour, MaxVanished: 10,
		Mapping: map[string]string{"nom": "Désignation EPN", "horaires": ""}}
	src, problems := Check(good, false)
	if problems != nil || src.URL != "https://reseau.example/lieux.ods" || src.Name != "Réseau" || src.MaxVanished != 0.10 || src.Mapping["nom"] != "Désignation EPN" {
		t.Fatalf("Check(good) = %+v, %v", src, problems)
	}
	for _, tc := range []struct {
		edit        func(*Input)
		field, want string
	}{
		{func(in *Input) { in.URL = "ftp://x.fr/a.csv" }, FieldURL, "adresse http(s) complète attendue"},
		{func(in *Input) { in.URL = "http://192.168.1.2/a.csv" }, FieldURL, "adresse privée"},
		{func(in *Input) { in.Name = strings.Repeat("é", 121) }, FieldName, "120 caractères au plus"},
		{func(in *Input) { in.Every = time.Minute }, FieldEvery, "au moins 5m0s"},
		{func(in *Input) { in.MaxVanished = 150 }, FieldMaxVanished, "entre 0 et 100"},
		{func(in *Input) { in.Mapping = map[string]string{"nom_du_lieu": "x"} }, FieldMapping, "« nom_du_lieu » n'est pas un champ du standard"},
	} {
		in := good
		tc.edit(&in)
		if _, problems := Check(in, false); !strings.Contains(problems[tc.field], tc.want) || len(problems) != 1 {
			t.Errorf("Check(%+v) = %v; want %s: %q", in, problems, tc.field, tc.want)
		}
	}
	if _, problems := Check(Input{URL: "http://127.0.0.1:8080/a.csv", Every: time.Hour}, true); problems != nil {
		t.Errorf("a private address with allowPrivate: %v", problems)
	}
	for _, tc := range []struct{ in, want string }{
		{`{"nom": "lib_fs", "horaires": ""}`, ""},
		{`  `, ""},
		{`["nom"]`, "un objet JSON"},
		{`{"nom_du_lieu": "x"}`, "n'est pas un champ du standard"},
	} {
		_, err := ParseMapping([]byte(tc.in))
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseMapping(%s) = %v; want %q", tc.in, err, tc.want)
		}
	}
}
