package federation

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/go-fed/activity/streams/vocab"

	"github.com/maillage/maillage/catalogue"
)

// errNotOurs means an object is of a type Maillage does not keep.
var errNotOurs = errors.New("not a place or an event")

var (
	tagPattern = regexp.MustCompile(`<[^>]*>`)
	// scriptPattern matches elements whose content is code, not text.
	scriptPattern = regexp.MustCompile(`(?is)<(script|style)\b[^>]*>.*?</(script|style)\s*>`)
)

// plainText strips tags from remote text fields.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return strings.TrimSpace(s) // no tag, no entity: what the rest would give
	}
	s = scriptPattern.ReplaceAllString(s, " ")
	return strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(s, " ")))
}

// oneLine is plainText on a single line, with runs of spaces that tags
// or line breaks left folded into one: for names and addresses.
func oneLine(s string) string {
	return strings.Join(strings.Fields(plainText(s)), " ")
}

func strings_(doc map[string]any, key string) []string {
	switch v := doc[key].(type) {
	case string:
		if v != "" {
			return []string{plainText(v)}
		}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, plainText(s))
			}
		}
		return out
	}
	return nil
}

func text(doc map[string]any, key string) string {
	s, _ := doc[key].(string)
	return plainText(s)
}

func line(doc map[string]any, key string) string {
	s, _ := doc[key].(string)
	return oneLine(s)
}

func firstString(p interface {
	Len() int
	At(int) vocab.ActivityStreamsNamePropertyIterator
}) string {
	for i := 0; i < p.Len(); i++ {
		if it := p.At(i); it.IsXMLSchemaString() {
			return it.GetXMLSchemaString()
		}
		if it := p.At(i); it.IsRDFLangString() {
			for _, v := range it.GetRDFLangString() {
				return v
			}
		}
	}
	return ""
}

// placeFromObject reads a remote Place, published by network.
func placeFromObject(ctx context.Context, doc map[string]any, network catalogue.Network) (*catalogue.Place, error) {
	pl, err := readAs[vocab.ActivityStreamsPlace](ctx, doc, placeProps)
	if errors.Is(err, errNotOurs) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("unreadable object: %w", err)
	}
	p := &catalogue.Place{Network: network}
	if id := pl.GetJSONLDId(); id != nil && id.Get() != nil {
		p.APID = id.Get().String()
	}
	if n := pl.GetActivityStreamsName(); n != nil {
		p.Nom = oneLine(firstString(n))
	}
	if lat, lon := pl.GetActivityStreamsLatitude(), pl.GetActivityStreamsLongitude(); lat != nil && lon != nil && lat.IsXMLSchemaFloat() && lon.IsXMLSchemaFloat() {
		la, lo := lat.Get(), lon.Get()
		p.Latitude, p.Longitude = &la, &lo
	}
	if u := pl.GetActivityStreamsUpdated(); u != nil && u.IsXMLSchemaDateTime() {
		p.Updated = u.Get()
	}
	switch a := doc["address"].(type) {
	case map[string]any:
		p.Adresse, p.CodePostal, p.Commune = line(a, "streetAddress"), line(a, "postalCode"), line(a, "addressLocality")
	case string:
		p.Adresse = oneLine(a) // Gancio sends the address as one string
	}
	p.Pivot, p.CodeINSEE, p.ComplementAdresse = text(doc, "pivot"), text(doc, "code_insee"), text(doc, "complement_adresse")
	if p.ComplementAdresse != "" {
		p.Adresse = strings.TrimSuffix(p.Adresse, ", "+p.ComplementAdresse)
	}
	p.Telephone, p.Horaires, p.PresentationResume = text(doc, "telephone"), text(doc, "horaires"), text(doc, "presentation_resume")
	p.PresentationDetail, p.Source, p.StructureParente = text(doc, "presentation_detail"), text(doc, "source"), text(doc, "structure_parente")
	p.FicheAccesLibre, p.PriseRDV, p.DateMaj = text(doc, "fiche_acces_libre"), text(doc, "prise_rdv"), text(doc, "date_maj")
	p.Typologie, p.Courriels, p.SiteWeb = strings_(doc, "typologie"), strings_(doc, "courriels"), strings_(doc, "site_web")
	p.Services, p.Publics, p.PriseEnCharge = strings_(doc, "services"), strings_(doc, "publics_specifiquement_adresses"), strings_(doc, "prise_en_charge_specifique")
	p.Frais, p.Dispositifs, p.FormationsLabels = strings_(doc, "frais_a_charge"), strings_(doc, "dispositif_programmes_nationaux"), strings_(doc, "formations_labels")
	p.AutresLabels, p.ModalitesAcces = strings_(doc, "autres_formations_labels"), strings_(doc, "modalites_acces")
	p.ModalitesAccompagnement, p.Itinerance = strings_(doc, "modalites_accompagnement"), strings_(doc, "itinerance")
	p.ChampsIntervention, p.Equipements = strings_(doc, "champs_intervention"), strings_(doc, "equipements")
	p.Competences = skillsFromAS(doc["competences"])
	dropped, err := p.NormalizeRemote()
	if err != nil {
		return nil, fmt.Errorf("invalid place: %w", err)
	}
	logDropped(ctx, p.APID, dropped)
	switch {
	case p.APID == "":
		return nil, errors.New("place without id")
	case p.Nom == "":
		return nil, errors.New("place without name")
	case p.Latitude != nil && (*p.Latitude < -90 || *p.Latitude > 90 || *p.Longitude < -180 || *p.Longitude > 180):
		return nil, errors.New("place with impossible coordinates")
	}
	if pub := pl.GetActivityStreamsPublished(); pub != nil && pub.IsXMLSchemaDateTime() {
		p.Published = pub.Get().UTC()
	}
	if p.Updated.IsZero() {
		// The version time orders updates; without updated, published
		// is the best a peer says (zero: unknown, see storage.newer).
		p.Updated = p.Published
	}
	return p, nil
}

