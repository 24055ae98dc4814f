package catalogue

import (
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
)

// MaxEventDuration is the longest an occurrence may last.
const MaxEventDuration = 31 * 24 * time.Hour

// descriptionPolicy keeps the limited HTML an event description may carry:
// paragraphs, emphasis, lists and links, never scripts, styles or images.
var descriptionPolicy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "blockquote")
	p.AllowStandardURLs()
	p.AllowAttrs("href").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}()

// SanitizeHTML removes from s every element and attribute a description may
// not carry.
func SanitizeHTML(s string) string {
	return descriptionPolicy.Sanitize(s)
}

// Normalize tidies an event before it is validated and stored: it trims
// text, sanitises the description, writes enumerated values in their
// canonical spelling, sets the default status and drops the "RRULE:"
// prefix of a recurrence.
func (e *Event) Normalize() {
	e.Nom = strings.TrimSpace(CleanText(e.Nom))
	e.Description = strings.TrimSpace(SanitizeHTML(CleanText(e.Description)))
	e.Lieu = strings.TrimSpace(CleanText(e.Lieu))
	e.Etape = e.Etape.normalize()
	e.Inscription = strings.TrimSpace(CleanText(e.Inscription))
	e.Services = canonicalList(Services, e.Services)
	e.Publics = canonicalPublics(e.Publics)
	e.Frais = canonicalList(Frais, e.Frais)
	switch enumKey(e.Statut) {
	case "", "prevu", "scheduled", "confirmed":
		e.Statut = StatusScheduled
	case "annule", "cancelled", "canceled":
		e.Statut = StatusCancelled
	}
	r := strings.ToUpper(strings.TrimSpace(CleanText(e.Recurrence)))
	e.Recurrence = strings.TrimSpace(strings.TrimPrefix(r, "RRULE:"))
}

// canonicalPublics reads publics from both lists of the standard.
func canonicalPublics(values []string) []string {
	var out []string
	for _, v := range cleanList(values) {
		if PrisesEnCharge.CanonicalAll(v) != nil {
			out = append(out, canonicalList(PrisesEnCharge, []string{v})...)
		} else {
			out = append(out, canonicalList(Publics, []string{v})...)
		}
	}
	return cleanList(out)
}

// Validate checks an event. It returns nil or a *ValidationError.
func (e *Event) Validate() error {
	bad := problems{}
	bad.checkUTF8([]field{{"nom", e.Nom}, {"description", e.Description}, {"lieu", e.Lieu}, {"inscription", e.Inscription}, {"recurrence", e.Recurrence}},
		[]listField{{"services", e.Services}, {"publics", e.Publics}, {"frais_a_charge", e.Frais}})
	bad.required("nom", e.Nom)
	bad.maxLen("nom", e.Nom, maxShortText)
	bad.maxLen("description", e.Description, maxLongText)
	if e.Etape == nil {
		bad.required("lieu", e.Lieu)
	} else {
		if e.Lieu == "" {
			bad.add("lieu", "champ obligatoire : le lieu (ou l'unité mobile) qui organise l'événement à cette adresse")
		}
		e.Etape.validate(bad)
	}
	switch {
	case e.Debut.IsZero():
		bad.add("debut", "champ obligatoire (date et heure RFC 3339, ex. 2026-03-04T14:00:00+01:00)")
	case e.Fin.IsZero():
		bad.add("fin", "champ obligatoire (date et heure RFC 3339, ex. 2026-03-04T16:00:00+01:00)")
	case !e.Fin.After(e.Debut):
		bad.add("fin", "doit être après le début")
	case e.Fin.Sub(e.Debut) > MaxEventDuration:
		bad.add("fin", "un événement dure au plus 31 jours ; pour une activité régulière, utilisez « recurrence »")
	}
	bad.url("inscription", e.Inscription)
	if e.Capacite != nil && *e.Capacite < 0 {
		bad.add("capacite", "doit être positive ou nulle")
	}
	bad.enum(Services, e.Services)
	for _, v := range e.Publics {
		if !Publics.Has(v) && !PrisesEnCharge.Has(v) {
			bad.add("publics", "valeur inconnue « %s » (valeurs admises : %s ; %s)", v,
				strings.Join(Publics.Values, " ; "), strings.Join(PrisesEnCharge.Values, " ; "))
		}
	}
	bad.enum(Frais, e.Frais)
	if e.Statut != StatusScheduled && e.Statut != StatusCancelled {
		bad.add("statut", "valeur inconnue « %s » (valeurs admises : prevu ; annule)", e.Statut)
	}
	if e.Recurrence != "" {
		if err := checkRecurrence(e.Recurrence); err != "" {
			bad.add("recurrence", "%s", err)
		}
	}
	return bad.err()
}
