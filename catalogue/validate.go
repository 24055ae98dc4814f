package catalogue

import (
	"fmt"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ValidationError names each field of a record that breaks a rule, with a
// French reason.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	names := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		names = append(names, f)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, f := range names {
		parts[i] = f + " : " + e.Fields[f]
	}
	return "données invalides (" + strings.Join(parts, " ; ") + ")"
}

// problems collects the failing fields of a record.
type problems map[string]string

func (p problems) add(field, format string, args ...any) {
	if _, seen := p[field]; !seen {
		p[field] = fmt.Sprintf(format, args...)
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Fields: p}
}

func (p problems) required(field, v string) bool {
	if v == "" {
		p.add(field, "champ obligatoire")
		return false
	}
	return true
}

func (p problems) maxLen(field, v string, n int) {
	if c := utf8.RuneCountInString(v); c > n {
		p.add(field, "trop long : %d caractères, %d au plus", c, n)
	}
}

func (p problems) enum(e *Enum, values []string) {
	for _, v := range values {
		if !e.Has(v) {
			p.add(e.Field, "valeur inconnue « %s » (valeurs admises : %s)", v, strings.Join(e.Values, " ; "))
			return
		}
	}
}

func (p problems) url(field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.add(field, "adresse web invalide « %s » (attendu : http:// ou https://…)", v)
	}
}

// Limits on free text, beyond the standard's own.
const (
	maxShortText  = 500
	maxLongText   = 20000
	maxResume     = 280 // the standard's maxLength
	maxListLength = 50
)

var (
	pivotPattern     = regexp.MustCompile(`^[a-zA-Z0-9]{9,14}$`)
	postalPattern    = regexp.MustCompile(`^\d{5}$`)
	inseePattern     = regexp.MustCompile(`^([013-9]\d|2[AB1-9])\d{3}$`)
	telephonePattern = regexp.MustCompile(`^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$`)
)

// Normalize tidies a place before it is validated and stored: it trims
// text, drops empty and repeated values, writes enumerated values in their
// canonical spelling, writes French phone numbers in the international
// form, and records in HoursError why the opening hours cannot be read
// (the text itself is kept).
func (p *Place) Normalize() {
	for _, s := range []*string{&p.Pivot, &p.Nom, &p.Adresse, &p.ComplementAdresse, &p.CodePostal,
		&p.Commune, &p.CodeINSEE, &p.Telephone, &p.Horaires, &p.PresentationResume,
		&p.PresentationDetail, &p.Source, &p.StructureParente, &p.FicheAccesLibre, &p.PriseRDV, &p.DateMaj} {
		*s = strings.TrimSpace(CleanText(*s))
	}
	p.Pivot = strings.ToUpper(strings.Join(strings.Fields(p.Pivot), ""))
	p.CodeINSEE = strings.ToUpper(p.CodeINSEE)
	p.Telephone = normalizePhone(p.Telephone)
	if len(p.DateMaj) > 10 && p.DateMaj[10] == 'T' {
		p.DateMaj = p.DateMaj[:10] // a full timestamp: keep its date
	}
	p.Typologie = canonicalList(Typologies, p.Typologie)
	p.Courriels = cleanList(p.Courriels)
	p.SiteWeb = cleanList(p.SiteWeb)
	p.Services = canonicalList(Services, p.Services)
	p.Publics = canonicalList(Publics, p.Publics)
	p.PriseEnCharge = canonicalList(PrisesEnCharge, p.PriseEnCharge)
	p.Frais = canonicalList(Frais, p.Frais)
	p.Dispositifs = canonicalList(Dispositifs, p.Dispositifs)
	p.FormationsLabels = canonicalList(FormationsLabels, p.FormationsLabels)
	p.AutresLabels = cleanList(p.AutresLabels)
	p.ModalitesAcces = canonicalList(ModalitesAcces, p.ModalitesAcces)
	p.ModalitesAccompagnement = canonicalList(ModalitesAccompagnement, p.ModalitesAccompagnement)
	p.Itinerance = canonicalList(Itinerances, p.Itinerance)
	p.ChampsIntervention = canonicalList(ChampsIntervention, p.ChampsIntervention)
	p.Equipements = cleanList(p.Equipements)
	p.Competences = normalizeSkills(p.Competences)
	var missing []string
	for _, f := range DraftFields {
		if slices.Contains(p.ACompleter, f) && p.Missing(f) {
			missing = append(missing, f)
		}
	}
	p.ACompleter = missing
	p.HoursError = ""
	if p.Horaires != "" {
		if _, err := ParseHours(p.Horaires); err != nil {
			p.HoursError = err.Error()
		}
	}
}

