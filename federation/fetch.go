package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/maillage/maillage/storage"
)

// actorCacheTTL is how long a fetched actor or key is trusted before it is
// fetched again.
const actorCacheTTL = 24 * time.Hour

// statusError is a fetch answered with another status than 200.
type statusError struct {
	iri  string
	code int
}

func (e *statusError) Error() string { return fmt.Sprintf("fetch %s: status %d", e.iri, e.code) }

// gone reports whether err says the document was deleted (410) or is not
// there (404).
func gone(err error) bool {
	var se *statusError
	return errors.As(err, &se) && (se.code == http.StatusGone || se.code == http.StatusNotFound)
}

// get fetches an ActivityPub document with a signed GET, waiting for one
// of the hostFetches slots of its host (errBusy after hostWait).
func (s *Service) get(ctx context.Context, iri string) (map[string]any, error) {
	release, err := s.keys.slot(ctx, hostOf(iri))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", iri, err)
	}
	defer release()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, iri, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", ContentType+`, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	if err := Sign(req, s.keyID, s.key, nil, s.now()); err != nil {
		return nil, err
	}
	resp, body, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", iri, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &statusError{iri: iri, code: resp.StatusCode}
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", iri, err)
	}
	return doc, nil
}

// post delivers an activity to an inbox with a signed POST. It returns the
// response status, or an error when the request could not be made.
func (s *Service) post(ctx context.Context, inbox string, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", ContentType)
	if err := Sign(req, s.keyID, s.key, body, s.now()); err != nil {
		return nil, err
	}
	resp, _, err := s.client.Do(req)
	return resp, err
}

// str reads a string, or the id of an embedded object, from a document.
func str(doc map[string]any, key string) string {
	switch v := doc[key].(type) {
	case string:
		return v
	case map[string]any:
		id, _ := v["id"].(string)
		return id
	case []any:
		if len(v) > 0 {
			if s, ok := v[0].(string); ok {
				return s
			}
		}
	}
	return ""
}

// fetchActor returns a remote actor, from the cache when fresh.
func (s *Service) fetchActor(ctx context.Context, iri string, refresh bool) (storage.RemoteActor, error) {
	a, _, err := s.cachedActor(ctx, iri, refresh)
	return a, err
}

// cachedActor is a remote actor with its parsed public key (nil when it
// has none or it is unreadable).
type cachedActor struct {
	actor storage.RemoteActor
	key   *rsa.PublicKey
}

// cachedActor returns a remote actor and its key, from memory, the store
// or the network, whichever is fresh first.
func (s *Service) cachedActor(ctx context.Context, iri string, refresh bool) (storage.RemoteActor, *rsa.PublicKey, error) {
	if !refresh {
		if a, key, ok := s.knownActor(iri); ok {
			return a, key, nil
		}
	}
	a, err := s.fetchActorDoc(ctx, iri)
	if err != nil {
		return a, nil, err
	}
	return a, s.remember(a), nil
}

// remember keeps a in the memory cache and returns its parsed key.
func (s *Service) remember(a storage.RemoteActor) *rsa.PublicKey {
	key, _ := DecodePublicKey(a.PublicKeyPEM)
	s.actors.Store(a.ID, cachedActor{actor: a, key: key})
	return key
}

// fetchActorDoc fetches an actor from its server and stores it.
func (s *Service) fetchActorDoc(ctx context.Context, iri string) (storage.RemoteActor, error) {
	doc, err := s.get(ctx, iri)
	if err != nil {
		return storage.RemoteActor{}, err
	}
	a, err := s.actorFromDoc(ctx, doc)
	if err != nil {
		return storage.RemoteActor{}, err
	}
	if a.ID != iri {
		return storage.RemoteActor{}, fmt.Errorf("actor %s answers id %s", iri, a.ID)
	}
	return a, s.store.PutActor(a)
}

