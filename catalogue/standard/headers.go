package standard

import (
	"slices"
	"strings"
	"unicode"

	"github.com/maillage/maillage/catalogue"
)

// Producers name the standard's columns their own way. A header is
// matched to a field by its words, whatever their case, accents,
// punctuation and order ("Nom de l'organisation", "ORGANISATION_NOM"),
// through the synonyms below, drawn from real files: departments' and
// cities' spreadsheets, regional hubs, the national lists of Conseillers
// numériques and France Services.

// Pseudo-columns: what producers give that the standard spreads or joins
// otherwise. Per-day hours are "horaires_" + day ("horaires_lundi"), with
// "_matin" or "_apres_midi" for half days.
const (
	colAdressePostale = "adresse_postale" // "8 rue X - 33000 Ville": street, postal code and commune
	colHoursPrefix    = "horaires_"
)

// synonyms are other names of the standard's columns, each a list of
// words (see headerWords).
var synonyms = map[string][]string{
	"id": {"identifiant", "id structure", "id fs", "id lieu", "identifiant structure", "identifiant lieu", "id pc", "code fs",
		"identifiant france services", "uid"},
	"pivot": {"siret", "siret structure", "rna", "numero siret", "code siret", "siren siret", "n siret", "siret porteur"},
	"nom": {"nom structure", "lib fs", "libelle fs", "nom organisation", "lieu", "nom lieu", "raison sociale", "denomination",
		"libelle", "nom etablissement", "structure", "nom fs", "nom france services", "nom usuel", "intitule",
		"nom enrichi", "nom permanence", "nom lieu activite", "lieu activite", "nom lieu mediation", "lieu mediation", "name",
		"nom structure accueil", "enseigne"},
	"commune": {"ville", "adresse commune", "libelle commune", "nom commune", "localite", "com nom", "commune nom",
		"adresse ville", "city", "commune libelle"},
	"code_postal": {"cp", "codepostal", "adresse code postal", "adresse cp", "code postal commune", "postal code", "zip", "cp commune"},
	"code_insee": {"insee", "code commune", "codeinsee", "code commune insee", "adresse code insee", "com code", "cog",
		"code insee commune", "insee commune", "citycode", "adresse insee"},
	"adresse": {"adresse voie", "voie", "rue", "adresse ligne 1", "adresse 1", "numero voie", "adresse rue", "adresse numero voie",
		"adresse lieu", "adresse structure", "street", "address", "adresse lieu activite", "adresse permanence", "adresse fs"},
	colAdressePostale: {"adresse postale", "adresse complete", "adresse postale complete", "adresse totale", "full address"},
	"complement_adresse": {"complement", "adresse complement", "complement adresse", "adresse 2", "adresse ligne 2",
		"complement adresse postale"},
	"latitude":  {"lat", "y", "coord y", "coordonnee y", "coordonnees y", "latitude wgs84", "geo lat", "lat wgs84", "wgs84 lat", "gps lat", "adresse latitude"},
	"longitude": {"lon", "lng", "long", "x", "coord x", "coordonnee x", "coordonnees x", "longitude wgs84", "geo lon", "lon wgs84", "wgs84 lon", "gps lon", "gps lng", "adresse longitude"},
	"telephone": {"tel", "telephones", "numero telephone", "telephone accueil", "tel fixe", "telephone fixe", "contact telephone",
		"num tel", "phone", "telephone structure", "tel structure", "telephone contact", "tel accueil", "telephone fs", "tel fs"},
	"courriels": {"email", "emails", "mail", "courriel", "e mail", "adresse mail", "adresse email", "adresse electronique",
		"mail contact", "contact mail", "contact courriel", "contact email", "email structure", "mail structure", "courriel structure",
		"mail fs", "email fs", "adresse courriel"},
	"site_web": {"site", "site internet", "sites web", "url", "site web structure", "website", "lien site", "site structure", "url site"},
	"horaires": {"horaires ouverture", "horaire", "jours horaires", "heures ouverture", "horaires osm", "opening hours",
		"horaires accueil", "jours heures ouverture", "horaires structure", "jours ouverture"},
	"presentation_resume": {"description courte", "resume", "presentation courte"},
	"presentation_detail": {"description", "description longue", "presentation detaillee", "presentation", "informations complementaires",
		"description structure", "presentation structure"},
	"services": {"services proposes", "offre services", "prestations", "services numeriques", "offre", "offres", "services offerts",
		"services mediation numerique"},
	"typologie":         {"typologies", "type structure", "typologie structure", "categorie structure", "type lieu"},
	"source":            {"producteur", "source donnees"},
	"structure_parente": {"structure porteuse", "porteur", "gestionnaire", "organisme porteur", "structure parente nom", "porteur projet"},
	"date_maj": {"date mise jour", "derniere mise jour", "mise jour", "maj", "date modification", "updated at", "date maj fiche",
		"date derniere modification", "modifie le", "date actualisation"},
	"prise_rdv":                       {"prise rendez vous", "rendez vous", "lien rdv", "url rdv", "rdv", "lien prise rdv"},
	"fiche_acces_libre":               {"acces libre", "acceslibre", "lien acceslibre", "url acceslibre"},
	"dispositif_programmes_nationaux": {"dispositifs programmes nationaux", "dispositifs", "labels", "labellisation", "programmes nationaux"},
	"publics_specifiquement_adresses": {"publics", "public", "public cible", "publics cibles", "publics accueillis specifiquement"},
	"frais_a_charge":                  {"tarifs", "tarif", "cout", "frais", "conditions financieres"},
	"modalites_accompagnement":        {"modalites", "accompagnement", "type accompagnement", "modalite accompagnement"},
	"modalites_acces":                 {"modalite acces", "acces"},
}