// Validate checks p against every rule of the national standard v1.0.2
// and Maillage's limits. It returns nil or a *ValidationError. A draft
// may lack the fields its ACompleter names, but still needs a name, and
// a commune or coordinates.
func (p *Place) Validate() error {
	bad := problems{}
	p.checkUTF8(bad)
	if bad.required("pivot", p.Pivot) && !pivotPattern.MatchString(p.Pivot) {
		bad.add("pivot", "9 à 14 lettres ou chiffres attendus (SIRET ou RNA), « %s » reçu", p.Pivot)
	}
	bad.required("nom", p.Nom)
	draft := func(f string) bool { return slices.Contains(p.ACompleter, f) }
	for _, f := range p.ACompleter {
		if !slices.Contains(DraftFields, f) {
			bad.add("a_completer", "champ « %s » : seuls %s peuvent manquer à un brouillon", f, strings.Join(DraftFields, ", "))
		}
	}
	if !draft("adresse") {
		bad.required("adresse", p.Adresse)
	}
	if draft("commune") {
		if p.Latitude == nil {
			bad.add("commune", "une commune ou des coordonnées sont nécessaires")
		}
	} else {
		bad.required("commune", p.Commune)
	}
	if p.CodePostal != "" || !draft("code_postal") {
		if bad.required("code_postal", p.CodePostal) && !postalPattern.MatchString(p.CodePostal) {
			bad.add("code_postal", "5 chiffres attendus, « %s » reçu", p.CodePostal)
		}
	}
	if p.CodeINSEE != "" && !inseePattern.MatchString(p.CodeINSEE) {
		bad.add("code_insee", "code INSEE de commune invalide « %s » (5 caractères, ex. 13055 ou 2A004)", p.CodeINSEE)
	}
	if bad.required("date_maj", p.DateMaj) {
		if _, err := time.Parse("2006-01-02", p.DateMaj); err != nil {
			bad.add("date_maj", "date invalide « %s » (attendu : AAAA-MM-JJ)", p.DateMaj)
		}
	}
	for field, v := range map[string]string{"nom": p.Nom, "adresse": p.Adresse, "complement_adresse": p.ComplementAdresse,
		"commune": p.Commune, "source": p.Source, "structure_parente": p.StructureParente, "horaires": p.Horaires} {
		bad.maxLen(field, v, maxShortText)
	}
	bad.maxLen("presentation_resume", p.PresentationResume, maxResume)
	bad.maxLen("presentation_detail", p.PresentationDetail, maxLongText)
	switch {
	case (p.Latitude == nil) != (p.Longitude == nil):
		field := "latitude"
		if p.Longitude == nil {
			field = "longitude"
		}
		bad.add(field, "latitude et longitude vont ensemble : les deux ou aucune")
	case p.Latitude != nil:
		if lat := *p.Latitude; math.IsNaN(lat) || lat < -90 || lat > 90 {
			bad.add("latitude", "doit être comprise entre -90 et 90")
		}
		if lon := *p.Longitude; math.IsNaN(lon) || lon < -180 || lon > 180 {
			bad.add("longitude", "doit être comprise entre -180 et 180")
		}
	}
	if p.Telephone != "" && !telephonePattern.MatchString(p.Telephone) {
		bad.add("telephone", "numéro invalide « %s » (attendu : +33 suivi de 9 chiffres, ou un indicatif d'outre-mer)", p.Telephone)
	}
	for _, c := range p.Courriels {
		if a, err := mail.ParseAddress(c); err != nil || a.Address != c || a.Name != "" {
			bad.add("courriels", "adresse électronique invalide « %s »", c)
		}
	}
	for _, u := range p.SiteWeb {
		bad.url("site_web", u)
	}
	bad.url("fiche_acces_libre", p.FicheAccesLibre)
	bad.url("prise_rdv", p.PriseRDV)
	for _, t := range p.Typologie {
		if !Typologies.Has(t) {
			bad.add("typologie", "code de typologie inconnu « %s » (liste data.inclusion : EPN, BIB, TIERS_LIEUX, RFS…)", t)
		}
	}
	bad.enum(Services, p.Services)
	bad.enum(Publics, p.Publics)
	bad.enum(PrisesEnCharge, p.PriseEnCharge)
	bad.enum(Frais, p.Frais)
	bad.enum(Dispositifs, p.Dispositifs)
	bad.enum(FormationsLabels, p.FormationsLabels)
	bad.enum(ModalitesAcces, p.ModalitesAcces)
	bad.enum(ModalitesAccompagnement, p.ModalitesAccompagnement)
	bad.enum(Itinerances, p.Itinerance)
	bad.enum(ChampsIntervention, p.ChampsIntervention)
	validateSkills(bad, p.Competences)
	for field, list := range map[string][]string{"autres_formations_labels": p.AutresLabels, "equipements": p.Equipements,
		"courriels": p.Courriels, "site_web": p.SiteWeb} {
		if len(list) > maxListLength {
			bad.add(field, "trop de valeurs : %d, %d au plus", len(list), maxListLength)
		}
		for _, v := range list {
			bad.maxLen(field, v, maxShortText)
		}
	}
	return bad.err()
}

