package standard

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

// DataInclusion is a data·inclusion document: the structures and their
// services, as the national platforms of social inclusion read them
// (data·inclusion schema v0, the one of the ANCT crosswalk in
// mappings.json). One place gives one structure and one service,
// "<id>-mediation-numerique".
type DataInclusion struct {
	Structures []DIStructure `json:"structures"`
	Services   []DIService   `json:"services"`
}

// DIStructure is a data·inclusion structure. Absent values are left out.
type DIStructure struct {
	ID                 string   `json:"id"`
	Source             string   `json:"source"`
	Nom                string   `json:"nom"`
	DateMaj            string   `json:"date_maj"`
	Siret              string   `json:"siret,omitempty"`
	RNA                string   `json:"rna,omitempty"`
	Typologie          string   `json:"typologie,omitempty"`
	Adresse            string   `json:"adresse,omitempty"`
	ComplementAdresse  string   `json:"complement_adresse,omitempty"`
	CodePostal         string   `json:"code_postal,omitempty"`
	CodeINSEE          string   `json:"code_insee,omitempty"`
	Commune            string   `json:"commune,omitempty"`
	Latitude           *float64 `json:"latitude,omitempty"`
	Longitude          *float64 `json:"longitude,omitempty"`
	Telephone          string   `json:"telephone,omitempty"`
	Courriel           string   `json:"courriel,omitempty"`
	SiteWeb            string   `json:"site_web,omitempty"`
	LienSource         string   `json:"lien_source,omitempty"`
	Accessibilite      string   `json:"accessibilite,omitempty"`
	HorairesOuverture  string   `json:"horaires_ouverture,omitempty"`
	PresentationResume string   `json:"presentation_resume,omitempty"`
	PresentationDetail string   `json:"presentation_detail,omitempty"`
	Thematiques        []string `json:"thematiques,omitempty"`
	LabelsNationaux    []string `json:"labels_nationaux,omitempty"`
	LabelsAutres       []string `json:"labels_autres,omitempty"`
}

// DIService is a data·inclusion service.
type DIService struct {
	ID                             string   `json:"id"`
	StructureID                    string   `json:"structure_id"`
	Source                         string   `json:"source"`
	Nom                            string   `json:"nom"`
	DateMaj                        string   `json:"date_maj"`
	PresentationResume             string   `json:"presentation_resume,omitempty"`
	Types                          []string `json:"types,omitempty"`
	Thematiques                    []string `json:"thematiques,omitempty"`
	Frais                          []string `json:"frais,omitempty"`
	Profils                        []string `json:"profils,omitempty"`
	ModesAccueil                   []string `json:"modes_accueil,omitempty"`
	ModesOrientationBeneficiaire   []string `json:"modes_orientation_beneficiaire,omitempty"`
	ModesOrientationAccompagnateur []string `json:"modes_orientation_accompagnateur,omitempty"`
	PriseRDV                       string   `json:"prise_rdv,omitempty"`
	Telephone                      string   `json:"telephone,omitempty"`
	Courriel                       string   `json:"courriel,omitempty"`
	Adresse                        string   `json:"adresse,omitempty"`
	ComplementAdresse              string   `json:"complement_adresse,omitempty"`
	CodePostal                     string   `json:"code_postal,omitempty"`
	CodeINSEE                      string   `json:"code_insee,omitempty"`
	Commune                        string   `json:"commune,omitempty"`
	Latitude                       *float64 `json:"latitude,omitempty"`
	Longitude                      *float64 `json:"longitude,omitempty"`
	LienSource                     string   `json:"lien_source,omitempty"`
}

