package catalogue

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func remotePlace() *Place {
	lat, lon := 43.2965, 5.3698
	return &Place{APID: "https://peer.example/lieux/1", Nom: "EPN du Panier", Adresse: "2 rue X", CodePostal: "13002",
		Commune: "Marseille", Latitude: &lat, Longitude: &lon}
}

func TestPlaceNormalizeRemote(t *testing.T) {
	t.Run("over-long text is refused", func(t *testing.T) {
		for field, change := range map[string]func(p *Place){
			"nom":                 func(p *Place) { p.Nom = strings.Repeat("A", 900<<10) },
			"horaires":            func(p *Place) { p.Horaires = strings.Repeat("Mo ", 200) },
			"presentation_detail": func(p *Place) { p.PresentationDetail = strings.Repeat("x", maxLongText+1) },
			"equipements":         func(p *Place) { p.Equipements = make([]string, 60); fill(p.Equipements) },
		} {
			p := remotePlace()
			change(p)
			_, err := p.NormalizeRemote()
			var verr *ValidationError
			if !errors.As(err, &verr) || verr.Fields[field] == "" {
				t.Errorf("NormalizeRemote with a long %s = %v; want a ValidationError naming it", field, err)
			}
		}
	})
	t.Run("unknown list values are dropped and reported", func(t *testing.T) {
		p := remotePlace()
		p.Services = make([]string, 20000)
		for i := range p.Services {
			p.Services[i] = "Service inventé " + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String()
		}
		p.Services = append(p.Services, "aide aux demarches administratives")
		p.Typologie = []string{"EPN", "PAS_UNE_TYPOLOGIE"}
		p.Telephone, p.Courriels, p.SiteWeb = "appelez-nous", []string{"ok@example.fr", "pas une adresse"}, []string{"javascript:alert(1)", "https://ok.example"}
		dropped, err := p.NormalizeRemote()
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Services) != 1 || p.Services[0] != "Aide aux démarches administratives" {
			t.Errorf("services %d values, first %q; want the known one only", len(p.Services), p.Services[0])
		}
		if len(p.Typologie) != 1 || p.Telephone != "" || len(p.Courriels) != 1 || len(p.SiteWeb) != 1 {
			t.Errorf("typologie %v, telephone %q, courriels %v, site_web %v; want the invalid values dropped", p.Typologie, p.Telephone, p.Courriels, p.SiteWeb)
		}
		all := strings.Join(dropped, "\n")
		for _, want := range []string{"services : 20000 valeur(s) inconnue(s)", "typologie", "telephone", "courriels", "site_web"} {
			if !strings.Contains(all, want) {
				t.Errorf("dropped %q lacks %q", all, want)
			}
		}
		if err := p.Validate(); err != nil && strings.Contains(err.Error(), "services") {
			t.Errorf("still invalid services: %v", err)
		}
	})
}

func fill(s []string) {
	for i := range s {
		s[i] = "Équipement " + string(rune('A'+i%26)) + strings.Repeat("!", i)
	}
}
