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
		if all := e.CanonicalAll(v); all != nil {
			return to(e, all...)
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

// The v0.1 → v1 crosswalk. Services are in catalogue (see
// catalogue.Services.CanonicalAll). The other fields follow the evolution
// notes of the standard (v0.1.1 → v1.0.1): publics_accueillis split into
// publics_specifiquement_adresses and prise_en_charge_specifique,
// conditions_acces renamed frais_a_charge, labels_nationaux split into
// dispositif_programmes_nationaux and formations_labels. Old values with
// no v1 counterpart ("Adultes", "Adhésion", "APTIC"…) are left out on
// purpose: they are kept as free text and reported.
var (
	// The v0.1 services are catalogue.Services' own old spellings, so
	// that search reads them as the importer does.
	groupServices = newGroup([]*catalogue.Enum{catalogue.Services}, nil)
	groupPublics  = newGroup([]*catalogue.Enum{catalogue.Publics, catalogue.PrisesEnCharge}, map[string][]target{
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
