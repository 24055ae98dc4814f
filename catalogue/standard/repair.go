package standard

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/maillage/maillage/catalogue"
)

// Repair, don't reject: a record is rejected only when what makes it a
// place is missing, a name and a commune (or coordinates). A value that
// breaks a rule of an optional field is dropped with a warning naming the
// field; a required field that nothing gives makes the place a draft.

// repair validates the place, drops what cannot be kept, makes it a draft
// for the required fields it lacks, and leaves as problems only what
// rejects the record.
func (b *builder) repair() {
	p := b.place
	for _, f := range catalogue.DraftFields {
		if f == "commune" && p.Latitude == nil {
			continue // without coordinates, the commune is what places it
		}
		if p.Missing(f) {
			b.toComplete(f)
		}
	}
	for range 4 {
		var verr *catalogue.ValidationError
		if err := p.Validate(); !errors.As(err, &verr) {
			return
		}
		dropped := false
		for _, f := range sortedKeys(verr.Fields) {
			if b.drop(f, verr.Fields[f]) {
				dropped = true
			}
		}
		if !dropped {
			for f, reason := range verr.Fields {
				b.problem(f, reason)
			}
			return
		}
	}
}

// toComplete makes the place a draft lacking f.
func (b *builder) toComplete(f string) {
	p := b.place
	if slices.Contains(p.ACompleter, f) {
		return
	}
	p.ACompleter = append(p.ACompleter, f)
	b.sets["a_completer"] = true
	if !b.noColumn[f] {
		b.warn(f, "absent : lieu importé comme brouillon « à compléter », ni publié ni exporté avant d'être complété")
	}
}

// drop repairs or drops the field f that fails for reason, with a
// warning, and reports whether it changed anything.
func (b *builder) drop(f, reason string) bool {
	p := b.place
	gone := func(what string) bool {
		b.warn(f, reason+" : "+what)
		return true
	}
	switch f {
	case "nom", "a_completer":
		return false
	case "commune":
		if p.Latitude == nil || p.Commune != "" {
			return false
		}
		b.toComplete(f)
		return true
	case "adresse", "code_postal":
		if f == "adresse" && p.Adresse == "" || f == "code_postal" && p.CodePostal == "" {
			b.toComplete(f)
			return true
		}
		if f == "adresse" {
			p.Adresse = ""
		} else {
			p.CodePostal = ""
		}
		p.ACompleter = append(p.ACompleter, f)
		b.sets["a_completer"] = true
		return gone("valeur ignorée, lieu importé comme brouillon « à compléter »")
	case "pivot":
		p.Pivot = placeholderPivot
		return gone(placeholderPivot + " (inconnu) utilisé")
	case "date_maj":
		p.DateMaj, b.dated = b.today, false
		return gone("date du jour utilisée (" + b.today + ")")
	case "telephone":
		p.Telephone = ""
		return gone("numéro ignoré")
	case "courriels":
		kept := p.Courriels[:0:0]
		for _, c := range p.Courriels {
			if validEmail(c) {
				kept = append(kept, c)
			} else {
				b.warn(f, "adresse électronique invalide « "+c+" » : ignorée")
			}
		}
		if len(kept) == len(p.Courriels) {
			kept = kept[:0] // too many, or too long: none kept
			b.warn(f, reason+" : ignorées")
		}
		p.Courriels = kept
		return true
	case "site_web":
		p.SiteWeb = nil
		return gone("ignoré")
	case "fiche_acces_libre":
		p.FicheAccesLibre = ""
		return gone("ignorée")
	case "prise_rdv":
		p.PriseRDV = ""
		return gone("ignorée")
	case "code_insee":
		p.CodeINSEE = ""
		return gone("ignoré")
	case "latitude", "longitude":
		if p.Latitude == nil && p.Longitude == nil {
			return false
		}
		p.Latitude, p.Longitude = nil, nil
		return gone("coordonnées ignorées")
	case "presentation_detail":
		p.PresentationDetail = truncate(p.PresentationDetail, 20000)
		return gone("raccourcie")
	case "horaires":
		b.keepHoursText(p.Horaires)
		p.Horaires, p.HoursError = "", ""
		return gone("texte gardé dans presentation_detail")
	}
	// Any other optional field: left out.
	if clearField(p, f) {
		return gone("champ ignoré")
	}
	return false
}

