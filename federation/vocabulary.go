package federation

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// Incoming documents are read with go-fed's vocabulary, given only what
// it needs of them.

// toType reads a document with go-fed's vocabulary, as any of its types.
// go-fed refuses a document only for its type (absent, unknown, or not
// matching the vocabulary aliases of its @context); a property whose
// value it cannot read is kept as unknown, never an error. So go-fed is
// given the type, what it looks up of the @context, and only props, the
// properties read through it afterwards (all of them when props is nil):
// it would parse the other ones' IRIs and dates, and try embedded objects
// against every type it knows, for nothing. Embedded objects are read by
// whatever handles them (placeFromObject, eventFromObject…).
func toType(ctx context.Context, doc map[string]any, props []string) (vocab.Type, error) {
	return streams.ToType(ctx, asView(doc, props))
}

// readAs is toType for a document expected to be a T (a vocab interface
// such as vocab.ActivityStreamsPlace): go-fed's resolver then has one
// callback to build rather than one per type. A document of another
// ActivityStreams type gives errNotOurs.
func readAs[T vocab.Type](ctx context.Context, doc map[string]any, props []string) (T, error) {
	var t T
	r, err := streams.NewJSONResolver(func(_ context.Context, v T) error {
		t = v
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("federation: readAs[%T]: %v", t, err)) // T is not a type of go-fed's vocabulary
	}
	err = r.Resolve(ctx, asView(doc, props))
	if errors.Is(err, streams.ErrNoCallbackMatch) {
		err = errNotOurs
	}
	return t, err
}

// readActivity is toType for an activity's envelope (activityProps). The
// kinds the inbox acts on are read with a resolver of their callbacks
// only, which go-fed builds and dispatches in half the time ToType takes
// with one per type; other documents, with ToType.
func readActivity(ctx context.Context, doc map[string]any) (vocab.Type, error) {
	var t vocab.Type
	r, err := streams.NewJSONResolver(
		func(_ context.Context, v vocab.ActivityStreamsCreate) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsUpdate) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsDelete) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsFollow) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsUndo) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsAccept) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsReject) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsAnnounce) error { t = v; return nil },
		func(_ context.Context, v vocab.ActivityStreamsFlag) error { t = v; return nil },
	)
	if err != nil {
		panic(fmt.Sprintf("federation: readActivity: %v", err)) // a callback above has a wrong signature
	}
	view := asView(doc, activityProps)
	err = r.Resolve(ctx, view)
	if errors.Is(err, streams.ErrNoCallbackMatch) {
		return streams.ToType(ctx, view)
	}
	return t, err
}

// asView is what go-fed is given of doc (see toType).
func asView(doc map[string]any, props []string) map[string]any {
	c, ok := doc["@context"]
	if !ok {
		c = nsActivityStreams // go-fed needs one; this is what documents without one mean
	}
	aliases := vocabularies(c)
	if props == nil {
		view := make(map[string]any, len(doc))
		for k, v := range doc {
			view[k] = v
		}
		view["@context"] = aliases
		return view
	}
	view := map[string]any{} // at most a few entries: no size hint, which would allocate room for more
	view["@context"] = aliases
	if t, ok := doc["type"]; ok {
		view["type"] = t
	}
	prefix := ""
	if alias, _ := aliases[nsActivityStreams].(string); alias != "" {
		prefix = alias + ":" // go-fed then reads "as:name" rather than "name"
	}
	for _, p := range props {
		if v, ok := doc[p]; ok {
			view[p] = v
		}
		if v, ok := doc[prefix+p]; ok && prefix != "" {
			view[prefix+p] = v
		}
	}
	return view
}

// The properties read through go-fed, by document (see toType).
var (
	activityProps = []string{"id", "href"} // pub.GetId
	eventProps    = []string{"id", "name", "nameMap", "content", "contentMap", "updated", "published"}
	placeProps    = []string{"id", "name", "nameMap", "latitude", "longitude", "updated", "published"}
)

// vocabularyIRIs are the only entries go-fed looks up in the aliases it
// collects from a @context.
var vocabularyIRIs = [...]string{
	nsActivityStreams, "http://www.w3.org/ns/activitystreams",
	"https://forgefed.peers.community/ns", "http://forgefed.peers.community/ns",
	"https://joinmastodon.org/ns", "http://joinmastodon.org/ns",
	nsSecurity, "http://w3id.org/security/v1",
}

// vocabularies is what go-fed collects from a @context, restricted to
// vocabularyIRIs: a vocabulary's URL maps its http and https forms to no
// alias, an inline entry whose value is a URL maps its term to its value
// (go-fed's way round; other inline terms have never been passed on),
// and the entries of a list are merged in order. go-fed walks all of a
// @context on every call: this gives it a map of a few entries rather
// than the dozens of terms (ours, Mobilizon's) it would only skip.
func vocabularies(c any) map[string]any {
	out := map[string]any{}
	collectVocabularies(c, out)
	return out
}

func collectVocabularies(c any, out map[string]any) {
	switch c := c.(type) {
	case []any:
		for _, e := range c {
			collectVocabularies(e, out)
		}
	case map[string]any:
		for _, iri := range vocabularyIRIs { // rather than walk all the terms
			if s, ok := c[iri].(string); ok && (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")) {
				out[iri] = s
			}
		}
	case string:
		var http, https string
		switch {
		case strings.HasPrefix(c, "http://"):
			http, https = c, "https"+strings.TrimPrefix(c, "http")
		case strings.HasPrefix(c, "https://"):
			http, https = "http"+strings.TrimPrefix(c, "https"), c
		default:
			if isVocabularyIRI(c) {
				out[c] = ""
			}
			return
		}
		for _, iri := range []string{http, https} {
			if isVocabularyIRI(iri) {
				out[iri] = ""
			}
		}
	}
}

func isVocabularyIRI(s string) bool {
	for _, iri := range vocabularyIRIs {
		if s == iri {
			return true
		}
	}
	return false
}
