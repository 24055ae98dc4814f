package feeds

import (
	"encoding/json"
	"io"

	"github.com/maillage/maillage/catalogue"
)

// geoFeature is a place as a GeoJSON Feature (RFC 7946): a Point with
// the longitude first, or a null geometry for a place without
// coordinates; its properties are the place as the API gives it, with
// its source network.
type geoFeature struct {
	Type       string           `json:"type"`
	ID         string           `json:"id"`
	Geometry   *geoPoint        `json:"geometry"`
	Properties *catalogue.Place `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"`
}

// geoJSON writes a FeatureCollection, one feature at a time.
func (x *export) geoJSON(w io.Writer) error {
	if _, err := io.WriteString(w, `{"type":"FeatureCollection","features":[`); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	first := true
	err := x.eachPlace(func(p *catalogue.Place) error {
		if !first {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		first = false
		f := geoFeature{Type: "Feature", ID: p.ID, Properties: withSource(p)}
		if p.HasCoordinates() {
			f.Geometry = &geoPoint{Type: "Point", Coordinates: [2]float64{*p.Longitude, *p.Latitude}}
		}
		return enc.Encode(f) // its newline is whitespace between members
	})
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "]}\n")
	return err
}
