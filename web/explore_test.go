package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
	"github.com/vigie-network/vigie/worldmap"
)

// checkWorldMap checks a map of one indicator: every ISO country is on it,
// as a shape or a marker, linked to its section and titled with its
// rating, and the ratings colour it.
func checkWorldMap(t *testing.T, doc *goquery.Document, path, indicator string, ratings map[string]string) {
	t.Helper()
	svg := doc.Find("svg.worldmap")
	if svg.Length() != 1 {
		t.Fatalf("GET %s: %d maps", path, svg.Length())
	}
	if n := svg.Find("a").Length(); n != 249 {
		t.Errorf("GET %s: %d links on the map, want 249", path, n)
	}
	labels := map[string]string{}
	for _, r := range vigie.DefaultRatings() {
		labels[r.Key] = r.Label
	}
	for _, c := range vigie.Countries() {
		link := svg.Find(`a[href$="/countries/` + c.Slug + `#` + indicator + `"], a[href*="/countries/` + c.Slug + `?"]`)
		if link.Length() != 1 {
			t.Errorf("GET %s: %s has %d links on the map", path, c.ISO2, link.Length())
			continue
		}
		shape, marker := worldmap.Has(c.ISO2)
		if (link.Find("path").Length() == 1) != shape || (link.Find("circle").Length() == 1) != marker {
			t.Errorf("GET %s: %s is drawn wrong (shape %v, marker %v)", path, c.ISO2, shape, marker)
		}
		rating, ok := ratings[c.ISO2]
		if !ok {
			rating = vigie.RatingNotYetAssessed
		}
		if got, want := textOf(link.ChildrenFiltered("title")), c.Name("en")+": "+labels[rating]; got != want {
			t.Errorf("GET %s: %s's title %q, want %q", path, c.ISO2, got, want)
		}
		if class := link.AttrOr("class", ""); class != "r-"+rating {
			t.Errorf("GET %s: %s has class %q, want r-%s", path, c.ISO2, class, rating)
		}
		fill := link.Find("path, circle").First().AttrOr("fill", "")
		if rating == vigie.RatingYes && fill != "#1f5c99" || rating == vigie.RatingNotYetAssessed && fill != "#e3e3e3" {
			t.Errorf("GET %s: %s (%s) is filled %q", path, c.ISO2, rating, fill)
		}
	}
	// The skip link comes before the map and lands after it, on the note.
	skip := doc.Find("a.skip-map")
	target := strings.TrimPrefix(skip.AttrOr("href", ""), "#")
	note := doc.Find("#" + target)
	if skip.Length() != 1 || target == "" || note.Length() != 1 || !strings.Contains(textOf(note), "Natural Earth") {
		t.Errorf("GET %s: skip link %q to %q", path, skip.AttrOr("href", ""), textOf(note))
	}
	// Within the map's block: the page's charts are drawings too.
	if html, _ := goquery.OuterHtml(doc.Find("div.map")); strings.Index(html, `class="skip-map"`) > strings.Index(html, "<svg") ||
		strings.Index(html, `id="`+target+`"`) < strings.LastIndex(html, "</svg>") {
		t.Errorf("GET %s: the skip link or its target is on the wrong side of the map", path)
	}
	if n := doc.Find("div.map ul.map-legend li").Length(); n != len(labels) {
		t.Errorf("GET %s: %d legend entries", path, n)
	}
}

func TestHomeMap(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/", http.StatusOK)
	checkWorldMap(t, doc, "/", "age-of-consent", map[string]string{"NE": vigie.RatingYes})
	if got := doc.Find(`#world select[name="indicator"] option[selected]`).AttrOr("value", ""); got != "age-of-consent" {
		t.Errorf("selected indicator %q, want the first", got)
	}
	if href := doc.Find(`#world a[href^="/indicators/age-of-consent"]`).AttrOr("href", ""); href != "/indicators/age-of-consent#countries" {
		t.Errorf("link to the table = %q", href)
	}

	doc = page(t, s, "/?indicator=extraterritoriality-extradition", http.StatusOK)
	checkWorldMap(t, doc, "/?indicator=…", "extraterritoriality-extradition", map[string]string{"ML": vigie.RatingNotRated})
	if h := textOf(doc.Find("#world-h")); h != "Around the world: Extraterritoriality & Extradition" {
		t.Errorf("map heading %q", h)
	}

	doc = page(t, s, "/?indicator=nope", http.StatusBadRequest)
	if !strings.Contains(textOf(doc.Find("main")), "“indicator”") {
		t.Errorf("400 page does not name the parameter: %q", textOf(doc.Find("main")))
	}
}