// stopWords carry nothing in a header.
var stopWords = map[string]bool{"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "l": true, "d": true,
	"et": true, "en": true, "a": true, "au": true, "aux": true, "the": true, "of": true, "n": false}

// headerWords splits a header into its folded words, camelCase too, with
// no stop word, sorted: the key of synonyms.
func headerWords(raw string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			w := strings.ToLower(string(cur))
			if !stopWords[w] {
				words = append(words, w)
			}
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range catalogue.Fold(strings.TrimSpace(strings.Trim(raw, "\ufeff\""))) {
		switch {
		case unicode.IsUpper(r) && prevLower:
			flush()
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		default:
			flush()
		}
		prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
	}
	flush()
	slices.Sort(words)
	return strings.Join(words, " ")
}

var synonymsByWords = func() map[string]string {
	m := map[string]string{}
	for field, names := range synonyms {
		for _, n := range names {
			m[headerWords(n)] = field
		}
		m[headerWords(strings.ReplaceAll(field, "_", " "))] = field
	}
	return m
}()

// headerField is the field, or pseudo-column, a header gives, and whether
// it is a synonym rather than the standard's own name; "" when none.
func headerField(raw string) (field string, synonym bool) {
	k := canonicalKey(raw)
	if _, ok := columnsByName[k]; ok {
		return k, false
	}
	words := headerWords(raw)
	if f := dayColumn(words); f != "" {
		return f, true
	}
	if f, ok := synonymsByWords[words]; ok {
		return f, true
	}
	return "", false
}

// dayColumn recognises a column of hours for one day ("h_lundi",
// "Horaires du mardi", "lundi matin", "Mercredi après-midi"), and names
// its pseudo-column.
func dayColumn(words string) string {
	day, half, other := "", "", false
	for _, w := range strings.Fields(words) {
		switch {
		case frenchDayNames[w]:
			if day != "" {
				return ""
			}
			day = w
		case w == "matin" || w == "am":
			half = "_matin"
		case w == "apres" || w == "midi" || w == "pm" || w == "aprem":
			half = "_apres_midi"
		case w == "h" || w == "horaires" || w == "horaire" || w == "heures" || w == "ouverture":
		default:
			other = true
		}
	}
	if day == "" || other {
		return ""
	}
	return colHoursPrefix + day + half
}

var frenchDayNames = map[string]bool{"lundi": true, "mardi": true, "mercredi": true, "jeudi": true, "vendredi": true, "samedi": true, "dimanche": true}

// isPseudo reports whether name is a pseudo-column.
func isPseudo(name string) bool {
	return name == colAdressePostale || strings.HasPrefix(name, colHoursPrefix) && dayColumn(strings.ReplaceAll(name[len(colHoursPrefix):], "_", " ")) != ""
}

// knownField reports whether name is a column of the standard or a
// pseudo-column: what a mapping may name.
func knownField(name string) bool {
	_, ok := columnsByName[name]
	return ok || isPseudo(name)
}
