package vigie

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// A store may keep each past month's final published ratings (see
// MonthEnding, MonthsToBuild), so that the changes page compares two
// states read whole instead of seeking every assessment's history at
// each end. RatingsAt decides how a state is found from them; the store
// moves the rows, through MonthStates.

// MonthStates is what a store that keeps month states reads for
// RatingsAt. Every list is of published ratings only (RatingsOnly), in
// the filter given.
type MonthStates interface {
	// MonthState is the state kept for the end of month (its first day,
	// UTC), by country then indicator; ok is false when it is not built.
	MonthState(ctx context.Context, month time.Time, f AssessmentFilter) (_ []Assessment, ok bool, _ error)
	// FirstPublication is the time of the first revision ever published,
	// or a moment before it (zero when nothing was published).
	FirstPublication(ctx context.Context) (time.Time, error)
	// PublishedBetween holds what each assessment's last revision
	// published after after and at or before until showed: at most one
	// per assessment, or all of them in order of publication.
	PublishedBetween(ctx context.Context, after, until time.Time, f AssessmentFilter) ([]Assessment, error)
	// Indicators is the Reader's: their positions order the states.
	Indicators(ctx context.Context) ([]Indicator, error)
}

// RatingsAt is AssessmentsAsOf for ratings only, found from the states a
// store keeps: at a month's last instant, that month's state; at any
// other, the state kept for the month before and what was published
// since, so that a span of days reads what happened in its partial
// months rather than every assessment's history. Before the first
// publication the state is empty, kept or not. ok is false when the month
// needed is not built, and the store reads its revisions.
func RatingsAt(ctx context.Context, m MonthStates, at time.Time, f AssessmentFilter) (_ []Assessment, ok bool, _ error) {
	if month, ok := MonthEnding(at); ok {
		if list, ok, err := m.MonthState(ctx, month, f); err != nil || ok {
			return list, ok, err
		}
	}
	month := MonthBefore(at)
	base, ok, err := m.MonthState(ctx, month, f)
	if err != nil {
		return nil, false, err
	}
	since := EndOfMonth(month)
	if !ok {
		first, err := m.FirstPublication(ctx)
		if err != nil || first.IsZero() || !since.Before(first) {
			return nil, false, err
		}
	}
	later, err := m.PublishedBetween(ctx, since, at, f)
	if err != nil || len(later) == 0 {
		return base, err == nil, err
	}
	inds, err := m.Indicators(ctx)
	if err != nil {
		return nil, false, err
	}
	position := make(map[string]int, len(inds))
	for _, ind := range inds {
		position[ind.Key] = ind.Position
	}
	return StateAfter(base, later, position), true, nil
}

// MonthBefore is the month (its first day, UTC) before the one at falls
// in: a store that keeps each past month's final state finds the state
// at any instant from that month's end and what was published since
// (StateAfter), so that a span of days reads what happened in its
// partial months rather than every assessment's history.
func MonthBefore(at time.Time) time.Time {
	at = at.UTC()
	return time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
}

// StateAfter is the published state at an instant, found from the state
// at an earlier one (base, as AssessmentsAsOf returns it: by country,
// then indicator) and what the revisions published after that up to the
// instant hold, in order of publication (time, then number). Each
// assessment shows the last of its later revisions, or else what base
// showed; the result keeps base's order, indicators ranked by position
// (key → place in the framework).
func StateAfter(base []Assessment, later []Assessment, position map[string]int) []Assessment {
	if len(later) == 0 {
		return base
	}
	type key struct{ country, indicator string }
	at := make(map[key]int, len(base))
	out := slices.Clone(base)
	for i, a := range out {
		at[key{a.Country, a.Indicator}] = i
	}
	added := false
	for _, a := range later {
		k := key{a.Country, a.Indicator}
		if i, ok := at[k]; ok {
			out[i] = a
			continue
		}
		at[k] = len(out)
		out = append(out, a)
		added = true
	}
	if added {
		slices.SortStableFunc(out, func(a, b Assessment) int {
			return cmp.Or(cmp.Compare(a.Country, b.Country), cmp.Compare(position[a.Indicator], position[b.Indicator]))
		})
	}
	return out
}
