package web

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	vigie "github.com/vigie-network/vigie"
)

// Accessibility and small screens in a real browser (issue #6): every
// page type, in English, French and Spanish, goes through axe-core's WCAG
// 2.1 A and AA rules inside Debian's Chromium and must have no violation,
// and must not scroll sideways at 320 CSS pixels. axe-core (MPL-2.0)
// comes from npm at test time (`npm pack`), or from VIGIE_AXE_JS, a path
// to axe.min.js; nothing of it is committed.

// axeVersion is the axe-core release the tests run.
const axeVersion = "4.11.4"

var axeScript = struct {
	once sync.Once
	src  string
	err  error
}{}

// loadAxe returns axe.min.js, from VIGIE_AXE_JS or fetched with npm pack
// into a temporary folder.
func loadAxe(t *testing.T) string {
	t.Helper()
	axeScript.once.Do(func() {
		if p := os.Getenv("VIGIE_AXE_JS"); p != "" {
			b, err := os.ReadFile(p)
			axeScript.src, axeScript.err = string(b), err
			return
		}
		dir, err := os.MkdirTemp("", "vigie-axe")
		if err != nil {
			axeScript.err = err
			return
		}
		defer os.RemoveAll(dir)
		cmd := exec.Command("npm", "pack", "--silent", "axe-core@"+axeVersion)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			axeScript.err = fmt.Errorf("npm pack axe-core@%s: %v\n%s", axeVersion, err, out)
			return
		}
		axeScript.src, axeScript.err = readFromTarball(filepath.Join(dir, strings.TrimSpace(lastLine(string(out)))), "package/axe.min.js")
	})
	if axeScript.err != nil {
		t.Fatalf("axe-core: %v (set VIGIE_AXE_JS to a copy of axe.min.js to run without npm)", axeScript.err)
	}
	return axeScript.src
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func readFromTarball(tgz, name string) (string, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			return "", fmt.Errorf("%s in %s: %w", name, tgz, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			return string(b), err
		}
	}
}

