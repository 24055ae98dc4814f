package catalogue

import (
	"fmt"
	"net/mail"
	"strings"
)

// Records received from other networks go through the limits of local
// ones, with two differences: fields the standard requires but other
// software does not send (pivot, date_maj, code_postal…) are not required,
// and values that break a rule without harm are dropped rather than
// refusing the record: unknown values of the standard's lists, malformed
// telephone numbers, e-mail addresses and links. Text longer than a local
// record may hold, and free lists longer than maxListLength, refuse it.

// NormalizeRemote is Normalize for a place received from another network.
// It returns what it dropped, in French, for the log, or a
// *ValidationError naming each field over a limit.
func (p *Place) NormalizeRemote() (dropped []string, err error) {
	p.ACompleter = nil // drafts are never published: another network's record is no draft
	for _, l := range []struct {
		e *Enum
		v *[]string
	}{
		{Typologies, &p.Typologie}, {Services, &p.Services}, {Publics, &p.Publics},
		{PrisesEnCharge, &p.PriseEnCharge}, {Frais, &p.Frais}, {Dispositifs, &p.Dispositifs},
		{FormationsLabels, &p.FormationsLabels}, {ModalitesAcces, &p.ModalitesAcces},
		{ModalitesAccompagnement, &p.ModalitesAccompagnement}, {Itinerances, &p.Itinerance},
		{ChampsIntervention, &p.ChampsIntervention},
	} {
		*l.v, dropped = knownOnly(*l.v, l.e.Field, dropped, l.e)
	}
	p.Competences, dropped = normalizeRemoteSkills(p.Competences, dropped)
	bad := problems{}
	if len(p.Competences) > maxListLength {
		bad.add("competences", "trop de valeurs : %d, %d au plus", len(p.Competences), maxListLength)
	}
	free := map[string][]string{"autres_formations_labels": p.AutresLabels, "equipements": p.Equipements,
		"courriels": p.Courriels, "site_web": p.SiteWeb}
	for field, list := range free {
		if len(list) > maxListLength {
			bad.add(field, "trop de valeurs : %d, %d au plus", len(list), maxListLength)
		}
	}
	if err := bad.err(); err != nil {
		return dropped, err
	}
	p.Normalize()
	p.checkUTF8(bad)
	for field, v := range map[string]string{"nom": p.Nom, "adresse": p.Adresse, "complement_adresse": p.ComplementAdresse,
		"commune": p.Commune, "source": p.Source, "structure_parente": p.StructureParente, "horaires": p.Horaires,
		"pivot": p.Pivot, "code_postal": p.CodePostal, "code_insee": p.CodeINSEE, "telephone": p.Telephone,
		"date_maj": p.DateMaj, "fiche_acces_libre": p.FicheAccesLibre, "prise_rdv": p.PriseRDV} {
		bad.maxLen(field, v, maxShortText)
	}
	bad.maxLen("presentation_resume", p.PresentationResume, maxResume)
	bad.maxLen("presentation_detail", p.PresentationDetail, maxLongText)
	for field, list := range map[string][]string{"autres_formations_labels": p.AutresLabels, "equipements": p.Equipements,
		"courriels": p.Courriels, "site_web": p.SiteWeb} {
		for _, v := range list {
			bad.maxLen(field, v, maxShortText)
		}
	}
	if err := bad.err(); err != nil {
		return dropped, err
	}
	if p.Telephone != "" && !telephonePattern.MatchString(p.Telephone) {
		dropped = append(dropped, fmt.Sprintf("telephone : numéro invalide « %s » ignoré", p.Telephone))
		p.Telephone = ""
	}
	p.Courriels, dropped = keep(p.Courriels, "courriels", "adresse électronique invalide", dropped, func(c string) bool {
		a, err := mail.ParseAddress(c)
		return err == nil && a.Address == c && a.Name == ""
	})
	p.SiteWeb, dropped = keep(p.SiteWeb, "site_web", "adresse web invalide", dropped, validURL)
	for _, f := range []struct {
		field string
		v     *string
	}{{"fiche_acces_libre", &p.FicheAccesLibre}, {"prise_rdv", &p.PriseRDV}} {
		if *f.v != "" && !validURL(*f.v) {
			dropped = append(dropped, fmt.Sprintf("%s : adresse web invalide « %s » ignorée", f.field, *f.v))
			*f.v = ""
		}
	}
	return dropped, nil
}

// NormalizeRemote is Normalize for an event received from another network:
// unknown values of its lists are dropped first, and reported in French.
// Validate still applies afterwards.
func (e *Event) NormalizeRemote() (dropped []string) {
	e.Services, dropped = knownOnly(e.Services, Services.Field, dropped, Services)
	e.Publics, dropped = knownOnly(e.Publics, "publics", dropped, Publics, PrisesEnCharge)
	e.Frais, dropped = knownOnly(e.Frais, Frais.Field, dropped, Frais)
	e.Normalize()
	return dropped
}

// knownOnly keeps the values that stand for a value of one of enums, in
// any spelling Normalize reads, and reports the others in dropped.
func knownOnly(values []string, field string, dropped []string, enums ...*Enum) ([]string, []string) {
	out := values[:0:0]
	n, first := 0, ""
	for _, v := range values {
		known := false
		for _, e := range enums {
			if e.CanonicalAll(strings.TrimSpace(v)) != nil {
				known = true
				break
			}
		}
		switch {
		case known:
			out = append(out, v)
		case n == 0:
			first = v
			fallthrough
		default:
			n++
		}
	}
	if n > 0 {
		dropped = append(dropped, fmt.Sprintf("%s : %d valeur(s) inconnue(s) ignorée(s), dont « %s »", field, n, clip(first, 60)))
	}
	return out, dropped
}

// keep keeps the values of a list that ok accepts and reports the others.
func keep(values []string, field, reason string, dropped []string, ok func(string) bool) ([]string, []string) {
	out := values[:0:0]
	for _, v := range values {
		if ok(v) {
			out = append(out, v)
		} else {
			dropped = append(dropped, fmt.Sprintf("%s : %s « %s » ignorée", field, reason, clip(v, 60)))
		}
	}
	return out, dropped
}

func validURL(v string) bool {
	bad := problems{}
	bad.url("", v)
	return len(bad) == 0
}

// clip is s cut to n runes, with an ellipsis when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
