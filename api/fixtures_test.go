package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// Fixtures are built through the store and the service on a real SQLite
// database in a temporary directory. The facts of the Mali profile come
// from the reference page, in the project's own words.

var ctx = context.Background()

var fixtureTime = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)

func testService(t testing.TB) *vigie.Service {
	t.Helper()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return vigie.NewService(st)
}

// testAPI is the API on a seeded store, its every response validated
// against openapi.json, with a token per role.
type testAPI struct {
	svc     *vigie.Service
	handler http.Handler
	tokens  map[string]string // by role name: admin, researcher, reviewer, member
	users   map[string]vigie.User
}

func newTestAPI(t testing.TB) *testAPI {
	t.Helper()
	svc := testService(t)
	a := &testAPI{svc: svc, handler: validating(t, New(svc, nil)), tokens: map[string]string{}, users: map[string]vigie.User{}}
	for _, u := range []vigie.User{
		{Email: "admin@example.org", Name: "Ada Admin", Role: vigie.RoleAdmin},
		{Email: "ana@example.org", Name: "Ana Researcher", Role: vigie.RoleResearcher},
		{Email: "rui@example.org", Name: "Rui Reviewer", Role: vigie.RoleReviewer},
		{Email: "acesem@example.org", Name: "ACESEM", Role: vigie.RoleMember, Countries: []string{"ML"}},
	} {
		// No password: API tokens do not need one, and hashing is slow.
		if _, err := svc.AddUser(ctx, vigie.CommandLine("test"), &u, ""); err != nil {
			t.Fatal(err)
		}
		tok, err := svc.CreateAPIToken(ctx, vigie.CommandLine("test"), u.Email)
		if err != nil {
			t.Fatal(err)
		}
		a.tokens[string(u.Role)], a.users[string(u.Role)] = tok, u
	}
	seedMali(t, svc.Store)
	return a
}