// cleanList trims values and drops empty and repeated ones.
func cleanList(values []string) []string {
	var out []string
	for _, v := range values {
		v = strings.TrimSpace(CleanText(v))
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// canonicalList is cleanList with values of e in their canonical spelling;
// unknown values are kept as written, for Validate to report.
func canonicalList(e *Enum, values []string) []string {
	var out []string
	for _, v := range values {
		v = strings.TrimSpace(CleanText(v))
		all := e.CanonicalAll(v)
		if all == nil {
			all = []string{v}
		}
		for _, c := range all {
			if c != "" && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// overseasPrefixes maps French national phone prefixes of the overseas
// départements to their country code.
var overseasPrefixes = map[string]string{
	"0590": "+590", "0690": "+590", "0594": "+594", "0694": "+594",
	"0262": "+262", "0692": "+262", "0693": "+262", "0269": "+262", "0639": "+262",
	"0596": "+596", "0696": "+596",
}

// normalizePhone writes a French number as found in files ("04 91 00 00
// 00", "04.91.00.00.00", "0033 4 91…", "+33 (0)4 91…") in the form the
// standard wants ("+33491000000"). Anything else is returned as is.
func normalizePhone(s string) string {
	if s == "" {
		return s
	}
	d := strings.NewReplacer(" ", "", ".", "", "-", "", "/", "", "\u00a0", "", "(0)", "", "(", "", ")", "").Replace(s)
	if strings.HasPrefix(d, "00") {
		d = "+" + d[2:]
	}
	if len(d) == 10 && d[0] == '0' && isDigits(d) {
		if cc, ok := overseasPrefixes[d[:4]]; ok {
			return cc + d[1:]
		}
		return "+33" + d[1:]
	}
	if len(d) == 13 && strings.HasPrefix(d, "+330") && isDigits(d[1:]) {
		return "+33" + d[4:] // "+33 0 4…": the national 0 kept after the country code
	}
	if strings.HasPrefix(d, "+") && isDigits(d[1:]) {
		return d
	}
	return s
}
