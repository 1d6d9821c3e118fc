package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// monthStateBuilder is a store that keeps each past month's final state
// ready for readers of ratings only (SQLite's month_states).
type monthStateBuilder interface {
	BuildMonthStates(ctx context.Context, now time.Time, limit int) (built int, more bool, err error)
}

// testMonthStates: the published ratings at the last instant of a month,
// and at instants within months, are the same whether read as ratings
// only (which a store may answer from a copy of each month's state and
// what was published since) or whole (always from the revisions), before the copies are built, after, and after writes that
// change past months: a backdated save, a restore, a review.
func testMonthStates(t *testing.T, s vigie.Store) {
	age := func(n int) *int { return &n }
	ml := extraterritoriality()
	sn := vigie.Assessment{Country: "SN", Indicator: "age-of-consent", Rating: vigie.RatingPartial, Value: age(15), AsOf: vigie.AsOf{Year: 2023}}
	fr := vigie.Assessment{Country: "FR", Indicator: "csam-definition", Rating: vigie.RatingNo}
	save(t, s, ml, day(2024, 1, 10, 10, 0))
	save(t, s, sn, day(2024, 1, 31, 23, 59).Add(59*time.Second+999*time.Millisecond)) // the month's last millisecond
	ml.Rating = vigie.RatingYes
	save(t, s, ml, day(2024, 2, 1, 0, 0)) // the next month's first instant
	// March and April: nothing published.
	sn.Value, sn.Explanation = age(16), "Raised."
	save(t, s, sn, day(2024, 5, 5, 0, 0))
	save(t, s, fr, day(2024, 5, 20, 0, 0))

	// Every month's end, and instants within months, which a store may
	// find from the month before's end and what was published since: the
	// instants of publication themselves (the bound is inclusive), a
	// nanosecond before them, the first instant and the middle of each
	// month.
	ends := monthEnds(day(2023, 12, 1, 0, 0), day(2024, 8, 1, 0, 0))
	for m := day(2023, 12, 1, 0, 0); m.Before(day(2024, 8, 1, 0, 0)); m = m.AddDate(0, 1, 0) {
		ends = append(ends, m, m.AddDate(0, 0, 14))
	}
	for _, at := range []time.Time{day(2024, 1, 10, 10, 0), day(2024, 1, 21, 0, 0), day(2024, 1, 31, 23, 59).Add(59*time.Second + 999*time.Millisecond),
		day(2024, 3, 15, 0, 0), day(2024, 5, 5, 0, 0), day(2024, 5, 20, 0, 0), day(2024, 6, 3, 0, 0)} {
		ends = append(ends, at, at.Add(-time.Nanosecond))
	}
	sameBothWays(t, s, ends, "before any month is built")
	b, ok := s.(monthStateBuilder)
	build := func() {}
	if ok {
		build = func() {
			t.Helper()
			if _, more, err := b.BuildMonthStates(ctx, day(2024, 7, 15, 0, 0), 2); err != nil {
				t.Fatal(err)
			} else if more {
				// Two at a time, to cross the limit; then the rest.
				if _, more, err = b.BuildMonthStates(ctx, day(2024, 7, 15, 0, 0), 100); err != nil || more {
					t.Fatalf("building the rest: more %v, %v", more, err)
				}
			}
		}
	}
	build()
	sameBothWays(t, s, ends, "built")

	// A save backdated into the quiet March, left unbuilt, then built.
	fr.Rating = vigie.RatingYes
	save(t, s, fr, day(2024, 3, 15, 0, 0))
	sameBothWays(t, s, ends, "after a save in March")
	build()
	sameBothWays(t, s, ends, "after a save in March, built again")

	// Restored revisions, as an import writes them, then built again.
	restore := func(when string, number, base int, published time.Time, rating, explanation string) {
		t.Helper()
		a := ml
		a.Rating, a.Explanation = rating, explanation
		update(t, s, func(tx vigie.Tx) error {
			_, _, err := tx.RestoreRevisions(ctx, []vigie.Restore{{Revision: vigie.Revision{Number: number, Base: base,
				State: vigie.RevisionPublished, Author: "archivist", CreatedAt: published.AddDate(0, 0, -1),
				PublishedAt: published, Reviewer: "editor", Content: a}}})
			return err
		})
		sameBothWays(t, s, ends, "after a restore "+when)
		build()
		sameBothWays(t, s, ends, "after a restore "+when+", built again")
	}
	// One published in January, between two others.
	restore("into January", 3, 1, day(2024, 1, 21, 0, 0), vigie.RatingNo, "Found in an old backup.")
	// One published at the very instant of one already there: the greater
	// number wins the tie.
	restore("tied with February's revision", 4, 2, day(2024, 2, 1, 0, 0), vigie.RatingPartial, "Restored: published at the same instant as revision 2.")
	if got := ratingsOf(asOf(t, s, day(2024, 2, 10, 0, 0), vigie.AssessmentFilter{Country: "ML", RatingsOnly: true})); got != "ML/extraterritoriality-extradition=partial#4" {
		t.Errorf("10 February, after the tie: %q, want revision 4", got)
	}

	// A revision submitted in April and published by a review dated June.
	sn.Rating = vigie.RatingYes
	submitAndReview(t, s, sn, 2, day(2024, 4, 2, 0, 0), vigie.RevisionPublished, day(2024, 6, 3, 0, 0))
	sameBothWays(t, s, ends, "after a review published in June")
	build()
	sameBothWays(t, s, ends, "after a review published in June, built again")

	// What the changes page compares, read as ratings only, spelled out.
	got := ratingsOf(asOf(t, s, vigie.EndOfMonth(day(2024, 4, 1, 0, 0)), vigie.AssessmentFilter{RatingsOnly: true}))
	if want := "FR/csam-definition=yes#2 ML/extraterritoriality-extradition=partial#4 SN/age-of-consent=partial#1"; got != want {
		t.Errorf("end of April: %q, want %q", got, want)
	}
	got = ratingsOf(asOf(t, s, day(2024, 5, 10, 0, 0), vigie.AssessmentFilter{RatingsOnly: true}))
	if want := "FR/csam-definition=yes#2 ML/extraterritoriality-extradition=partial#4 SN/age-of-consent=partial#2"; got != want {
		t.Errorf("10 May: %q, want %q", got, want)
	}
}

