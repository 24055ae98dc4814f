package page

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
)

// csrfCookie holds a random value per browser; a form's token is the HMAC
// of it under a key of this process, so a page of another site can
// neither read nor forge it (double-submit cookie, signed).
const csrfCookie = "maillage_csrf"

type CSRFKeys struct{ key []byte }

func NewCSRFKeys() *CSRFKeys {
	k := make([]byte, 32)
	rand.Read(k) // never fails (crypto/rand panics rather than return an error)
	return &CSRFKeys{key: k}
}

func (c *CSRFKeys) Sign(value string) string {
	m := hmac.New(sha256.New, c.key)
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// token returns the token to put in a form, setting the cookie when the
// browser has none. The cookie is Secure when the request came over TLS
// or secure says so (pages.Secure: an https public URL, or a trusted
// proxy's X-Forwarded-Proto).
func (c *CSRFKeys) Token(w http.ResponseWriter, r *http.Request, secure bool) string {
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 16 {
		return c.Sign(ck.Value)
	}
	b := make([]byte, 18)
	rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	http.SetCookie(w, &http.Cookie{
		Name: csrfCookie, Value: v, Path: "/", HttpOnly: true,
		Secure: secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	return c.Sign(v)
}

// check reports whether a POST carries the token of its cookie and, when
// the browser says where it comes from, comes from this site (its host,
// or the host of its public URL base).
func (c *CSRFKeys) Check(r *http.Request, formToken, base string) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	if origin := r.Header.Get("Origin"); origin != "" && origin != "null" {
		u, err := url.Parse(origin)
		b, _ := url.Parse(base)
		if err != nil || u.Host != r.Host && (b == nil || u.Host != b.Host) {
			return false
		}
	}
	ck, err := r.Cookie(csrfCookie)
	if err != nil || len(ck.Value) < 16 || formToken == "" {
		return false
	}
	return hmac.Equal([]byte(c.Sign(ck.Value)), []byte(formToken))
}
