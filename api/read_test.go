package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

func TestIndex(t *testing.T) {
	a := newTestAPI(t)
	var idx indexJSON
	a.getJSON(t, "/api/v1/", &idx)
	if idx.Countries != "/api/v1/countries" || idx.OpenAPI != "/api/v1/openapi.json" {
		t.Errorf("index = %+v", idx)
	}
}

func TestCountries(t *testing.T) {
	a := newTestAPI(t)
	var pg page[countryJSON]
	res := a.getJSON(t, "/api/v1/countries?limit=500", &pg)
	if len(pg.Items) != 249 || pg.Next != nil || res.Header.Get("Link") != "" {
		t.Fatalf("got %d countries, next %v; want all 249 on one page", len(pg.Items), pg.Next)
	}
	var ml *countryJSON
	for i, c := range pg.Items {
		if i > 0 && pg.Items[i-1].ISO2 >= c.ISO2 {
			t.Fatalf("not sorted by code: %s before %s", pg.Items[i-1].ISO2, c.ISO2)
		}
		if c.ISO2 == "ML" {
			ml = &pg.Items[i]
		}
	}
	if ml == nil {
		t.Fatal("no ML")
	}
	want := countsJSON{Indicators: 9, Assessed: 2, Organisations: 1, Publications: 2, News: 2}
	if ml.ISO3 != "MLI" || ml.Slug != "mali" || ml.Names.FR != "Mali" || ml.Region == nil || ml.Region.Code != "002" ||
		ml.SubRegion == nil || ml.SubRegion.Names.EN != "Western Africa" || ml.Counts != want {
		t.Errorf("ML = %+v, counts want %+v", *ml, want)
	}

	var africa page[countryJSON]
	a.getJSON(t, "/api/v1/countries?region=africa&limit=500", &africa)
	var west page[countryJSON]
	a.getJSON(t, "/api/v1/countries?region=011&limit=500", &west)
	if len(africa.Items) < 50 || len(west.Items) < 10 || len(west.Items) >= len(africa.Items) {
		t.Errorf("Africa has %d countries, Western Africa %d", len(africa.Items), len(west.Items))
	}
	res, body := a.get(t, "/api/v1/countries?region=atlantis")
	expectProblem(t, res, body, http.StatusBadRequest, "region")
}

func TestCountry(t *testing.T) {
	a := newTestAPI(t)
	var ml countryDetailJSON
	a.getJSON(t, "/api/v1/countries/ml", &ml) // any case in the path
	if ml.ISO2 != "ML" || ml.Names.EN != "Mali" || ml.Counts.Assessed != 2 {
		t.Errorf("country = %+v", ml.countryJSON)
	}
	if len(ml.Organisations) != 1 || ml.Organisations[0].Acronym != "ACESEM" || *ml.Organisations[0].Founded != "2018-12" ||
		len(ml.Organisations[0].Contacts) != 1 || ml.Organisations[0].Contacts[0].Phone != "+22377084023" {
		t.Errorf("organisations = %+v", ml.Organisations)
	}
	if len(ml.Publications) != 2 || ml.Publications[0].Title != "West Africa Overview" || ml.Publications[1].TypeName != "Country monitoring report" {
		t.Errorf("publications = %+v", ml.Publications)
	}
	if len(ml.Assessments) != 9 {
		t.Fatalf("got %d assessments, want every indicator", len(ml.Assessments))
	}
	age, ext, csam := ml.Assessments[0], ml.Assessments[1], ml.Assessments[2]
	if age.Indicator != "age-of-consent" || *age.Value != 15 || *age.AsOf != "2012-05" || age.Revision != 1 {
		t.Errorf("age of consent = %+v", age)
	}
	if ext.Rating != "partial" || len(ext.Sources) != 3 || ext.Sources[0].Articles != "Art. 22, 244" || *ext.Sources[1].StatusAsOf != 2016 ||
		ext.Sources[2].Identifier != "Law nº 2012-023" || ext.Sources[2].StatusAsOf != nil || *ext.UpdatedAt != "2025-03-01T10:00:00Z" {
		t.Errorf("extraterritoriality = %+v", ext)
	}
	if csam.Rating != "not-yet-assessed" || csam.Revision != 0 || csam.UpdatedAt != nil || csam.AsOf != nil || len(csam.Sources) != 0 {
		t.Errorf("an unassessed indicator = %+v", csam)
	}
	for _, path := range []string{"/api/v1/countries/XX", "/api/v1/countries/MLI"} {
		res, body := a.get(t, path)
		expectProblem(t, res, body, http.StatusNotFound, "country")
	}
	res, body := a.get(t, "/api/v1/countries/ML?lang=fr")
	expectProblem(t, res, body, http.StatusBadRequest, "lang")
}

