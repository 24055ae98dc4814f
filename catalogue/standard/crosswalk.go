package standard

import "github.com/maillage/maillage/catalogue"

// target is a value of one of the v1 enumerations.
type target struct {
	enum  *catalogue.Enum
	value string
}

// group is a family of enumerated columns whose values are matched
// together: a value found in the "wrong" column of its family (Surdité
// among the publics, France Services among the formations) goes where it
// belongs. old holds the v0.1 spellings, keyed by matchKey.
type group struct {
	enums []*catalogue.Enum
	old   map[string][]target
	// labels: unmapped values go to autres_formations_labels rather than
	// to presentation_detail.
	labels bool
}

func newGroup(enums []*catalogue.Enum, old map[string][]target) *group {
	g := &group{enums: enums, old: map[string][]target{}}
	for k, v := range old {
		g.old[matchKey(k)] = v
	}
	return g
}

// resolve returns the v1 values that v stands for, or nil. It tries the
// v0.1 spellings, the v1 enumerations (after folding case, accents,
// apostrophes and spaces), then the part before " : " of the v0.1 values
// that carry an explanation ("Gratuit : Je peux accéder…").
func (g *group) resolve(v string) []target {
	if t := g.lookup(v); t != nil {
		return t
	}
	if head, _, ok := cutColon(v); ok {
		return g.lookup(head)
	}
	return nil
}

func (g *group) lookup(v string) []target {
	if t, ok := g.old[matchKey(v)]; ok {
		return t
	}
	for _, e := range g.enums {
		if c, ok := e.Canonical(v); ok {
			return []target{{e, c}}
		}
	}
	return nil
}

func to(e *catalogue.Enum, values ...string) []target {
	t := make([]target, len(values))
	for i, v := range values {
		t[i] = target{e, v}
	}
	return t
}