// DataInclusionOf converts a place into its structure and its service.
// source names the producer (the place's source, or its network when it
// has none); link is the address of the place's page ("" for none).
func DataInclusionOf(p *catalogue.Place, source, link string) (DIStructure, DIService) {
	st := DIStructure{
		ID:                 p.ID,
		Source:             source,
		Nom:                diNom(p.Nom),
		DateMaj:            p.DateMaj,
		Adresse:            p.Adresse,
		ComplementAdresse:  p.ComplementAdresse,
		CodePostal:         csvMatch(diPostal, p.CodePostal),
		CodeINSEE:          csvMatch(csvINSEE, p.CodeINSEE),
		Commune:            p.Commune,
		Telephone:          p.Telephone,
		Courriel:           diFirst(p.Courriels),
		SiteWeb:            diFirst(p.SiteWeb),
		LienSource:         link,
		Accessibilite:      p.FicheAccesLibre,
		PresentationResume: csvResume(p.PresentationResume),
		PresentationDetail: p.PresentationDetail,
		Thematiques:        diThematiques(p.Services),
		LabelsAutres:       append([]string(nil), p.AutresLabels...),
	}
	if p.HoursError == "" {
		st.HorairesOuverture = p.Horaires
	}
	if p.HasCoordinates() {
		lat, lon := *p.Latitude, *p.Longitude
		st.Latitude, st.Longitude = &lat, &lon
	}
	switch {
	case diSiret.MatchString(p.Pivot) && p.Pivot != "00000000000000":
		st.Siret = p.Pivot
	case diRNA.MatchString(p.Pivot):
		st.RNA = p.Pivot
	}
	for _, t := range p.Typologie {
		if c, ok := catalogue.Typologies.Canonical(t); ok && !diUnknownTypologies[c] {
			st.Typologie = c
			break
		}
	}
	for _, l := range diConcat(p.Dispositifs, p.FormationsLabels) {
		if code, ok := diLabels[l]; ok {
			st.LabelsNationaux = diAppend(st.LabelsNationaux, code)
		} else {
			st.LabelsAutres = diAppend(st.LabelsAutres, l)
		}
	}

	sv := DIService{
		ID:                 p.ID + "-mediation-numerique",
		StructureID:        p.ID,
		Source:             source,
		Nom:                "Médiation numérique",
		DateMaj:            p.DateMaj,
		PresentationResume: st.PresentationResume,
		Thematiques:        st.Thematiques,
		PriseRDV:           p.PriseRDV,
		Telephone:          st.Telephone,
		Courriel:           st.Courriel,
		Adresse:            st.Adresse,
		ComplementAdresse:  st.ComplementAdresse,
		CodePostal:         st.CodePostal,
		CodeINSEE:          st.CodeINSEE,
		Commune:            st.Commune,
		Latitude:           st.Latitude,
		Longitude:          st.Longitude,
		LienSource:         link,
	}
	for _, m := range p.ModalitesAccompagnement {
		if t, ok := diTypes[m]; ok {
			sv.Types = diAppend(sv.Types, t)
		}
		mode := "en-presentiel"
		if m == "À distance" {
			mode = "a-distance"
		}
		sv.ModesAccueil = diAppend(sv.ModesAccueil, mode)
	}
	if len(p.Frais) > 0 {
		if f, ok := diFrais[p.Frais[0]]; ok {
			sv.Frais = []string{f}
		}
	}
	for _, pub := range diConcat(p.Publics, p.PriseEnCharge) {
		if pr, ok := diProfils[pub]; ok {
			sv.Profils = diAppend(sv.Profils, pr)
		}
	}
	for _, m := range p.ModalitesAcces {
		if v, ok := diOrientationBeneficiaire[m]; ok {
			sv.ModesOrientationBeneficiaire = diAppend(sv.ModesOrientationBeneficiaire, v)
		}
		if v, ok := diOrientationAccompagnateur[m]; ok {
			sv.ModesOrientationAccompagnateur = diAppend(sv.ModesOrientationAccompagnateur, v)
		}
	}
	return st, sv
}