func TestIndicators(t *testing.T) {
	a := newTestAPI(t)
	var pg indicatorPage
	a.getJSON(t, "/api/v1/indicators", &pg)
	if len(pg.Items) != 9 || pg.Items[0].Key != "age-of-consent" || *pg.Items[0].ValueKind != "years" || pg.Items[1].ValueKind != nil {
		t.Errorf("indicators = %+v", pg.Items)
	}
	if len(pg.Ratings) != 6 || pg.Ratings[0].Key != "yes" || pg.Ratings[5].Key != "not-yet-assessed" || pg.Ratings[5].Assessed {
		t.Errorf("ratings = %+v", pg.Ratings)
	}
	// Every page carries the whole scale.
	a.getJSON(t, "/api/v1/indicators?limit=4", &pg)
	if len(pg.Items) != 4 || pg.Next == nil || len(pg.Ratings) != 6 {
		t.Errorf("first page of 4: %d items, next %v, %d ratings", len(pg.Items), pg.Next, len(pg.Ratings))
	}
	a.getJSON(t, *pg.Next, &pg)
	if len(pg.Items) != 4 || pg.Items[0].Key != "national-commitments" || len(pg.Ratings) != 6 {
		t.Errorf("second page starts at %s", pg.Items[0].Key)
	}
}

func TestAssessments(t *testing.T) {
	a := newTestAPI(t)
	count := func(query string) (n int, ratings map[string]int) {
		t.Helper()
		ratings = map[string]int{}
		next := "/api/v1/assessments?" + query
		for next != "" {
			var pg page[assessmentJSON]
			a.getJSON(t, next, &pg)
			for _, it := range pg.Items {
				n++
				ratings[it.Rating]++
			}
			next = ""
			if pg.Next != nil {
				next = *pg.Next
			}
		}
		return n, ratings
	}
	if n, r := count("indicator=age-of-consent&limit=500"); n != 249 || r["no"] != 1 || r["not-yet-assessed"] != 248 {
		t.Errorf("age of consent across the world: %d items, %v", n, r)
	}
	if n, _ := count(""); n != 249*9 {
		t.Errorf("the whole grid: %d items, want %d", n, 249*9)
	}
	if n, r := count("rating=partial,yes"); n != 2 || r["partial"] != 1 || r["yes"] != 1 {
		t.Errorf("rating=partial,yes: %d, %v", n, r)
	}
	if n, _ := count("country=ml,SN"); n != 18 {
		t.Errorf("two countries: %d, want 18", n)
	}
	west := 0
	for _, c := range vigie.Countries() {
		if c.SubRegion.Code == "011" {
			west++
		}
	}
	if n, _ := count("region=western-africa&rating=not-yet-assessed&indicator=csam-definition"); n != west-1 {
		t.Errorf("West Africa unassessed CSAM definition: %d, want %d (all but Senegal)", n, west-1)
	}
	var pg page[assessmentJSON]
	a.getJSON(t, "/api/v1/assessments?country=ML&indicator=extraterritoriality-extradition", &pg)
	if len(pg.Items) != 1 || pg.Items[0].CountryNames.EN != "Mali" || len(pg.Items[0].Sources) != 3 {
		t.Errorf("one cell = %+v", pg.Items)
	}

	for _, tt := range []struct{ query, field string }{
		{"rating=maybe", "rating"},
		{"indicator=weather", "indicator"},
		{"country=XX", "country"},
		{"region=narnia", "region"},
		{"as_of=2012-13", "as_of"},
		{"countyr=ML", "countyr"},
		{"limit=0", "limit"},
	} {
		res, body := a.get(t, "/api/v1/assessments?"+tt.query)
		expectProblem(t, res, body, http.StatusBadRequest, tt.field)
	}
}

