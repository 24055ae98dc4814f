package catalogue

import (
	"math"
	"strings"
)

// Stop is where an event takes place when that is not a place of the
// catalogue: a village hall, a market square, visited by a mobile unit
// (mediation "hors les murs"). The event's Lieu is then the place that
// runs it, usually an itinerant one (Place.Itinerant); a Stop is part of
// its event, never a place of the catalogue. Its JSON form is the
// event's "etape".
type Stop struct {
	// Nom names the spot: "Salle des fêtes", "Place du marché".
	Nom        string   `json:"nom"`
	Adresse    string   `json:"adresse,omitempty"`
	CodePostal string   `json:"code_postal,omitempty"`
	Commune    string   `json:"commune,omitempty"`
	CodeINSEE  string   `json:"code_insee,omitempty"`
	Latitude   *float64 `json:"latitude,omitempty"`
	Longitude  *float64 `json:"longitude,omitempty"`
	// PositionApproximative says that Latitude and Longitude are the
	// centre of the commune, set because the stop had no coordinates.
	PositionApproximative bool `json:"position_approximative,omitempty"`
}

// HasCoordinates reports whether the stop can be put on a map.
func (s *Stop) HasCoordinates() bool {
	return s != nil && s.Latitude != nil && s.Longitude != nil && !(*s.Latitude == 0 && *s.Longitude == 0)
}

// Departement returns the département code of the stop, as
// Place.Departement does.
func (s *Stop) Departement() string { return departement(s.CodeINSEE, s.CodePostal) }

// Line is the stop in one line: "Salle des fêtes, place de l'Église
// 04300 Mane".
func (s *Stop) Line() string {
	parts := []string{s.Nom}
	if where := strings.TrimSpace(strings.Join(strings.Fields(s.Adresse+" "+s.CodePostal+" "+s.Commune), " ")); where != "" {
		parts = append(parts, where)
	}
	return strings.Join(parts, ", ")
}

// Itinerant reports whether the place is a mobile unit (a minibus,
// nomad kits): the standard's itinerance says "Itinérant".
func (p *Place) Itinerant() bool {
	for _, v := range p.Itinerance {
		if v == "Itinérant" {
			return true
		}
	}
	return false
}

// Position is where the event takes place, for a map, a distance or an
// orientation sheet: its stop's coordinates when it has a stop, else
// those of its place p (which may be nil). ok is false when neither
// has coordinates.
func (e *Event) Position(p *Place) (lat, lon float64, ok bool) {
	switch {
	case e.Etape != nil:
		if e.Etape.HasCoordinates() {
			return *e.Etape.Latitude, *e.Etape.Longitude, true
		}
		return 0, 0, false // a stop without coordinates is not at its unit's base
	case p != nil && p.HasCoordinates():
		return *p.Latitude, *p.Longitude, true
	}
	return 0, 0, false
}

// normalize tidies a stop as Place.Normalize does a place; an empty stop
// becomes nil.
func (s *Stop) normalize() *Stop {
	if s == nil {
		return nil
	}
	for _, f := range []*string{&s.Nom, &s.Adresse, &s.CodePostal, &s.Commune, &s.CodeINSEE} {
		*f = strings.Join(strings.Fields(CleanText(*f)), " ")
	}
	s.CodeINSEE = strings.ToUpper(s.CodeINSEE)
	if *s == (Stop{}) {
		return nil
	}
	return s
}

// validate checks a stop; its fields are named "etape.nom" and so on.
func (s *Stop) validate(bad problems) {
	bad.checkUTF8([]field{{"etape.nom", s.Nom}, {"etape.adresse", s.Adresse}, {"etape.code_postal", s.CodePostal},
		{"etape.commune", s.Commune}, {"etape.code_insee", s.CodeINSEE}}, nil)
	if s.Nom == "" {
		bad.add("etape.nom", "champ obligatoire : le nom du lieu de passage (ex. « Salle des fêtes »)")
	}
	for _, f := range []field{{"etape.nom", s.Nom}, {"etape.adresse", s.Adresse}, {"etape.commune", s.Commune}} {
		bad.maxLen(f.name, f.v, maxShortText)
	}
	if s.CodePostal != "" && !postalPattern.MatchString(s.CodePostal) {
		bad.add("etape.code_postal", "code postal invalide « %s » (5 chiffres)", s.CodePostal)
	}
	if s.CodeINSEE != "" && !inseePattern.MatchString(s.CodeINSEE) {
		bad.add("etape.code_insee", "code INSEE invalide « %s » (5 caractères, ex. 04111)", s.CodeINSEE)
	}
	if s.Commune == "" && s.CodePostal == "" && s.CodeINSEE == "" {
		bad.add("etape.commune", "champ obligatoire : la commune ou le code postal du lieu de passage")
	}
	switch {
	case (s.Latitude == nil) != (s.Longitude == nil):
		field := "etape.latitude"
		if s.Longitude == nil {
			field = "etape.longitude"
		}
		bad.add(field, "latitude et longitude vont ensemble : les deux ou aucune")
	case s.Latitude != nil:
		if lat := *s.Latitude; math.IsNaN(lat) || lat < -90 || lat > 90 {
			bad.add("etape.latitude", "doit être comprise entre -90 et 90")
		}
		if lon := *s.Longitude; math.IsNaN(lon) || lon < -180 || lon > 180 {
			bad.add("etape.longitude", "doit être comprise entre -180 et 180")
		}
	}
}
