package web

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	vigie "github.com/vigie-network/vigie"
)

// The editors' workflow in a real browser: Debian's chromium driven by
// chromedp, against the real server on a temporary SQLite database. One
// browser serves every subtest; each person gets their own browser
// context, so their cookies stay apart.

func TestBrowserEditorsWorkflow(t *testing.T) {
	if os.Getenv("VIGIE_TEST_BROWSER") != "1" {
		t.Skip("set VIGIE_TEST_BROWSER=1 to run the browser tests (needs /usr/bin/chromium)")
	}
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("rui@example.org", vigie.RoleReviewer)
	e.addUser("mo@example.org", vigie.RoleMember, "ML")
	seedHostile(t, e.st) // Niger, another member's country
	ts := httptest.NewServer(e.srv)
	defer ts.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	// tab opens a tab; its first run has no deadline, since the tab lives
	// as long as the context of that run.
	tab := func(t *testing.T, parent context.Context, opts ...chromedp.ContextOption) context.Context {
		t.Helper()
		c, cancel := chromedp.NewContext(parent, opts...)
		t.Cleanup(cancel)
		if err := chromedp.Do(c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	// person opens a browser context of its own: a separate cookie jar.
	person := func(t *testing.T) context.Context {
		return tab(t, browser, chromedp.WithNewBrowserContext())
	}
	run := func(t *testing.T, c context.Context, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		step, cancel := context.WithTimeout(c, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(step, actions...); err != nil {
			t.Fatal(err)
		}
	}
	login := func(t *testing.T, c context.Context, email string) {
		t.Helper()
		run(t, c,
			chromedp.Navigate(ts.URL+"/login"),
			chromedp.SendKeys(chromedp.ID("email"), email),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
			chromedp.WaitVisible(chromedp.CSS("header .session")),
		)
	}
	text := func(t *testing.T, c context.Context, sel string) string {
		t.Helper()
		step, cancel := context.WithTimeout(c, 30*time.Second)
		defer cancel()
		s, err := chromedp.Run(step, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(s), " ")
	}
	const police = "A police unit for crimes against children works in Bamako since 2022."
	ana := person(t) // the researcher's session lasts across subtests

	t.Run("researcher edits and submits", func(t *testing.T) {
		login(t, ana, "ana@example.org")
		run(t, ana,
			chromedp.Navigate(ts.URL+"/edit/countries/mali/sec-police-unit"),
			chromedp.Click(chromedp.CSS(`input[name="rating"][value="partial"]`)),
			chromedp.SetValue(chromedp.ID("explanation"), police),
			chromedp.SendKeys(chromedp.ID("as_of"), "2022"),
			chromedp.SendKeys(chromedp.ID("source_0_title"), "Decree on the Brigade for Minors"),
			chromedp.SendKeys(chromedp.ID("source_0_year"), "2022"),
			chromedp.SendKeys(chromedp.ID("reason"), "decree of 2022"),
			chromedp.Click(chromedp.CSS(`button[value="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".notice.good")),
		)
		if got := text(t, ana, ".notice.good"); !strings.Contains(got, "submitted for review") {
			t.Errorf("after submitting: %q", got)
		}
	})

	t.Run("reviewer publishes and the public sees it", func(t *testing.T) {
		rui := person(t)
		login(t, rui, "rui@example.org")
		run(t, rui,
			chromedp.Navigate(ts.URL+"/edit/review"),
			chromedp.WaitVisible(chromedp.ID("rev-ml-sec-police-unit-1")),
		)
		if got := text(t, rui, "#rev-ml-sec-police-unit-1 .diff .words ins"); !strings.Contains(got, "police unit") {
			t.Errorf("the diff shows %q", got)
		}
		run(t, rui,
			chromedp.SendKeys(chromedp.ID("rev-ml-sec-police-unit-1-comment"), "checked against the decree"),
			chromedp.Click(chromedp.CSS(`#rev-ml-sec-police-unit-1 button[value="publish"]`)),
			chromedp.WaitVisible(chromedp.CSS(".notice.good")),
		)
		public := person(t)
		run(t, public, chromedp.Navigate(ts.URL+"/countries/mali"), chromedp.WaitVisible(chromedp.ID("sec-police-unit")))
		if got := text(t, public, "#sec-police-unit"); !strings.Contains(got, police) || !strings.Contains(got, "Partial") ||
			!strings.Contains(got, "Decree on the Brigade for Minors") {
			t.Errorf("the public page shows %q", got)
		}
	})

	t.Run("stale save in a second tab shows the conflict", func(t *testing.T) {
		tab1, tab2 := tab(t, ana), tab(t, ana) // two tabs, one session
		form := ts.URL + "/edit/countries/mali/extraterritoriality-extradition"
		run(t, tab1, chromedp.Navigate(form), chromedp.WaitVisible(chromedp.ID("explanation")))
		run(t, tab2, chromedp.Navigate(form), chromedp.WaitVisible(chromedp.ID("explanation")))
		run(t, tab1,
			chromedp.SetValue(chromedp.ID("explanation"), "First tab: courts try citizens for offences abroad."),
			chromedp.Click(chromedp.CSS(`button[value="draft"]`)),
			chromedp.WaitVisible(chromedp.CSS(".notice.good")),
		)
		const mine = "Second tab: extradition requires double criminality."
		run(t, tab2,
			chromedp.SetValue(chromedp.ID("explanation"), mine),
			chromedp.Click(chromedp.CSS(`button[value="draft"]`)),
			chromedp.WaitVisible(chromedp.CSS("section.conflict")),
		)
		if got := text(t, tab2, ".conflict .their-text"); got != "First tab: courts try citizens for offences abroad." {
			t.Errorf("their text: %q", got)
		}
		kept, err := chromedp.Run(tab2, chromedp.Value(chromedp.ID("explanation")))
		if err != nil {
			t.Fatal(err)
		}
		if kept != mine {
			t.Errorf("my text in the form: %q", kept)
		}
		if revs := e.revisions("ML", "extraterritoriality-extradition"); len(revs) != 2 {
			t.Errorf("%d revisions after the conflict, want 2", len(revs))
		}
	})

	t.Run("member cannot open another country's form", func(t *testing.T) {
		mo := person(t)
		login(t, mo, "mo@example.org")
		run(t, mo, chromedp.Navigate(ts.URL+"/edit/organisations/new?country=NE"), chromedp.WaitVisible(chromedp.CSS("h1")))
		if got := text(t, mo, "h1"); got != "Not allowed" {
			t.Errorf("another country's form: h1 %q", got)
		}
		run(t, mo, chromedp.Navigate(ts.URL+"/edit/organisations/new?country=ML"), chromedp.WaitVisible(chromedp.ID("name")))
	})

	t.Run("movement report reaches the queue", func(t *testing.T) {
		const change = "The National Assembly passed a law on online child protection in March 2025."
		reader := person(t)
		run(t, reader,
			chromedp.Navigate(ts.URL+"/countries/mali"),
			chromedp.SetValue(chromedp.ID("tell-change"), change),
			chromedp.SendKeys(chromedp.ID("tell-contact"), "reader@example.org"),
			chromedp.Click(chromedp.CSS(`#tell-us button[type="submit"]`)),
			// The form is gone once the thanks page is there (both pages
			// link back to /countries/mali, in the crumbs or the text).
			chromedp.WaitNotPresent(chromedp.ID("tell-change")),
			chromedp.WaitVisible(chromedp.CSS(`main a[href="/countries/mali"]`)),
		)
		if got := text(t, reader, "h1"); got != "Thank you" {
			t.Errorf("after reporting: %q", got)
		}
		researcher := person(t)
		login(t, researcher, "ana@example.org")
		run(t, researcher, chromedp.Navigate(ts.URL+"/edit/reports"), chromedp.WaitVisible(chromedp.CSS("article.report-item")))
		if got := text(t, researcher, "article.report-item"); !strings.Contains(got, change) {
			t.Errorf("the queue shows %q", got)
		}
	})
}