func TestIndicatorPageMapAndTable(t *testing.T) {
	s, _ := testSite(t)
	const path = "/indicators/age-of-consent"
	doc := page(t, s, path, http.StatusOK)
	checkWorldMap(t, doc, path, "age-of-consent", map[string]string{"NE": vigie.RatingYes})
	rows := func(doc *goquery.Document) []string {
		var out []string
		doc.Find("table.verdicts tbody tr").Each(func(_ int, tr *goquery.Selection) {
			out = append(out, textOf(tr.Find("th")))
		})
		return out
	}
	if got := rows(doc); len(got) != 249 || got[0] != "Afghanistan" {
		t.Fatalf("%d rows, first %q", len(got), got[0])
	}
	// Per region: Africa's row counts Niger's yes.
	africa := doc.Find(`table.counts tbody th a[href*="region=africa"]`).Closest("tr")
	if got := textOf(africa.Find("td").First()); got != "1" {
		t.Errorf("Africa's yes count = %q", got)
	}
	if href := africa.Find("td a").First().AttrOr("href", ""); href != path+"?rating=yes&region=africa#countries" {
		t.Errorf("Africa's yes count links to %q", href)
	}

	var african int
	for _, c := range vigie.Countries() {
		if c.Region.Code == "002" {
			african++
		}
	}
	for _, tt := range []struct {
		query string
		first string
		n     int
	}{
		{"?region=africa", "Algeria", african},
		{"?region=002", "Algeria", african}, // an M49 code works too
		{"?region=western-africa", "Benin", 17},
		{"?rating=yes", "Niger", 1},
		{"?region=africa&rating=yes", "Niger", 1},
		{"?region=europe&rating=yes", "", 0}, // none yet
		{"?sort=rating", "Niger", 249},
		{"?sort=rating&order=desc", "Afghanistan", 249}, // not yet assessed; names break ties A to Z
		{"?sort=country&order=desc", "Zimbabwe", 249},   // Åland sorts as Aland
		{"?sort=value", "Niger", 249},
		{"?sort=as_of", "Niger", 249},
		{"?sort=summary&order=desc", "Niger", 249},
		{"?region=other", "Antarctica", 1},
	} {
		doc := page(t, s, path+tt.query, http.StatusOK)
		got := rows(doc)
		if len(got) != tt.n || (tt.n > 0 && got[0] != tt.first) {
			first := ""
			if len(got) > 0 {
				first = got[0]
			}
			t.Errorf("%s: %d rows, first %q; want %d, first %q", tt.query, len(got), first, tt.n, tt.first)
		}
		if tt.n == 0 && doc.Find("#countries p.empty").Length() != 1 {
			t.Errorf("%s: no empty state", tt.query)
		}
	}

	// Sort links: the sorted column says so and links to the other way.
	doc = page(t, s, path+"?sort=rating&region=africa", http.StatusOK)
	th := doc.Find(`table.verdicts th[aria-sort]`)
	if th.Length() != 1 || th.AttrOr("aria-sort", "") != "ascending" || textOf(th) != "Rating ▲" {
		t.Errorf("sorted header: %d %q %q", th.Length(), th.AttrOr("aria-sort", ""), textOf(th))
	}
	if href := th.Find("a").AttrOr("href", ""); href != path+"?order=desc&region=africa&sort=rating#countries" {
		t.Errorf("reverse link %q", href)
	}
	if v := doc.Find(`#countries form input[type=hidden][name=sort]`).AttrOr("value", ""); v != "rating" {
		t.Errorf("the filter form drops the sort order: %q", v)
	}
	if got := doc.Find(`select[name=region] option[selected]`).AttrOr("value", ""); got != "africa" {
		t.Errorf("selected region %q", got)
	}

	for query, param := range map[string]string{"?region=atlantis": "region", "?rating=maybe": "rating",
		"?sort=colour": "sort", "?order=up": "order", "?as_of=2024-13-01": "as_of", "?as_of=yesterday": "as_of"} {
		doc := page(t, s, path+query, http.StatusBadRequest)
		if !strings.Contains(textOf(doc.Find("main")), "“"+param+"”") {
			t.Errorf("%s: 400 page does not name %s: %q", query, param, textOf(doc.Find("main p")))
		}
	}
}

