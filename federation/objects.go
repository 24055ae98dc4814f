package federation

import (
	"fmt"
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/maillage/maillage/catalogue"
)

// The ActivityStreams part of every object is built with go-fed's typed
// vocabulary, then serialised; the standard's own fields are added under
// Maillage's namespace.

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(fmt.Sprintf("federation: bad IRI %q: %v", s, err)) // our own IRIs are built from a validated base URL
	}
	return u
}

type (
	hasID   interface{ SetJSONLDId(vocab.JSONLDIdProperty) }
	hasName interface {
		SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	}
	hasSummary interface {
		SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
	}
	hasContent interface {
		SetActivityStreamsContent(vocab.ActivityStreamsContentProperty)
	}
	hasURL interface {
		SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	}
	hasTo interface {
		SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	}
	hasCc interface {
		SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
	}
	hasAttributedTo interface {
		SetActivityStreamsAttributedTo(vocab.ActivityStreamsAttributedToProperty)
	}
)

func setID(o hasID, id string) {
	p := streams.NewJSONLDIdProperty()
	p.Set(mustURL(id))
	o.SetJSONLDId(p)
}

func setName(o hasName, s string) {
	p := streams.NewActivityStreamsNameProperty()
	p.AppendXMLSchemaString(s)
	o.SetActivityStreamsName(p)
}

func setSummary(o hasSummary, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsSummaryProperty()
	p.AppendXMLSchemaString(s)
	o.SetActivityStreamsSummary(p)
}

func setContent(o hasContent, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsContentProperty()
	p.AppendXMLSchemaString(s)
	o.SetActivityStreamsContent(p)
}

func setURL(o hasURL, u string) {
	p := streams.NewActivityStreamsUrlProperty()
	p.AppendIRI(mustURL(u))
	o.SetActivityStreamsUrl(p)
}

// setAudience addresses an object to the public, with the followers in cc.
func setAudience(o interface {
	hasTo
	hasCc
}, actor string) {
	to := streams.NewActivityStreamsToProperty()
	to.AppendIRI(mustURL(Public))
	o.SetActivityStreamsTo(to)
	cc := streams.NewActivityStreamsCcProperty()
	cc.AppendIRI(mustURL(actor + "/followers"))
	o.SetActivityStreamsCc(cc)
}

func setAttributedTo(o hasAttributedTo, actor string) {
	p := streams.NewActivityStreamsAttributedToProperty()
	p.AppendIRI(mustURL(actor))
	o.SetActivityStreamsAttributedTo(p)
}

// setPreciseUpdated writes updated with its fraction of a second: peers
// order versions by it, and two edits can fall within one second.
func setPreciseUpdated(m map[string]any, t time.Time) {
	if !t.IsZero() {
		m["updated"] = t.UTC().Format(time.RFC3339Nano)
	}
}

func serialize(t vocab.Type) map[string]any {
	m, err := streams.Serialize(t)
	if err != nil {
		panic(fmt.Sprintf("federation: serialise %s: %v", t.GetTypeName(), err)) // only our own well-formed values reach here
	}
	delete(m, "@context")
	return m
}

// textToHTML turns plain text into escaped HTML paragraphs.
func textToHTML(s string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>")
		}
	}
	return b.String()
}

