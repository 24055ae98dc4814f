package federation

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HTTP signatures as the fediverse uses them (draft-cavage-http-signatures
// version 12, the dialect of Mastodon, Mobilizon, Gancio and Fedify): RSA
// keys, rsa-sha256 or hs2019, a Digest header over the body. go-fed's
// httpsig package signs the same way but verifies against the Host header,
// which Go's server moves out of the header map, and cannot check the date
// or the digest; this file is small enough to own.

// Signature windows: how old a request may be and how far in the future
// its date may lie (clock skew), as Mastodon accepts them.
const (
	maxSignatureAge  = 12 * time.Hour
	maxSignatureSkew = time.Hour
	keyBits          = 2048
)

// SignatureError says why an incoming request's signature was refused.
// Err is the key resolver's error, when that is the reason.
type SignatureError struct {
	Reason string
	Err    error
}

func (e *SignatureError) Error() string { return "signature: " + e.Reason }

func (e *SignatureError) Unwrap() error { return e.Err }

func sigErr(format string, args ...any) error {
	return &SignatureError{Reason: fmt.Sprintf(format, args...)}
}

// KeyResolver returns the public key named by keyID and the actor owning
// it. refresh asks to bypass caches (the key may have been rotated).
type KeyResolver func(ctx context.Context, keyID string, refresh bool) (*rsa.PublicKey, string, error)

// Sign adds Date, Host, Digest (when there is a body or the method is POST)
// and Signature headers to req.
func Sign(req *http.Request, keyID string, key *rsa.PrivateKey, body []byte, now time.Time) error {
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	if req.Host == "" {
		req.Host = req.URL.Host
	}
	headers := []string{"(request-target)", "host", "date"}
	if body != nil || req.Method == http.MethodPost {
		req.Header.Set("Digest", digest(body))
		headers = append(headers, "digest")
	}
	signing, err := signingString(req, headers, 0, 0)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return err
	}
	req.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"`,
		keyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}

func digest(body []byte) string {
	sum := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
}

// signature is a parsed Signature header.
type signature struct {
	keyID, algorithm string
	headers          []string
	sig              []byte
	created, expires int64
}

func parseSignature(h string) (signature, error) {
	var s signature
	h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "Signature "))
	for h != "" {
		name, rest, ok := strings.Cut(h, "=")
		if !ok {
			return s, sigErr("malformed Signature header")
		}
		name = strings.ToLower(strings.TrimSpace(name))
		var value string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return s, sigErr("unterminated value for %s", name)
			}
			value, rest = rest[1:1+end], rest[2+end:]
		} else {
			value, rest, _ = strings.Cut(rest, ",")
			rest = "," + rest
		}
		h = strings.TrimLeft(rest, ", ")
		var err error
		switch name {
		case "keyid":
			s.keyID = value
		case "algorithm":
			s.algorithm = strings.ToLower(value)
		case "headers":
			s.headers = strings.Fields(strings.ToLower(value))
		case "signature":
			s.sig, err = base64.StdEncoding.DecodeString(value)
		case "created":
			s.created, err = strconv.ParseInt(value, 10, 64)
		case "expires":
			s.expires, err = strconv.ParseInt(value, 10, 64)
		}
		if err != nil {
			return s, sigErr("bad %s: %v", name, err)
		}
	}
	if s.keyID == "" || len(s.sig) == 0 {
		return s, sigErr("keyId or signature missing")
	}
	if len(s.headers) == 0 {
		s.headers = []string{"date"} // the draft's default
	}
	return s, nil
}

// signingString builds the string a signature covers.
func signingString(req *http.Request, headers []string, created, expires int64) (string, error) {
	var b strings.Builder
	for i, h := range headers {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(h)
		b.WriteString(": ")
		switch h {
		case "(request-target)":
			target := req.RequestURI
			if target == "" || strings.Contains(target, "://") {
				target = req.URL.RequestURI()
			}
			b.WriteString(strings.ToLower(req.Method) + " " + target)
		case "(created)":
			if created == 0 {
				return "", sigErr("(created) signed but absent")
			}
			b.WriteString(strconv.FormatInt(created, 10))
		case "(expires)":
			if expires == 0 {
				return "", sigErr("(expires) signed but absent")
			}
			b.WriteString(strconv.FormatInt(expires, 10))
		case "host":
			host := req.Host
			if host == "" {
				host = req.Header.Get("Host")
			}
			b.WriteString(host)
		default:
			values := req.Header.Values(h)
			if len(values) == 0 {
				return "", sigErr("signed header %q absent", h)
			}
			for j, v := range values {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strings.TrimSpace(v))
			}
		}
	}
	return b.String(), nil
}

