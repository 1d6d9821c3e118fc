package web

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/bench/synth"
	"github.com/vigie-network/vigie/sqlite"
)

// checkSiteLinks opens every page of an offline copy from disk and checks
// that every link and resource it names is a file of the copy.
func checkSiteLinks(t testing.TB, dir string) (pages int) {
	t.Helper()
	attr := regexp.MustCompile(`\b(?:href|src)="([^"]*)"`)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "<form") {
			t.Errorf("%s has a form, which needs a server", p)
		}
		for _, m := range attr.FindAllStringSubmatch(string(b), -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			u, err := url.Parse(link)
			if err != nil {
				t.Errorf("%s: bad link %q", p, link)
				continue
			}
			switch {
			case u.Scheme != "" || link == "" || strings.HasPrefix(link, "#"):
				continue // another site, mailto:, tel:, or this page
			case strings.HasPrefix(link, "/"):
				t.Errorf("%s: absolute link %q", p, link)
				continue
			}
			target := filepath.Join(filepath.Dir(p), filepath.FromSlash(u.Path))
			if st, err := os.Stat(target); err != nil || st.IsDir() {
				t.Errorf("%s: link %q leads to nothing (%v)", p, link, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func TestSiteOpensFromDisk(t *testing.T) {
	s, _ := testSite(t)
	dir := filepath.Join(t.TempDir(), "site")
	calls := 0
	stats, err := s.WriteSite(context.Background(), dir, func(done, known int) {
		calls++
		if done > known {
			t.Errorf("progress %d of %d", done, known)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stats.Broken) > 0 {
		t.Errorf("links to missing pages: %v", stats.Broken)
	}
	if calls != stats.Pages+stats.Files+len(stats.Broken) {
		t.Errorf("%d progress calls for %d pages and %d files", calls, stats.Pages, stats.Files)
	}
	for _, f := range []string{"index.html", "fr/index.html", "es/index.html", "countries/mali/index.html",
		"fr/countries/mali/index.html", "es/countries/niger/index.html", "indicators/age-of-consent/index.html",
		"es/indicators/index.html", "news/" + featuredSlug + "/index.html", "fr/publications/index.html",
		"organisations/index.html", "news/q-country-mali.html", "fr/organisations/q-country-mali.html",
		"countries/mali/news.atom"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("the copy lacks %s", f)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "fr/countries/mali/index.html"))
	page := string(b)
	for _, want := range []string{`<html lang="fr">`, `href="../../../static/vigie.`, `href="../../indicators/age-of-consent/index.html"`,
		`hreflang="es" href="../../../es/countries/mali/index.html"`, "Âge du consentement"} {
		if !strings.Contains(page, want) {
			t.Errorf("the French page of Mali lacks %s", want)
		}
	}
	// The downloads, written straight to their files, are what the site serves.
	for _, f := range []string{"data/vigie.json", "data/vigie.csv.zip", "data/vigie.xlsx"} {
		copied, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		resp, served := get(t, s, "/"+f)
		if resp.StatusCode != 200 || !bytes.Equal(copied, served) {
			t.Errorf("the copy's %s (%d bytes) is not what the site serves (%d, %d bytes)", f, len(copied), resp.StatusCode, len(served))
		}
	}
	if strings.Contains(page, `id="tell-us"`) {
		t.Error("the offline page of Mali offers to tell us of a change, which needs a server")
	}
	b, _ = os.ReadFile(filepath.Join(dir, "es/search/index.html"))
	if !strings.Contains(string(b), "copia sin conexión") {
		t.Error("the offline search page does not say that searching needs the online site")
	}
	if n := checkSiteLinks(t, dir); n != stats.Pages {
		t.Errorf("walked %d pages, wrote %d", n, stats.Pages)
	}
	if _, err := s.WriteSite(context.Background(), dir, nil); err == nil {
		t.Error("writing into a folder that is not empty")
	}
}

func TestSiteFileNames(t *testing.T) {
	for u, want := range map[string]string{
		"/":                         "index.html",
		"/fr/":                      "fr/index.html",
		"/countries/mali":           "countries/mali/index.html",
		"/news?country=mali&page=2": "news/q-country-mali-page-2.html",
		"/static/vigie.abc.css":     "static/vigie.abc.css",
		"/countries/mali/news.atom": "countries/mali/news.atom",
	} {
		if got := siteFile(u); got != want {
			t.Errorf("siteFile(%q) = %q, want %q", u, got, want)
		}
	}
	// relativeLink gives the links filepath.Rel would.
	files := []string{"index.html", "fr/index.html", "countries/mali/index.html", "countries/mali/news.atom",
		"countries/malian/index.html", "countries/index.html", "fr/countries/mali/index.html", "news/q-country-mali.html",
		"static/vigie.abc.css", "data/vigie.json", "fr/news/q-country-mali-page-2.html"}
	for _, from := range files {
		for _, to := range files {
			rel, _ := filepath.Rel(path.Dir(from), to)
			if got := relativeLink(from, to); got != filepath.ToSlash(rel) {
				t.Errorf("relativeLink(%q, %q) = %q, want %q", from, to, got, rel)
			}
		}
	}
	if got := path.Clean("a/../b"); got != "b" {
		t.Error(got)
	}
}

var fullSite = struct {
	once sync.Once
	dir  string
	err  error
}{}

// BenchmarkSite writes the whole public site of the full synthetic
// dataset (bench/synth at scale 1: 249 countries × 9 indicators with 20
// revisions each, 500 organisations, 100 publications, 300 news items) in
// three languages. VIGIE_BENCH_SITE_DB names a database to use instead of
// writing one (a copy of the one an earlier run left in the temporary
// folder, say), which keeps its writing out of CPU profiles.
func BenchmarkSite(b *testing.B) {
	fullSite.once.Do(func() {
		if os.Getenv("VIGIE_BENCH_SITE_DB") != "" {
			return
		}
		fullSite.dir, fullSite.err = os.MkdirTemp("", "vigie-site-bench")
		if fullSite.err != nil {
			return
		}
		st, err := sqlite.Open(context.Background(), filepath.Join(fullSite.dir, "vigie.db"))
		if err != nil {
			fullSite.err = err
			return
		}
		defer st.Close()
		_, fullSite.err = synth.Generate(context.Background(), st, synth.Options{Scale: 1})
	})
	if fullSite.err != nil {
		b.Fatal(fullSite.err)
	}
	db := filepath.Join(fullSite.dir, "vigie.db")
	if dir := os.Getenv("VIGIE_BENCH_SITE_DB"); dir != "" {
		db = dir // a synthetic database written by an earlier run
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	s := New(vigie.NewService(st), nil)
	var stats SiteStats
	for b.Loop() {
		dir := b.TempDir()
		out := filepath.Join(dir, "site")
		if stats, err = s.WriteSite(context.Background(), out, nil); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(out)
	}
	b.ReportMetric(float64(stats.Pages), "pages")
	b.ReportMetric(float64(stats.Bytes)/1e6, "MB")
}
