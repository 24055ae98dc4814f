package admin

import (
	"slices"
	"strconv"
	"strings"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/catalogue/communes"
)

// The place form is folded in sections (details elements), and its map
// opens where the place is, or would be.

// placeSections are the form's sections in order; the first two (the
// place, its address) are open, the others folded unless they hold a
// problem.
var placeSections = []string{"identity", "address", "contact", "hours", "presentation", "services", "labels", "skills"}

// placeSectionOf gives the section of each field that can have a problem.
var placeSectionOf = map[string]string{
	"nom": "identity", "pivot": "identity", "structure_parente": "identity", "typologie": "identity",
	"adresse": "address", "complement_adresse": "address", "code_postal": "address", "commune": "address",
	"code_insee": "address", "latitude": "address", "longitude": "address",
	"telephone": "contact", "courriels": "contact", "site_web": "contact", "prise_rdv": "contact", "fiche_acces_libre": "contact",
	"grille": "hours", "horaires": "hours", "presentation_resume": "presentation", "presentation_detail": "presentation",
	"services": "services", "publics_specifiquement_adresses": "services", "prise_en_charge_specifique": "services",
	"frais_a_charge": "services", "modalites_acces": "services", "modalites_accompagnement": "services",
	"itinerance": "services", "champs_intervention": "services",
	"dispositif_programmes_nationaux": "labels", "formations_labels": "labels", "autres_formations_labels": "labels",
	"equipements": "labels", "competences": "skills",
}

// mapStart is where the map of the place form opens: the place's
// coordinates as typed (zoom 17), else its commune's centre (zoom 13),
// else the whole of metropolitan France.
func mapStart(values map[string]string) (center string, zoom int) {
	lat, errLat := strconv.ParseFloat(strings.Replace(values["latitude"], ",", ".", 1), 64)
	lon, errLon := strconv.ParseFloat(strings.Replace(values["longitude"], ",", ".", 1), 64)
	if errLat == nil && errLon == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
		return strconv.FormatFloat(lat, 'f', -1, 64) + "," + strconv.FormatFloat(lon, 'f', -1, 64), 17
	}
	pl := catalogue.Place{CodeINSEE: values["code_insee"], CodePostal: values["code_postal"]}
	if c, ok := communes.France().Locate(values["code_insee"], values["code_postal"], values["commune"], pl.Departement()); ok {
		return strconv.FormatFloat(c.Lat, 'f', 5, 64) + "," + strconv.FormatFloat(c.Lon, 'f', 5, 64), 13
	}
	return "46.6,2.4", 5
}

// placeFormSections are the form's sections: the first two open, and any
// with a problem open and marked.
func (p *Module) placeFormSections(problems map[string]string) map[string]formSection {
	out := map[string]formSection{}
	for i, name := range placeSections {
		out[name] = formSection{ID: name, Label: p.Msg.Get("admin.place.group." + name), Open: i < 2}
	}
	for name := range problems {
		if sec, ok := out[placeSectionOf[name]]; ok {
			sec.Open, sec.Fix = true, true
			out[sec.ID] = sec
		}
	}
	return out
}

// tickedFirst puts the ticked options of a long list first, in their
// order, so that an editor sees them without scrolling or filtering.
func tickedFirst(options []option) {
	slices.SortStableFunc(options, func(a, b option) int {
		switch {
		case a.Checked == b.Checked:
			return 0
		case a.Checked:
			return -1
		}
		return 1
	})
}