// PlaceObject is the ActivityPub Place of a catalogue place, without
// @context (see Document).
func PlaceObject(p *catalogue.Place) map[string]any {
	actor := p.Network.Actor
	pl := streams.NewActivityStreamsPlace()
	setID(pl, p.APID)
	setName(pl, p.Nom)
	setURL(pl, p.APID)
	setSummary(pl, p.PresentationResume)
	setContent(pl, textToHTML(p.PresentationDetail))
	setAttributedTo(pl, actor)
	setAudience(pl, actor)
	// An approximate position (its commune's centre) is not sent: another
	// Maillage places the place the same way, other software gets no false
	// precision.
	if p.HasCoordinates() && !p.PositionApproximative {
		lat := streams.NewActivityStreamsLatitudeProperty()
		lat.Set(*p.Latitude)
		pl.SetActivityStreamsLatitude(lat)
		lon := streams.NewActivityStreamsLongitudeProperty()
		lon.Set(*p.Longitude)
		pl.SetActivityStreamsLongitude(lon)
	}
	m := serialize(pl)
	setDates(m, p.Published, p.Updated)
	street := p.Adresse
	if p.ComplementAdresse != "" {
		street += ", " + p.ComplementAdresse
	}
	m["address"] = map[string]any{
		"type": "PostalAddress", "streetAddress": street, "postalCode": p.CodePostal,
		"addressLocality": p.Commune, "addressCountry": "FR",
	}
	fields := map[string]any{
		"pivot": p.Pivot, "code_insee": p.CodeINSEE, "complement_adresse": p.ComplementAdresse,
		"typologie": p.Typologie, "telephone": p.Telephone, "courriels": p.Courriels, "site_web": p.SiteWeb,
		"horaires": p.Horaires, "presentation_resume": p.PresentationResume,
		"presentation_detail": p.PresentationDetail, "source": p.Source, "structure_parente": p.StructureParente,
		"services": p.Services, "publics_specifiquement_adresses": p.Publics,
		"prise_en_charge_specifique": p.PriseEnCharge, "frais_a_charge": p.Frais,
		"dispositif_programmes_nationaux": p.Dispositifs, "formations_labels": p.FormationsLabels,
		"autres_formations_labels": p.AutresLabels, "modalites_acces": p.ModalitesAcces,
		"modalites_accompagnement": p.ModalitesAccompagnement, "itinerance": p.Itinerance,
		"fiche_acces_libre": p.FicheAccesLibre, "prise_rdv": p.PriseRDV, "date_maj": p.DateMaj,
		"champs_intervention": p.ChampsIntervention, "equipements": p.Equipements,
	}
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			if v != "" {
				m[k] = v
			}
		case []string:
			if len(v) > 0 {
				m[k] = v
			}
		}
	}
	if s := skillsToAS(p.Competences); s != nil {
		m["competences"] = s
	}
	return m
}

// EventObject is the ActivityPub Event of a catalogue event at place p,
// shaped like Mobilizon's and Gancio's, without @context.
//
// Microblogging servers make a status of it, each its own way: Mastodon
// shows "<h2>name</h2>", then summary, content and a link to url;
// GoToSocial shows summary as a content warning, with content behind
// "show more". So summary is the card a follower reads without expanding
// anything (EventSummary: title, date and times, place and commune,
// price, how to register), and content the details, with links. A
// cancelled event says so at the start of its name and summary.
func EventObject(e *catalogue.Event, p *catalogue.Place) map[string]any {
	actor := e.Network.Actor
	ev := streams.NewActivityStreamsEvent()
	setID(ev, e.APID)
	setName(ev, EventTitle(e))
	setURL(ev, e.APID)
	setSummary(ev, EventSummary(e, p))
	setAttributedTo(ev, actor)
	setAudience(ev, actor)
	start := streams.NewActivityStreamsStartTimeProperty()
	start.Set(e.Debut.In(catalogue.Paris))
	ev.SetActivityStreamsStartTime(start)
	end := streams.NewActivityStreamsEndTimeProperty()
	end.Set(e.Fin.In(catalogue.Paris))
	ev.SetActivityStreamsEndTime(end)
	mt := streams.NewActivityStreamsMediaTypeProperty()
	mt.Set("text/html")
	ev.SetActivityStreamsMediaType(mt)
	m := serialize(ev)
	setDates(m, e.Published, e.Updated)
	content := eventContent(e, p)
	m["content"] = content
	m["contentMap"] = map[string]string{"fr": content}
	// go-fed writes times in UTC when given a location-less value; keep
	// the Paris offset, as Mobilizon and Gancio do.
	m["startTime"] = e.Debut.In(catalogue.Paris).Format(time.RFC3339)
	m["endTime"] = e.Fin.In(catalogue.Paris).Format(time.RFC3339)
	m["timezone"] = "Europe/Paris"
	switch {
	case e.Etape != nil:
		// A stop is no place of ours: a Place without id, as Mobilizon
		// and Gancio send an address; the place that runs it (a mobile
		// unit) follows under our namespace.
		m["location"] = stopObject(e.Etape)
		if p != nil {
			m["lieu_organisateur"] = PlaceObject(p)
		}
	case p != nil:
		m["location"] = PlaceObject(p)
	}
	status := "CONFIRMED"
	if e.Statut == catalogue.StatusCancelled {
		status = "CANCELLED"
	}
	m["ical:status"] = status
	if e.Capacite != nil {
		m["maximumAttendeeCapacity"] = *e.Capacite
	}
	for k, v := range map[string][]string{"services": e.Services, "publics": e.Publics, "frais_a_charge": e.Frais} {
		if len(v) > 0 {
			m[k] = v
		}
	}
	if e.Description != "" {
		m["description"] = e.Description // as written: content adds the details
	}
	if e.Inscription != "" {
		m["inscription"] = e.Inscription
	}
	if e.Recurrence != "" {
		m["recurrence"] = e.Recurrence
	}
	return m
}

