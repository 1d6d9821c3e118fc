package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
	"github.com/vigie-network/vigie/sqlite"
)

// Fixtures are built in Go through the store's own writes, on a real SQLite
// database in a temporary directory. The Mali profile carries the facts of
// the reference page in Vigie's own words; the Niger profile carries hostile
// input and no real facts.

const featuredSlug = "public-opinion-urgent-legislation"

const maliExplanation = "Under Article 22 of the Code of Criminal Procedure, Malian courts can try citizens for every SEC-related offence of the Penal Code committed abroad. " +
	"For offences punished as crimes (five years of prison or more), double criminality is not required.\n" +
	"For trafficking, Articles 16 and 17 of the Law on Trafficking in Persons give both active and passive extraterritorial jurisdiction, again without double criminality.\n\n" +
	"Whether every SEC-related offence allows extradition is unclear, since the law sets no minimum gravity. " +
	"Art. 244 of the Code of Criminal Procedure appears to require double criminality for extradition."

const maliFirstSentence = "Under Article 22 of the Code of Criminal Procedure, Malian courts can try citizens for every SEC-related offence of the Penal Code committed abroad."

// Hostile input, as an attacker would type it into any text field.
const (
	xssScript = `<script>alert(1)</script>`
	xssAttr   = `"><img src=x onerror=alert(1)>`
	xssLink   = `[x](javascript:alert(1))`
	xssHref   = `<a href="javascript:alert(1)">y</a>`
)

var xssMarkdown = strings.Join([]string{
	xssScript,
	"",
	"Text " + xssAttr + " more text.",
	xssLink + " and " + xssHref + " and <IMG SRC=\"jav&#x09;ascript:alert(1)\">",
	"[ok](https://example.org/ok) <iframe src=\"https://example.org\"></iframe> <svg onload=alert(1)>",
	"",
	"# A heading in an explanation",
	"",
	"<div onclick=\"alert(1)\" style=\"color:red\">styled</div>",
}, "\n")