// Verify checks the signature of an incoming request whose body has been
// read into body. It requires (request-target), host and a date (Date or
// (created)) to be signed, the date to be recent, and for requests with a
// body the Digest to be signed and to match. When the signature does not
// verify with the cached key, the key is asked for again once, with
// refresh set: the actor may have rotated it. A resolver error ends there.
// It returns the key id and the actor owning the key.
func Verify(ctx context.Context, req *http.Request, body []byte, resolve KeyResolver, now time.Time) (keyID, owner string, err error) {
	h := req.Header.Get("Signature")
	if h == "" {
		if auth := req.Header.Get("Authorization"); strings.HasPrefix(auth, "Signature ") {
			h = auth
		}
	}
	if h == "" {
		return "", "", sigErr("no Signature header")
	}
	s, err := parseSignature(h)
	if err != nil {
		return "", "", err
	}
	switch s.algorithm {
	case "", "rsa-sha256", "hs2019":
	default:
		return "", "", sigErr("unsupported algorithm %q", s.algorithm)
	}
	signed := map[string]bool{}
	for _, name := range s.headers {
		signed[name] = true
	}
	if !signed["(request-target)"] || !signed["host"] {
		return "", "", sigErr("(request-target) and host must be signed")
	}
	if err := checkDate(req, s, signed, now); err != nil {
		return "", "", err
	}
	if len(body) > 0 || req.Method == http.MethodPost {
		if !signed["digest"] {
			return "", "", sigErr("digest must be signed")
		}
		if err := checkDigest(req.Header.Get("Digest"), body); err != nil {
			return "", "", err
		}
	}
	signing, err := signingString(req, s.headers, s.created, s.expires)
	if err != nil {
		return "", "", err
	}
	sum := sha256.Sum256([]byte(signing))
	for _, refresh := range []bool{false, true} {
		pub, actor, err := resolve(ctx, s.keyID, refresh)
		if err != nil {
			return "", "", &SignatureError{Reason: fmt.Sprintf("key %s: %v", s.keyID, err), Err: err}
		}
		if rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], s.sig) == nil {
			return s.keyID, actor, nil
		}
	}
	return "", "", sigErr("does not verify with key %s", s.keyID)
}

func checkDate(req *http.Request, s signature, signed map[string]bool, now time.Time) error {
	var at time.Time
	switch {
	case signed["(created)"]:
		at = time.Unix(s.created, 0)
	case signed["date"]:
		d, err := http.ParseTime(req.Header.Get("Date"))
		if err != nil {
			return sigErr("unreadable Date header")
		}
		at = d
	default:
		return sigErr("date or (created) must be signed")
	}
	if now.Sub(at) > maxSignatureAge {
		return sigErr("request dated %s is too old", at.UTC().Format(time.RFC3339))
	}
	if at.Sub(now) > maxSignatureSkew {
		return sigErr("request dated %s is in the future", at.UTC().Format(time.RFC3339))
	}
	if s.expires != 0 && signed["(expires)"] && now.Unix() > s.expires {
		return sigErr("signature expired")
	}
	return nil
}

// checkDigest accepts a Digest header listing several algorithms as long
// as its SHA-256 matches.
func checkDigest(header string, body []byte) error {
	want := strings.TrimPrefix(digest(body), "SHA-256=")
	for _, part := range strings.Split(header, ",") {
		alg, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && strings.EqualFold(alg, "SHA-256") {
			if value != want {
				return sigErr("digest does not match the body")
			}
			return nil
		}
	}
	return sigErr("no SHA-256 digest")
}

// GenerateKey makes the instance actor's key pair.
func GenerateKey() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, keyBits) }

// EncodePrivateKey encodes a key as PKCS#8 PEM.
func EncodePrivateKey(k *rsa.PrivateKey) string {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err) // cannot fail for an RSA key
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// DecodePrivateKey reads a PKCS#8 or PKCS#1 PEM private key.
func DecodePrivateKey(s string) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return rk, nil
}

// EncodePublicKey encodes a public key as PKIX PEM, as actors publish it.
func EncodePublicKey(k *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic(err) // cannot fail for an RSA key
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// DecodePublicKey reads a PKIX or PKCS#1 PEM public key.
func DecodePublicKey(s string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if k, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	rk, ok := k.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return rk, nil
}
