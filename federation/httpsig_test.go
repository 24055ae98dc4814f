package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	testKeyOnce sync.Once
	testKeys    [2]*rsa.PrivateKey
)

// keys returns two RSA keys generated once for the package's tests.
func keys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	testKeyOnce.Do(func() {
		for i := range testKeys {
			k, err := GenerateKey()
			if err != nil {
				panic(err)
			}
			testKeys[i] = k
		}
	})
	return testKeys[0], testKeys[1]
}

const (
	testKeyID = "https://arsenic13.example/actor#main-key"
	testActor = "https://arsenic13.example/actor"
)

// signedRequest is a POST to the inbox of region.example as a peer sends
// it, seen from the receiving server's side.
func signedRequest(t *testing.T, key *rsa.PrivateKey, body []byte, at time.Time) *http.Request {
	t.Helper()
	out, err := http.NewRequest(http.MethodPost, "https://region.example/inbox?x=1", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := Sign(out, testKeyID, key, body, at); err != nil {
		t.Fatal(err)
	}
	in := httptest.NewRequest(http.MethodPost, "/inbox?x=1", bytes.NewReader(body))
	in.Host = "region.example"
	in.Header = out.Header.Clone()
	return in
}

func resolverFor(keys ...*rsa.PrivateKey) (KeyResolver, *[]bool) {
	var calls []bool
	return func(_ context.Context, keyID string, refresh bool) (*rsa.PublicKey, string, error) {
		calls = append(calls, refresh)
		if keyID != testKeyID {
			return nil, "", errors.New("unknown key")
		}
		k := keys[0]
		if refresh && len(keys) > 1 {
			k = keys[1]
		}
		return &k.PublicKey, testActor, nil
	}, &calls
}

func TestSignThenVerify(t *testing.T) {
	key, _ := keys(t)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Create"}`)
	req := signedRequest(t, key, body, now)
	for _, h := range []string{"Date", "Digest", "Signature"} {
		if req.Header.Get(h) == "" {
			t.Errorf("Sign did not set %s", h)
		}
	}
	resolve, _ := resolverFor(key)
	keyID, owner, err := Verify(context.Background(), req, body, resolve, now.Add(time.Minute))
	if err != nil || keyID != testKeyID || owner != testActor {
		t.Fatalf("Verify = %q, %q, %v", keyID, owner, err)
	}
}

func TestVerifyRefusesTampering(t *testing.T) {
	key, other := keys(t)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Create","object":{"name":"EPN"}}`)
	cases := []struct {
		name   string
		at     time.Time // signing time
		body   []byte    // body received
		change func(r *http.Request)
		signer *rsa.PrivateKey
		want   string
	}{
		{name: "no signature", change: func(r *http.Request) { r.Header.Del("Signature") }, want: "no Signature"},
		{name: "other body", body: []byte(`{"type":"Delete"}`), want: "digest does not match"},
		{name: "digest replaced with the new body's", body: []byte(`{"type":"Delete"}`),
			change: func(r *http.Request) { r.Header.Set("Digest", digest([]byte(`{"type":"Delete"}`))) }, want: "does not verify"},
		{name: "other path", change: func(r *http.Request) { r.URL.Path = "/actor/inbox"; r.RequestURI = "/actor/inbox" }, want: "does not verify"},
		{name: "other host", change: func(r *http.Request) { r.Host = "evil.example" }, want: "does not verify"},
		{name: "date changed", change: func(r *http.Request) {
			r.Header.Set("Date", now.Add(time.Minute).Format(http.TimeFormat))
		}, want: "does not verify"},
		{name: "stale", at: now.Add(-13 * time.Hour), want: "too old"},
		{name: "from the future", at: now.Add(2 * time.Hour), want: "in the future"},
		{name: "signed by another key", signer: other, want: "does not verify"},
		{name: "digest not signed", change: func(r *http.Request) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), " digest", "", 1))
		}, want: "digest must be signed"},
		{name: "host not signed", change: func(r *http.Request) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), " host", "", 1))
		}, want: "must be signed"},
		{name: "unknown algorithm", change: func(r *http.Request) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "rsa-sha256", "hmac-sha256", 1))
		}, want: "unsupported algorithm"},
		{name: "garbage", change: func(r *http.Request) { r.Header.Set("Signature", `keyId="x",signature="%%%"`) }, want: "bad signature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			at, signer, got := now, key, body
			if !c.at.IsZero() {
				at = c.at
			}
			if c.signer != nil {
				signer = c.signer
			}
			if c.body != nil {
				got = c.body
			}
			req := signedRequest(t, signer, body, at)
			if c.change != nil {
				c.change(req)
			}
			resolve, _ := resolverFor(key)
			_, _, err := Verify(context.Background(), req, got, resolve, now)
			var se *SignatureError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Verify = %v; want a SignatureError with %q", err, c.want)
			}
		})
	}
}

func TestVerifyRefetchesARotatedKey(t *testing.T) {
	oldKey, newKey := keys(t)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	body := []byte(`{}`)
	req := signedRequest(t, newKey, body, now)
	resolve, calls := resolverFor(oldKey, newKey) // the cache still has the old key
	if _, _, err := Verify(context.Background(), req, body, resolve, now); err != nil {
		t.Fatalf("Verify after rotation: %v", err)
	}
	if len(*calls) != 2 || (*calls)[0] || !(*calls)[1] {
		t.Errorf("resolver calls (refresh) = %v; want [false true]", *calls)
	}
}

func TestVerifyAcceptsPeerDialects(t *testing.T) {
	key, _ := keys(t)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"type":"Follow"}`)
	resolve, _ := resolverFor(key)
	cases := map[string]func(r *http.Request){
		// Fedify and others send hs2019 and several digests.
		"hs2019": func(r *http.Request) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "rsa-sha256", "hs2019", 1))
		},
		"Authorization header": func(r *http.Request) {
			r.Header.Set("Authorization", "Signature "+r.Header.Get("Signature"))
			r.Header.Del("Signature")
		},
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			req := signedRequest(t, key, body, now)
			change(req)
			if _, _, err := Verify(context.Background(), req, body, resolve, now); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

func TestCheckDigestReadsSeveralAlgorithms(t *testing.T) {
	body := []byte(`{"type":"Follow"}`)
	if err := checkDigest("SHA-512=abc, "+digest(body), body); err != nil {
		t.Errorf("several digests: %v", err)
	}
	if err := checkDigest("sha-256="+strings.TrimPrefix(digest(body), "SHA-256="), body); err != nil {
		t.Errorf("lower-case algorithm: %v", err)
	}
	if err := checkDigest("SHA-512=abc", body); err == nil {
		t.Error("a Digest without SHA-256 was accepted")
	}
}

func TestKeysSurviveEncoding(t *testing.T) {
	key, _ := keys(t)
	back, err := DecodePrivateKey(EncodePrivateKey(key))
	if err != nil || !back.Equal(key) {
		t.Fatalf("private key round trip: %v", err)
	}
	pub, err := DecodePublicKey(EncodePublicKey(&key.PublicKey))
	if err != nil || !pub.Equal(&key.PublicKey) {
		t.Fatalf("public key round trip: %v", err)
	}
	if !strings.HasPrefix(EncodePublicKey(&key.PublicKey), "-----BEGIN PUBLIC KEY-----") {
		t.Error("the public key is not PKIX PEM, which Mastodon expects")
	}
	if _, err := DecodePublicKey("not a key"); err == nil {
		t.Error("DecodePublicKey accepted garbage")
	}
}
