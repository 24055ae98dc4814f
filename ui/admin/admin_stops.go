package admin

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/maillage/maillage/catalogue"
	"github.com/maillage/maillage/ui/admin/forms"
)

// The event form's "Où ?": at the chosen place, or at another address (a
// stop of a mobile unit: a village hall, a market square), the chosen
// place then being the one that runs it (catalogue.Stop).

// stopFieldNames are the form's fields of a stop, named after the API's
// "etape.…" fields with "_" for ".".
var stopFieldNames = []string{"etape_nom", "etape_adresse", "etape_code_postal", "etape_commune", "etape_latitude", "etape_longitude"}

// ouAdresse is the value of the form's "ou" for an event at another
// address.
const ouAdresse = "adresse"

// stopEditOf draws the stop of a stored event into the form.
func stopEditOf(e *catalogue.Event, f *eventEdit) {
	st := e.Etape
	if st == nil {
		return
	}
	f.values["ou"] = ouAdresse
	f.values["etape_nom"], f.values["etape_adresse"] = st.Nom, st.Adresse
	f.values["etape_code_postal"], f.values["etape_commune"] = st.CodePostal, st.Commune
	if st.HasCoordinates() && !st.PositionApproximative {
		f.values["etape_latitude"] = strconv.FormatFloat(*st.Latitude, 'f', -1, 64)
		f.values["etape_longitude"] = strconv.FormatFloat(*st.Longitude, 'f', -1, 64)
	}
}

// stopFromForm reads the stop of a submitted form: nil unless "ou" says
// another address.
func (p *Module) stopFromForm(form url.Values, f *eventEdit) *catalogue.Stop {
	for _, name := range stopFieldNames {
		f.values[name] = forms.CleanLine(form.Get(name))
	}
	if form.Get("ou") != ouAdresse {
		return nil
	}
	f.values["ou"] = ouAdresse
	st := &catalogue.Stop{Nom: f.values["etape_nom"], Adresse: f.values["etape_adresse"],
		CodePostal: f.values["etape_code_postal"], Commune: f.values["etape_commune"]}
	for _, c := range []struct {
		name string
		dst  **float64
	}{{"etape_latitude", &st.Latitude}, {"etape_longitude", &st.Longitude}} {
		v := strings.Replace(f.values[c.name], ",", ".", 1) // "43,93" as French keyboards write it
		if v == "" {
			continue
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			f.problems[c.name] = p.Msg.Get("admin.event.etape.coord.invalid")
			continue
		}
		*c.dst = &x
	}
	if st.Nom+st.Adresse+st.CodePostal+st.Commune == "" && st.Latitude == nil && st.Longitude == nil {
		f.problems["etape_nom"] = p.Msg.Get("admin.event.etape.empty")
	}
	return st
}

// stopFormFields adds the stop's fields to the form's view.
func (p *Module) stopFormFields(v *eventFormView, f *eventEdit) {
	v.AtAddress = f.values["ou"] == ouAdresse
	for _, name := range stopFieldNames {
		tf := textField{Name: name, ID: name, Label: p.Msg.Get("admin.event." + name), Value: f.values[name], Problem: f.problems[name]}
		if hint, ok := p.Msg.Lookup("admin.hint." + name); ok {
			tf.Hint = hint
		}
		v.F[name] = tf
	}
}
