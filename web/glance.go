package web

import (
	"context"

	vigie "github.com/vigie-network/vigie"
)

// glanceItem is one indicator of a country at a glance: the summary that
// opens the country page, and a cell of the compare page.
type glanceItem struct {
	Key, Name string
	Link      string // the indicator's section of the country page
	Rating    ratingView
	Value     string // "16 years", in the page's language
	AsOf      string // the date of the law described, in the page's language
	Changed   int    // year the rating last changed in the published record; 0 if never
}

// ratingChangeYears reads, for one country, the year each indicator's
// published rating last changed, up to when.At.
func (s *Server) ratingChangeYears(ctx context.Context, iso2 string, when asOf) (map[string]int, error) {
	revs, err := s.store.PublishedRevisions(ctx, vigie.HistoryFilter{Country: iso2, Until: when.At, RatingChanges: true, Newest: 1})
	if err != nil {
		return nil, err
	}
	return latestChangeYears(vigie.RatingEvents(revs)), nil
}

// latestChangeYears keeps the newest event's year per indicator; events
// come newest first.
func latestChangeYears(events []vigie.RatingEvent) map[string]int {
	years := map[string]int{}
	for _, e := range events {
		if _, ok := years[e.Indicator]; !ok {
			years[e.Indicator] = e.At.Year()
		}
	}
	return years
}

// glanceOf builds a country's summary from the assessments the page
// shows, in the framework's order.
func glanceOf(page string, views []assessmentView, changed map[string]int) []glanceItem {
	out := make([]glanceItem, 0, len(views))
	for _, v := range views {
		out = append(out, glanceItem{Key: v.Key, Name: v.Name, Link: page + "#" + v.Key, Rating: v.Rating,
			Value: v.Value, AsOf: v.AsOf, Changed: changed[v.Key]})
	}
	return out
}