// clearField empties the field of p whose JSON name is f.
func clearField(p *catalogue.Place, f string) bool {
	switch f {
	case "complement_adresse":
		p.ComplementAdresse = ""
	case "source":
		p.Source = ""
	case "structure_parente":
		p.StructureParente = ""
	case "presentation_resume":
		p.PresentationResume = ""
	case "typologie":
		p.Typologie = nil
	case "autres_formations_labels":
		p.AutresLabels = nil
	case "equipements":
		p.Equipements = nil
	case "competences":
		p.Competences = nil
	case "itinerance":
		p.Itinerance = nil
	default:
		for _, e := range []*catalogue.Enum{catalogue.Services, catalogue.Publics, catalogue.PrisesEnCharge, catalogue.Frais,
			catalogue.Dispositifs, catalogue.FormationsLabels, catalogue.ModalitesAcces, catalogue.ModalitesAccompagnement, catalogue.ChampsIntervention} {
			if e.Field == f {
				*enumField(p, e) = nil
				return true
			}
		}
		return false
	}
	return true
}

// validEmail is the rule of catalogue.Place.Validate for one address.
func validEmail(c string) bool {
	p := catalogue.Place{Courriels: []string{c}}
	var verr *catalogue.ValidationError
	err := p.Validate()
	if !errors.As(err, &verr) {
		return true
	}
	_, bad := verr.Fields["courriels"]
	return !bad
}

// repairEmail fixes what real files get wrong in an address: a trailing
// dot or comma, spaces, an upper-case MAILTO:.
func repairEmail(s string) string {
	s = strings.TrimSpace(s)
	for _, prefix := range []string{"mailto:", "MAILTO:", "Mailto:"} {
		s = strings.TrimPrefix(s, prefix)
	}
	s = strings.TrimRight(s, ".,;:>)")
	s = strings.TrimLeft(s, "<(")
	return s
}

// Pseudo-columns.

// readPseudo reads what producers give in their own shapes: a combined
// postal address, hours per day or per half day.
func (b *builder) readPseudo(row rawRow) {
	if v, ok := row[colAdressePostale]; ok {
		if s, ok := b.scalar(colAdressePostale, v); ok && s != "" && b.place.Adresse == "" {
			b.place.Adresse = s
			b.sets["adresse"] = true
		}
	}
	var w week
	given, bad := false, false
	var texts []string
	for d, day := range []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"} {
		for _, half := range []string{"", "_matin", "_apres_midi"} {
			v, ok := row[colHoursPrefix+day+half]
			if !ok {
				continue
			}
			given = true
			s, _ := b.scalar(colHoursPrefix+day+half, v)
			if s == "" {
				continue
			}
			label := strings.ToUpper(day[:1]) + day[1:] + strings.ReplaceAll(strings.ReplaceAll(half, "_apres_midi", " après-midi"), "_matin", " matin")
			texts = append(texts, label+" : "+s)
			ranges, ok := parseDayCell(s)
			if !ok {
				bad = true
				continue
			}
			w[d] = append(w[d], ranges...)
		}
	}
	if !given || b.place.Horaires != "" {
		return
	}
	for d := range w {
		slices.SortFunc(w[d], func(a, b timeRange) int { return a.start - b.start })
	}
	osm := w.osm()
	if _, err := catalogue.ParseHours(osm); bad || err != nil {
		if len(texts) > 0 {
			b.keepHoursText(strings.Join(texts, " ; "))
			b.warn("horaires", "horaires par jour illisibles : texte gardé dans presentation_detail")
		}
		return
	}
	if osm != "" {
		b.place.Horaires = osm
		b.sets["horaires"] = true
	}
}

