package standard

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/maillage/maillage/catalogue"
)

// Generations of the standard a column belongs to.
const (
	genBoth = iota
	gen1
	gen01
	genMaillage
)

// column is a column of the standard (or a key of a JSON object) and how
// to read it.
type column struct {
	name string
	gen  int
	// sets lists the Place fields (JSON names) the column gives.
	sets []string
	read func(b *builder, col string, v value)
}

// columns are read in this order, whatever the order of the file, so
// that the free text they add is the same from one import to the next.
var columns = []column{
	{name: "id", read: readID},
	{name: "source", sets: []string{"source"}, read: text(func(p *catalogue.Place) *string { return &p.Source })},
	{name: "pivot", sets: []string{"pivot"}, read: readPivot},
	{name: "nom", sets: []string{"nom"}, read: text(func(p *catalogue.Place) *string { return &p.Nom })},
	{name: "code_postal", sets: []string{"code_postal"}, read: code(func(p *catalogue.Place) *string { return &p.CodePostal })},
	{name: "commune", sets: []string{"commune"}, read: text(func(p *catalogue.Place) *string { return &p.Commune })},
	{name: "code_insee", sets: []string{"code_insee"}, read: code(func(p *catalogue.Place) *string { return &p.CodeINSEE })},
	{name: "adresse", sets: []string{"adresse"}, read: readAdresse},
	{name: "complement_adresse", sets: []string{"complement_adresse"}, read: text(func(p *catalogue.Place) *string { return &p.ComplementAdresse })},
	{name: "cle_ban", gen: gen01, read: func(*builder, string, value) {}}, // removed in v1: the BAN key is derived from the address
	{name: "latitude", sets: []string{"latitude"}, read: coordinate(func(p *catalogue.Place) **float64 { return &p.Latitude })},
	{name: "longitude", sets: []string{"longitude"}, read: coordinate(func(p *catalogue.Place) **float64 { return &p.Longitude })},
	{name: "typologie", sets: []string{"typologie"}, read: enumerated(groupTypologie, "Typologie")},
	{name: "telephone", sets: []string{"telephone"}, read: readTelephone},
	{name: "courriels", gen: gen1, sets: []string{"courriels"}, read: readCourriels},
	{name: "courriel", gen: gen01, sets: []string{"courriels"}, read: readCourriels},
	{name: "site_web", sets: []string{"site_web"}, read: readSiteWeb},
	{name: "horaires", sets: []string{"horaires"}, read: text(func(p *catalogue.Place) *string { return &p.Horaires })},
	{name: "presentation_detail", sets: []string{"presentation_detail"}, read: text(func(p *catalogue.Place) *string { return &p.PresentationDetail })},
	{name: "presentation_resume", sets: []string{"presentation_resume"}, read: text(func(p *catalogue.Place) *string { return &p.PresentationResume })},
	{name: "structure_parente", sets: []string{"structure_parente"}, read: text(func(p *catalogue.Place) *string { return &p.StructureParente })},
	{name: "itinerance", gen: gen1, sets: []string{"itinerance"}, read: enumerated(groupItinerance, "Itinérance")},
	{name: "date_maj", sets: []string{"date_maj"}, read: readDateMaj},
	{name: "services", sets: []string{"services"}, read: enumerated(groupServices, "Services")},
	{name: "publics_accueillis", gen: gen01, sets: []string{"publics_specifiquement_adresses", "prise_en_charge_specifique"},
		read: enumerated(groupPublics, "Publics accueillis")},
	{name: "publics_specifiquement_adresses", gen: gen1, sets: []string{"publics_specifiquement_adresses"},
		read: enumerated(groupPublics, "Publics spécifiquement adressés")},
	{name: "prise_en_charge_specifique", gen: gen1, sets: []string{"prise_en_charge_specifique"},
		read: enumerated(groupPublics, "Prise en charge spécifique")},
	{name: "conditions_acces", gen: gen01, sets: []string{"frais_a_charge"}, read: enumerated(groupFrais, "Conditions d'accès")},
	{name: "frais_a_charge", gen: gen1, sets: []string{"frais_a_charge"}, read: enumerated(groupFrais, "Frais à charge")},
	{name: "labels_nationaux", gen: gen01, sets: []string{"dispositif_programmes_nationaux", "formations_labels"}, read: enumerated(groupLabels, "")},
	{name: "dispositif_programmes_nationaux", gen: gen1, sets: []string{"dispositif_programmes_nationaux"}, read: enumerated(groupLabels, "")},
	{name: "formations_labels", gen: gen1, sets: []string{"formations_labels"}, read: enumerated(groupLabels, "")},
	{name: "labels_autres", gen: gen01, sets: []string{"autres_formations_labels"}, read: freeList(func(p *catalogue.Place) *[]string { return &p.AutresLabels })},
	{name: "autres_formations_labels", gen: gen1, sets: []string{"autres_formations_labels"}, read: freeList(func(p *catalogue.Place) *[]string { return &p.AutresLabels })},
	{name: "modalites_acces", gen: gen1, sets: []string{"modalites_acces"}, read: enumerated(groupAcces, "Modalités d'accès")},
	{name: "modalites_accompagnement", sets: []string{"modalites_accompagnement"}, read: enumerated(groupAccompagnement, "Modalités d'accompagnement")},
	{name: "accessibilite", gen: gen01, sets: []string{"fiche_acces_libre"}, read: readAccessibilite},
	{name: "fiche_acces_libre", gen: gen1, sets: []string{"fiche_acces_libre"}, read: link(func(p *catalogue.Place) *string { return &p.FicheAccesLibre })},
	{name: "prise_rdv", sets: []string{"prise_rdv"}, read: link(func(p *catalogue.Place) *string { return &p.PriseRDV })},
	{name: "champs_intervention", gen: genMaillage, sets: []string{"champs_intervention"}, read: enumerated(groupChamps, "Champs d'intervention")},
	{name: "equipements", gen: genMaillage, sets: []string{"equipements"}, read: freeList(func(p *catalogue.Place) *[]string { return &p.Equipements })},
	{name: "competences", gen: genMaillage, sets: []string{"competences"}, read: readSkills},
	{name: "competences_libelles", gen: genMaillage, read: readSkillLabels},
	{name: "mediateurs", gen: gen1, read: func(b *builder, col string, v value) {
		if !v.empty() {
			b.warn(col, "les médiateurs ne sont pas importés (données personnelles, absentes du standard v1.0.2)")
		}
	}},
}

