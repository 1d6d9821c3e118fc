package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// indicatorPage is one indicator across the world: the map, the counts by
// rating for the world and each UN M49 region, and the table of every
// country, which also gives the map's information as text. The table
// filters by region and rating and sorts by any column through links and
// a GET form, so it works without JavaScript.
type indicatorPage struct {
	Indicator vigie.Indicator
	AsOf      *asOfView
	DateForm  asOfForm
	Map       mapView
	Counts    countsTable
	Progress  progressSection // countries by rating, year by year (charts.go)

	Regions, Ratings []choice // the filter form's options
	Hidden           []hiddenField
	Filter           string // "Western Africa, rated Partial", when filtered
	ClearFilter      string // the page without filters
	Columns          []sortColumn
	Rows             []verdictRow
	Total            int // countries in the world
	// Untranslated: some summaries are English, not yet translated.
	Untranslated bool
}

// countsTable counts countries by rating: one row for the world, one per
// region. Each count links to the table filtered to those countries.
type countsTable struct {
	Ratings []ratingView
	Rows    []countsRow
}

type countsRow struct {
	Name, Link string
	Cells      []countCell
	Total      int
}

type countCell struct {
	Count int
	Link  string
}

// sortColumn is a header of the country table: a link that sorts by it,
// ascending first, then the other way.
type sortColumn struct {
	Label, Link string
	Sort        string // "ascending" or "descending" when the table is sorted by it
}

// verdictRow is one country's answer to the indicator.
type verdictRow struct {
	Name, Link     string
	Rating         ratingView
	Value, Summary string
	// SummaryFallback: the summary is English, not yet translated.
	SummaryFallback bool
	AsOf            string // the date of the law, at its precision

	position, value int // sort keys
	asOfKey         string
}

// indicatorColumns are the table's columns and their sort keys.
var indicatorColumns = []struct{ key, label string }{
	{"country", "Country"}, {"rating", "Rating"}, {"value", "Value"}, {"summary", "Summary"}, {"as_of", "As of"},
}