// historySite has a store in which Senegal's age of consent was first
// published Partial on 10 January 2024, then Yes on 1 June 2024, and the
// Gambia's CSAM definition No on 1 March 2024.
func historySite(t *testing.T) *Server {
	t.Helper()
	st := testdb.SQLite(t)
	seedMali(t, st)
	save := func(a vigie.Assessment, at time.Time) {
		update(t, st, func(ctx context.Context, tx vigie.Tx) error {
			_, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "test", At: at})
			return err
		})
	}
	sixteen, eighteen := 16, 18
	save(vigie.Assessment{Country: "SN", Indicator: "age-of-consent", Rating: vigie.RatingPartial, Value: &sixteen,
		Explanation: "Sixteen years, for girls only."}, time.Date(2024, 1, 10, 9, 0, 0, 0, time.UTC))
	save(vigie.Assessment{Country: "GM", Indicator: "csam-definition", Rating: vigie.RatingNo,
		Explanation: "No definition."}, time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC))
	save(vigie.Assessment{Country: "SN", Indicator: "age-of-consent", Rating: vigie.RatingYes, Value: &eighteen,
		Explanation: "Eighteen years, for every child."}, time.Date(2024, 6, 1, 15, 30, 0, 0, time.UTC))
	return serverOn(st, nil)
}

func TestAsOfShowsThePast(t *testing.T) {
	s := historySite(t)
	for _, tt := range []struct {
		date, rating, value string
	}{
		{"2023-12-31", "Not Yet Assessed", ""},
		{"2024-01-10", "Partial", "16 years"}, // the day itself counts
		{"2024-03-01", "Partial", "16 years"},
		{"2024-06-01", "Yes", "18 years"},
		{"2030-01-01", "Yes", "18 years"},
	} {
		path := "/countries/senegal?as_of=" + tt.date
		doc := page(t, s, path, http.StatusOK)
		sec := doc.Find("section#age-of-consent")
		if got := textOf(sec.Find(".rating .badge")); got != tt.rating {
			t.Errorf("GET %s: %q, want %q", path, got, tt.rating)
		}
		if got := textOf(sec.Find(".rating .value")); got != tt.value {
			t.Errorf("GET %s: value %q, want %q", path, got, tt.value)
		}
		banner := doc.Find("p.asof-banner")
		day, _ := time.Parse(time.DateOnly, tt.date)
		if !strings.HasPrefix(textOf(banner), "You are looking at the data as of "+day.Format("2 January 2006")) ||
			banner.Find("a").AttrOr("href", "") != "/countries/senegal" {
			t.Errorf("GET %s: banner %q, link %q", path, textOf(banner), banner.Find("a").AttrOr("href", ""))
		}
		if got := doc.Find(`.asof-form input[name=as_of]`).AttrOr("value", ""); got != tt.date {
			t.Errorf("GET %s: date form shows %q", path, got)
		}

		// The indicator page and its map, the home map and compare agree.
		path = "/indicators/age-of-consent?as_of=" + tt.date
		doc = page(t, s, path, http.StatusOK)
		row := doc.Find(`table.verdicts a[href="/countries/senegal?as_of=` + tt.date + `#age-of-consent"]`).Closest("tr")
		if got := textOf(row.Find(".badge")); got != tt.rating {
			t.Errorf("GET %s: table says %q, want %q", path, got, tt.rating)
		}
		link := doc.Find(`svg.worldmap a[href="/countries/senegal?as_of=` + tt.date + `#age-of-consent"]`)
		if got := textOf(link.ChildrenFiltered("title")); got != "Senegal: "+tt.rating {
			t.Errorf("GET %s: map says %q", path, got)
		}
		doc = page(t, s, "/?as_of="+tt.date, http.StatusOK)
		if got := textOf(doc.Find(`svg.worldmap a[href^="/countries/senegal?"] title`)); got != "Senegal: "+tt.rating {
			t.Errorf("GET /?as_of=%s: map says %q", tt.date, got)
		}
		if doc.Find(`#world input[type=hidden][name=as_of]`).AttrOr("value", "") != tt.date {
			t.Errorf("GET /?as_of=%s: the map form drops the date", tt.date)
		}
		doc = page(t, s, "/compare?c=sn&as_of="+tt.date, http.StatusOK)
		if got := textOf(doc.Find(`table.compare a[href="/countries/senegal?as_of=` + tt.date + `#age-of-consent"] .badge`)); got != tt.rating {
			t.Errorf("GET /compare?as_of=%s: %q", tt.date, got)
		}
	}
	// Today: no banner.
	doc := page(t, s, "/countries/senegal", http.StatusOK)
	if doc.Find("p.asof-banner").Length() != 0 {
		t.Error("a banner without as_of")
	}
	for _, path := range []string{"/countries/senegal?as_of=2024-02-30", "/?as_of=1.1.2024", "/compare?c=sn&as_of=x"} {
		doc := page(t, s, path, http.StatusBadRequest)
		if !strings.Contains(textOf(doc.Find("main")), "“as_of”") {
			t.Errorf("GET %s: %q", path, textOf(doc.Find("main")))
		}
	}
}