// eventFromObject reads a remote Event; its place is returned too, from
// the embedded location.
func eventFromObject(ctx context.Context, doc map[string]any, network catalogue.Network) (*catalogue.Event, *catalogue.Place, error) {
	// The location is read below, by placeFromObject.
	ev, err := readAs[vocab.ActivityStreamsEvent](ctx, doc, eventProps)
	if errors.Is(err, errNotOurs) {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("unreadable object: %w", err)
	}
	e := &catalogue.Event{Network: network}
	if id := ev.GetJSONLDId(); id != nil && id.Get() != nil {
		e.APID = id.Get().String()
	}
	if n := ev.GetActivityStreamsName(); n != nil {
		e.Nom = oneLine(firstString(n))
	}
	if c := ev.GetActivityStreamsContent(); c != nil && c.Len() > 0 && c.At(0).IsXMLSchemaString() {
		e.Description = c.At(0).GetXMLSchemaString() // sanitised by e.Normalize, below
	}
	if d, ok := doc["description"].(string); ok {
		e.Description = d // a Maillage peer's description as written, without the details content adds
	}
	// Read times from the document to keep their offset.
	for _, f := range [...]struct {
		key string
		dst *time.Time
	}{{"startTime", &e.Debut}, {"endTime", &e.Fin}} {
		key, dst := f.key, f.dst
		if s, ok := doc[key].(string); ok {
			if tm, err := time.Parse(time.RFC3339, s); err == nil {
				*dst = tm
			}
		}
	}
	if e.Fin.IsZero() && !e.Debut.IsZero() {
		e.Fin = e.Debut.Add(2 * time.Hour) // Mastodon-style events may have no end
	}
	if u := ev.GetActivityStreamsUpdated(); u != nil && u.IsXMLSchemaDateTime() {
		e.Updated = u.Get()
	}
	status := text(doc, "ical:status")
	if status == "" {
		status = text(doc, "status")
	}
	if strings.EqualFold(status, "CANCELLED") {
		e.Statut = catalogue.StatusCancelled
		e.Nom = strings.TrimPrefix(e.Nom, cancelledPrefix) // EventTitle's
	}
	// Mobilizon sends 0 for "no limit" (it only counts seats when > 0).
	if c, ok := doc["maximumAttendeeCapacity"].(float64); ok && c > 0 && c < 1e6 {
		n := int(c)
		e.Capacite = &n
	}
	e.Services, e.Publics, e.Frais = strings_(doc, "services"), strings_(doc, "publics"), strings_(doc, "frais_a_charge")
	e.Inscription, e.Recurrence = text(doc, "inscription"), text(doc, "recurrence")
	loc, err := physicalLocation(doc["location"])
	if err != nil {
		return nil, nil, err
	}
	var p *catalogue.Place
	if id, _ := loc["id"].(string); id == "" {
		// A Place without id is an address, not a place of a
		// catalogue: the event is at a stop; a Maillage peer names the
		// place that runs it (a mobile unit) in lieu_organisateur.
		if e.Etape, err = stopFromObject(loc); err != nil {
			return nil, nil, fmt.Errorf("location: %w", err)
		}
		if org, ok := doc["lieu_organisateur"].(map[string]any); ok {
			org["@context"] = doc["@context"]
			if p, err = placeFromObject(ctx, org, network); err != nil {
				return nil, nil, fmt.Errorf("lieu_organisateur: %w", err)
			}
		}
	} else {
		loc["@context"] = doc["@context"]
		if p, err = placeFromObject(ctx, loc, network); err != nil {
			return nil, nil, fmt.Errorf("location: %w", err)
		}
	}
	if p != nil {
		e.Lieu = p.APID
	}
	logDropped(ctx, e.APID, e.NormalizeRemote())
	if err := e.Validate(); err != nil {
		// Keep what a peer may send that our rules refuse out of the
		// stored record rather than refusing the whole event.
		var verr *catalogue.ValidationError
		if !errors.As(err, &verr) {
			return nil, nil, err
		}
		for field := range verr.Fields {
			switch field {
			case "services":
				e.Services = nil
			case "publics":
				e.Publics = nil
			case "frais_a_charge":
				e.Frais = nil
			case "inscription":
				e.Inscription = ""
			case "recurrence":
				e.Recurrence = ""
			case "capacite":
				e.Capacite = nil
			case "lieu":
				if e.Etape == nil || e.Lieu != "" {
					return nil, nil, fmt.Errorf("invalid event: %w", err)
				}
				// An event at an address that no place runs, as Mobilizon
				// and Gancio send: kept at its stop.
			default:
				return nil, nil, fmt.Errorf("invalid event: %w", err)
			}
		}
	}
	if pub := ev.GetActivityStreamsPublished(); pub != nil && pub.IsXMLSchemaDateTime() {
		e.Published = pub.Get().UTC()
	}
	if e.Updated.IsZero() {
		e.Updated = e.Published
	}
	if p != nil && p.Updated.Before(e.Updated) {
		p.Updated = e.Updated // an embedded place is as recent as what embeds it
	}
	return e, p, nil
}

