package federation

import (
	"mime"
	"net/http"
	"strings"

	"github.com/go-ap/jsonld"
)

// Well-known IRIs.
const (
	nsActivityStreams = "https://www.w3.org/ns/activitystreams"
	nsSecurity        = "https://w3id.org/security/v1"
	Public            = "https://www.w3.org/ns/activitystreams#Public"
	// Namespace is the IRI prefix of Maillage's own terms: the fields of
	// the national standard that ActivityStreams has no word for.
	Namespace = "https://maillage.github.io/ns#"
)

// ContentType is what Maillage answers for ActivityPub documents.
const ContentType = "application/activity+json"

// standardTerms are the fields of the national standard carried under
// Maillage's namespace, with their names in the standard.
var standardTerms = []string{
	"pivot", "code_insee", "complement_adresse", "typologie", "telephone", "courriels", "site_web",
	"horaires", "presentation_resume", "presentation_detail", "source", "structure_parente", "services",
	"publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
	"dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces",
	"modalites_accompagnement", "itinerance", "fiche_acces_libre", "prise_rdv", "date_maj",
	"champs_intervention", "equipements",
	// Skills (skills.go).
	"competences", "Competence", "code_competence",
	// Events.
	"publics", "inscription", "recurrence", "lieu", "description", "lieu_organisateur",
	// Actor.
	"places", "events",
}

// context is the @context of every document Maillage emits: the
// ActivityStreams and security contexts by URL, every other term defined
// inline, so that it resolves offline.
var ldContext = func() jsonld.Context {
	c := jsonld.Context{
		{IRI: nsActivityStreams},
		{IRI: nsSecurity},
		{Term: "mlg", IRI: Namespace},
		{Term: "sc", IRI: "http://schema.org#"},
		{Term: "ical", IRI: "http://www.w3.org/2002/12/cal/ical#"},
		{Term: "mz", IRI: "https://joinmobilizon.org/ns#"},
		{Term: "toot", IRI: "http://joinmastodon.org/ns#"},
		{Term: "address", IRI: "sc:address"},
		{Term: "PostalAddress", IRI: "sc:PostalAddress"},
		{Term: "streetAddress", IRI: "sc:streetAddress"},
		{Term: "postalCode", IRI: "sc:postalCode"},
		{Term: "addressLocality", IRI: "sc:addressLocality"},
		{Term: "addressCountry", IRI: "sc:addressCountry"},
		{Term: "maximumAttendeeCapacity", IRI: "sc:maximumAttendeeCapacity"},
		{Term: "timezone", IRI: "mz:timezone"},
		{Term: "discoverable", IRI: "toot:discoverable"},
		{Term: "indexable", IRI: "toot:indexable"},
		{Term: "featured", IRI: "toot:featured"},
		{Term: "PropertyValue", IRI: "sc:PropertyValue"},
		{Term: "value", IRI: "sc:value"},
		{Term: "manuallyApprovesFollowers", IRI: "as:manuallyApprovesFollowers"},
	}
	for _, t := range standardTerms {
		c = append(c, jsonld.ContextElement{Term: jsonld.Term(t), IRI: jsonld.IRI("mlg:" + t)})
	}
	return c
}()

// withContext sets Maillage's @context on a document.
func withContext(doc map[string]any) map[string]any {
	doc["@context"] = ldContext
	return doc
}

// WantsActivityPub reports whether a request asks for an ActivityPub
// document rather than a web page.
func WantsActivityPub(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch {
		case mt == "application/activity+json":
			return true
		case mt == "application/ld+json" && (params["profile"] == "" || strings.Contains(params["profile"], nsActivityStreams)):
			return true
		}
	}
	return false
}

// isActivityJSON reports whether a content type names an ActivityPub body.
func isActivityJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "application/activity+json" || mt == "application/ld+json" || mt == "application/json")
}