func TestTimeline(t *testing.T) {
	s := historySite(t)
	events := func(path string) []string {
		var out []string
		page(t, s, path, http.StatusOK).Find("#timeline ol.timeline li").Each(func(_ int, li *goquery.Selection) {
			out = append(out, textOf(li))
		})
		return out
	}
	got := events("/countries/senegal")
	want := []string{
		"1 June 2024 Age of Consent: Partial → Yes better revision 2 of Age of Consent",
		"10 January 2024 Age of Consent: first rated Partial revision 1 of Age of Consent",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := events("/countries/senegal?as_of=2024-03-01"); len(got) != 1 || !strings.HasPrefix(got[0], "10 January 2024") {
		t.Errorf("timeline as of March: %q", got)
	}
	doc := page(t, s, "/countries/senegal", http.StatusOK)
	if href := doc.Find("#timeline li a.rev").First().AttrOr("href", ""); href != "/countries/senegal/age-of-consent/history?rev=2#rev-2" {
		t.Errorf("history link %q", href)
	}
	if doc := page(t, s, "/countries/france", http.StatusOK); !strings.Contains(textOf(doc.Find("#timeline p.empty")), "No rating has been published for France yet") {
		t.Errorf("empty timeline: %q", textOf(doc.Find("#timeline")))
	}
}

func TestChanges(t *testing.T) {
	s := historySite(t)
	type row struct{ group, country, indicator, before, after string }
	rowsOf := func(doc *goquery.Document) []row {
		var out []row
		doc.Find("main section[id^=changes-]").Each(func(_ int, sec *goquery.Selection) {
			sec.Find("tbody tr").Each(func(_ int, tr *goquery.Selection) {
				out = append(out, row{sec.AttrOr("id", ""), textOf(tr.Find("th")), textOf(tr.Find("td").Eq(0)),
					textOf(tr.Find("td").Eq(1)), textOf(tr.Find("td").Eq(2))})
			})
		})
		return out
	}
	for _, tt := range []struct {
		query string
		want  []row
	}{
		{"?from=2024-02-01&to=2024-12-31", []row{
			{"changes-up", "Senegal", "Age of Consent", "Partial", "Yes 18 years"},
			{"changes-new", "Gambia", "CSAM Definition", "Not Yet Assessed", "No"},
		}},
		{"?from=2024-01-01&to=2024-01-31", []row{{"changes-new", "Senegal", "Age of Consent", "Not Yet Assessed", "Partial 16 years"}}},
		{"?from=2024-01-01&to=2024-12-31&indicator=age-of-consent", []row{{"changes-new", "Senegal", "Age of Consent", "Not Yet Assessed", "Yes 18 years"}}},
		{"?from=2024-06-01&to=2024-06-01", []row{{"changes-up", "Senegal", "Age of Consent", "Partial", "Yes 18 years"}}},
		{"?from=2024-02-01&to=2024-12-31&region=europe", nil},
		{"?from=2024-02-01&to=2024-12-31&region=western-africa&indicator=csam-definition", []row{{"changes-new", "Gambia", "CSAM Definition", "Not Yet Assessed", "No"}}},
		{"?from=2024-07-01&to=2024-12-31", nil},
	} {
		doc := page(t, s, "/changes"+tt.query, http.StatusOK)
		got := rowsOf(doc)
		if len(got) != len(tt.want) {
			t.Errorf("%s: %+v, want %+v", tt.query, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: row %d = %+v, want %+v", tt.query, i, got[i], tt.want[i])
			}
		}
		if len(tt.want) == 0 && doc.Find("main p.empty").Length() != 1 {
			t.Errorf("%s: no empty state", tt.query)
		}
	}
	doc := page(t, s, "/changes?from=2024-02-01&to=2024-12-31", http.StatusOK)
	if got := textOf(doc.Find("ul.change-counts")); got != "Better ratings: 1 Worse ratings: 0 Other rating changes: 0 Newly assessed: 1 Revised, same rating: 0" {
		t.Errorf("counts %q", got)
	}
	if got := doc.Find(`input[name=from]`).AttrOr("value", ""); got != "2024-02-01" {
		t.Errorf("from field %q", got)
	}
	// The default period is the year to today.
	doc = page(t, s, "/changes", http.StatusOK)
	if got := doc.Find(`input[name=to]`).AttrOr("value", ""); got != today().Format(time.DateOnly) {
		t.Errorf("default to = %q", got)
	}
	for query, param := range map[string]string{"?from=2024-1-1": "from", "?to=tomorrow": "to",
		"?from=2024-12-31&to=2024-01-01": "from", "?indicator=nope": "indicator", "?region=x": "region"} {
		doc := page(t, s, "/changes"+query, http.StatusBadRequest)
		if !strings.Contains(textOf(doc.Find("main")), "“"+param+"”") {
			t.Errorf("%s: 400 page does not name %s: %q", query, param, textOf(doc.Find("main p")))
		}
	}
}

func TestCompare(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/compare?c=ml,NE,sn", http.StatusOK)
	var heads []string
	doc.Find("table.compare thead th a:first-child").Each(func(_ int, a *goquery.Selection) { heads = append(heads, textOf(a)) })
	if strings.Join(heads, ",") != "Mali,Niger,Senegal" {
		t.Errorf("columns %q", heads)
	}
	if n := doc.Find("table.compare tbody tr").Length(); n != 9 {
		t.Errorf("%d rows, want 9", n)
	}
	niger := doc.Find("table.compare tbody tr").First().Find("td").Eq(1)
	if got := textOf(niger.Find("a")) + " | " + textOf(niger.Find(".value")) + " | " + textOf(niger.Find(".asof")) + " | " + textOf(niger.Find(".since")); got != "Niger, Age of Consent: Yes | 16 years | As of May 2020 | since 2025" {
		t.Errorf("Niger's age of consent: %q", got)
	}
	if got := doc.Find(`a.remove`).First().AttrOr("href", ""); got != "/compare?c=ne%2Csn" {
		t.Errorf("remove Mali: %q", got)
	}
	if doc.Find(`select[name=add] option[value=ml]`).Length() != 0 || doc.Find(`select[name=add] option[value=fr]`).Length() != 1 {
		t.Error("the add list offers a chosen country, or misses one")
	}
	if got := doc.Find(`form input[name=c]`).AttrOr("value", ""); got != "ml,ne,sn" {
		t.Errorf("add form keeps %q", got)
	}

	// Adding redirects to the one address of the comparison.
	res, _ := get(t, s, "/compare?c=ml,ne&add=sn")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/compare?c=ml%2Cne%2Csn" {
		t.Errorf("add: %d %q", res.StatusCode, loc)
	}

	doc = page(t, s, "/compare?c=ml,xx,atlantis", http.StatusOK)
	if got := textOf(doc.Find("p.notice.bad")); !strings.Contains(got, "“xx”, “atlantis”") {
		t.Errorf("unknown codes: %q", got)
	}
	if n := doc.Find("table.compare thead th").Length(); n != 2 {
		t.Errorf("%d header cells with one known country", n)
	}
	doc = page(t, s, "/compare", http.StatusOK)
	if doc.Find("table.compare").Length() != 0 || doc.Find("main p.empty").Length() != 1 || doc.Find("select[name=add] option").Length() != 249 {
		t.Error("empty comparison: no empty state or no full list")
	}
	doc = page(t, s, "/compare?c=ml,ne,sn,gm,fr,de,es,it,pt,be", http.StatusOK)
	if n := doc.Find("table.compare thead th").Length(); n != maxCompared+1 || !strings.Contains(textOf(doc.Find("p.notice")), "left out the last 2") {
		t.Errorf("over the limit: %d columns, %q", n, textOf(doc.Find("p.notice")))
	}
}

