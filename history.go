package vigie

import (
	"fmt"
	"slices"
	"time"
)

// HistoryFilter narrows PublishedRevisions; zero fields match everything.
type HistoryFilter struct {
	Country   string
	Indicator string
	// From and Until bound PublishedAt, both inclusive.
	From, Until time.Time
	// RatingChanges keeps only the revisions whose rating differs from
	// the one published before them for the same assessment (the first of
	// each included, whenever it was published): all RatingEvents needs.
	// Stores may leave all but the assessment's key, Number, State,
	// PublishedAt, Rating, Value and AsOf empty (the explanation and the
	// citations above all), and skip reading them.
	RatingChanges bool
	// With RatingChanges, At keeps of each assessment's changes only the
	// last at or before each of these instants (each change once, and
	// instants after Until read as Until): the ratings as they stood at
	// those instants, whatever happened in between. A chart of ratings
	// at each year's end reads assessments × years rows this way, however
	// long the history behind them.
	At []time.Time
	// With RatingChanges, Newest keeps only the Newest latest changes of
	// each assessment (at or before each instant of At, 1 when 0 with At;
	// all of them when 0 without).
	Newest int
	// With RatingChanges, Limit keeps only the first Limit of what is
	// kept (oldest first); 0 keeps all.
	Limit int
}

// Instants returns f.At with the instants after f.Until moved to it.
func (f HistoryFilter) Instants() []time.Time {
	at := slices.Clone(f.At)
	for i, t := range at {
		if !f.Until.IsZero() && t.After(f.Until) {
			at[i] = f.Until
		}
	}
	return at
}

// YearEnds lists the last instant of every year from first's to until's,
// ending with until itself: the instants at which a progress chart shows
// the ratings (see HistoryFilter.At).
func YearEnds(first, until time.Time) []time.Time {
	var out []time.Time
	for y := first.UTC().Year(); y < until.UTC().Year(); y++ {
		out = append(out, time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond))
	}
	return append(out, until)
}

// ChangeKind says how an assessment moved between two moments.
type ChangeKind string

const (
	ChangeUp   ChangeKind = "up"   // a better rating on the yes > partial > no axis
	ChangeDown ChangeKind = "down" // a worse one
	// ChangeRating is a new rating that is neither better nor worse: a
	// move to or from "no-data", "not-rated" or back to "not-yet-assessed".
	ChangeRating ChangeKind = "changed"
	// ChangeNew is the first rating of an assessment nobody had assessed.
	ChangeNew ChangeKind = "new"
	// ChangeRevised is new published content under the same rating.
	ChangeRevised ChangeKind = "revised"
)

// ratingRank is the up/down axis of the rating scale: yes > partial > no.
// "no-data" (looked, found nothing), "not-rated" (analysed, no rating
// given) and "not-yet-assessed" say nothing about how well the law
// protects children, so they are off the axis: a move to or from them is
// ChangeRating, or ChangeNew when nobody had assessed the indicator
// before. Ratings an admin adds are off the axis too until they are
// placed on it here.
var ratingRank = map[string]int{RatingYes: 3, RatingPartial: 2, RatingNo: 1}

// RatingChange classifies a move from one rating to another: "" when the
// rating did not change, ChangeNew from "not-yet-assessed", ChangeUp or
// ChangeDown along yes > partial > no, ChangeRating otherwise.
func RatingChange(before, after string) ChangeKind {
	switch {
	case before == after:
		return ""
	case before == RatingNotYetAssessed || before == "":
		return ChangeNew
	}
	b, bok := ratingRank[before]
	a, aok := ratingRank[after]
	switch {
	case !bok || !aok:
		return ChangeRating
	case a > b:
		return ChangeUp
	}
	return ChangeDown
}

// AssessmentChange is one assessment's move between two moments. Before
// is Unassessed (revision 0) when nothing was published at the start.
type AssessmentChange struct {
	Kind          ChangeKind
	Before, After Assessment
}

// DiffAssessments compares two states of the data, as AssessmentsAsOf
// returns them for the start and the end of a period, and lists every
// assessment whose published revision differs, in the order of after.
// An assessment with the same rating and a newer revision is
// ChangeRevised; one still "not-yet-assessed" is left out.
func DiffAssessments(before, after []Assessment) []AssessmentChange {
	type key struct{ country, indicator string }
	was := make(map[key]Assessment, len(before))
	for _, a := range before {
		was[key{a.Country, a.Indicator}] = a
	}
	var out []AssessmentChange
	for _, a := range after {
		b, ok := was[key{a.Country, a.Indicator}]
		if !ok {
			b = Unassessed(a.Country, a.Indicator)
		}
		if b.Revision == a.Revision {
			continue
		}
		kind := RatingChange(b.Rating, a.Rating)
		if kind == "" {
			if a.Rating == RatingNotYetAssessed {
				continue
			}
			kind = ChangeRevised
		}
		out = append(out, AssessmentChange{Kind: kind, Before: b, After: a})
	}
	return out
}

// RatingEvent is a published change of one assessment's rating: a line
// of a country's timeline.
type RatingEvent struct {
	At        time.Time // when the revision was published
	Country   string
	Indicator string
	Kind      ChangeKind // new, up, down or changed
	From, To  string     // rating keys; From is "not-yet-assessed" at first
	Revision  int
}

// RatingEvents reads published revisions, as PublishedRevisions returns
// them (oldest first), and keeps those that changed their assessment's
// rating, newest first. Revisions that only reworded an explanation are
// not events.
func RatingEvents(published []Revision) []RatingEvent {
	type key struct{ country, indicator string }
	current := map[key]string{}
	var out []RatingEvent
	for _, r := range published {
		k := key{r.Content.Country, r.Content.Indicator}
		from, ok := current[k]
		if !ok {
			from = RatingNotYetAssessed
		}
		current[k] = r.Content.Rating
		kind := RatingChange(from, r.Content.Rating)
		if kind == "" {
			continue
		}
		out = append(out, RatingEvent{At: r.PublishedAt, Country: k.country, Indicator: k.indicator,
			Kind: kind, From: from, To: r.Content.Rating, Revision: r.Number})
	}
	slices.Reverse(out)
	return out
}

// MonthEnding reports the month (its first day, UTC) whose last instant
// at is. The changes page asks for whole months at these instants, and
// stores may keep each past month's final state ready for them.
func MonthEnding(at time.Time) (month time.Time, ok bool) {
	next := at.UTC().Add(time.Nanosecond)
	month = time.Date(next.Year(), next.Month(), 1, 0, 0, 0, 0, time.UTC)
	if !next.Equal(month) {
		return time.Time{}, false
	}
	return month.AddDate(0, -1, 0), true
}

// MonthsToBuild lists, oldest first, the months (their first days, UTC)
// from the month of first to the last one over before now that built
// says are missing, at most limit of them, and reports whether more are
// missing: the months whose final state a store should keep next. A
// month over can change only by a write dated in the past.
func MonthsToBuild(first, now time.Time, built func(month time.Time) bool, limit int) (months []time.Time, more bool, err error) {
	if limit < 1 {
		return nil, false, fmt.Errorf("months to build: limit %d", limit)
	}
	first, now = first.UTC(), now.UTC()
	current := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(current); m = m.AddDate(0, 1, 0) {
		if built(m) {
			continue
		}
		if len(months) == limit {
			return months, true, nil
		}
		months = append(months, m)
	}
	return months, false, nil
}

// EndOfMonth is the last instant of the month that starts at month.
func EndOfMonth(month time.Time) time.Time { return month.AddDate(0, 1, 0).Add(-time.Nanosecond) }