// actorFromDoc reads an actor document with go-fed's vocabulary.
func (s *Service) actorFromDoc(ctx context.Context, doc map[string]any) (storage.RemoteActor, error) {
	if _, ok := doc["@context"]; !ok {
		doc["@context"] = nsActivityStreams
	}
	t, err := streams.ToType(ctx, doc)
	if err != nil {
		return storage.RemoteActor{}, fmt.Errorf("unreadable actor: %w", err)
	}
	a := storage.RemoteActor{Type: t.GetTypeName(), Fetched: s.now()}
	if id := t.GetJSONLDId(); id != nil && id.Get() != nil {
		a.ID = id.Get().String()
	}
	type actorLike interface {
		GetActivityStreamsInbox() vocab.ActivityStreamsInboxProperty
		GetActivityStreamsName() vocab.ActivityStreamsNameProperty
		GetActivityStreamsPreferredUsername() vocab.ActivityStreamsPreferredUsernameProperty
		GetActivityStreamsOutbox() vocab.ActivityStreamsOutboxProperty
		GetW3IDSecurityV1PublicKey() vocab.W3IDSecurityV1PublicKeyProperty
	}
	actor, ok := t.(actorLike)
	if !ok || a.ID == "" {
		return storage.RemoteActor{}, errors.New("not an actor")
	}
	if in := actor.GetActivityStreamsInbox(); in != nil && in.GetIRI() != nil {
		a.Inbox = in.GetIRI().String()
	}
	if out := actor.GetActivityStreamsOutbox(); out != nil && out.GetIRI() != nil {
		a.Outbox = out.GetIRI().String()
	}
	if n := actor.GetActivityStreamsName(); n != nil && n.Len() > 0 && n.At(0).IsXMLSchemaString() {
		a.Name = n.At(0).GetXMLSchemaString()
	}
	if pu := actor.GetActivityStreamsPreferredUsername(); pu != nil && pu.IsXMLSchemaString() {
		a.PreferredUsername = pu.GetXMLSchemaString()
	}
	if pk := actor.GetW3IDSecurityV1PublicKey(); pk != nil {
		for it := pk.Begin(); it != pk.End(); it = it.Next() {
			k := it.Get()
			if k == nil || k.GetJSONLDId() == nil || k.GetW3IDSecurityV1PublicKeyPem() == nil {
				continue
			}
			a.KeyID = k.GetJSONLDId().Get().String()
			a.PublicKeyPEM = k.GetW3IDSecurityV1PublicKeyPem().Get()
			break
		}
	}
	if ep, ok := doc["endpoints"].(map[string]any); ok {
		a.SharedInbox, _ = ep["sharedInbox"].(string)
	}
	a.Places, _ = doc["places"].(string)
	a.Events, _ = doc["events"].(string)
	for _, iri := range []string{a.Inbox, a.SharedInbox, a.Outbox, a.KeyID, a.Places, a.Events} {
		if iri != "" && hostOf(iri) != hostOf(a.ID) {
			return storage.RemoteActor{}, fmt.Errorf("actor %s points to another host: %s", a.ID, iri)
		}
	}
	if a.Inbox == "" {
		return storage.RemoteActor{}, fmt.Errorf("actor %s has no inbox", a.ID)
	}
	return a, nil
}

// resolveHandle turns "handle@host" or an actor URL into an actor IRI.
func (s *Service) resolveHandle(ctx context.Context, target string) (string, error) {
	target = strings.TrimPrefix(strings.TrimSpace(target), "@")
	if strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://") {
		return target, nil
	}
	handle, host, ok := strings.Cut(target, "@")
	if !ok || handle == "" || host == "" || strings.ContainsAny(host, "/?#@") {
		return "", fmt.Errorf("adresse « %s » illisible : attendu nom@hôte ou l'URL d'un acteur", target)
	}
	scheme := "https"
	if s.cfg.AllowPrivate {
		scheme = "http" // local networks and tests rarely have certificates
	}
	wf := scheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+handle+"@"+host)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, wf, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Accept", "application/jrd+json")
	resp, body, err := s.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("WebFinger %s : %w", host, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("WebFinger %s : statut %d", host, resp.StatusCode)
	}
	var jrd struct {
		Links []struct{ Rel, Type, Href string }
	}
	if err := json.Unmarshal(body, &jrd); err != nil {
		return "", fmt.Errorf("WebFinger %s : %w", host, err)
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && (strings.Contains(l.Type, "activity+json") || strings.Contains(l.Type, "ld+json")) {
			return l.Href, nil
		}
	}
	return "", fmt.Errorf("WebFinger %s : aucun acteur ActivityPub pour %s", host, target)
}