// TestAssessmentsAsOf views the data as the public saw it at the end of a
// year, month or day. The fixtures were published on 1 March 2025.
func TestAssessmentsAsOf(t *testing.T) {
	a := newTestAPI(t)
	const ind = "extraterritoriality-extradition"
	doc := a.editable(t, "ML", ind)
	doc["rating"], doc["as_of"], doc["submit"] = "yes", "2026-01", true
	if res, body := a.put(t, "ML", ind, doc, `"r1"`, "researcher"); res.StatusCode != http.StatusOK {
		t.Fatalf("submit: %d %s", res.StatusCode, body)
	}
	if res, body := a.publish(t, "ML", ind, 2, "reviewer"); res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d %s", res.StatusCode, body)
	}
	for _, tt := range []struct {
		asOf, rating string
		revision     int
	}{
		{"2024", "not-yet-assessed", 0},
		{"2025-02", "not-yet-assessed", 0},
		{"2025-02-28", "not-yet-assessed", 0},
		{"2025-03-01", "partial", 1},
		{"2025-03", "partial", 1},
		{"2025", "partial", 1},
		{"2199", "yes", 2},
		{"", "yes", 2},
	} {
		var pg page[assessmentJSON]
		a.getJSON(t, "/api/v1/assessments?country=ML&indicator="+ind+"&as_of="+tt.asOf, &pg)
		if len(pg.Items) != 1 || pg.Items[0].Rating != tt.rating || pg.Items[0].Revision != tt.revision {
			t.Errorf("as_of=%s: %+v, want %s at revision %d", tt.asOf, pg.Items, tt.rating, tt.revision)
		}
	}
	// The other filters apply to the state of that date.
	var pg page[assessmentJSON]
	a.getJSON(t, "/api/v1/assessments?as_of=2025&rating=partial", &pg)
	if len(pg.Items) != 1 || pg.Items[0].Country != "ML" || *pg.Items[0].AsOf != "2021" {
		t.Errorf("partial at the end of 2025: %+v", pg.Items)
	}
	for _, bad := range []string{"2025-13", "25", "2025-02-30", "yesterday"} {
		res, body := a.get(t, "/api/v1/assessments?as_of="+bad)
		expectProblem(t, res, body, http.StatusBadRequest, "as_of")
	}
}

func TestAssessment(t *testing.T) {
	a := newTestAPI(t)
	var doc assessmentJSON
	res := a.getJSON(t, "/api/v1/assessments/ml/extraterritoriality-extradition", &doc)
	if res.Header.Get("ETag") != `"r1"` || res.Header.Get("Last-Modified") != "Sat, 01 Mar 2025 10:00:00 GMT" {
		t.Errorf("ETag %q, Last-Modified %q", res.Header.Get("ETag"), res.Header.Get("Last-Modified"))
	}
	if doc.Country != "ML" || doc.Rating != "partial" || *doc.AsOf != "2021" || doc.Revision != 1 || doc.Sources[0].SourceID == 0 {
		t.Errorf("assessment = %+v", doc)
	}
	res = a.getJSON(t, "/api/v1/assessments/ML/public-case-data", &doc)
	if res.Header.Get("ETag") != `"r0"` || res.Header.Get("Last-Modified") != "" || doc.Rating != "not-yet-assessed" {
		t.Errorf("unassessed: ETag %q, %+v", res.Header.Get("ETag"), doc)
	}
	res, body := a.get(t, "/api/v1/assessments/ML/weather")
	expectProblem(t, res, body, http.StatusNotFound, "indicator")
	res, body = a.get(t, "/api/v1/assessments/QQ/age-of-consent")
	expectProblem(t, res, body, http.StatusNotFound, "country")
}