func TestSearchPage(t *testing.T) {
	s, _ := testSite(t)
	doc := page(t, s, "/search?q=extrad", http.StatusOK)
	hit := doc.Find("ol.hits li").First()
	if got := textOf(hit.Find("h2")); got != "Mali: Extraterritoriality & Extradition" {
		t.Errorf("first hit %q", got)
	}
	if href := hit.Find("h2 a").AttrOr("href", ""); href != "/countries/mali#extraterritoriality-extradition" {
		t.Errorf("hit link %q", href)
	}
	if marks := hit.Find(".snippet mark"); marks.Length() == 0 || !strings.HasPrefix(strings.ToLower(textOf(marks.First())), "extra") {
		t.Errorf("snippet %q has no mark on the match", textOf(hit.Find(".snippet")))
	}

	// Accents fold; laws are found and say where they are cited.
	doc = page(t, s, "/search?q=PÉNAL&kind=source", http.StatusOK)
	if got := textOf(doc.Find("ol.hits li h2")); got != "Penal Code of Mali" {
		t.Errorf("law hit %q", got)
	}
	if got := textOf(doc.Find("ol.hits li .meta")); got != "Mali · cited for Extraterritoriality & Extradition" {
		t.Errorf("law hit meta %q", got)
	}

	// Hostile text comes back as text, the match marked.
	doc = page(t, s, "/search?q=alert", http.StatusOK)
	if doc.Find("main script, main img, main iframe").Length() != 0 {
		t.Error("hostile text became markup")
	}
	news := doc.Find(`ol.hits li.k-news h2`)
	if got := textOf(news); got != xssScript+" "+xssAttr {
		t.Errorf("hostile story's title %q", got)
	}

	// Filters, a country shortcut, paging and empty states.
	doc = page(t, s, "/search?q=mali", http.StatusOK)
	if got := doc.Find("p.places a").AttrOr("href", ""); got != "/countries/mali" {
		t.Errorf("country shortcut %q", got)
	}
	doc = page(t, s, "/search?q=acesem&kind=news", http.StatusOK)
	if doc.Find("ol.hits").Length() != 0 || !strings.Contains(textOf(doc.Find("p.empty")), "Nothing matches “acesem” among News") {
		t.Errorf("filtered empty state: %q", textOf(doc.Find("main")))
	}
	doc = page(t, s, "/search?q=acesem&country=ML", http.StatusOK)
	if got := doc.Find("ol.hits li h2 a").AttrOr("href", ""); got != "/organisations/acesem" {
		t.Errorf("organisation hit %q", got)
	}
	if got := doc.Find(`select[name=country] option[selected]`).AttrOr("value", ""); got != "ML" {
		t.Errorf("country filter shows %q", got)
	}
	doc = page(t, s, "/search?q=%22%29%28*", http.StatusOK)
	if !strings.Contains(textOf(doc.Find("p.empty")), "Type at least one word") {
		t.Errorf("punctuation only: %q", textOf(doc.Find("main")))
	}
	doc = page(t, s, "/search", http.StatusOK)
	if doc.Find(`input[name=q]`).Length() != 1 || doc.Find("ol.hits").Length() != 0 {
		t.Error("empty search page")
	}
	for query, param := range map[string]string{"?q=x&kind=law": "kind", "?q=x&country=XX": "country",
		"?q=x&indicator=nope": "indicator", "?q=x&page=0": "page"} {
		doc := page(t, s, "/search"+query, http.StatusBadRequest)
		if !strings.Contains(textOf(doc.Find("main")), "“"+param+"”") {
			t.Errorf("%s: 400 page does not name %s", query, param)
		}
	}
}