// setDates writes published, set once at the creation and never changed
// (fediverse servers refuse an update whose published moved), and
// updated only after an edit: a status whose updated is there is shown
// as edited. A record from before published was kept is published at
// its last update.
func setDates(m map[string]any, published, updated time.Time) {
	if published.IsZero() {
		published = updated
	}
	published = published.UTC().Truncate(time.Second)
	if !published.IsZero() {
		m["published"] = published.Format(time.RFC3339)
	}
	delete(m, "updated")
	if updated.After(published) {
		setPreciseUpdated(m, updated)
	}
}

// cancelledPrefix starts the name and summary of a cancelled event.
const cancelledPrefix = "ANNULÉ — "

// EventTitle is an event's name as published: a cancelled one says so
// first, so that the line a follower reads first says it.
func EventTitle(e *catalogue.Event) string {
	if e.Statut == catalogue.StatusCancelled {
		return cancelledPrefix + e.Nom
	}
	return e.Nom
}

// eventPrice says what an event costs: its own fees, else its place's.
func eventPrice(e *catalogue.Event, p *catalogue.Place) string {
	fees := e.Frais
	if len(fees) == 0 && p != nil {
		fees = p.Frais
	}
	return strings.Join(fees, ", ")
}

// eventRegistration says how to register: the event's link, else the
// place's telephone or e-mail.
func eventRegistration(e *catalogue.Event, p *catalogue.Place) string {
	switch {
	case e.Inscription != "":
		return e.Inscription
	case p != nil && p.Telephone != "":
		return "au " + p.Telephone
	case p != nil && len(p.Courriels) > 0:
		return p.Courriels[0]
	}
	return "auprès du lieu"
}

// eventWhen is "jeudi 26 novembre 2026, de 14 h 30 à 16 h 30".
func eventWhen(e *catalogue.Event) string {
	var b strings.Builder
	b.WriteString(frenchDate(e.Debut))
	if sameDay(e.Debut, e.Fin) {
		fmt.Fprintf(&b, ", de %s à %s", frenchClock(e.Debut), frenchClock(e.Fin))
	} else {
		fmt.Fprintf(&b, " %s au %s %s", frenchClock(e.Debut), frenchDate(e.Fin), frenchClock(e.Fin))
	}
	if e.Recurrence != "" {
		b.WriteString(" (récurrent)")
	}
	return b.String()
}

// placeLine is "Médiathèque, 1 place de la Mairie 13001 Marseille".
func placeLine(p *catalogue.Place) string {
	return strings.TrimSpace(fmt.Sprintf("%s, %s %s %s", p.Nom, p.Adresse, p.CodePostal, p.Commune))
}

// whereLine is where e takes place, in one line: its stop, with the
// place that runs it ("Salle des fêtes, Place de la Mairie 04300 Mane
// (Bus numérique)"), else its place; "" when neither is known.
func whereLine(e *catalogue.Event, p *catalogue.Place) string {
	switch {
	case e.Etape != nil && p != nil:
		return e.Etape.Line() + " (" + p.Nom + ")"
	case e.Etape != nil:
		return e.Etape.Line()
	case p != nil:
		return placeLine(p)
	}
	return ""
}