func TestSources(t *testing.T) {
	a := newTestAPI(t)
	var pg page[sourceJSON]
	a.getJSON(t, "/api/v1/sources", &pg)
	if len(pg.Items) != 4 {
		t.Fatalf("got %d sources, want 3 laws and 1 publication: %+v", len(pg.Items), pg.Items)
	}
	var penal sourceJSON
	for _, s := range pg.Items {
		if s.Title == "Penal Code of Mali" {
			penal = s
		}
	}
	if penal.Kind != "law" || *penal.Year != 2001 || *penal.StatusAsOf != 2016 || len(penal.CitedBy) != 1 ||
		penal.CitedBy[0].Indicator != "extraterritoriality-extradition" {
		t.Errorf("penal code = %+v", penal)
	}
	a.getJSON(t, "/api/v1/sources?kind=publication", &pg)
	if len(pg.Items) != 1 || pg.Items[0].Publisher != "ECPAT International" {
		t.Errorf("publications cited = %+v", pg.Items)
	}
	a.getJSON(t, "/api/v1/sources?country=sn", &pg)
	if len(pg.Items) != 1 || pg.Items[0].CitedBy[0].Country != "SN" {
		t.Errorf("sources cited for SN = %+v", pg.Items)
	}
	res, body := a.get(t, "/api/v1/sources?kind=treaty")
	expectProblem(t, res, body, http.StatusBadRequest, "kind")
}

func TestSourcesOfDraftsStayPrivate(t *testing.T) {
	a := newTestAPI(t)
	doc := a.editable(t, "ML", "csam-definition")
	doc["sources"] = []any{map[string]any{"kind": "law", "title": "Draft Child Code of Mali", "year": 2024}}
	res, body := a.put(t, "ML", "csam-definition", doc, a.etag(t, "ML", "csam-definition"), "researcher")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT: %d %s", res.StatusCode, body)
	}
	var pg page[sourceJSON]
	a.getJSON(t, "/api/v1/sources", &pg)
	for _, s := range pg.Items {
		if strings.Contains(s.Title, "Draft") {
			t.Errorf("a source only a draft cites is public: %+v", s)
		}
	}
}

func TestPublications(t *testing.T) {
	a := newTestAPI(t)
	var pg page[publicationJSON]
	a.getJSON(t, "/api/v1/publications", &pg)
	if len(pg.Items) != 2 || pg.Items[0].Year == nil || *pg.Items[0].Year != 2020 || len(pg.Items[0].Countries) != 2 || len(pg.Items[0].Publishers) != 0 {
		t.Errorf("publications = %+v", pg.Items)
	}
	a.getJSON(t, "/api/v1/publications?type=country-monitoring-report&year=2017&country=ML", &pg)
	if len(pg.Items) != 1 || pg.Items[0].Publishers[0] != "ECPAT International" || pg.Items[0].Language != "en" {
		t.Errorf("filtered = %+v", pg.Items)
	}
	a.getJSON(t, "/api/v1/publications?country=SN", &pg)
	if len(pg.Items) != 1 {
		t.Errorf("SN = %+v", pg.Items)
	}
	for _, q := range []string{"type=novel", "year=recent", "country=ZZ"} {
		res, body := a.get(t, "/api/v1/publications?"+q)
		expectProblem(t, res, body, http.StatusBadRequest, strings.Split(q, "=")[0])
	}
	// A page at a time, read by the store after the cursor: the same list.
	var all page[publicationJSON]
	a.getJSON(t, "/api/v1/publications", &all)
	whole := all.Items
	var paged []publicationJSON
	for path := "/api/v1/publications?limit=1"; path != ""; {
		pg = page[publicationJSON]{}
		a.getJSON(t, path, &pg)
		paged = append(paged, pg.Items...)
		path = ""
		if pg.Next != nil && len(paged) < 10 {
			path = *pg.Next
		}
	}
	if len(paged) != len(whole) || paged[0].Slug != whole[0].Slug || paged[1].Slug != whole[1].Slug {
		t.Errorf("in pages of one: %+v, want %+v", paged, whole)
	}
	res, body := a.get(t, "/api/v1/publications?cursor="+encodeCursor("publications", "2020\x00x"))
	expectProblem(t, res, body, http.StatusBadRequest, "cursor")
	// A title the store could not take as text (a NUL, invalid UTF-8), and
	// a cursor far longer than any the API gives out.
	for _, key := range []string{"7979\x00A\x00B\x001", "7979\x00A\xff\x001"} {
		res, body = a.get(t, "/api/v1/publications?cursor="+encodeCursor("publications", key))
		expectProblem(t, res, body, http.StatusBadRequest, "cursor")
	}
	res, body = a.get(t, "/api/v1/publications?cursor="+strings.Repeat("A", 2000))
	expectProblem(t, res, body, http.StatusBadRequest, "cursor")
}