// keepHoursText keeps hours that could not be read in presentation_detail.
func (b *builder) keepHoursText(s string) {
	b.extra = append(b.extra, "Horaires : "+s)
	b.sets["presentation_detail"] = true
}

// readableHours turns French text hours into OSM opening_hours; hours
// read neither way go to presentation_detail, with a warning.
func (b *builder) readableHours() {
	p := b.place
	h := strings.TrimSpace(p.Horaires)
	if h == "" {
		return
	}
	if _, err := catalogue.ParseHours(h); err == nil {
		return
	}
	if osm, ok := frenchHoursToOSM(h); ok {
		p.Horaires = osm
		return
	}
	_, err := catalogue.ParseHours(h)
	b.keepHoursText(h)
	p.Horaires = ""
	b.warn("horaires", "illisibles (ni au format OSM opening_hours, ni en français courant : "+err.Error()+") : texte gardé dans presentation_detail")
}

// postalTail is the end of a combined address: "8 rue X - 33000 Ville",
// "8 rue X, 33000 Ville", "8 rue X 33000 VILLE CEDEX".
var postalTail = regexp.MustCompile(`^(.*?)[\s,;–—-]+(\d{5})\s+([^\d\s,;][^,;]*?)(?:\s+cedex(?:\s+\d+)?)?\s*$`)

// splitAddress splits a combined address into street, postal code and
// commune, when the record gives no other postal code or the same one.
func (b *builder) splitAddress() {
	p := b.place
	m := postalTail.FindStringSubmatch(strings.TrimSpace(p.Adresse))
	if m == nil || strings.TrimSpace(m[1]) == "" || p.CodePostal != "" && p.CodePostal != m[2] {
		return
	}
	p.Adresse = strings.TrimSpace(m[1])
	if p.CodePostal == "" {
		p.CodePostal = m[2]
		b.sets["code_postal"] = true
	}
	if p.Commune == "" {
		p.Commune = strings.TrimSpace(m[3])
		b.sets["commune"] = true
	}
}

// fromLambert93 converts coordinates given in Lambert-93 (EPSG:2154, the
// "X"/"Y" of many French files) into WGS84 latitude and longitude.
func (b *builder) fromLambert93() {
	p := b.place
	if p.Latitude == nil || p.Longitude == nil {
		return
	}
	x, y := *p.Longitude, *p.Latitude
	if x < 1e5 || x > 1.3e6 || y < 6e6 || y > 7.2e6 {
		return
	}
	lat, lon := lambert93ToWGS84(x, y)
	p.Latitude, p.Longitude = &lat, &lon
	b.warn("latitude", fmt.Sprintf("coordonnées Lambert-93 (%.0f, %.0f) converties en WGS84 (%.6f, %.6f)", x, y, lat, lon))
}

// lambert93ToWGS84 inverts the Lambert conformal conic projection of
// Lambert-93 (IGN's algorithms ALG0004 and ALG0001).
func lambert93ToWGS84(x, y float64) (lat, lon float64) {
	const (
		n  = 0.7256077650532670
		c  = 11754255.426096
		xs = 700000.0
		ys = 12655612.049876
		e  = 0.08181919104281579
	)
	lon0 := 3 * math.Pi / 180
	dx, dy := x-xs, y-ys
	r := math.Hypot(dx, dy)
	gamma := math.Atan(dx / -dy)
	lonRad := lon0 + gamma/n
	latIso := -1 / n * math.Log(math.Abs(r/c))
	phi := 2*math.Atan(math.Exp(latIso)) - math.Pi/2
	for range 20 {
		s := e * math.Sin(phi)
		phi = 2*math.Atan(math.Pow((1+s)/(1-s), e/2)*math.Exp(latIso)) - math.Pi/2
	}
	return math.Round(phi*180/math.Pi*1e6) / 1e6, math.Round(lonRad*180/math.Pi*1e6) / 1e6
}
