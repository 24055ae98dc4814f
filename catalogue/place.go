package catalogue

import "time"

// Place is a lieu de médiation numérique. Its JSON form uses the field names
// of the national standard v1.0.2, with multi-valued fields as arrays, plus
// Maillage's own fields and the read-only fields set by the server.
type Place struct {
	// Read-only, set by the server.
	ID      string    `json:"id"`
	APID    string    `json:"ap_id,omitempty"`
	Network Network   `json:"network"`
	Updated time.Time `json:"updated"`
	// Published is when the record was first published, in whole
	// seconds; it never changes (fediverse servers refuse a status whose
	// published date moves). Zero for records from before it was kept.
	Published time.Time `json:"published,omitzero"`
	// HoursError says why Horaires could not be understood; the text is kept.
	HoursError string `json:"horaires_erreur,omitempty"`
	// DistanceKm is set in search results near a point.
	DistanceKm *float64 `json:"distance_km,omitempty"`
	// Sources lists the network records of a place published by several
	// networks, shown merged (MergePlaces); empty for a record shown alone.
	// It is never stored.
	Sources []Source `json:"sources,omitempty"`
	// FieldSources names, for each field of a merged place whose records
	// disagree, the records (their ap_id, listed in Sources) the value
	// shown comes from. It is never stored.
	FieldSources map[string][]string `json:"sources_champs,omitempty"`
	// ACompleter lists the fields the standard requires that a draft
	// lacks (DraftFields): a place with any is a draft ("à compléter"),
	// stored but neither listed, published, federated nor exported until
	// an editor gives them; Normalize drops those given since.
	ACompleter []string `json:"a_completer,omitempty"`

	// The national standard v1.0.2.
	Pivot                   string   `json:"pivot"` // UnknownPivot when the structure has none
	Nom                     string   `json:"nom"`
	Adresse                 string   `json:"adresse"`
	ComplementAdresse       string   `json:"complement_adresse,omitempty"`
	CodePostal              string   `json:"code_postal"`
	Commune                 string   `json:"commune"`
	CodeINSEE               string   `json:"code_insee,omitempty"`
	Latitude                *float64 `json:"latitude,omitempty"`
	Longitude               *float64 `json:"longitude,omitempty"`
	Typologie               []string `json:"typologie,omitempty"`
	Telephone               string   `json:"telephone,omitempty"`
	Courriels               []string `json:"courriels,omitempty"`
	SiteWeb                 []string `json:"site_web,omitempty"`
	Horaires                string   `json:"horaires,omitempty"`
	PresentationResume      string   `json:"presentation_resume,omitempty"`
	PresentationDetail      string   `json:"presentation_detail,omitempty"`
	Source                  string   `json:"source,omitempty"`
	StructureParente        string   `json:"structure_parente,omitempty"`
	Services                []string `json:"services,omitempty"`
	Publics                 []string `json:"publics_specifiquement_adresses,omitempty"`
	PriseEnCharge           []string `json:"prise_en_charge_specifique,omitempty"`
	Frais                   []string `json:"frais_a_charge,omitempty"`
	Dispositifs             []string `json:"dispositif_programmes_nationaux,omitempty"`
	FormationsLabels        []string `json:"formations_labels,omitempty"`
	AutresLabels            []string `json:"autres_formations_labels,omitempty"`
	ModalitesAcces          []string `json:"modalites_acces,omitempty"`
	ModalitesAccompagnement []string `json:"modalites_accompagnement,omitempty"`
	Itinerance              []string `json:"itinerance,omitempty"`
	FicheAccesLibre         string   `json:"fiche_acces_libre,omitempty"`
	PriseRDV                string   `json:"prise_rdv,omitempty"`
	DateMaj                 string   `json:"date_maj"`

	// Maillage's own fields.
	ChampsIntervention []string `json:"champs_intervention,omitempty"`
	Equipements        []string `json:"equipements,omitempty"`
	// Competences are the skills the place's team offers to other
	// structures (see Skill).
	Competences []Skill `json:"competences,omitempty"`

	// PositionApproximative says that Latitude and Longitude are the
	// centre of the commune, set because the place had no coordinates
	// (see package catalogue/communes); an editor should place it.
	PositionApproximative bool `json:"position_approximative,omitempty"`
}

// Network tells which network published a record.
type Network struct {
	Name  string `json:"name"`
	Actor string `json:"actor,omitempty"`
	Local bool   `json:"local"`
	// Via is the relaying network a remote record came through, when it
	// did not come from its origin directly.
	Via string `json:"via,omitempty"`
}

// Departement returns the département code of the place ("13", "2A",
// "971"), from its INSEE code when it has one, else from its postal code.
// It returns "" when neither tells.
func (p *Place) Departement() string {
	return departement(p.CodeINSEE, p.CodePostal)
}

func departement(insee, postal string) string {
	switch {
	case len(insee) == 5 && (insee[:2] == "97" || insee[:2] == "98"):
		return insee[:3]
	case len(insee) == 5:
		return insee[:2]
	case len(postal) != 5:
		return ""
	case postal[:2] == "97" || postal[:2] == "98":
		return postal[:3]
	case postal[:2] == "20" && postal < "20200":
		return "2A"
	case postal[:2] == "20":
		return "2B"
	}
	return postal[:2]
}

// HasCoordinates reports whether the place can be put on a map.
func (p *Place) HasCoordinates() bool {
	return p.Latitude != nil && p.Longitude != nil && !(*p.Latitude == 0 && *p.Longitude == 0)
}

// DraftFields are the fields the standard requires that a place may lack
// as a draft: an import gives a record without them as a draft rather
// than reject it. A place needs at least a name, and a commune or
// coordinates.
var DraftFields = []string{"adresse", "code_postal", "commune", "services"}

// Draft reports whether p is a draft: it lacks fields the standard
// requires (ACompleter), and stays out of every list, publication and
// export until they are given.
func (p *Place) Draft() bool { return len(p.ACompleter) > 0 }

// Missing reports whether the field f (a DraftFields name) is empty.
func (p *Place) Missing(f string) bool {
	switch f {
	case "adresse":
		return p.Adresse == ""
	case "code_postal":
		return p.CodePostal == ""
	case "commune":
		return p.Commune == ""
	case "services":
		return len(p.Services) == 0
	}
	return false
}

// UnknownPivot is the standard's pivot for a structure without a SIRET or
// RNA number: stored and exported, never shown to the public.
const UnknownPivot = "00000000000000"