func update(t testing.TB, st vigie.Store, fn func(context.Context, vigie.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := st.Update(ctx, func(tx vigie.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

var fixtureChange = vigie.Change{Author: "fixture", Reason: "test data", At: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}

func law(title, identifier string, year, statusAsOf int) vigie.Source {
	return vigie.Source{Kind: vigie.SourceLaw, Title: title, Identifier: identifier, Year: year, StatusAsOf: statusAsOf}
}

// seedMali writes the reference page's facts.
func seedMali(t testing.TB, st vigie.Store) {
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		story := &vigie.NewsItem{
			Slug:    featuredSlug,
			Title:   "Public Opinion is Clear: Urgent Legislation Required to Protect Children from Sexual Exploitation!",
			Date:    time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC),
			Summary: "A survey finds that most people want stronger laws against the sexual exploitation of children.",
			Body:    "Most people asked want their governments to act.\nThey expect new laws soon.",
		}
		if _, err := vigie.MergeNewsItem(ctx, tx, story); err != nil {
			return err
		}
		if _, err := vigie.FeatureStory(ctx, tx, featuredSlug); err != nil {
			return err
		}
		org := &vigie.Organisation{
			Country: "ML",
			Name:    "Association Contre l’Exploitation Sexuelle des Enfants au Mali",
			Acronym: "ACESEM",
			Description: "ACESEM was the first non-profit in Mali devoted to ending every form of sexual exploitation of children. " +
				"Former staff of ECPAT Luxembourg set it up in December 2018.\n\n" +
				"Based in Bamako, it also works in the Segou and Sikasso regions and hopes to reach more of the country. " +
				"Its work covers prevention, protection and the rehabilitation of child victims.",
			Founded:     vigie.AsOf{Year: 2018, Month: 12},
			OfficeCity:  "Bamako",
			Regions:     []string{"Segou", "Sikasso"},
			AreasOfWork: []string{"prevention", "protection", "rehabilitation"},
			Contacts:    []vigie.Contact{{Name: "Boubacar Hassane", Title: "Executive Director", Phone: "+22377084023"}},
		}
		if _, err := vigie.MergeOrganisation(ctx, tx, org); err != nil {
			return err
		}
		pub := &vigie.Publication{
			Title: "Mali – Country Monitoring Report", Type: vigie.PubCountryReport, Year: 2017,
			Publishers: []string{"ECPAT International"}, Countries: []string{"ML"}, Language: "en",
		}
		if _, err := vigie.MergePublication(ctx, tx, pub); err != nil {
			return err
		}
		a := vigie.Assessment{
			Country: "ML", Indicator: "extraterritoriality-extradition", Rating: vigie.RatingNotRated,
			Explanation: maliExplanation,
			AsOf:        vigie.AsOf{Year: 2021},
			Citations: []vigie.Citation{
				{Source: law("Code of Criminal Procedure of Mali", "", 2001, 2021), Articles: "Art. 22, 244"},
				{Source: law("Penal Code of Mali", "", 2001, 2016)},
				{Source: law("Law nº 2012-023 on Trafficking in Persons", "Law nº 2012-023", 2012, 0), Articles: "Art. 16, 17"},
			},
		}
		_, _, err := tx.SaveAssessment(ctx, a, fixtureChange)
		return err
	})
}

// seedHostile fills Niger's profile with hostile input in every free-text
// field the page shows. Its facts are invented.
func seedHostile(t testing.TB, st vigie.Store) {
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		org := &vigie.Organisation{
			Country:     "NE",
			Name:        xssAttr,
			Acronym:     xssScript,
			Description: xssScript + " " + xssLink + "\n\n" + xssHref,
			OfficeCity:  xssAttr,
			Regions:     []string{xssScript},
			AreasOfWork: []string{xssLink},
			Website:     `https://example.org/"><script>alert(1)</script>`,
			Contacts: []vigie.Contact{{
				Name:    xssScript,
				Title:   xssAttr,
				Email:   "press@example.org", // hostile addresses do not pass validation
				Address: xssLink + " " + xssHref,
			}},
		}
		if _, err := vigie.MergeOrganisation(ctx, tx, org); err != nil {
			return err
		}
		pub := &vigie.Publication{
			Title: xssScript + " report", Type: vigie.PubResearch, Year: 2020,
			Publishers: []string{xssAttr}, Countries: []string{"NE"},
			Link: `https://example.org/r?"><script>alert(1)</script>`,
		}
		if _, err := vigie.MergePublication(ctx, tx, pub); err != nil {
			return err
		}
		sixteen := 16
		a := vigie.Assessment{
			Country: "NE", Indicator: "age-of-consent", Rating: vigie.RatingYes, Value: &sixteen,
			Explanation: "Invented for tests.\n\n" + xssMarkdown,
			AsOf:        vigie.AsOf{Year: 2020, Month: 5},
			Citations: []vigie.Citation{{Source: vigie.Source{
				Kind: vigie.SourcePublication, Title: xssScript + " checklist", Publisher: xssAttr, Year: 2020,
				Link: "https://example.org/checklist"}}},
		}
		if _, _, err := tx.SaveAssessment(ctx, a, fixtureChange); err != nil {
			return err
		}
		// Written, but still "not yet assessed": must not count as assessed.
		draft := vigie.Assessment{Country: "NE", Indicator: "csam-definition", Rating: vigie.RatingNotYetAssessed,
			Explanation: "Research has started."}
		if _, _, err := tx.SaveAssessment(ctx, draft, fixtureChange); err != nil {
			return err
		}
		story := &vigie.NewsItem{
			Slug: "hostile-story", Title: xssScript + " " + xssAttr, Summary: xssAttr,
			Date: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), Body: xssMarkdown, Countries: []string{"NE"},
		}
		_, err := vigie.MergeNewsItem(ctx, tx, story)
		return err
	})
}

