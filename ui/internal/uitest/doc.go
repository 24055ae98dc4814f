// Package uitest is the harness of the web layer's tests: a real instance
// (a bbolt store in t.TempDir() behind an httptest server running ui.New),
// its JSON API client, a cookie-keeping client for the editors' pages,
// Chromium through chromedp, and the fixtures those tests share. Only
// tests import it.
package uitest

// sessionCookie is the editors' session cookie, as the admin pages set it.
const sessionCookie = "maillage_session"