// The crosswalk of mappings.json (lieux v1 to data·inclusion), keyed by
// the canonical spellings of catalogue.
var (
	diThematiquesOf = map[string][]string{
		"Acquisition de matériel informatique à prix solidaire": {"numerique--s-equiper-en-materiel-informatique"},
		"Aide aux démarches administratives": {
			"numerique--realiser-des-demarches-administratives-avec-un-accompagnement",
			"numerique--devenir-autonome-dans-les-demarches-administratives",
			"numerique--accompagner-les-demarches-de-sante",
		},
		"Maîtrise des outils numériques du quotidien": {
			"numerique--prendre-en-main-un-smartphone-ou-une-tablette",
			"numerique--prendre-en-main-un-ordinateur",
			"numerique--utiliser-le-numerique-au-quotidien",
		},
		"Insertion professionnelle via le numérique": {
			"numerique--favoriser-mon-insertion-professionnelle",
			"numerique--creer-et-developper-mon-entreprise",
		},
		"Parentalité et éducation avec le numérique": {"numerique--soutenir-la-parentalite-et-l-education-avec-le-numerique"},
		"Loisirs et créations numériques":            {"numerique--creer-avec-le-numerique"},
		"Compréhension du monde numérique": {
			"numerique--approfondir-ma-culture-numerique",
			"numerique--promouvoir-la-citoyennete-numerique",
		},
		"Accès internet et matériel informatique": {
			"numerique--acceder-a-une-connexion-internet",
			"numerique--acceder-a-du-materiel",
		},
		"Utilisation sécurisée du numérique": nil,
	}
	diTypes = map[string]string{
		"En autonomie":              "autonomie",
		"Accompagnement individuel": "accompagnement",
		"Dans un atelier collectif": "atelier",
	}
	diFrais = map[string]string{
		"Gratuit":                "gratuit",
		"Gratuit sous condition": "gratuit-sous-conditions",
		"Payant":                 "payant",
	}
	// diProfils adds to mappings.json the two publics it leaves out whose
	// profil is plain: Étudiants and Handicaps moteurs.
	diProfils = map[string]string{
		"Seniors":                      "seniors-65",
		"Familles et/ou enfants":       "familles-enfants",
		"Jeunes":                       "jeunes-16-26",
		"Femmes":                       "femmes",
		"Étudiants":                    "etudiants",
		"Langues étrangères (anglais)": "public-langues-etrangeres",
		"Langues étrangères (autres)":  "public-langues-etrangeres",
		"Déficience visuelle":          "deficience-visuelle",
		"Surdité":                      "surdite",
		"Handicaps mentaux":            "handicaps-mentaux",
		"Handicaps moteurs":            "personnes-en-situation-de-handicap",
		"Illettrisme":                  "personnes-en-situation-illettrisme",
	}
	diOrientationBeneficiaire = map[string]string{
		"Contacter par mail": "envoyer-un-mail",
		"Se présenter":       "se-presenter",
		"Téléphoner":         "telephoner",
	}
	diOrientationAccompagnateur = map[string]string{
		"Contacter par mail":                             "envoyer-un-mail",
		"Envoyer un mail avec une fiche de prescription": "envoyer-un-mail-avec-une-fiche-de-prescription",
		"Téléphoner":                                     "telephoner",
	}
	// diLabels keeps, of the labels of mappings.json, those that the
	// schema's LabelNational list has; the others (Mon Espace Santé,
	// DUPLEX, SUD LABS…) go to labels_autres under their French name.
	diLabels = map[string]string{
		"Aidants Connect":             "aidants-connect",
		"Conseillers numériques":      "conseiller-numerique",
		"France Services":             "france-service",
		"Grande école du numérique":   "grandes-ecoles-du-numerique",
		"Point d'accès numérique CAF": "caf",
		"Fabriques de Territoire":     "fabrique-de-territoire",
		"La Croix Rouge":              "croix-rouge",
	}
	// diUnknownTypologies are codes of the standard's list that
	// data·inclusion's TypologieStructure lacks.
	diUnknownTypologies = map[string]bool{"ESAT": true, "FABRIQUE": true, "MDH": true, "RELAIS_LECTURE": true}

	diPostal = regexp.MustCompile(`^\d{5}$`)
	diSiret  = regexp.MustCompile(`^\d{14}$`)
	diRNA    = regexp.MustCompile(`^W\d{9}$`)
)

func diThematiques(services []string) []string {
	var out []string
	for _, s := range services {
		for _, t := range diThematiquesOf[s] {
			out = diAppend(out, t)
		}
	}
	return out
}

// diNom fits a name to data·inclusion's rule: 3 to 150 characters, not
// ending with a full stop.
func diNom(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), ".")
	if utf8.RuneCountInString(s) > 150 {
		s = strings.TrimRight(string([]rune(s)[:149]), " .") + "…"
	}
	for utf8.RuneCountInString(s) < 3 {
		s += "_"
	}
	return s
}

func diFirst(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

func diAppend(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

func diConcat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
