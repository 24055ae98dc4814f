package catalogue

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Enum is one of the closed lists of values of the national standard.
// Values are matched after folding case, accents, apostrophes, spaces and
// punctuation, so that the spellings found in real files ("Comprehension du
// monde numérique", "Ce lieu n’accueille pas de public", "Étapes numériques
// (La Poste)") all give the canonical one, which is the spelling of the
// v1.0.2 schema's patterns.
type Enum struct {
	Field  string   // the field name in the standard
	Values []string // canonical spellings, in the standard's order
	keys   map[string][]string
}

func newEnum(field string, values []string, aliases map[string][]string) *Enum {
	e := &Enum{Field: field, Values: values, keys: map[string][]string{}}
	for _, v := range values {
		e.keys[enumKey(v)] = []string{v}
	}
	for alias, to := range aliases {
		e.keys[enumKey(alias)] = to
	}
	return e
}

// Canonical returns the canonical spelling of v, and whether v belongs to
// the list. An alias that stands for several values gives the first.
func (e *Enum) Canonical(v string) (string, bool) {
	c := e.keys[enumKey(v)]
	if len(c) == 0 {
		return "", false
	}
	return c[0], true
}

// CanonicalAll returns every canonical value v stands for, or nil: an
// old spelling may stand for several ("Approfondir ma culture
// numérique" is three services of v1).
func (e *Enum) CanonicalAll(v string) []string {
	return e.keys[enumKey(v)]
}

// Has reports whether v is a canonical value of the list.
func (e *Enum) Has(v string) bool {
	c := e.keys[enumKey(v)]
	return len(c) == 1 && c[0] == v
}

// enumKey keeps only the folded letters and digits of s.
func enumKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, Fold(s))
}

// The lists of the national standard v1.0.2, and Maillage's own.
var (
	Services = newEnum("services", []string{
		"Aide aux démarches administratives",
		"Maîtrise des outils numériques du quotidien",
		"Insertion professionnelle via le numérique",
		"Utilisation sécurisée du numérique",
		"Parentalité et éducation avec le numérique",
		"Loisirs et créations numériques",
		"Compréhension du monde numérique",
		"Accès internet et matériel informatique",
		"Acquisition de matériel informatique à prix solidaire",
	}, servicesV01)
	Publics = newEnum("publics_specifiquement_adresses", []string{
		"Jeunes", "Étudiants", "Familles et/ou enfants", "Seniors", "Femmes",
	}, map[string][]string{
		// v0.1's publics_accueillis.
		"Seniors (+ 65 ans)": {"Seniors"}, "Familles/enfants": {"Familles et/ou enfants"},
		"Jeunes (16-26 ans)": {"Jeunes"}, "Uniquement femmes": {"Femmes"},
	})
	PrisesEnCharge = newEnum("prise_en_charge_specifique", []string{
		"Surdité", "Handicaps moteurs", "Handicaps mentaux", "Illettrisme",
		"Langues étrangères (anglais)", "Langues étrangères (autres)", "Déficience visuelle",
	}, map[string][]string{
		// The new national cartography merges the two.
		"Langues étrangères": {"Langues étrangères (anglais)", "Langues étrangères (autres)"},
		// v0.1's publics_accueillis.
		"Public langues étrangères":                                             {"Langues étrangères (anglais)", "Langues étrangères (autres)"},
		"Personnes en situation d'illettrisme":                                  {"Illettrisme"},
		"Handicaps mentaux : déficiences limitant les activités d'une personne": {"Handicaps mentaux"},
	})
	Frais = newEnum("frais_a_charge", []string{
		"Gratuit", "Gratuit sous condition", "Payant",
	}, nil)
	Dispositifs = newEnum("dispositif_programmes_nationaux", []string{
		"Aidants Connect", "Bibliothèques numérique de référence", "Certification PIX",
		"Conseillers numériques", "Emmaüs Connect", "France Services",
		"Grande école du numérique", "La Croix Rouge", "Point d'accès numérique CAF",
		"Promeneurs du net", "Relais numérique (Emmaüs Connect)",
	}, map[string][]string{
		// v0.1's labels_nationaux, and the names files give them.
		"CNFS":                                 {"Conseillers numériques"},
		"Conseiller numérique":                 {"Conseillers numériques"},
		"Conseiller numérique France Services": {"Conseillers numériques"},
		"Grandes écoles du numérique":          {"Grande école du numérique"},
		"Point relais CAF":                     {"Point d'accès numérique CAF"},
		"Point numérique CAF":                  {"Point d'accès numérique CAF"},
	})
	FormationsLabels = newEnum("formations_labels", []string{
		"Formé à « Mon Espace Santé »", "Formé à « DUPLEX » (illettrisme)",
		"Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
		"Collectif ressources et acteurs réemploi (Normandie)",
		"Étapes numériques(La Poste)", // sic: the v1.0.2 pattern has no space
		"Fabriques de Territoire", "Les Éclaireurs du numérique (Drôme)",
		"Mes Papiers (Métropole de Lyon)", "ORDI 3.0", "SUD LABS (PACA)",
	}, nil)
	ModalitesAcces = newEnum("modalites_acces", []string{
		"Se présenter", "Téléphoner", "Contacter par mail", "Prendre un RDV en ligne",
		"Ce lieu n'accueille pas de public", "Envoyer un mail avec une fiche de prescription",
	}, nil)
	ModalitesAccompagnement = newEnum("modalites_accompagnement", []string{
		"En autonomie", "Accompagnement individuel", "Dans un atelier collectif", "À distance",
	}, nil)
	Itinerances = newEnum("itinerance", []string{"Itinérant", "Fixe"}, nil)
	// ChampsIntervention are the eight fields of the ARSENIC networks.
	ChampsIntervention = newEnum("champs_intervention", []string{
		"Acculturation et éducation au numérique",
		"Insertion et formation professionnelle",
		"Administration en ligne",
		"Transition numérique des entreprises",
		"Participation citoyenne",
		"Pratiques collaboratives",
		"Patrimoine, art et création numérique",
		"Mise à disposition d'espaces, de matériels et de ressources numériques",
	}, nil)
	// Typologies are the data.inclusion structure codes; their labels are
	// accepted too.
	Typologies = typologyEnum()
)