func TestStalePage(t *testing.T) {
	e := newEditorsSite(t)
	e.addUser("ana@example.org", vigie.RoleResearcher)
	e.addUser("member@example.org", vigie.RoleMember, "ML")

	res, _ := e.visitor("192.0.2.1").get("/edit/stale")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := e.login("member@example.org").get("/edit/stale"); res.StatusCode != http.StatusForbidden {
		t.Errorf("member: %d, want 403", res.StatusCode)
	}
	ana := e.login("ana@example.org")
	// Mali's newest source is the Code of Criminal Procedure, status 2021.
	age := today().Year() - 2021
	doc := ana.page("/edit/stale?years="+strconv.Itoa(age), http.StatusOK)
	row := doc.Find("table.stale tbody tr")
	if row.Length() != 1 || textOf(row.Find("th")) != "Mali" ||
		!strings.Contains(textOf(row), "Code of Criminal Procedure of Mali, 2001 (status as of 2021)") ||
		row.Find(`a[href="/edit/countries/mali/extraterritoriality-extradition"]`).Length() != 1 {
		t.Errorf("stale rows: %q", textOf(row))
	}
	doc = ana.page("/edit/stale?years="+strconv.Itoa(age+1), http.StatusOK)
	if doc.Find("table.stale").Length() != 0 || doc.Find("main p.empty").Length() != 1 {
		t.Error("a source newer than the limit is listed")
	}
	if res, _ := ana.get("/edit/stale?years=many"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad years: %d", res.StatusCode)
	}

	// After an edition is frozen, what nobody revised since is listed.
	if doc.Find("h2:contains('Unchanged since')").Length() != 0 {
		t.Error("an unchanged list shows without any edition")
	}
	snapshot := []byte(`{"format":"vigie"}`)
	err := e.st.Update(context.Background(), func(tx vigie.Tx) error {
		return tx.SaveEdition(context.Background(), vigie.Edition{Name: "2099", PublishedAt: time.Now().Add(time.Hour),
			SHA256: vigie.SnapshotDigest(snapshot), Size: int64(len(snapshot)), Snapshot: snapshot})
	})
	if err != nil {
		t.Fatal(err)
	}
	doc = ana.page("/edit/stale", http.StatusOK)
	if h := textOf(doc.Find("main h2").Last()); h != "Unchanged since the 2099 edition" {
		t.Errorf("last heading = %q", h)
	}
	if items := doc.Find("main ul.worklist").Last().Find("li"); items.Length() != 1 || !strings.Contains(textOf(items), "Extraterritoriality & Extradition in Mali") {
		t.Errorf("unchanged list: %q", textOf(items))
	}
}