// stopFromObject reads the location of an event held at an address that
// is no place of a catalogue (a Place without id): its name, address,
// commune and coordinates. Mobilizon sends a schema.org PostalAddress,
// Gancio a string.
func stopFromObject(loc map[string]any) (*catalogue.Stop, error) {
	st := &catalogue.Stop{Nom: line(loc, "name"), CodeINSEE: line(loc, "code_insee")}
	switch a := loc["address"].(type) {
	case map[string]any:
		st.Adresse, st.CodePostal, st.Commune = line(a, "streetAddress"), line(a, "postalCode"), line(a, "addressLocality")
	case string:
		st.Adresse = oneLine(a)
	}
	lat, okLat := loc["latitude"].(float64)
	lon, okLon := loc["longitude"].(float64)
	if okLat && okLon {
		if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
			return nil, errors.New("place with impossible coordinates")
		}
		st.Latitude, st.Longitude = &lat, &lon
	}
	if st.Nom == "" {
		st.Nom = st.Adresse // Gancio may send an address alone
	}
	if st.Commune == "" && st.CodePostal == "" && st.CodeINSEE == "" && st.Adresse != "" {
		// "12 rue X, 69007 Lyon": the commune is the address's last part.
		parts := strings.Split(st.Adresse, ",")
		fields := strings.Fields(parts[len(parts)-1])
		if len(fields) > 1 && len(fields[0]) == 5 && strings.Trim(fields[0], "0123456789") == "" {
			st.CodePostal, fields = fields[0], fields[1:]
		}
		if len(parts) > 1 {
			st.Commune = strings.Join(fields, " ")
		}
	}
	if st.Nom == "" {
		return nil, errors.New("address without name")
	}
	return st, nil
}

// physicalLocation picks the place of an event from its location, which
// peers send as one object or as an array (Gancio mixes Places and
// VirtualLocations): the first physical one wins, as in Gancio. An event
// that is only online has no place in the catalogue and is refused.
func physicalLocation(v any) (map[string]any, error) {
	var candidates []any
	switch v := v.(type) {
	case map[string]any:
		candidates = []any{v}
	case []any:
		candidates = v
	case string:
		return nil, errors.New("event whose location is only a link; an embedded Place is needed")
	}
	virtual := false
	for _, c := range candidates {
		m, ok := c.(map[string]any)
		if !ok {
			continue
		}
		addr, _ := m["address"].(map[string]any)
		if m["type"] == "VirtualLocation" || addr != nil && addr["type"] == "VirtualLocation" {
			virtual = true
			continue
		}
		if _, ok := m["type"]; !ok {
			m["type"] = "Place" // Gancio 1.x sent {"name": …} alone
		}
		return m, nil
	}
	if virtual {
		return nil, errors.New("online event (virtual location only): the catalogue lists events at physical places")
	}
	return nil, errors.New("event without an embedded location")
}

// logKey keys the logger of remoteOf in a context, for the readers of
// remote objects to report what they dropped.
type logKey struct{}

// logDropped logs the values dropped from the remote object id.
func logDropped(ctx context.Context, id string, dropped []string) {
	if l, ok := ctx.Value(logKey{}).(*slog.Logger); ok && len(dropped) > 0 {
		l.Warn("remote object: values dropped", "object", id, "dropped", dropped)
	}
}
