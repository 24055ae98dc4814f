package uitest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/maillage/maillage/federation"
	"github.com/maillage/maillage/storage"
	"github.com/maillage/maillage/ui"
)

// NetworkInstance is a whole network's instance, as `maillage serve` wires
// it: the pages, the API and the ActivityPub routes, its delivery workers
// running (stopped at cleanup, before the server closes), an admin and an
// editor account, and its name and handle. Its maps ask their tiles of
// itself, so no request leaves the machine. Several of them federate over
// loopback with real signatures; they share the tests' fixed clock.
func NetworkInstance(t *testing.T, name, handle string) (*Instance, *federation.Service) {
	t.Helper()
	in := NewInstance(t)
	if err := in.Store.SetSettings(storage.Settings{Name: name, Handle: handle}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ email, role string }{{AdminEmail, storage.RoleAdmin}, {EditorEmail, storage.RoleEditor}} {
		if err := in.Store.AddUser(u.email, u.role, Password); err != nil {
			t.Fatal(err)
		}
	}
	fed, err := federation.New(federation.Config{Store: in.Store, BaseURL: in.Srv.URL, Logger: QuietLog,
		Now: func() time.Time { return in.Now }, AllowPrivate: true})
	if err != nil {
		t.Fatal(err)
	}
	in.Srv.Config.Handler = ui.New(ui.Config{Store: in.Store, Logger: QuietLog, Now: func() time.Time { return in.Now },
		Federation: fed, TileURL: in.Srv.URL + "/tuiles/{z}/{x}/{y}.png"})
	fed.Start()
	t.Cleanup(fed.Close)
	return in, fed
}

// BrowserLogin logs in to in's /admin through its login form and waits
// for the dashboard.
func BrowserLogin(t *testing.T, ctx context.Context, in *Instance, email string) {
	t.Helper()
	CDPDo(t, ctx,
		chromedp.Navigate(in.Srv.URL+"/admin"),
		chromedp.WaitVisible(chromedp.ID("password")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), Password),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.counts`)),
	)
}

// AxeAudit runs axe-core (src, from AxeSource) on the page shown and
// reports serious and critical violations as errors, others in the log.
func AxeAudit(t *testing.T, ctx context.Context, src, what string) {
	t.Helper()
	const audit = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
			nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))`
	CDPDo(t, ctx, chromedp.Evaluate[chromedp.Void](src))
	found := CDPRun(t, ctx, chromedp.Evaluate[[]AxeViolation](audit, chromedp.EvalAwaitPromise))
	for _, v := range found {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: %s violation %s (%s) at %v", what, v.Impact, v.ID, v.Help, v.Nodes)
		} else {
			t.Logf("%s: %s issue %s (%s) at %v", what, v.Impact, v.ID, v.Help, v.Nodes)
		}
	}
}

// Eventually navigates to path until the page's cond (a JavaScript
// expression) is true, for at most timeout: what another instance sends
// arrives in its own time. It fails the test on timeout.
func Eventually(t *testing.T, ctx context.Context, in *Instance, path, cond string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		CDPDo(t, ctx, chromedp.Navigate(in.Srv.URL+path), chromedp.WaitReady(chromedp.CSS("body")))
		if CDPRun(t, ctx, chromedp.Evaluate[bool](cond)) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, %s still does not show %s", timeout, path, cond)
		}
		time.Sleep(250 * time.Millisecond) // then ask again, as a person would reload
	}
}