// browser starts Debian's Chromium for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("VIGIE_TEST_BROWSER") != "1" {
		t.Skip("set VIGIE_TEST_BROWSER=1 to run the browser tests (needs /usr/bin/chromium, and npm or VIGIE_AXE_JS for axe-core)")
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("allow-file-access-from-files", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// newTab opens a tab that lives until the test ends: its first run has no
// deadline, since a tab lives as long as the context of that run.
func newTab(t *testing.T, parent context.Context, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	c, cancel := chromedp.NewContext(parent, opts...)
	t.Cleanup(cancel)
	if err := chromedp.Do(c); err != nil {
		t.Fatal(err)
	}
	return c
}

type axeResult struct {
	Violations []struct {
		ID, Impact, Help string
		Nodes            []struct {
			Target []any
			HTML   string
		}
	}
}

// axeAndWidth loads url at 320 CSS pixels wide and returns axe's
// violations and whether the page scrolls sideways.
func axeAndWidth(t *testing.T, tab context.Context, url, axe string) (problems []string) {
	t.Helper()
	step, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	err := chromedp.Do(step,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			// The site forbids scripts; axe is the test's, not the page's.
			_, err := cdp.Call(ctx, tg, cdppage.SetBypassCSP, cdppage.SetBypassCSPParams{Enabled: true})
			return err
		}),
		chromedp.EmulateViewport(320, 640, chromedp.EmulateMobile),
		chromedp.Navigate(url),
		chromedp.WaitReady(chromedp.CSS("body")),
	)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	wide, err := chromedp.Run(step, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`))
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	if wide {
		who, _ := chromedp.Run(step, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest(".table-wrap,.grid-wrap,.vh,.skip,.skip-map")).slice(0, 3).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right) + "px").join(", ")`))
		problems = append(problems, "scrolls sideways at 320px: "+who)
	}
	if _, err := chromedp.Run(step, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("inject axe: %v", err)
	}
	res, err := chromedp.Run(step, chromedp.Evaluate[axeResult](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}, resultTypes: ["violations"]})`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: axe.run: %v", url, err)
	}
	for _, v := range res.Violations {
		var where []string
		for i, n := range v.Nodes {
			if i == 3 {
				where = append(where, fmt.Sprintf("and %d more", len(v.Nodes)-3))
				break
			}
			where = append(where, fmt.Sprint(n.Target)+" "+n.HTML)
		}
		problems = append(problems, fmt.Sprintf("axe %s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(where, "; ")))
	}
	return problems
}

// TestAxeEveryPageType runs axe-core on every page type in the three
// languages, signed out and, for the editors' pages, signed in.
func TestAxeEveryPageType(t *testing.T) {
	ctx := browser(t)
	axe := loadAxe(t)
	e := newEditorsSite(t)
	seedHostile(t, e.st)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("rui@example.org", vigie.RoleReviewer)
	e.addUser("ada@example.org", vigie.RoleAdmin)
	ts := httptest.NewServer(e.srv)
	defer ts.Close()

	public := []string{"/", "/countries", "/countries/mali", "/countries/niger", "/indicators",
		"/indicators/extraterritoriality-extradition", "/compare?c=ml,ne", "/changes", "/search?q=court",
		"/publications", "/publications/" + pubSlug(t, e.st), "/news", "/news/" + featuredSlug,
		"/organisations", "/organisations/" + orgSlug(t, e.st), "/login", "/data", "/no-such-page"}
	public = append(public, "/countries/mali/extraterritoriality-extradition/history")
	public = append(public, pagedLists(t, e.st, e.srv)...)
	// Signed in as an admin, who sees every page of the workspace.
	editors := []string{"/edit", "/edit/countries/mali/extraterritoriality-extradition", "/edit/review",
		"/edit/translations", "/edit/translations/fr/assessment/ML/extraterritoriality-extradition",
		"/edit/indicators/extraterritoriality-extradition", "/edit/stale", "/edit/reports",
		"/edit/organisations", "/edit/organisations/new", "/edit/publications/new", "/edit/news", "/edit/news/new",
		"/edit/featured", "/edit/framework", "/edit/users", "/edit/audit",
		"/countries/mali/extraterritoriality-extradition/history"}

	tab := newTab(t, ctx)
	check := func(t *testing.T, tab context.Context, paths []string) {
		for _, lang := range []string{"", "/fr", "/es"} {
			for _, p := range paths {
				url := ts.URL + lang + p
				if lang != "" && p == "/" {
					url = ts.URL + lang + "/"
				}
				for _, problem := range axeAndWidth(t, tab, url, axe) {
					t.Errorf("%s: %s", lang+p, problem)
				}
			}
		}
	}
	t.Run("public", func(t *testing.T) { check(t, tab, public) })
	t.Run("editors", func(t *testing.T) {
		admin := e.login("ada@example.org")
		for _, lang := range []string{"", "/fr", "/es"} {
			for _, p := range editors {
				admin.page(lang+p, http.StatusOK) // checked, not an error page
			}
		}
		ed := newTab(t, ctx, chromedp.WithNewBrowserContext())
		step, cancelStep := context.WithTimeout(ed, 30*time.Second)
		defer cancelStep()
		if err := chromedp.Do(step,
			chromedp.Navigate(ts.URL+"/login"),
			chromedp.SendKeys(chromedp.ID("email"), "ada@example.org"),
			chromedp.SendKeys(chromedp.ID("password"), testPassword),
			chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
			chromedp.WaitVisible(chromedp.CSS("header .session")),
		); err != nil {
			t.Fatal(err)
		}
		check(t, ed, editors)
	})
}

func pubSlug(t *testing.T, st vigie.Store) string {
	list, err := st.Publications(context.Background(), vigie.PublicationFilter{})
	if err != nil || len(list) == 0 {
		t.Fatalf("no publication: %v", err)
	}
	return list[0].Slug
}

func orgSlug(t *testing.T, st vigie.Store) string {
	list, err := st.Organisations(context.Background(), vigie.OrganisationFilter{Country: "ML"})
	if err != nil || len(list) == 0 {
		t.Fatalf("no organisation: %v", err)
	}
	return list[0].Slug
}

// TestBrowserSiteFromDisk opens an offline copy written by WriteSite from
// file:// and follows its links, as a reader with a USB stick would.
func TestBrowserSiteFromDisk(t *testing.T) {
	ctx := browser(t)
	s, _ := testSite(t)
	dir := filepath.Join(t.TempDir(), "site")
	if _, err := s.WriteSite(context.Background(), dir, nil); err != nil {
		t.Fatal(err)
	}
	tab := newTab(t, ctx)
	step, cancelStep := context.WithTimeout(tab, 60*time.Second)
	defer cancelStep()
	run := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(step, actions...); err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(step, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(s)
	}
	run(chromedp.Navigate("file://"+filepath.Join(dir, "index.html")), chromedp.WaitVisible(chromedp.CSS("h1")))
	// The stylesheet loaded: the header is dark.
	bg, err := chromedp.Run(step, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("header.site")).backgroundColor`))
	if err != nil || bg != "rgb(18, 50, 79)" {
		t.Errorf("header background %q (%v): the stylesheet did not load from disk", bg, err)
	}
	// Home → French → countries → Mali → an indicator, by clicking.
	run(chromedp.Click(chromedp.CSS(`nav.langs a[hreflang="fr"]`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="fr"] h1`)))
	run(chromedp.Click(chromedp.CSS(`header nav a[href$="countries/index.html"]`)), chromedp.WaitVisible(chromedp.CSS("#region-002")))
	if got := text("h1"); got != "Pays" {
		t.Errorf("French countries page: h1 %q", got)
	}
	run(chromedp.Click(chromedp.CSS(`a[href="mali/index.html"]`)), chromedp.WaitVisible(chromedp.CSS("#indicators")))
	if got := text("h1"); got != "Mali" {
		t.Errorf("h1 %q", got)
	}
	run(chromedp.Click(chromedp.CSS(`#age-of-consent-h a`)), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := text("h1"); got != "Âge du consentement" {
		t.Errorf("indicator page from disk: h1 %q", got)
	}
	loc, _ := chromedp.Run(step, chromedp.Location())
	if !strings.HasPrefix(loc, "file://") || !strings.HasSuffix(loc, "/fr/indicators/age-of-consent/index.html") {
		t.Errorf("location %q", loc)
	}
}