// stopObject is the location of an event at a stop: a Place with a
// name, a schema.org PostalAddress and, unless they are only the
// commune's centre, coordinates, and no id (it is no place of the
// catalogue).
func stopObject(st *catalogue.Stop) map[string]any {
	m := map[string]any{"type": "Place", "name": st.Nom, "address": map[string]any{
		"type": "PostalAddress", "streetAddress": st.Adresse, "postalCode": st.CodePostal,
		"addressLocality": st.Commune, "addressCountry": "FR",
	}}
	if st.HasCoordinates() && !st.PositionApproximative {
		m["latitude"], m["longitude"] = *st.Latitude, *st.Longitude
	}
	if st.CodeINSEE != "" {
		m["code_insee"] = st.CodeINSEE
	}
	return m
}

// eventContent is the HTML body of an event: its description, then the
// details with their links, then a link to its page.
func eventContent(e *catalogue.Event, p *catalogue.Place) string {
	var b strings.Builder
	if e.Statut == catalogue.StatusCancelled {
		b.WriteString("<p><strong>Cet atelier est annulé.</strong></p>")
	}
	if d := strings.TrimSpace(e.Description); d != "" && !strings.HasPrefix(d, "<") {
		b.WriteString(textToHTML(d)) // plain text, as the API allows: its paragraphs
	} else {
		b.WriteString(e.Description)
	}
	esc := html.EscapeString
	b.WriteString("<p>Quand : " + esc(eventWhen(e)))
	if where := whereLine(e, p); where != "" {
		b.WriteString("<br>Où : " + esc(where))
	}
	if price := eventPrice(e, p); price != "" {
		b.WriteString("<br>Tarif : " + esc(price))
	}
	if e.Inscription != "" {
		fmt.Fprintf(&b, `<br>Inscription : <a href="%s">%s</a>`, esc(e.Inscription), esc(e.Inscription))
	} else {
		b.WriteString("<br>Inscription : " + esc(eventRegistration(e, p)))
	}
	fmt.Fprintf(&b, `</p><p><a href="%s">Voir l'atelier</a></p>`, esc(e.APID))
	return b.String()
}

var (
	frenchDays   = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frenchMonths = [...]string{"", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"}
)

// frenchDate writes "mercredi 2 décembre 2026".
func frenchDate(t time.Time) string {
	t = t.In(catalogue.Paris)
	return fmt.Sprintf("%s %d %s %d", frenchDays[t.Weekday()], t.Day(), frenchMonths[t.Month()], t.Year())
}

func frenchClock(t time.Time) string {
	t = t.In(catalogue.Paris)
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// EventSummary is the French card of an event, one line that every
// fediverse server shows without expanding anything (GoToSocial as a
// content warning, Mastodon under the name): title, date and times, place
// and commune, price and how to register.
func EventSummary(e *catalogue.Event, p *catalogue.Place) string {
	parts := []string{EventTitle(e), eventWhen(e)}
	if where := whereLine(e, p); where != "" {
		parts = append(parts, where)
	}
	if price := eventPrice(e, p); price != "" {
		parts = append(parts, price)
	}
	parts = append(parts, "Inscription : "+eventRegistration(e, p))
	return strings.Join(parts, " · ")
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.In(catalogue.Paris).Date()
	by, bm, bd := b.In(catalogue.Paris).Date()
	return ay == by && am == bm && ad == bd
}

// Document adds the @context to an object or activity for sending.
func Document(obj map[string]any) map[string]any { return withContext(obj) }

// tombstone is what a deleted object's id answers, with status 410.
func tombstone(id, formerType string, deleted time.Time) map[string]any {
	ts := streams.NewActivityStreamsTombstone()
	setID(ts, id)
	ft := streams.NewActivityStreamsFormerTypeProperty()
	ft.AppendXMLSchemaString(formerType)
	ts.SetActivityStreamsFormerType(ft)
	d := streams.NewActivityStreamsDeletedProperty()
	d.Set(deleted.UTC().Truncate(time.Second))
	ts.SetActivityStreamsDeleted(d)
	return serialize(ts)
}
