package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
)

// rateOn publishes one rating of an assessment at a given moment.
func rateOn(t *testing.T, st vigie.Store, country, indicator, rating string, at time.Time) {
	t.Helper()
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		a := vigie.Assessment{Country: country, Indicator: indicator, Rating: rating, Explanation: "Invented for the chart tests."}
		_, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "fixture", Reason: "test", At: at})
		return err
	})
}

// progressRows reads the indicator page's table of figures: year → the
// counts in the order of the scale, then the total.
func progressRows(t *testing.T, doc *goquery.Document) map[string]string {
	t.Helper()
	rows := map[string]string{}
	doc.Find("#progress table.progress tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, textOf(td)) })
		rows[textOf(tr.Find("th"))] = strings.Join(cells, " ")
	})
	return rows
}

// TestProgressChartFollowsTheHistory changes a rating and sees the next
// year's bar move, in the chart, its table and its CSV.
func TestProgressChartFollowsTheHistory(t *testing.T) {
	s, st := testSite(t) // Niger's age of consent: yes, published 1 March 2025
	rateOn(t, st, "GM", "age-of-consent", vigie.RatingNo, time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC))
	rateOn(t, st, "GM", "age-of-consent", vigie.RatingYes, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	doc := page(t, s, "/indicators/age-of-consent", http.StatusOK)
	rows := progressRows(t, doc)
	// Yes, Partial, No, No Data, Not Rated, Not Yet Assessed, total.
	want := map[string]string{
		"2023": "0 0 1 0 0 248 249",
		"2024": "1 0 0 0 0 248 249", // The Gambia moved from no to yes
		"2025": "2 0 0 0 0 247 249", // and Niger was rated yes
	}
	for year, counts := range want {
		if rows[year] != counts {
			t.Errorf("%s: %q, want %q", year, rows[year], counts)
		}
	}
	if _, ok := rows[time.Now().UTC().Format("2006")]; !ok {
		t.Errorf("no bar for this year: %v", rows)
	}
	svg := doc.Find("#progress svg.chart")
	if svg.Length() != 1 || svg.AttrOr("role", "") != "img" || !strings.Contains(svg.AttrOr("aria-label", ""), "2023") {
		t.Fatalf("no chart, or one without a name: %v", svg.AttrOr("aria-label", ""))
	}
	titles := textOf(svg.Find("rect title"))
	if !strings.Contains(titles, "2024, Yes: 1 country") || !strings.Contains(titles, "2023, No: 1 country") || strings.Contains(titles, "2024, No:") {
		t.Errorf("bars: %s", titles)
	}

	// As of the end of 2023, the chart stops there.
	rows = progressRows(t, page(t, s, "/indicators/age-of-consent?as_of=2023-12-31", http.StatusOK))
	if len(rows) != 1 || rows["2023"] != want["2023"] {
		t.Errorf("as of 2023: %v", rows)
	}

	// By region: Western Africa holds both countries, Europe neither.
	var west int
	for _, c := range vigie.Countries() {
		if c.SubRegion.Code == "011" {
			west++
		}
	}
	rows = progressRows(t, page(t, s, "/indicators/age-of-consent?region=western-africa", http.StatusOK))
	if got := rows["2025"]; !strings.HasPrefix(got, "2 0 0 0 0 ") || !strings.HasSuffix(got, " "+strconv.Itoa(west)) {
		t.Errorf("Western Africa in 2025: %q (%d countries)", got, west)
	}
	doc = page(t, s, "/indicators/age-of-consent?region=europe", http.StatusOK)
	if doc.Find("#progress svg.chart").Length() != 0 || doc.Find("#progress p.empty").Length() != 1 {
		t.Error("Europe has no history, yet shows a chart")
	}

	// The same figures as CSV.
	res, body := get(t, s, "/indicators/age-of-consent/progress.csv?as_of=2024-12-31")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if got := string(body); got != "year,yes,partial,no,no-data,not-rated,not-yet-assessed,countries\r\n2023,0,0,1,0,0,248,249\r\n2024,1,0,0,0,0,248,249\r\n" {
		t.Errorf("CSV:\n%s", got)
	}
	if href := doc.Find(`#progress a[download]`).AttrOr("href", ""); href != "" {
		t.Errorf("Europe's page links to figures it does not have: %q", href)
	}
	href := page(t, s, "/fr/indicators/age-of-consent?region=africa&sort=value", http.StatusOK).Find(`#progress a[download]`).AttrOr("href", "")
	if href != "/indicators/age-of-consent/progress.csv?region=africa" { // files have one address in every language
		t.Errorf("CSV link %q", href)
	}
	for _, bad := range []string{"/indicators/age-of-consent/progress.csv?region=atlantis", "/indicators/age-of-consent/progress.csv?as_of=tomorrow"} {
		if res, _ := get(t, s, bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %d", bad, res.StatusCode)
		}
	}
	if res, _ := get(t, s, "/indicators/no-such/progress.csv"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown indicator: %d", res.StatusCode)
	}
}

// TestHomeAndCountryCharts: the home page draws every indicator with a
// history in small multiples; the country page draws its nine ratings
// over the years, with a mark at each change.
func TestHomeAndCountryCharts(t *testing.T) {
	s, st := testSite(t)
	rateOn(t, st, "GM", "age-of-consent", vigie.RatingNo, time.Date(2023, 5, 1, 0, 0, 0, 0, time.UTC))
	rateOn(t, st, "GM", "age-of-consent", vigie.RatingYes, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	rateOn(t, st, "GM", "sec-police-unit", vigie.RatingPartial, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))

	doc := page(t, s, "/", http.StatusOK)
	var charts []string
	doc.Find("#global-progress figure").Each(func(_ int, f *goquery.Selection) {
		charts = append(charts, f.Find("figcaption a").AttrOr("href", "")+" "+strings.Split(f.Find("svg").AttrOr("aria-label", ""), ":")[0])
	})
	// Mali and Niger's fixtures publish three indicators; The Gambia adds one.
	if got := strings.Join(charts, ", "); got != "/indicators/age-of-consent#progress Age of Consent, "+
		"/indicators/extraterritoriality-extradition#progress Extraterritoriality & Extradition, "+
		"/indicators/csam-definition#progress CSAM Definition, "+
		"/indicators/sec-police-unit#progress SEC Police Unit" {
		t.Errorf("small multiples: %s", got)
	}
	if doc.Find("#global-progress svg rect").Length() == 0 || doc.Find("#global-progress ul.map-legend li").Length() != 6 {
		t.Error("small multiples without bars or legend")
	}
	// As of 2023, only what was published by then.
	if n := page(t, s, "/?as_of=2023-12-31", http.StatusOK).Find("#global-progress figure").Length(); n != 1 {
		t.Errorf("as of 2023: %d small multiples, want 1", n)
	}

	doc = page(t, s, "/countries/gambia", http.StatusOK)
	svg := doc.Find("#ratings-over-time svg.chart")
	if svg.Length() != 1 || !strings.Contains(svg.AttrOr("aria-label", ""), "Gambia") {
		t.Fatalf("country chart: %d", svg.Length())
	}
	if n := svg.Find("text").Length(); n < len(vigie.DefaultIndicators()) {
		t.Errorf("%d texts: want a row per indicator and the years", n)
	}
	if n := svg.Find("path.mark").Length(); n != 3 {
		t.Errorf("%d marks, want one per change (3)", n)
	}
	if n := page(t, s, "/countries/senegal", http.StatusOK).Find("#ratings-over-time svg.chart").Length(); n != 0 {
		t.Error("a country without history draws an empty chart")
	}
}
