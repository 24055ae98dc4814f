package standard

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"

	"github.com/maillage/maillage/catalogue"
)

// JSONWriter writes places as a JSON file of the national standard
// v1.0.2: an array of objects with the standard's field names in the
// order of its TableSchema, multi-valued fields as arrays (the shape of
// the national API, with a flat adresse), empty optional fields left
// out. Values are those the CSVWriter would write: a value the schema
// would refuse is left out. Read reads the file back.
type JSONWriter struct {
	w     *bufio.Writer
	opts  WriteOptions
	count int
	err   error
}

// NewJSONWriter returns a writer to w. Call Close when done: it ends the
// array.
func NewJSONWriter(w io.Writer, opts WriteOptions) *JSONWriter {
	return &JSONWriter{w: bufio.NewWriterSize(w, 64<<10), opts: opts}
}

// Write writes one place.
func (jw *JSONWriter) Write(p *catalogue.Place) error {
	if jw.err != nil {
		return jw.err
	}
	if jw.count == 0 {
		jw.w.WriteString("[\n")
	} else {
		jw.w.WriteString(",\n")
	}
	jw.count++
	jw.w.WriteString("  {")
	first := true
	field := func(name string, v any) {
		switch t := v.(type) {
		case string:
			if t == "" {
				return
			}
		case []string:
			if len(t) == 0 {
				return
			}
		case *float64:
			if t == nil {
				return
			}
		}
		if !first {
			jw.w.WriteString(", ")
		}
		first = false
		k, _ := json.Marshal(name)
		jw.w.Write(k)
		jw.w.WriteString(": ")
		b, err := json.Marshal(v)
		if err != nil && jw.err == nil {
			jw.err = err
		}
		jw.w.Write(b)
	}
	var lat, lon *float64
	if p.Latitude != nil && p.Longitude != nil {
		lat, lon = p.Latitude, p.Longitude
	}
	field("id", p.ID)
	field("pivot", csvPivot(p.Pivot))
	field("nom", p.Nom)
	field("commune", p.Commune)
	field("code_postal", p.CodePostal)
	field("code_insee", csvMatch(csvINSEE, p.CodeINSEE))
	field("adresse", p.Adresse)
	field("complement_adresse", p.ComplementAdresse)
	field("latitude", lat)
	field("longitude", lon)
	field("typologie", jsonEnum(catalogue.Typologies, p.Typologie))
	field("telephone", csvMatch(csvTelephone, p.Telephone))
	field("courriels", jsonList(p.Courriels))
	field("site_web", jsonList(p.SiteWeb))
	field("horaires", p.Horaires)
	field("presentation_resume", csvResume(p.PresentationResume))
	field("presentation_detail", p.PresentationDetail)
	field("source", p.Source)
	field("itinerance", jsonEnum(catalogue.Itinerances, p.Itinerance))
	field("structure_parente", p.StructureParente)
	field("date_maj", p.DateMaj)
	field("services", jsonEnum(catalogue.Services, p.Services))
	field("publics_specifiquement_adresses", jsonEnum(catalogue.Publics, p.Publics))
	field("prise_en_charge_specifique", jsonEnum(catalogue.PrisesEnCharge, p.PriseEnCharge))
	field("frais_a_charge", jsonEnum(catalogue.Frais, p.Frais))
	field("dispositif_programmes_nationaux", jsonEnum(catalogue.Dispositifs, p.Dispositifs))
	field("formations_labels", jsonEnum(catalogue.FormationsLabels, p.FormationsLabels))
	field("autres_formations_labels", jsonList(p.AutresLabels))
	field("modalites_acces", jsonEnum(catalogue.ModalitesAcces, p.ModalitesAcces))
	field("modalites_accompagnement", jsonEnum(catalogue.ModalitesAccompagnement, p.ModalitesAccompagnement))
	field("fiche_acces_libre", p.FicheAccesLibre)
	field("prise_rdv", p.PriseRDV)
	if jw.opts.Maillage {
		field("champs_intervention", jsonEnum(catalogue.ChampsIntervention, p.ChampsIntervention))
		field("equipements", jsonList(p.Equipements))
		field("competences", catalogue.SkillIDs(p.Competences))
		field("competences_libelles", skillLabels(p.Competences))
	}
	_, err := jw.w.WriteString("}")
	if jw.err == nil {
		jw.err = err
	}
	return jw.err
}

// Close ends the array and flushes; an empty file is "[]".
func (jw *JSONWriter) Close() error {
	if jw.err != nil {
		return jw.err
	}
	if jw.count == 0 {
		jw.w.WriteString("[]\n")
	} else {
		jw.w.WriteString("\n]\n")
	}
	return jw.w.Flush()
}

// WriteJSON writes places to w with a JSONWriter.
func WriteJSON(w io.Writer, places []*catalogue.Place, opts WriteOptions) error {
	jw := NewJSONWriter(w, opts)
	for _, p := range places {
		if err := jw.Write(p); err != nil {
			return err
		}
	}
	return jw.Close()
}

// jsonEnum keeps the values of an enumerated field that belong to its
// list, in their canonical spelling.
func jsonEnum(e *catalogue.Enum, values []string) []string {
	var out []string
	for _, v := range values {
		if c, ok := e.Canonical(v); ok {
			out = append(out, c)
		}
	}
	return out
}

// jsonList keeps the non-empty values.
func jsonList(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
