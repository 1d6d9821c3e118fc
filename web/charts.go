package web

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
	"github.com/vigie-network/vigie/worldmap"
)

// Progress over time (issue #15), drawn on the server as SVG: no script,
// no chart library. Every chart is built from the published revisions,
// as the public saw them at the end of each year, and stops at the as_of
// date when there is one.

// chartYears bounds the years a chart shows: the latest ones.
const chartYears = 20

// progress is how many countries stood at each rating at the end of each
// year, for one indicator and a set of countries.
type progress struct {
	Ratings []ratingView
	Years   []progressYear
}

type progressYear struct {
	Year   int
	Counts []int // in the order of Ratings
	Total  int
}

// countProgress counts, for each of the chart's ends (chartEnds) from
// the first at which one of the countries in is rated, the countries in
// at each rating: states[i] holds one indicator's published ratings at
// ends[i]. Countries without a published rating count as not yet
// assessed. It returns no years when none of those countries has one.
func countProgress(states [][]vigie.Assessment, ends []time.Time, ratings []vigie.Rating, sc scale, in func(vigie.Country) bool) progress {
	var p progress
	index := map[string]int{}
	for i, r := range ratings {
		p.Ratings = append(p.Ratings, sc.view(r.Key))
		index[r.Key] = i
	}
	countries := map[string]bool{}
	for _, c := range vigie.Countries() {
		if in(c) {
			countries[c.ISO2] = true
		}
	}
	first := slices.IndexFunc(states, func(state []vigie.Assessment) bool {
		return slices.ContainsFunc(state, func(a vigie.Assessment) bool { return countries[a.Country] })
	})
	if first < 0 {
		return p
	}
	for i := first; i < len(states); i++ {
		py := progressYear{Year: ends[i].UTC().Year(), Counts: make([]int, len(ratings)), Total: len(countries)}
		assessed := 0
		for _, a := range states[i] {
			if j, ok := index[a.Rating]; ok && countries[a.Country] {
				py.Counts[j]++
				assessed++
			}
		}
		// Never rated, or rated on a scale entry since removed.
		if j, ok := index[vigie.RatingNotYetAssessed]; ok {
			py.Counts[j] += len(countries) - assessed
		}
		p.Years = append(p.Years, py)
	}
	return p
}

// statesAtEnds reads the published ratings that f selects at each of
// ends: year ends are month ends, which a store may keep ready
// (vigie.RatingsAt), so a chart costs its years' states, not a seek per
// assessment and year.
func (s *Server) statesAtEnds(ctx context.Context, f vigie.AssessmentFilter, ends []time.Time) ([][]vigie.Assessment, error) {
	f.RatingsOnly = true
	out := make([][]vigie.Assessment, len(ends))
	for i, at := range ends {
		list, err := s.store.AssessmentsAsOf(ctx, at, f)
		if err != nil {
			return nil, err
		}
		out[i] = list
	}
	return out, nil
}

// chartEnds are the instants a chart shows up to until: the end of each
// of its years, the last one until itself.
func chartEnds(until time.Time) []time.Time {
	return vigie.YearEnds(time.Date(until.UTC().Year()-chartYears+1, 1, 1, 0, 0, 0, 0, time.UTC), until)
}

// chartUntil is the last instant of the charts at when: now, or the as_of
// date.
func chartUntil(when asOf) time.Time {
	if when.At.IsZero() {
		return time.Now()
	}
	return when.At
}

// progressOf reads one indicator's published rating at the end of each
// year of the chart, up to when, and counts them for the countries in:
// countries × years rows, however many changes came in between.
func (s *Server) progressOf(ctx context.Context, key string, ratings []vigie.Rating, sc scale, in func(vigie.Country) bool, when asOf) (progress, error) {
	ends := chartEnds(chartUntil(when))
	states, err := s.statesAtEnds(ctx, vigie.AssessmentFilter{Indicator: key}, ends)
	if err != nil {
		return progress{}, err
	}
	return countProgress(states, ends, ratings, sc, in), nil
}