func TestNews(t *testing.T) {
	a := newTestAPI(t)
	var pg page[newsJSON]
	a.getJSON(t, "/api/v1/news", &pg)
	if len(pg.Items) != 2 || pg.Items[0].Slug != "public-opinion-urgent-legislation" || !pg.Items[0].Featured ||
		*pg.Items[0].Date != "2025-01-15" || pg.Items[1].Featured {
		t.Errorf("news = %+v", pg.Items)
	}
	a.getJSON(t, "/api/v1/news?country=SN", &pg)
	if len(pg.Items) != 1 {
		t.Errorf("SN news = %+v", pg.Items)
	}
	a.getJSON(t, "/api/v1/news?limit=1", &pg)
	if len(pg.Items) != 1 || pg.Next == nil {
		t.Fatalf("limit=1: %+v", pg)
	}
	a.getJSON(t, *pg.Next, &pg)
	if len(pg.Items) != 1 || pg.Items[0].Slug != "bamako-workshop" || pg.Next != nil {
		t.Errorf("second page = %+v", pg)
	}
	// A cursor of the news list whose key the API never gave out.
	res, body := a.get(t, "/api/v1/news?cursor="+encodeCursor("news", "garbage"))
	expectProblem(t, res, body, http.StatusBadRequest, "cursor")
	var n newsJSON
	a.getJSON(t, "/api/v1/news/bamako-workshop", &n)
	if n.Title != "A workshop in Bamako" || n.Countries[0] != "ML" || n.Body != "" {
		t.Errorf("news item = %+v", n)
	}
	res, body = a.get(t, "/api/v1/news/no-such-story")
	expectProblem(t, res, body, http.StatusNotFound, "")
}

func TestUnknownPathsAndMethods(t *testing.T) {
	a := newTestAPI(t)
	res, body := a.get(t, "/api/v1/laws")
	expectProblem(t, res, body, http.StatusNotFound, "")
	res, body = a.do(t, http.MethodDelete, "/api/v1/assessments/ML/age-of-consent", nil)
	expectProblem(t, res, body, http.StatusMethodNotAllowed, "")
	if got := res.Header.Get("Allow"); got != "GET, HEAD, PUT, OPTIONS" {
		t.Errorf("Allow = %q", got)
	}
	res, body = a.do(t, http.MethodPost, "/api/v1/countries", "{}")
	expectProblem(t, res, body, http.StatusMethodNotAllowed, "")
}

// failingStore breaks on the reads every list starts with.
type failingStore struct{ vigie.Store }

func (failingStore) DataVersion(context.Context) (int64, error) {
	return 0, errors.New("disk I/O error at /var/lib/vigie/vigie.db")
}

// Public lists read no data version (their tags are digests of the body).
func (failingStore) Indicators(context.Context) ([]vigie.Indicator, error) {
	return nil, errors.New("disk I/O error at /var/lib/vigie/vigie.db")
}