func (s *Server) serveIndicator(w http.ResponseWriter, r *http.Request, ind vigie.Indicator) {
	ctx := r.Context()
	when, ok := s.readAsOf(w, r)
	if !ok {
		return
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sc := newScale(ratings)

	// Filters and order, each checked before anything is read.
	regionName, inRegion, ok := s.regionParam(w, r)
	if !ok {
		return
	}
	rating := trimParam(r, "rating")
	if _, known := sc[rating]; rating != "" && !known {
		s.badParam(w, r, "rating", "%s", tr(r, "badparam.no_rating", "Rating", rating))
		return
	}
	sortKey := cmp.Or(trimParam(r, "sort"), "country")
	if !slices.ContainsFunc(indicatorColumns, func(c struct{ key, label string }) bool { return c.key == sortKey }) {
		s.badParam(w, r, "sort", "%s", tr(r, "badparam.no_column", "Sort", sortKey))
		return
	}
	order := cmp.Or(trimParam(r, "order"), "asc")
	if order != "asc" && order != "desc" {
		s.badParam(w, r, "order", "%s", tr(r, "badparam.no_order", "Order", order))
		return
	}

	written, err := s.assessmentsAt(ctx, when, vigie.AssessmentFilter{Indicator: ind.Key})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	byCountry := byCountry(written)
	page := indicatorPage{Indicator: ind, AsOf: when.banner(r), DateForm: when.form(r),
		Hidden: hiddenFields(r, "region", "rating"), ClearFilter: linkWith(r, "region", "", "rating", "")}
	if page.Map, err = ratingMap(langOf(r.Context()), "map", ind, ratings, byCountry, when); err != nil {
		s.serverError(w, r, err)
		return
	}
	page.Counts = countByRegion(r, ratings, sc, byCountry)
	if page.Progress, err = s.indicatorProgress(r, ind, ratings, sc, inRegion, regionName, when); err != nil {
		s.serverError(w, r, err)
		return
	}
	// Summaries in the reader's language where the explanation is
	// translated (translate.go).
	lang := langOf(ctx)
	var keys []string
	for _, a := range byCountry {
		keys = append(keys, vigie.AssessmentKey(a.Country, a.Indicator))
	}
	trs, err := s.translator(ctx, lang, map[string][]string{vigie.KindAssessment: keys})
	if err != nil {
		s.serverError(w, r, err)
		return
	}

	for _, c := range vigie.Countries() {
		page.Total++
		a, ok := byCountry[c.ISO2]
		if !ok {
			a = vigie.Unassessed(c.ISO2, ind.Key)
		}
		if !inRegion(c) || (rating != "" && a.Rating != rating) {
			continue
		}
		summary := trs.text(vigie.KindAssessment, vigie.AssessmentKey(c.ISO2, ind.Key), "explanation", a.Explanation)
		page.Untranslated = page.Untranslated || summary.Fallback
		row := verdictRow{Name: c.Name(lang), Link: "/countries/" + c.Slug + when.query() + "#" + ind.Key,
			Rating: sc.view(a.Rating), Value: formatValueIn(lang, ind.ValueKind, a.Value),
			Summary: s.explanation.FirstSentence(summary.Text), SummaryFallback: summary.Fallback, AsOf: asOfIn(lang, a.AsOf),
			position: len(ratings), value: -1, asOfKey: a.AsOf.String()}
		if rt, ok := sc[a.Rating]; ok {
			row.position = rt.Position
		}
		if a.Value != nil {
			row.value = *a.Value
		}
		page.Rows = append(page.Rows, row)
	}
	sortVerdicts(page.Rows, sortKey, order == "desc")

	for _, col := range indicatorColumns {
		sc := sortColumn{Label: tr(r, "indicator.col_"+col.key), Link: linkWith(r, "sort", col.key, "order", "") + "#countries"}
		if col.key == "country" {
			sc.Link = linkWith(r, "sort", "", "order", "") + "#countries"
		}
		if col.key == sortKey {
			if order == "asc" {
				sc.Sort = "ascending"
				sc.Link = linkWith(r, "sort", col.key, "order", "desc") + "#countries"
			} else {
				sc.Sort = "descending"
			}
		}
		page.Columns = append(page.Columns, sc)
	}
	page.Regions = regionChoices(langOf(r.Context()), trimParam(r, "region"))
	for _, rt := range ratings {
		page.Ratings = append(page.Ratings, choice{Value: rt.Key, Label: rt.Label, Selected: rt.Key == rating})
	}
	var filter []string
	if regionName != "" {
		filter = append(filter, regionName)
	}
	if rating != "" {
		filter = append(filter, tr(r, "indicator.rated", "Rating", sc.view(rating).Label))
	}
	page.Filter = strings.Join(filter, ", ")
	s.render(w, r, http.StatusOK, "indicator", layout{Title: ind.Name, Nav: "indicators", Page: page})
}

// sortVerdicts orders the table by a column; the country's name breaks
// ties, and rows without a value or a date come last either way.
func sortVerdicts(rows []verdictRow, key string, desc bool) {
	byName := func(a, b verdictRow) int { return strings.Compare(vigie.Fold(a.Name), vigie.Fold(b.Name)) }
	slices.SortStableFunc(rows, byName)
	if key == "country" {
		if desc {
			slices.Reverse(rows)
		}
		return
	}
	dir := 1
	if desc {
		dir = -1
	}
	slices.SortStableFunc(rows, func(a, b verdictRow) int {
		switch key {
		case "rating":
			return dir * cmp.Compare(a.position, b.position)
		case "value":
			return lastIfMissing(a.value < 0, b.value < 0, dir*cmp.Compare(a.value, b.value))
		case "summary":
			return lastIfMissing(a.Summary == "", b.Summary == "", dir*strings.Compare(vigie.Fold(a.Summary), vigie.Fold(b.Summary)))
		case "as_of":
			return lastIfMissing(a.asOfKey == "", b.asOfKey == "", dir*strings.Compare(a.asOfKey, b.asOfKey))
		}
		return 0
	})
}

// lastIfMissing puts rows without the sorted value after the others.
func lastIfMissing(aMissing, bMissing bool, c int) int {
	switch {
	case aMissing && bMissing:
		return 0
	case aMissing:
		return 1
	case bMissing:
		return -1
	}
	return c
}

// countByRegion counts the countries at each rating, for the world and
// for each region; counts link to the filtered table.
func countByRegion(r *http.Request, ratings []vigie.Rating, sc scale, byCountry map[string]vigie.Assessment) countsTable {
	var t countsTable
	for _, rt := range ratings {
		t.Ratings = append(t.Ratings, sc.view(rt.Key))
	}
	type area struct{ name, code, slug string }
	lang := langOf(r.Context())
	areas := []area{{tr(r, "indicator.world"), "", ""}}
	for _, reg := range vigie.Regions() {
		areas = append(areas, area{reg.Names.In(lang), reg.Code, vigie.Slugify(reg.Names.EN)})
	}
	areas = append(areas, area{tr(r, "region.other_territories"), otherRegion, otherRegion})
	counts := make([]map[string]int, len(areas))
	for i := range counts {
		counts[i] = map[string]int{}
	}
	for _, c := range vigie.Countries() {
		rating := vigie.RatingNotYetAssessed
		if a, ok := byCountry[c.ISO2]; ok {
			rating = a.Rating
		}
		counts[0][rating]++
		code := c.Region.Code
		if code == "" {
			code = otherRegion
		}
		for i, ar := range areas[1:] {
			if ar.code == code {
				counts[i+1][rating]++
			}
		}
	}
	for i, ar := range areas {
		row := countsRow{Name: ar.name, Link: linkWith(r, "region", ar.slug, "rating", "") + "#countries"}
		for _, rt := range ratings {
			n := counts[i][rt.Key]
			row.Total += n
			cell := countCell{Count: n}
			if n > 0 {
				cell.Link = linkWith(r, "region", ar.slug, "rating", rt.Key) + "#countries"
			}
			row.Cells = append(row.Cells, cell)
		}
		if row.Total > 0 {
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}