// chartView is a drawn chart ready for a template: the SVG (escaped as it
// is written) and the legend.
type chartView struct {
	ID     string
	SVG    template.HTML
	Legend template.HTML
}

// ratingPaint is the fill of a rating in a drawing with the chart's defs.
func ratingPaint(id, key string) string { return worldmap.Paint(id, worldmap.RatingFill(key)) }

// esc escapes text for an SVG attribute or element.
func esc(s string) string { return template.HTMLEscapeString(s) }

// stackedBars draws p as one bar per year, the ratings stacked in the
// order of the scale from the bottom. small leaves out the axis and the
// tooltips, for the home page's small multiples. label is the accessible
// name of the image.
func stackedBars(id string, p progress, label string, small bool, lang string) template.HTML {
	const h, top = 200.0, 8.0
	w, left, bottom := 560.0, 34.0, 26.0
	if small {
		w, left, bottom = 260.0, 4.0, 22.0
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-label="%s" focusable="false">`, esc(id), w, h+top+bottom, esc(label))
	b.WriteString(worldmap.PatternDefs(id))
	n := len(p.Years)
	if n == 0 {
		b.WriteString("</svg>")
		return template.HTML(b.String())
	}
	total := p.Years[0].Total
	band := (w - left - 4) / float64(n)
	barW := min(band*0.72, 40) // a few years still read as bars
	if !small {
		// Gridlines at 0, a half and the whole, labelled with counts.
		for _, f := range []float64{0, 0.5, 1} {
			y := top + h - f*h
			fmt.Fprintf(&b, `<path d="M%g %.1fH%g" stroke="#d0d7de"/><text x="%g" y="%.1f" font-size="12" text-anchor="end" fill="#4a4f55">%d</text>`,
				left, y, w-2, left-4, y+4, int(f*float64(total)+0.5))
		}
	}
	every := 1
	if limit := int(w / 42); n > limit {
		every = (n + limit - 1) / limit
	}
	cat := i18n.Default()
	for i, yr := range p.Years {
		x := left + float64(i)*band + (band-barW)/2
		y := top + h
		for j, c := range yr.Counts {
			if c == 0 || total == 0 {
				continue
			}
			bh := h * float64(c) / float64(total)
			y -= bh
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="#fff" stroke-width=".5">`,
				x, y, barW, bh, esc(ratingPaint(id, p.Ratings[j].Key)))
			if !small {
				fmt.Fprintf(&b, `<title>%s</title>`, esc(cat.T(lang, "chart.bar_title", "Year", strconv.Itoa(yr.Year), "Rating", p.Ratings[j].Label, "N", c)))
			}
			b.WriteString(`</rect>`)
		}
		if (n-1-i)%every == 0 {
			year := strconv.Itoa(yr.Year)
			if small && n > 6 {
				year = "’" + year[len(year)-2:]
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="12" text-anchor="middle" fill="#1f2328">%s</text>`, x+barW/2, top+h+17, year)
		}
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// chartLegend is the legend of the charts: the map's, whose swatches use
// the same palette.
func chartLegend(id string, ratings []ratingView) template.HTML {
	opts := worldmap.Options{ID: id}
	for _, r := range ratings {
		opts.Legend = append(opts.Legend, worldmap.LegendItem{Fill: worldmap.RatingFill(r.Key), Label: r.Label})
	}
	var b strings.Builder
	if err := worldmap.RenderLegend(&b, opts); err != nil {
		return ""
	}
	return template.HTML(b.String())
}

// progressCSV writes p as CSV: a year per row, a column per rating,
// headed by the rating's key. Like every file of the site, it is the same
// in every language.
func progressCSV(p progress) string {
	var b strings.Builder
	b.WriteString("year")
	for _, r := range p.Ratings {
		b.WriteString("," + csvField(r.Key))
	}
	b.WriteString(",countries\r\n")
	for _, y := range p.Years {
		b.WriteString(strconv.Itoa(y.Year))
		for _, c := range y.Counts {
			b.WriteString("," + strconv.Itoa(c))
		}
		b.WriteString("," + strconv.Itoa(y.Total) + "\r\n")
	}
	return b.String()
}

// csvField quotes a field when it needs it, and defuses text a
// spreadsheet would read as a formula.
func csvField(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		s = "'" + s
	}
	if strings.ContainsAny(s, "\",\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// timelineChart draws a country's nine ratings over the years: a row per
// indicator, its name above a strip coloured by the rating it held, and a
// mark at each change. events come newest first, as RatingEvents returns
// them; the list of changes under the chart says the same in words.
func timelineChart(id string, inds []vigie.Indicator, events []vigie.RatingEvent, until time.Time, label string) template.HTML {
	if len(events) == 0 {
		return ""
	}
	first := until.UTC().Year()
	for _, e := range events {
		first = min(first, e.At.UTC().Year())
	}
	first = max(first, until.UTC().Year()-chartYears+1)
	start := time.Date(first, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(until.UTC().Year()+1, 1, 1, 0, 0, 0, 0, time.UTC)
	const w, left, right, row = 560.0, 2.0, 2.0, 34.0
	span := end.Sub(start).Seconds()
	xOf := func(t time.Time) float64 {
		f := t.Sub(start).Seconds() / span
		return left + (w-left-right)*min(max(f, 0), 1)
	}
	h := row*float64(len(inds)) + 22
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" id="%s" viewBox="0 0 %g %g" role="img" aria-label="%s" focusable="false">`, esc(id), w, h, esc(label))
	b.WriteString(worldmap.PatternDefs(id))
	byIndicator := map[string][]vigie.RatingEvent{}
	for i := len(events) - 1; i >= 0; i-- { // oldest first
		byIndicator[events[i].Indicator] = append(byIndicator[events[i].Indicator], events[i])
	}
	for i, ind := range inds {
		y := float64(i) * row
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" font-size="12" fill="#1f2328">%s</text>`, left, y+12, esc(ind.Name))
		evs := byIndicator[ind.Key]
		// Before the first change, not yet assessed.
		from, rating := start, vigie.RatingNotYetAssessed
		draw := func(to time.Time) {
			x0, x1 := xOf(from), xOf(to)
			if x1-x0 >= 0.5 { // narrower would not show: a busy year stays a few elements
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="12" fill="%s" stroke="#8c959f" stroke-width=".5"/>`,
					x0, y+16, x1-x0, esc(ratingPaint(id, rating)))
			}
		}
		for _, e := range evs {
			draw(e.At)
			from, rating = e.At, e.To
		}
		draw(end)
		lastMark := -10.0
		for _, e := range evs {
			if x := xOf(e.At); !e.At.Before(start) && x-lastMark >= 3 { // marks closer would merge
				fmt.Fprintf(&b, `<path class="mark" d="M%.1f %.1fv18" stroke="#1f2328" stroke-width="2"/>`, x, y+13)
				lastMark = x
			}
		}
	}
	axis := h - 6
	every := max(1, (end.Year()-first+9)/10)
	for y := first; y < end.Year(); y++ {
		if (end.Year()-1-y)%every != 0 {
			continue
		}
		x := xOf(time.Date(y, 7, 1, 0, 0, 0, 0, time.UTC))
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" font-size="12" text-anchor="middle" fill="#4a4f55">%d</text>`, x, axis, y)
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// progressSection is the indicator page's chart of countries by rating,
// year by year, with the same figures as a table and as CSV.
type progressSection struct {
	Chart   chartView
	Data    progress
	Region  string // the region's name, when the page is filtered
	CSV     string // the figures as CSV, with the page's filters
	Regions []choice
	Hidden  []hiddenField
}

func (s *Server) indicatorProgress(r *http.Request, ind vigie.Indicator, ratings []vigie.Rating, sc scale, in func(vigie.Country) bool, region string, when asOf) (progressSection, error) {
	ctx := r.Context()
	lang := langOf(ctx)
	p, err := s.progressOf(ctx, ind.Key, ratings, sc, in, when)
	if err != nil {
		return progressSection{}, err
	}
	sec := progressSection{Data: p, Region: region, Regions: regionChoices(lang, trimParam(r, "region")),
		Hidden: hiddenFields(r, "region"), CSV: langPath(lang, strings.Replace(linkWith(r, "sort", "", "order", "", "rating", ""),
			"/indicators/"+ind.Key, "/indicators/"+ind.Key+"/progress.csv", 1))}
	if len(p.Years) > 0 {
		where := region
		if where == "" {
			where = tr(r, "indicator.world")
		}
		label := tr(r, "progress.label", "Indicator", ind.Name, "Region", where,
			"From", strconv.Itoa(p.Years[0].Year), "To", strconv.Itoa(p.Years[len(p.Years)-1].Year))
		sec.Chart = chartView{ID: "progress", SVG: stackedBars("progress", p, label, false, lang), Legend: chartLegend("progress", p.Ratings)}
	}
	return sec, nil
}

// handleProgressCSV serves an indicator's chart as CSV:
// /indicators/{key}/progress.csv?region=…&as_of=…
func (s *Server) handleProgressCSV(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	inds, ratings, err := s.framework(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ind, ok := indicatorsByKey(inds)[r.PathValue("key")]
	if !ok {
		s.notFoundMessage(w, r, tr(r, "error.no_indicator"))
		return
	}
	when, ok := s.readAsOf(w, r)
	if !ok {
		return
	}
	_, in, ok := s.regionParam(w, r)
	if !ok {
		return
	}
	p, err := s.progressOf(ctx, ind.Key, ratings, newScale(ratings), in, when)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	name := ind.Key + "-progress"
	if region := trimParam(r, "region"); region != "" {
		name += "-" + vigie.Slugify(region)
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	io.WriteString(w, progressCSV(p))
}

// smallMultiple is one indicator's chart on the home page.
type smallMultiple struct {
	Key, Name string
	SVG       template.HTML
}

// globalProgress draws the home page's small multiples: every indicator's
// countries by rating, year by year, across the world, from one read of
// the history.
type globalProgress struct {
	Charts []smallMultiple
	Legend template.HTML
}

func (s *Server) globalProgress(ctx context.Context, inds []vigie.Indicator, when asOf) (*globalProgress, error) {
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		return nil, err
	}
	ends := chartEnds(chartUntil(when))
	states, err := s.statesAtEnds(ctx, vigie.AssessmentFilter{}, ends)
	if err != nil {
		return nil, err
	}
	byIndicator := map[string][][]vigie.Assessment{}
	for _, ind := range inds {
		byIndicator[ind.Key] = make([][]vigie.Assessment, len(ends))
	}
	for i, state := range states {
		for _, a := range state {
			if list, ok := byIndicator[a.Indicator]; ok {
				list[i] = append(list[i], a)
			}
		}
	}
	sc, lang := newScale(ratings), langOf(ctx)
	everywhere := func(vigie.Country) bool { return true }
	g := &globalProgress{}
	cat := i18n.Default()
	for _, ind := range inds {
		p := countProgress(byIndicator[ind.Key], ends, ratings, sc, everywhere)
		if len(p.Years) == 0 {
			continue
		}
		if g.Legend == "" {
			g.Legend = chartLegend("global", p.Ratings)
		}
		label := cat.T(lang, "progress.small_label", "Indicator", ind.Name,
			"From", strconv.Itoa(p.Years[0].Year), "To", strconv.Itoa(p.Years[len(p.Years)-1].Year))
		g.Charts = append(g.Charts, smallMultiple{Key: ind.Key, Name: ind.Name, SVG: stackedBars("gp-"+ind.Key, p, label, true, lang)})
	}
	if len(g.Charts) == 0 {
		return nil, nil
	}
	return g, nil
}