// seedFullProfile gives Mali everything a busy profile has: every indicator
// assessed at length with three sources, several organisations and
// contacts, reports and news. It is the page-weight worst case.
func seedFullProfile(t testing.TB, st vigie.Store) {
	seedMali(t, st)
	prose := newProse()
	paragraph := func() string { return prose.paragraph(90) }
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		inds, err := tx.Indicators(ctx)
		if err != nil {
			return err
		}
		for i, ind := range inds {
			a := vigie.Assessment{Country: "ML", Indicator: ind.Key, Rating: vigie.RatingPartial,
				Explanation: maliExplanation + "\n\n" + paragraph() + "\n\n" + paragraph() + "\n\n" + paragraph(),
				AsOf:        vigie.AsOf{Year: 2021, Month: 6},
				Citations: []vigie.Citation{
					{Source: law("Code of Criminal Procedure of Mali", "", 2001, 2021), Articles: fmt.Sprintf("Art. %d, %d", 20+i, 240+i)},
					{Source: law("Penal Code of Mali", "", 2001, 2016), Articles: fmt.Sprintf("Art. %d", 300+i)},
					{Source: vigie.Source{Kind: vigie.SourcePublication, Title: "Mali – Country Monitoring Report",
						Publisher: "ECPAT International", Year: 2017, Link: "https://example.org/reports/mali-2017.pdf"}},
				},
			}
			if ind.ValueKind == vigie.ValueYears {
				a.Value = new(int)
				*a.Value = 15
			}
			if _, _, err := tx.SaveAssessment(ctx, a, fixtureChange); err != nil {
				return err
			}
		}
		for i := range 3 {
			org := &vigie.Organisation{Country: "ML", Name: fmt.Sprintf("Partner Organisation Number %d for Children", i+1),
				Acronym: fmt.Sprintf("PON%d", i+1), Description: paragraph(), Founded: vigie.AsOf{Year: 2010 + i},
				OfficeCity: "Bamako", Regions: []string{"Kayes", "Mopti", "Segou"}, AreasOfWork: []string{"prevention", "advocacy"},
				Website: "https://example.org/partner",
				Contacts: []vigie.Contact{
					{Name: "First Contact", Title: "Director", Phone: "+22377084023", Email: "director@example.org", Address: "Rue 123, Bamako"},
					{Name: "Second Contact", Title: "Programme Officer", Email: "programmes@example.org"},
				}}
			if _, err := vigie.MergeOrganisation(ctx, tx, org); err != nil {
				return err
			}
		}
		for i := range 5 {
			pub := &vigie.Publication{Title: fmt.Sprintf("Mali – Legal Checklist, volume %d", i+1), Type: vigie.PubLegalChecklist,
				Year: 2015 + i, Publishers: []string{"ECPAT International", "ACESEM"}, Countries: []string{"ML"},
				Link: "https://example.org/reports/checklist.pdf"}
			if _, err := vigie.MergePublication(ctx, tx, pub); err != nil {
				return err
			}
		}
		for i := range 12 {
			n := &vigie.NewsItem{Slug: fmt.Sprintf("mali-news-%d", i), Title: fmt.Sprintf("A news story from Mali, number %d, with a long title", i),
				Date: time.Date(2024, time.Month(i+1), 3, 0, 0, 0, 0, time.UTC), Summary: "What happened, in a sentence or two, for readers in a hurry.",
				Body: paragraph(), Countries: []string{"ML"}}
			if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
				return err
			}
		}
		return nil
	})
}

// testSite is a server on a store seeded with both profiles.
func testSite(t testing.TB) (*Server, *sqlite.Store) {
	t.Helper()
	st := testdb.SQLite(t)
	seedMali(t, st)
	seedHostile(t, st)
	return serverOn(st, nil), st
}

// get serves one request and returns the response with its body read.
func get(t testing.TB, h http.Handler, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// page fetches path, expects status and parses the HTML.
func page(t testing.TB, h http.Handler, path string, status int) *goquery.Document {
	t.Helper()
	res, body := get(t, h, path)
	if res.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d\n%s", path, res.StatusCode, status, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// textOf is a selection's text with whitespace collapsed.
func textOf(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}

// prose writes varied, English-like filler, so that the page-weight test
// compresses like real text rather than like a repeated sentence.
type prose struct {
	rnd   *rand.Rand
	words []string
}

func newProse() *prose {
	var words []string
	for _, ind := range vigie.DefaultIndicators() {
		words = append(words, strings.Fields(strings.ToLower(ind.Rationale))...)
	}
	words = append(words, strings.Fields(strings.ToLower(maliExplanation))...)
	return &prose{rnd: rand.New(rand.NewPCG(1, 2)), words: words}
}

func (p *prose) paragraph(n int) string {
	var b strings.Builder
	start := true
	for i := range n {
		w := strings.Trim(p.words[p.rnd.IntN(len(p.words))], ".,;:()")
		if start {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		b.WriteString(w)
		start = p.rnd.IntN(12) == 0 || i == n-1
		if start {
			b.WriteString(". ")
		} else {
			b.WriteByte(' ')
		}
	}
	return strings.TrimSpace(b.String())
}

// readOnlyStore lets the in-memory and failing readers of these tests
// stand where the server expects a store.
type readOnlyStore struct{ vigie.Reader }

func (readOnlyStore) Update(context.Context, func(vigie.Tx) error) error {
	return errors.New("read-only test store")
}
func (readOnlyStore) Close() error { return nil }

// serverOn builds a server on r; a nil logger discards.
func serverOn(r vigie.Reader, logger *slog.Logger) *Server {
	store, ok := r.(vigie.Store)
	if !ok {
		store = readOnlyStore{r}
	}
	return New(vigie.NewService(store), logger)
}
