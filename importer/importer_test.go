package importer_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/importer"
	"github.com/vigie-network/vigie/sqlite"
)

var ctx = context.Background()

const (
	maliPage       = "../pageformat/testdata/mali.txt"
	gambiaPage     = "../pageformat/testdata/gambia.txt"
	gambiaPageHTML = "../pageformat/testdata/gambia.html"
)

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestImportReferencePage(t *testing.T) {
	s := openStore(t)
	var log bytes.Buffer
	sum, err := importer.ImportFiles(ctx, s, []string{maliPage}, importer.Options{Author: "test", Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Organisations != 1 || sum.Publications != 1 || sum.Assessments != 1 {
		t.Errorf("summary = %+v\n%s", sum, log.String())
	}

	a, err := s.Assessment(ctx, "ML", "extraterritoriality-extradition")
	if err != nil {
		t.Fatal(err)
	}
	if a.Rating != vigie.RatingNotRated || !strings.HasPrefix(a.Explanation, "Active extraterritoriality is provided") {
		t.Errorf("assessment = %+v", a)
	}
	want := []struct {
		title          string
		year, statusOf int
		articles       string
	}{
		{"Code of Criminal Procedure of Mali", 2001, 2021, "Art. 22, 244"},
		{"Penal Code of Mali", 2001, 2016, ""},
		{"Law nº 2012-023 on Trafficking in Persons", 2012, 0, "Art. 16, 17"},
	}
	if len(a.Citations) != len(want) {
		t.Fatalf("got %d citations, want 3: %+v", len(a.Citations), a.Citations)
	}
	for i, w := range want {
		c := a.Citations[i]
		if c.Source.Kind != vigie.SourceLaw || c.Source.Title != w.title || c.Source.Year != w.year ||
			c.Source.StatusAsOf != w.statusOf || c.Articles != w.articles {
			t.Errorf("citation %d = %+v, want %+v", i, c, w)
		}
	}
	revs, _ := s.Revisions(ctx, "ML", "extraterritoriality-extradition")
	if len(revs) != 1 || revs[0].Author != "test" || revs[0].Reason != "imported from mali.txt" {
		t.Errorf("revisions = %+v", revs)
	}
	// The other eight indicators say "Not Yet Assessed": the default, so no revision.
	if all, _ := s.Assessments(ctx, vigie.AssessmentFilter{Country: "ML"}); len(all) != 1 {
		t.Errorf("%d assessments written, want 1", len(all))
	}

	orgs, _ := s.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"})
	if len(orgs) != 1 || orgs[0].Acronym != "ACESEM" || orgs[0].OfficeCity != "Bamako" ||
		orgs[0].Founded.String() != "2018-12" || len(orgs[0].Contacts) != 1 ||
		orgs[0].Contacts[0].Phone != "+22377084023" || orgs[0].Contacts[0].Address != "" {
		t.Errorf("organisations = %+v", orgs)
	}
	pubs, _ := s.Publications(ctx, vigie.PublicationFilter{Country: "ML"})
	if len(pubs) != 1 || pubs[0].Year != 2017 || pubs[0].Type != vigie.PubCountryReport || pubs[0].Publishers[0] != "ECPAT International" {
		t.Errorf("publications = %+v", pubs)
	}
	featured, err := s.FeaturedStory(ctx)
	if err != nil || !strings.HasPrefix(featured.Title, "Public Opinion is Clear") || strings.Contains(featured.Title, "Read the story") {
		t.Errorf("featured = %+v, %v", featured, err)
	}
}

func TestImportTwiceChangesNothing(t *testing.T) {
	s := openStore(t)
	files := []string{maliPage, gambiaPage}
	if _, err := importer.ImportFiles(ctx, s, files, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	v1, _ := s.DataVersion(ctx)
	sum, err := importer.ImportFiles(ctx, s, files, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v2, _ := s.DataVersion(ctx)
	if sum.Changed() || v2 != v1 {
		t.Errorf("second import changed something: %+v (data version %d → %d)", sum, v1, v2)
	}
	// The same page saved as HTML says the same things.
	sum, err = importer.ImportFiles(ctx, s, []string{gambiaPageHTML}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Changed() {
		t.Errorf("the HTML page differs from the text page: %+v", sum)
	}
	orgs, _ := s.Organisations(ctx, vigie.OrganisationFilter{Country: "GM"})
	pubs, _ := s.Publications(ctx, vigie.PublicationFilter{})
	if len(orgs) != 2 || len(pubs) != 5 {
		t.Errorf("after three imports: %d Gambian organisations (want 2), %d publications (want 5)", len(orgs), len(pubs))
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	s := openStore(t)
	var log bytes.Buffer
	sum, err := importer.ImportFiles(ctx, s, []string{gambiaPage}, importer.Options{DryRun: true, Log: &log})
	if err != nil || !sum.Changed() || !strings.Contains(log.String(), "organisation Kombo Child Rights Network (KCRN)") {
		t.Fatalf("dry run: %+v, %v\n%s", sum, err, log.String())
	}
	if orgs, _ := s.Organisations(ctx, vigie.OrganisationFilter{}); len(orgs) != 0 {
		t.Errorf("dry run wrote %d organisations", len(orgs))
	}
	if v, _ := s.DataVersion(ctx); v != 1 {
		t.Errorf("dry run moved the data version to %d", v)
	}
}

func TestBadFilesWriteNothingAndNameTheLine(t *testing.T) {
	page, err := os.ReadFile(maliPage)
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	lineOf := func(s, needle string) int { return 1 + strings.Count(s[:strings.Index(s, needle)], "\n") }
	cases := []struct {
		name, content, want string
		line                int
	}{
		{"unknown country", strings.Replace(text, "News from Mali", "News from Atlantis", 1), `unknown country "Atlantis"`, lineOf(text, "News from Mali")},
		{"unknown indicator", strings.Replace(text, "SEC Police Unit", "Weather Forecast", 1), "Weather Forecast", lineOf(text, "SEC Police Unit")},
		{"bad phone", strings.Replace(text, "(+223) 77 08 40 23", "call us", 1), "call us", lineOf(text, "(+223) 77 08 40 23")},
		{"empty", "", "", 1},
		{"binary junk", "\x00\x01\x02garbage\xff", "", 1},
		{"truncated", text[:strings.Index(text, "Year: 2017")], "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			path := filepath.Join(t.TempDir(), "page.txt")
			os.WriteFile(path, []byte(tc.content), 0o644)
			_, err := importer.ImportFiles(ctx, s, []string{maliPage, path}, importer.Options{})
			if err == nil {
				t.Fatal("import succeeded")
			}
			msg := err.Error()
			if !strings.Contains(msg, path+":") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q does not name %s and %q", msg, path, tc.want)
			}
			if tc.line > 0 && !strings.Contains(msg, path+":"+strconv.Itoa(tc.line)+":") {
				t.Errorf("error %q does not name line %d", msg, tc.line)
			}
			if v, _ := s.DataVersion(ctx); v != 1 {
				t.Errorf("a failed import wrote something (data version %d)", v)
			}
		})
	}
}

func BenchmarkImportPage(b *testing.B) {
	data, err := os.ReadFile(gambiaPage)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := openStore(b)
		b.StartTimer()
		if _, err := importer.Import(ctx, s, []importer.File{{Name: "gambia.txt", Data: data}}, importer.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
