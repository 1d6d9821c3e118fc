package web

import (
	"context"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// timelineView is the country page's timeline: every published change of
// a rating, newest first, up to the as_of date when there is one.
type timelineView struct {
	Country  string
	AsOf     bool
	Events   []timelineEvent
	Earlier  bool // changes older than the Events shown, left to each indicator's history
	DateForm asOfForm
	Chart    chartView      // the nine ratings over the years (charts.go)
	changed  map[string]int // year of each indicator's latest rating change, for the glance
}

// timelineLength is how many changes a country page lists: decades of
// revisions would otherwise make it the heaviest page of the site.
const timelineLength = 30

// The texts of an event are written here rather than by the template:
// a country page shows thirty events, and each call in a template costs
// more than the text it makes.
type timelineEvent struct {
	Date      dateView
	When      string // Date in the page's language
	Key, Name string // the indicator
	Kind      vigie.ChangeKind
	KindLabel string
	From, To  ratingView
	Revision  int
	History   string // the assessment's public history at this revision, in the page's language
	// "revision 4", "of Age of consent" (for screen readers)
	RevisionLabel, Of string
}

func (s *Server) timeline(ctx context.Context, c vigie.Country, inds []vigie.Indicator, ratings []vigie.Rating, when asOf) (timelineView, error) {
	sc := newScale(ratings)
	// The latest changes of each indicator, one more than listed: the
	// newest timelineLength of the country are among them, each with the
	// change before it, which gives its "from".
	revs, err := s.store.PublishedRevisions(ctx, vigie.HistoryFilter{Country: c.ISO2, Until: when.At, RatingChanges: true, Newest: timelineLength + 1})
	if err != nil {
		return timelineView{}, err
	}
	names := indicatorsByKey(inds)
	t := timelineView{Country: c.Name(langOf(ctx)), AsOf: !when.At.IsZero()}
	events := vigie.RatingEvents(revs)
	t.changed = latestChangeYears(events)
	if len(events) > 0 {
		// The chart shows years: the rating each indicator held at the end
		// of each, and the last change within it.
		until := chartUntil(when)
		yearly, err := s.store.PublishedRevisions(ctx, vigie.HistoryFilter{Country: c.ISO2, Until: when.At, RatingChanges: true, At: chartEnds(until)})
		if err != nil {
			return timelineView{}, err
		}
		var legend []ratingView
		for _, r := range ratings {
			legend = append(legend, sc.view(r.Key))
		}
		label := i18n.Default().T(langOf(ctx), "progress.country_label", "Country", t.Country)
		t.Chart = chartView{ID: "ratings-chart", SVG: timelineChart("ratings-chart", inds, vigie.RatingEvents(yearly), until, label),
			Legend: chartLegend("ratings-chart", legend)}
	}
	if len(events) > timelineLength {
		t.Earlier = true
		events = events[:timelineLength]
	}
	lang, cat := langOf(ctx), i18n.Default()
	for _, e := range events {
		ind, ok := names[e.Indicator]
		if !ok {
			continue // an indicator no longer in the framework
		}
		date := newDate(e.At)
		t.Events = append(t.Events, timelineEvent{
			Date: date, When: date.in(lang), Key: ind.Key, Name: ind.Name, Kind: e.Kind, KindLabel: cat.T(lang, "change."+string(e.Kind)),
			From: sc.view(e.From), To: sc.view(e.To), Revision: e.Revision,
			History:       langPath(lang, revisionLink(historyPath(c, ind.Key), e.Revision)),
			RevisionLabel: cat.T(lang, "timeline.revision", "N", e.Revision),
			Of:            cat.T(lang, "timeline.of", "Indicator", ind.Name),
		})
	}
	return t, nil
}