// monthEnds lists the last instant of every month from the month of from
// to the month before until.
func monthEnds(from, until time.Time) []time.Time {
	var out []time.Time
	for m := from; m.Before(until); m = m.AddDate(0, 1, 0) {
		out = append(out, vigie.EndOfMonth(m))
	}
	return out
}

// sameBothWays compares, at each instant and under each filter, the
// ratings read alone with the ratings of the whole assessments.
func sameBothWays(t *testing.T, s vigie.Store, instants []time.Time, when string) {
	t.Helper()
	line := func(list []vigie.Assessment) string {
		var out []string
		for _, a := range list {
			value := "-"
			if a.Value != nil {
				value = fmt.Sprint(*a.Value)
			}
			out = append(out, fmt.Sprintf("%s/%s=%s %s %v #%d %s", a.Country, a.Indicator, a.Rating, value, a.AsOf, a.Revision,
				a.UpdatedAt.UTC().Format(time.RFC3339Nano)))
		}
		return strings.Join(out, "; ")
	}
	for _, at := range instants {
		for _, f := range []vigie.AssessmentFilter{{}, {Country: "SN"}, {Indicator: "extraterritoriality-extradition"}} {
			whole := line(asOf(t, s, at, f))
			f.RatingsOnly = true
			if light := line(asOf(t, s, at, f)); light != whole {
				t.Errorf("%s, at %s, %+v:\nratings only %s\nwhole        %s", when, at.Format(time.RFC3339Nano), f, light, whole)
			}
		}
	}
}