var columnsByName = func() map[string]*column {
	m := make(map[string]*column, len(columns))
	for i := range columns {
		m[columns[i].name] = &columns[i]
	}
	return m
}()

// aliases are other names found in real files for the standard's
// columns, after canonicalKey.
var aliases = map[string]string{
	"identifiant": "id", "siret": "pivot", "rna": "pivot",
	"cp": "code_postal", "codepostal": "code_postal", "ville": "commune",
	"insee": "code_insee", "code_commune": "code_insee", "codeinsee": "code_insee",
	"lat": "latitude", "lon": "longitude", "lng": "longitude", "long": "longitude",
	"tel": "telephone", "telephones": "telephone", "numero_de_telephone": "telephone",
	"email": "courriels", "emails": "courriels", "e_mail": "courriels", "mail": "courriels", "adresse_mail": "courriels",
	"site": "site_web", "site_internet": "site_web", "sites_web": "site_web",
	"horaires_ouverture": "horaires", "horaires_d_ouverture": "horaires",
	"typologies":                       "typologie",
	"complement_d_adresse":             "complement_adresse",
	"dispositifs_programmes_nationaux": "dispositif_programmes_nationaux",
	"date_de_mise_a_jour":              "date_maj", "date_mise_a_jour": "date_maj",
}

// canonicalKey is the name of a column or key as the standard spells
// it: "Code postal", "CODE_POSTAL" and " code-postal " give
// "code_postal".
func canonicalKey(raw string) string {
	folded := catalogue.Fold(strings.TrimSpace(strings.Trim(raw, "\ufeff\"")))
	// Elided articles go: "Conditions d'accès" is conditions_acces.
	folded = elision.ReplaceAllString(folded, "$1")
	var b strings.Builder
	underscore := false
	for _, r := range folded {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if underscore && b.Len() > 0 {
				b.WriteByte('_')
			}
			underscore = false
			b.WriteRune(unicode.ToLower(r))
		} else {
			underscore = true
		}
	}
	k := b.String()
	if a, ok := aliases[k]; ok {
		return a
	}
	return k
}

var elision = regexp.MustCompile(`(^|[^\pL\pN])[dlDL]'`)

// matchKey keeps only the folded letters and digits of s, to compare
// values whatever their case, accents, apostrophes and spaces.
func matchKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, catalogue.Fold(s))
}

// cutColon splits a v0.1 value with an explanation ("Payant : L'accès au
// lieu … est payant") into its head and the rest.
func cutColon(v string) (head, rest string, ok bool) {
	head, rest, ok = strings.Cut(v, ":")
	return strings.TrimSpace(head), strings.TrimSpace(rest), ok && strings.TrimSpace(head) != ""
}
