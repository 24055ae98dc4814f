package uitest

// End-to-end tests in a real headless Chromium, driven with chromedp: the
// search, the orientation sheet, keyboard-only use and an axe-core audit
// of every public page. They skip when Chromium (or, for the audit,
// testdata/axe/node_modules) is missing, and fail instead in CI (CI=true).
// scripts/test.sh installs both.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/catalogue/sample"
	"github.com/maillage/maillage/ui"
)

// missing skips a test for want of a tool, or fails it in CI.
func Missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
}

func ChromiumPath() string {
	if p := os.Getenv("MAILLAGE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium for one test and returns the context
// of its tab, which ends after three minutes.
func NewBrowser(t *testing.T) context.Context {
	t.Helper()
	return NewBrowserFor(t, 3*time.Minute)
}

// NewBrowserFor is NewBrowser for a test that may take up to d, such as
// a whole person's path on a loaded machine.
func NewBrowserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		Missing(t, "chromium is not installed (apt-get install chromium, or set MAILLAGE_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "fr-FR"),
		// No request leaves the machine, whatever a page asks for (the
		// maps' default tiles are OpenStreetMap's): only the loopback
		// test servers resolve.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTime := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return ctx
}

// seenRequest is a request as the server received it.
type SeenRequest struct {
	Method, URI, Body string
	Header            http.Header
}

// requestLog keeps every request the server receives.
type RequestLog struct {
	Mu   sync.Mutex
	Seen []SeenRequest
	Next http.Handler
}

func (rec *RequestLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.Mu.Lock()
	rec.Seen = append(rec.Seen, SeenRequest{Method: r.Method, URI: r.RequestURI, Body: string(body), Header: r.Header.Clone()})
	rec.Mu.Unlock()
	rec.Next.ServeHTTP(w, r)
}

// browserInstance is an instance with a few hundred sample places and the
// Marseille fixtures, its map tiles asked of itself (no request leaves
// the machine), and a log of the requests it receives.
func BrowserInstance(t *testing.T) (*Instance, *RequestLog) {
	t.Helper()
	in := NewInstance(t)
	rec := &RequestLog{Next: ui.New(ui.Config{Store: in.Store, Logger: QuietLog, Now: func() time.Time { return in.Now },
		TileURL: in.Srv.URL + "/tuiles/{z}/{x}/{y}.png"})}
	in.Srv.Config.Handler = rec
	places := sample.Places(300, 1)
	for _, p := range places {
		p.Normalize()
	}
	if err := in.Store.CreatePlaces(places); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(places))
	for i, p := range places {
		ids[i] = p.ID
	}
	if err := in.Store.CreateEvents(sample.Events(ids, 300, in.Now, 1)); err != nil {
		t.Fatal(err)
	}
	in.Marseille()
	return in, rec
}

func CDPRun[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func CDPDo(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// axeViolation is one rule axe-core found broken, with the elements.
type AxeViolation struct {
	ID, Impact, Help string
	Nodes            []string
}

// AxeSource is axe-core's script, from the npm package locked in this
// package's testdata/axe (scripts/test.sh installs it). It fails the test
// (or skips it outside CI) when the package is missing.
func AxeSource(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	src, err := os.ReadFile(filepath.Join(filepath.Dir(file), "testdata/axe/node_modules/axe-core/axe.min.js"))
	if err != nil {
		Missing(t, "axe-core is not installed: run npm ci in ui/internal/uitest/testdata/axe ("+err.Error()+")")
	}
	return string(src)
}