func update(t testing.TB, st vigie.Store, fn func(vigie.Tx) error) {
	t.Helper()
	if err := st.Update(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func law(title, identifier string, year, statusAsOf int) vigie.Source {
	return vigie.Source{Kind: vigie.SourceLaw, Title: title, Identifier: identifier, Year: year, StatusAsOf: statusAsOf}
}

// seedMali writes the reference page's facts, and a little about Senegal.
func seedMali(t testing.TB, st vigie.Store) {
	change := vigie.Change{Author: "fixture", Reason: "test data", At: fixtureTime}
	update(t, st, func(tx vigie.Tx) error {
		story := &vigie.NewsItem{Slug: "public-opinion-urgent-legislation",
			Title: "Public Opinion is Clear: Urgent Legislation Required to Protect Children from Sexual Exploitation!",
			Date:  time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC), Summary: "Most people surveyed want stronger laws.",
			Body: "Most people asked want their governments to act.", Countries: []string{"ML", "SN"}}
		older := &vigie.NewsItem{Slug: "bamako-workshop", Title: "A workshop in Bamako",
			Date: time.Date(2024, 6, 2, 0, 0, 0, 0, time.UTC), Summary: "Trainers met in Bamako.", Countries: []string{"ML"}}
		for _, n := range []*vigie.NewsItem{story, older} {
			if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
				return err
			}
		}
		if _, err := vigie.FeatureStory(ctx, tx, story.Slug); err != nil {
			return err
		}
		org := &vigie.Organisation{Country: "ML", Name: "Association Contre l’Exploitation Sexuelle des Enfants au Mali",
			Acronym: "ACESEM", Description: "The first non-profit in Mali devoted to ending the sexual exploitation of children.",
			Founded: vigie.AsOf{Year: 2018, Month: 12}, OfficeCity: "Bamako", Regions: []string{"Segou", "Sikasso"},
			AreasOfWork: []string{"prevention", "protection", "rehabilitation"},
			Contacts:    []vigie.Contact{{Name: "Boubacar Hassane", Title: "Executive Director", Phone: "+22377084023"}}}
		if _, err := vigie.MergeOrganisation(ctx, tx, org); err != nil {
			return err
		}
		pub := &vigie.Publication{Title: "Mali – Country Monitoring Report", Type: vigie.PubCountryReport, Year: 2017,
			Publishers: []string{"ECPAT International"}, Countries: []string{"ML"}, Language: "en"}
		regional := &vigie.Publication{Title: "West Africa Overview", Type: vigie.PubRegionalReview, Year: 2020,
			Countries: []string{"ML", "SN"}, Link: "https://example.org/west-africa.pdf"}
		for _, p := range []*vigie.Publication{pub, regional} {
			if _, err := vigie.MergePublication(ctx, tx, p); err != nil {
				return err
			}
		}
		age := 15
		for _, a := range []vigie.Assessment{
			{Country: "ML", Indicator: "extraterritoriality-extradition", Rating: vigie.RatingPartial,
				Explanation: "Courts can try citizens for offences committed abroad.\n\nWhether every offence allows extradition is unclear.",
				AsOf:        vigie.AsOf{Year: 2021},
				Citations: []vigie.Citation{
					{Source: law("Code of Criminal Procedure of Mali", "", 2001, 2021), Articles: "Art. 22, 244"},
					{Source: law("Penal Code of Mali", "", 2001, 2016)},
					{Source: law("Law nº 2012-023 on Trafficking in Persons", "Law nº 2012-023", 2012, 0), Articles: "Art. 16, 17"},
				}},
			{Country: "ML", Indicator: "age-of-consent", Rating: vigie.RatingNo, Value: &age, AsOf: vigie.AsOf{Year: 2012, Month: 5},
				Explanation: "The age is not the same for every act."},
			{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingYes,
				Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourcePublication, Title: "SECTT Legal Checklist Senegal",
					Publisher: "ECPAT International", Year: 2020, Link: "https://example.org/checklist"}}}},
		} {
			if _, _, err := tx.SaveAssessment(ctx, a, change); err != nil {
				return err
			}
		}
		return nil
	})
}

// do serves one request; header is name, value, name, value…
func (a *testAPI) do(t testing.TB, method, path string, body any, header ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	rec := httptest.NewRecorder()
	a.handler.ServeHTTP(rec, req)
	return rec.Result(), rec.Body.Bytes()
}

func (a *testAPI) get(t testing.TB, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	return a.do(t, http.MethodGet, path, nil, header...)
}

// getJSON expects 200 and decodes the body into v.
func (a *testAPI) getJSON(t testing.TB, path string, v any, header ...string) *http.Response {
	t.Helper()
	res, body := a.get(t, path, header...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, body)
	}
	decode(t, body, v)
	return res
}

func (a *testAPI) bearer(role string) string { return "Bearer " + a.tokens[role] }

func decode(t testing.TB, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decoding %s: %v", short(body), err)
	}
}

// expectProblem checks a problem+json answer of status, naming field
// when field is not empty.
func expectProblem(t testing.TB, res *http.Response, body []byte, status int, field string) problem {
	t.Helper()
	var p problem
	if res.StatusCode != status || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("status %d %q, want %d problem+json\n%s", res.StatusCode, res.Header.Get("Content-Type"), status, short(body))
		return p
	}
	decode(t, body, &p)
	if p.Status != status || p.Title == "" || p.Detail == "" {
		t.Errorf("problem %+v", p)
	}
	if field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != field) {
		t.Errorf("problem %+v names %v, want field %q", p, p.Errors, field)
	}
	return p
}

func short(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// revisionCount is how many revisions an assessment has, in any state.
func revisionCount(t testing.TB, svc *vigie.Service, country, indicator string) int {
	t.Helper()
	revs, err := svc.Store.Revisions(ctx, country, indicator)
	if err != nil {
		t.Fatal(err)
	}
	return len(revs)
}