func TestExplorePagesHideStoreErrors(t *testing.T) {
	var logs bytes.Buffer
	s := serverOn(brokenStore{}, slog.New(slog.NewTextHandler(&logs, nil)))
	for _, path := range []string{"/compare?c=ml", "/changes", "/search?q=penal", "/indicators/age-of-consent?as_of=2024-01-01",
		"/countries/mali?as_of=2024-01-01", "/?as_of=2024-01-01"} {
		logs.Reset()
		res, body := get(t, s, path)
		if res.StatusCode != http.StatusInternalServerError || strings.Contains(string(body), "secret") {
			t.Errorf("GET %s: %d", path, res.StatusCode)
		}
		if !strings.Contains(logs.String(), "secret/path.db") {
			t.Errorf("GET %s: not logged", path)
		}
	}
}

// TestExplorePagesAreAccessible holds the explore pages to what
// TestNoInlineStyleOrScript holds the others to, in every language: one
// h1, no skipped heading level, no script or inline style, every form
// control labelled.
func TestExplorePagesAreAccessible(t *testing.T) {
	s := historySite(t)
	for _, lang := range []string{"", "/fr", "/es"} {
		for _, p := range []string{"/?as_of=2024-03-01", "/indicators/age-of-consent?as_of=2024-03-01&region=africa",
			"/countries/senegal?as_of=2024-03-01", "/compare?c=ml,sn", "/compare", "/changes?from=2024-01-01&to=2024-12-31",
			"/search?q=sixteen", "/search?q=nothing+at+all", "/search"} {
			path := lang + p
			doc := page(t, s, path, http.StatusOK)
			if n := doc.Find("script, style, [style], noscript").Length(); n > 0 {
				t.Errorf("GET %s: %d script or style elements or attributes", path, n)
			}
			if n := doc.Find("h1").Length(); n != 1 {
				t.Errorf("GET %s: %d h1", path, n)
			}
			last := 1
			doc.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, h *goquery.Selection) {
				level := int(goquery.NodeName(h)[1] - '0')
				if level > last+1 {
					t.Errorf("GET %s: h%d %q follows h%d", path, level, textOf(h), last)
				}
				last = level
			})
			doc.Find("main input:not([type=hidden]), main select").Each(func(_ int, c *goquery.Selection) {
				id := c.AttrOr("id", "")
				if c.Closest("label").Length() == 0 && (id == "" || doc.Find(`label[for="`+id+`"]`).Length() == 0) {
					t.Errorf("GET %s: <%s name=%q> has no label", path, goquery.NodeName(c), c.AttrOr("name", ""))
				}
			})
			if doc.Find("main#content").Length() != 1 {
				t.Errorf("GET %s: no main", path)
			}
		}
	}
}