func typologyEnum() *Enum {
	codes := make([]string, len(typologies))
	labels := make(map[string][]string, len(typologies))
	for i, t := range typologies {
		codes[i] = t.Code
		labels[t.Label] = []string{t.Code}
	}
	return newEnum("typologie", codes, labels)
}

var typologyLabels = func() map[string]string {
	m := make(map[string]string, len(typologies))
	for _, t := range typologies {
		m[t.Code] = t.Label
	}
	return m
}()

// TypologieLabel returns the French label of a typology code, or "".
func TypologieLabel(code string) string {
	return typologyLabels[code]
}

// Fold lowers the case of s and removes its accents and ligatures; it
// turns typographic apostrophes and dashes into ASCII ones. It is the
// normal form for searching and matching French words.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
			continue
		}
		if f, ok := foldTable[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldTable = func() map[rune]string {
	m := map[rune]string{}
	for base, letters := range map[string]string{
		"a": "àáâãäåāăą", "c": "çćĉċč", "e": "èéêëēĕėęě", "i": "ìíîïĩīĭį",
		"n": "ñńņň", "o": "òóôõöøōŏő", "u": "ùúûüũūŭůűų", "y": "ýÿŷ",
		"oe": "œ", "ae": "æ", "ss": "ß", "'": "’‘ʼ´`", "-": "‐‑‒–—", " ": "\u00a0\u202f\u2009",
		"\"": "«»“”",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// servicesV01 maps the 15 services of the standard v0.1 onto those of v1,
// as the importer and the search read them. They follow mappings.json
// (lieux_v0.1_services_to_v1, from ANCT's mednum-cli); the four services
// it leaves out follow the data·inclusion thématiques that ANCT's library
// derives from the v1 services (lieux_v1_to_data_inclusion_v0), as the
// note of mappings.json suggests.
var servicesV01 = map[string][]string{
	"Accéder à du matériel":                                         {"Accès internet et matériel informatique"},
	"Accéder à une connexion internet":                              {"Accès internet et matériel informatique"},
	"Favoriser mon insertion professionnelle":                       {"Insertion professionnelle via le numérique"},
	"Devenir autonome dans les démarches administratives":           {"Aide aux démarches administratives"},
	"Réaliser des démarches administratives avec un accompagnement": {"Aide aux démarches administratives"},
	"Prendre en main un smartphone ou une tablette":                 {"Maîtrise des outils numériques du quotidien"},
	"Prendre en main un ordinateur":                                 {"Maîtrise des outils numériques du quotidien"},
	"Utiliser le numérique au quotidien":                            {"Maîtrise des outils numériques du quotidien"},
	"Approfondir ma culture numérique": {"Utilisation sécurisée du numérique", "Loisirs et créations numériques",
		"Compréhension du monde numérique"},
	"S'équiper en matériel informatique":                       {"Acquisition de matériel informatique à prix solidaire"},
	"Soutenir la parentalité et l'éducation avec le numérique": {"Parentalité et éducation avec le numérique"},
	"Créer et développer mon entreprise":                       {"Insertion professionnelle via le numérique"},
	"Créer avec le numérique":                                  {"Loisirs et créations numériques"},
	"Accompagner les démarches de santé":                       {"Aide aux démarches administratives"},
	"Promouvoir la citoyenneté numérique":                      {"Compréhension du monde numérique"},
}