func TestInternalErrorsAreLoggedNotShown(t *testing.T) {
	var logged bytes.Buffer
	svc := testService(t)
	h := validating(t, New(&vigie.Service{Store: failingStore{svc.Store}}, slog.New(slog.NewTextHandler(&logged, nil))))
	a := &testAPI{svc: svc, handler: h}
	res, body := a.get(t, "/api/v1/countries")
	p := expectProblem(t, res, body, http.StatusInternalServerError, "")
	if strings.Contains(p.Detail, "disk") || !strings.Contains(logged.String(), "disk I/O error") || res.Header.Get("ETag") != "" {
		t.Errorf("detail %q, log %q", p.Detail, logged.String())
	}
}

// An assessment carries the French and Spanish translations of its
// explanation while they translate the English it shows, in the country
// document and in the list.
func TestExplanationTranslations(t *testing.T) {
	a := newTestAPI(t)
	english := "The age is not the same for every act."
	update(t, a.svc.Store, func(tx vigie.Tx) error {
		for _, tr := range []vigie.Translation{
			{Kind: vigie.KindAssessment, Key: "ML/age-of-consent", Field: "explanation", Lang: "fr",
				Text: "L’âge n’est pas le même pour chaque acte.", SourceVersion: vigie.SourceVersion(english)},
			{Kind: vigie.KindAssessment, Key: "ML/extraterritoriality-extradition", Field: "explanation", Lang: "es",
				Text: "Una traducción de un texto anterior.", SourceVersion: vigie.SourceVersion("an earlier English text")},
		} {
			if _, err := tx.SaveTranslation(ctx, tr); err != nil {
				return err
			}
		}
		return nil
	})
	var ml countryDetailJSON
	a.getJSON(t, "/api/v1/countries/ML", &ml)
	var list page[assessmentJSON]
	a.getJSON(t, "/api/v1/assessments?country=ML", &list)
	for name, items := range map[string][]assessmentJSON{"country": ml.Assessments, "list": list.Items} {
		found := 0
		for _, x := range items {
			switch x.Indicator {
			case "age-of-consent":
				found++
				if len(x.Translations) != 1 || x.Translations["fr"] != "L’âge n’est pas le même pour chaque acte." {
					t.Errorf("%s: age of consent translations %v", name, x.Translations)
				}
			case "extraterritoriality-extradition":
				found++
				if x.Translations != nil {
					t.Errorf("%s: an out-of-date translation is served: %v", name, x.Translations)
				}
			}
		}
		if found != 2 {
			t.Errorf("%s: %d of the two assessments", name, found)
		}
	}
}

// The framework carries its current French and Spanish names and labels.
func TestFrameworkTranslations(t *testing.T) {
	a := newTestAPI(t)
	var pg indicatorPage
	a.getJSON(t, "/api/v1/indicators", &pg)
	byKey := map[string]indicatorJSON{}
	for _, ind := range pg.Items {
		byKey[ind.Key] = ind
	}
	if got := byKey["age-of-consent"].Translations; got["fr"]["name"] != "Âge du consentement" || got["es"]["name"] != "Edad de consentimiento" {
		t.Errorf("age of consent translations %v", got)
	}
	for _, r := range pg.Ratings {
		if r.Key == vigie.RatingNotYetAssessed && r.Translations["fr"]["label"] != "Pas encore évalué" {
			t.Errorf("not-yet-assessed translations %v", r.Translations)
		}
	}
	// An admin renames an indicator: its old translations are not served.
	update(t, a.svc.Store, func(tx vigie.Tx) error {
		inds, err := tx.Indicators(ctx)
		if err != nil {
			return err
		}
		for _, ind := range inds {
			if ind.Key == "age-of-consent" {
				ind.Name = "Age of sexual consent"
				_, err = tx.SaveIndicator(ctx, ind)
				return err
			}
		}
		return nil
	})
	a.getJSON(t, "/api/v1/indicators", &pg)
	for _, ind := range pg.Items {
		if ind.Key == "age-of-consent" && ind.Translations["fr"]["name"] != "" {
			t.Errorf("a translation of the old name is served: %v", ind.Translations)
		}
	}
}