// The v0.1 → v1 crosswalk. Services follow mappings.json
// (lieux_v0.1_services_to_v1, from ANCT's mednum-cli); the four services
// it leaves out follow the data·inclusion thématiques that ANCT's library
// derives from the v1 services (lieux_v1_to_data_inclusion_v0), as the
// note of mappings.json suggests. The other fields follow the evolution
// notes of the standard (v0.1.1 → v1.0.1): publics_accueillis split into
// publics_specifiquement_adresses and prise_en_charge_specifique,
// conditions_acces renamed frais_a_charge, labels_nationaux split into
// dispositif_programmes_nationaux and formations_labels. Old values with
// no v1 counterpart ("Adultes", "Adhésion", "APTIC"…) are left out on
// purpose: they are kept as free text and reported.
var (
	groupServices = newGroup([]*catalogue.Enum{catalogue.Services}, map[string][]target{
		"Accéder à du matériel":                                         to(catalogue.Services, "Accès internet et matériel informatique"),
		"Accéder à une connexion internet":                              to(catalogue.Services, "Accès internet et matériel informatique"),
		"Favoriser mon insertion professionnelle":                       to(catalogue.Services, "Insertion professionnelle via le numérique"),
		"Devenir autonome dans les démarches administratives":           to(catalogue.Services, "Aide aux démarches administratives"),
		"Réaliser des démarches administratives avec un accompagnement": to(catalogue.Services, "Aide aux démarches administratives"),
		"Prendre en main un smartphone ou une tablette":                 to(catalogue.Services, "Maîtrise des outils numériques du quotidien"),
		"Prendre en main un ordinateur":                                 to(catalogue.Services, "Maîtrise des outils numériques du quotidien"),
		"Utiliser le numérique au quotidien":                            to(catalogue.Services, "Maîtrise des outils numériques du quotidien"),
		"Approfondir ma culture numérique": to(catalogue.Services,
			"Utilisation sécurisée du numérique", "Loisirs et créations numériques", "Compréhension du monde numérique"),
		"S'équiper en matériel informatique":                       to(catalogue.Services, "Acquisition de matériel informatique à prix solidaire"),
		"Soutenir la parentalité et l'éducation avec le numérique": to(catalogue.Services, "Parentalité et éducation avec le numérique"),
		"Créer et développer mon entreprise":                       to(catalogue.Services, "Insertion professionnelle via le numérique"),
		"Créer avec le numérique":                                  to(catalogue.Services, "Loisirs et créations numériques"),
		"Accompagner les démarches de santé":                       to(catalogue.Services, "Aide aux démarches administratives"),
		"Promouvoir la citoyenneté numérique":                      to(catalogue.Services, "Compréhension du monde numérique"),
	})
	groupPublics = newGroup([]*catalogue.Enum{catalogue.Publics, catalogue.PrisesEnCharge}, map[string][]target{
		"Seniors (+ 65 ans)":                   to(catalogue.Publics, "Seniors"),
		"Familles/enfants":                     to(catalogue.Publics, "Familles et/ou enfants"),
		"Jeunes (16-26 ans)":                   to(catalogue.Publics, "Jeunes"),
		"Uniquement femmes":                    to(catalogue.Publics, "Femmes"),
		"Public langues étrangères":            to(catalogue.PrisesEnCharge, "Langues étrangères (anglais)", "Langues étrangères (autres)"),
		"Langues étrangères":                   to(catalogue.PrisesEnCharge, "Langues étrangères (anglais)", "Langues étrangères (autres)"),
		"Personnes en situation d'illettrisme": to(catalogue.PrisesEnCharge, "Illettrisme"),
		"Handicaps mentaux : déficiences limitant les activités d'une personne": to(catalogue.PrisesEnCharge, "Handicaps mentaux"),
	})
	groupFrais  = newGroup([]*catalogue.Enum{catalogue.Frais}, nil)
	groupLabels = func() *group {
		g := newGroup([]*catalogue.Enum{catalogue.Dispositifs, catalogue.FormationsLabels}, map[string][]target{
			"CNFS":                                 to(catalogue.Dispositifs, "Conseillers numériques"),
			"Conseiller numérique":                 to(catalogue.Dispositifs, "Conseillers numériques"),
			"Conseiller numérique France Services": to(catalogue.Dispositifs, "Conseillers numériques"),
			"Grandes écoles du numérique":          to(catalogue.Dispositifs, "Grande école du numérique"),
			"Point relais CAF":                     to(catalogue.Dispositifs, "Point d'accès numérique CAF"),
			"Point numérique CAF":                  to(catalogue.Dispositifs, "Point d'accès numérique CAF"),
			"Étapes numériques (La Poste)":         to(catalogue.FormationsLabels, "Étapes numériques(La Poste)"),
		})
		g.labels = true
		return g
	}()
	groupAccompagnement = newGroup([]*catalogue.Enum{catalogue.ModalitesAccompagnement}, map[string][]target{
		"Seul : j'ai accès à du matériel et une connexion":                    to(catalogue.ModalitesAccompagnement, "En autonomie"),
		"Avec de l'aide : je suis accompagné seul dans l'usage du numérique":  to(catalogue.ModalitesAccompagnement, "Accompagnement individuel"),
		"Dans un atelier : j'apprends collectivement à utiliser le numérique": to(catalogue.ModalitesAccompagnement, "Dans un atelier collectif"),
		// Without their explanation, as some files write them.
		"Seul":            to(catalogue.ModalitesAccompagnement, "En autonomie"),
		"Avec de l'aide":  to(catalogue.ModalitesAccompagnement, "Accompagnement individuel"),
		"Dans un atelier": to(catalogue.ModalitesAccompagnement, "Dans un atelier collectif"),
	})
	groupAcces      = newGroup([]*catalogue.Enum{catalogue.ModalitesAcces}, nil)
	groupItinerance = newGroup([]*catalogue.Enum{catalogue.Itinerances}, nil)
	groupTypologie  = newGroup([]*catalogue.Enum{catalogue.Typologies}, nil)
	groupChamps     = newGroup([]*catalogue.Enum{catalogue.ChampsIntervention}, nil)
)
