package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// exploreTests cover what the public reads to explore the data (issue #5):
// the published state at a past instant, the public history, and search.
func exploreTests() []namedTest {
	return []namedTest{
		{"AssessmentsAsOf", testAssessmentsAsOf},
		{"AssessmentsAsOfReview", testAssessmentsAsOfReview},
		{"MonthStatesFollowEveryWrite", testMonthStates},
		{"PublishedRevisions", testPublishedRevisions},
		{"RatingsOnly", testRatingsOnly},
		{"RatingChanges", testRatingChanges},
		{"RatingChangesFollowEveryWrite", testRatingChangesFollowWrites},
		{"RatingChangesAtInstants", testRatingChangesAt},
		{"PublishedHistoryPages", testPublishedHistory},
		{"SearchFoldsAccentsAndMatchesPrefixes", testSearchFolding},
		{"SearchRanksTheObviousFirst", testSearchRanking},
		{"SearchFilters", testSearchFilters},
		{"SearchOnlyPublished", testSearchOnlyPublished},
		{"SearchEveryKind", testSearchEveryKind},
		{"SearchFollowsWritesInTheTransaction", testSearchTransactions},
		{"SearchUntrustedInput", testSearchUntrustedInput},
		{"SearchSnippetsAndPaging", testSearchSnippets},
	}
}

func day(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func save(t *testing.T, s vigie.Store, a vigie.Assessment, at time.Time) {
	t.Helper()
	update(t, s, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "researcher", Reason: "test", At: at})
		return err
	})
}

// submitAndReview submits a as the revision after base, dated submitted,
// and reviews that revision (base+1) to state, dated reviewed.
func submitAndReview(t *testing.T, s vigie.Store, a vigie.Assessment, base int, submitted time.Time, state string, reviewed time.Time) {
	t.Helper()
	update(t, s, func(tx vigie.Tx) error {
		if _, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionSubmitted, Base: base,
			Change: vigie.Change{Author: "researcher", At: submitted}}); err != nil {
			return err
		}
		_, err := tx.ReviewRevision(ctx, a.Country, a.Indicator, base+1, vigie.Review{State: state, Reviewer: "editor", At: reviewed})
		return err
	})
}

func asOf(t *testing.T, s vigie.Reader, at time.Time, f vigie.AssessmentFilter) []vigie.Assessment {
	t.Helper()
	list, err := s.AssessmentsAsOf(ctx, at, f)
	if err != nil {
		t.Fatalf("AssessmentsAsOf(%s, %+v): %v", at.Format(time.RFC3339Nano), f, err)
	}
	return list
}

func ratingsOf(list []vigie.Assessment) string {
	var out []string
	for _, a := range list {
		out = append(out, fmt.Sprintf("%s/%s=%s#%d", a.Country, a.Indicator, a.Rating, a.Revision))
	}
	return strings.Join(out, " ")
}

func testAssessmentsAsOf(t *testing.T, s vigie.Store) {
	first := extraterritoriality() // partial
	t1 := day(2024, 1, 10, 10, 0)
	// Half a second: stores must compare instants, not their text.
	t2 := day(2024, 6, 1, 9, 30).Add(500 * time.Millisecond)
	save(t, s, first, t1)
	second := first
	second.Rating, second.Explanation = vigie.RatingYes, "Now the courts may try everyone."
	second.Citations = first.Citations[:1]
	save(t, s, second, t2)
	save(t, s, vigie.Assessment{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingNo}, t1.Add(time.Hour))

	const ext = "ML/extraterritoriality-extradition"
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{t1.Add(-time.Nanosecond), ""},
		{t1, ext + "=partial#1"},
		{t1.Add(30 * time.Minute), ext + "=partial#1"},
		{t2.Add(-time.Millisecond), ext + "=partial#1 SN/csam-definition=no#1"},
		{t2.Truncate(time.Second), ext + "=partial#1 SN/csam-definition=no#1"},
		{t2, ext + "=yes#2 SN/csam-definition=no#1"},
		{day(2030, 1, 1, 0, 0), ext + "=yes#2 SN/csam-definition=no#1"},
	} {
		if got := ratingsOf(asOf(t, s, tt.at, vigie.AssessmentFilter{})); got != tt.want {
			t.Errorf("as of %s: %q, want %q", tt.at.Format(time.RFC3339Nano), got, tt.want)
		}
	}

	// The past comes back whole: content, citations in order, its date.
	past := asOf(t, s, day(2024, 3, 1, 0, 0), vigie.AssessmentFilter{Country: "ML"})
	if len(past) != 1 || !past[0].SameContent(first) || past[0].Revision != 1 || !past[0].UpdatedAt.Equal(t1) {
		t.Fatalf("ML as of March 2024 = %+v, want the first revision", past)
	}
	if len(past[0].Citations) != 3 || past[0].Citations[2].Articles != "Art. 16, 17" || past[0].Citations[0].Source.ID == 0 {
		t.Errorf("citations as of March 2024 = %+v", past[0].Citations)
	}
	now := asOf(t, s, day(2030, 1, 1, 0, 0), vigie.AssessmentFilter{})
	current, err := s.Assessments(ctx, vigie.AssessmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if ratingsOf(now) != ratingsOf(current) || len(now[0].Citations) != 1 {
		t.Errorf("as of the future = %q, want Assessments = %q", ratingsOf(now), ratingsOf(current))
	}

	// Filters, as in Assessments.
	if got := ratingsOf(asOf(t, s, t2, vigie.AssessmentFilter{Indicator: "csam-definition"})); got != "SN/csam-definition=no#1" {
		t.Errorf("by indicator: %q", got)
	}
	if got := asOf(t, s, t2, vigie.AssessmentFilter{Country: "ML", Indicator: "csam-definition"}); len(got) != 0 {
		t.Errorf("ML csam-definition as of t2 = %q, want nothing", ratingsOf(got))
	}
}

// A revision is public from its review, not from when it was written;
// drafts and returned revisions never are.
func testAssessmentsAsOfReview(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	save(t, s, a, day(2024, 1, 1, 0, 0))
	submit := func(rating string, at time.Time, base int) {
		b := a
		b.Rating = rating
		update(t, s, func(tx vigie.Tx) error {
			_, err := tx.AddRevision(ctx, b, vigie.NewRevision{State: vigie.RevisionSubmitted, Base: base,
				Change: vigie.Change{Author: "ana", At: at}})
			return err
		})
	}
	review := func(number int, state string, at time.Time) {
		update(t, s, func(tx vigie.Tx) error {
			_, err := tx.ReviewRevision(ctx, "ML", a.Indicator, number, vigie.Review{State: state, Reviewer: "rui", At: at})
			return err
		})
	}
	submit(vigie.RatingNo, day(2024, 2, 1, 0, 0), 1)
	review(2, vigie.RevisionReturned, day(2024, 2, 2, 0, 0))
	submit(vigie.RatingYes, day(2024, 3, 1, 0, 0), 2)
	review(3, vigie.RevisionPublished, day(2024, 4, 1, 0, 0))
	sameCurrentRatings(t, s)
	const ext = "ML/extraterritoriality-extradition"
	for at, want := range map[time.Time]string{
		day(2024, 2, 15, 0, 0): ext + "=partial#1", // returned: never public
		day(2024, 3, 15, 0, 0): ext + "=partial#1", // submitted, not yet reviewed
		day(2024, 4, 1, 0, 0):  ext + "=yes#3",
	} {
		if got := ratingsOf(asOf(t, s, at, vigie.AssessmentFilter{})); got != want {
			t.Errorf("as of %s: %q, want %q", at.Format(time.DateOnly), got, want)
		}
	}
	got := asOf(t, s, day(2024, 5, 1, 0, 0), vigie.AssessmentFilter{})
	if len(got) != 1 || !got[0].UpdatedAt.Equal(day(2024, 4, 1, 0, 0)) {
		t.Errorf("UpdatedAt of a reviewed revision = %+v, want its publication time", got)
	}
}

func testPublishedRevisions(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	save(t, s, a, day(2024, 1, 1, 0, 0))
	b := vigie.Assessment{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingNo}
	save(t, s, b, day(2024, 2, 1, 0, 0))
	a.Rating = vigie.RatingYes
	save(t, s, a, day(2024, 3, 1, 0, 0))
	a.Rating = vigie.RatingNo
	update(t, s, func(tx vigie.Tx) error { // a draft is no history
		_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionDraft, Base: 2, Change: vigie.Change{Author: "ana"}})
		return err
	})
	list := func(f vigie.HistoryFilter) string {
		t.Helper()
		revs := publishedRevisions(t, s, f)
		for _, r := range revs {
			if r.State != vigie.RevisionPublished || r.PublishedAt.IsZero() {
				t.Errorf("PublishedRevisions returned a %s revision: %+v", r.State, r)
			}
		}
		return revisionSummary(revs)
	}
	for _, tt := range []struct {
		f    vigie.HistoryFilter
		want string
	}{
		{vigie.HistoryFilter{}, "ML=partial#1 SN=no#1 ML=yes#2"},
		{vigie.HistoryFilter{Country: "ML"}, "ML=partial#1 ML=yes#2"},
		{vigie.HistoryFilter{Indicator: "csam-definition"}, "SN=no#1"},
		{vigie.HistoryFilter{From: day(2024, 2, 1, 0, 0)}, "SN=no#1 ML=yes#2"},
		{vigie.HistoryFilter{Until: day(2024, 2, 1, 0, 0)}, "ML=partial#1 SN=no#1"},
		{vigie.HistoryFilter{From: day(2024, 1, 2, 0, 0), Until: day(2024, 2, 28, 0, 0)}, "SN=no#1"},
		{vigie.HistoryFilter{Country: "FR"}, ""},
	} {
		if got := list(tt.f); got != tt.want {
			t.Errorf("PublishedRevisions(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
	revs, _ := s.PublishedRevisions(ctx, vigie.HistoryFilter{Country: "ML"})
	if len(revs) == 2 && len(revs[0].Content.Citations) != 3 {
		t.Errorf("a past revision lost its citations: %+v", revs[0].Content.Citations)
	}
}

// testRatingsOnly: readers of ratings get the same assessments, with
// their ratings, values and dates, whether or not the store leaves the
// text and the citations out.
func testRatingsOnly(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	save(t, s, a, day(2024, 1, 1, 0, 0))
	age := 16
	save(t, s, vigie.Assessment{Country: "SN", Indicator: "age-of-consent", Rating: vigie.RatingPartial, Value: &age,
		Explanation: "Sixteen years."}, day(2024, 2, 1, 0, 0))
	a.Rating = vigie.RatingYes
	save(t, s, a, day(2024, 3, 1, 0, 0))

	summary := func(a vigie.Assessment) string {
		v := "-"
		if a.Value != nil {
			v = fmt.Sprint(*a.Value)
		}
		return fmt.Sprintf("%s/%s=%s(%s)@%v", a.Country, a.Indicator, a.Rating, v, a.AsOf)
	}
	for _, f := range []vigie.AssessmentFilter{{}, {Country: "ML"}, {Indicator: "age-of-consent"}} {
		full, err := s.Assessments(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		pastFull, err := s.AssessmentsAsOf(ctx, day(2024, 2, 15, 0, 0), f)
		if err != nil {
			t.Fatal(err)
		}
		f.RatingsOnly = true
		light, err := s.Assessments(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		pastLight, err := s.AssessmentsAsOf(ctx, day(2024, 2, 15, 0, 0), f)
		if err != nil {
			t.Fatal(err)
		}
		if len(full) == 0 || len(full) != len(light) || len(pastFull) == 0 || len(pastFull) != len(pastLight) {
			t.Fatalf("Assessments(%+v): %d, full %d; as of February: %d, full %d", f, len(light), len(full), len(pastLight), len(pastFull))
		}
		for i := range pastFull {
			if got, want := summary(pastLight[i])+fmt.Sprint(pastLight[i].Revision, pastLight[i].UpdatedAt),
				summary(pastFull[i])+fmt.Sprint(pastFull[i].Revision, pastFull[i].UpdatedAt); got != want {
				t.Errorf("AssessmentsAsOf(February, %+v)[%d] = %s, want %s", f, i, got, want)
			}
		}
		for i := range full {
			if got, want := summary(light[i])+fmt.Sprint(light[i].Revision, light[i].UpdatedAt),
				summary(full[i])+fmt.Sprint(full[i].Revision, full[i].UpdatedAt); got != want {
				t.Errorf("Assessments(%+v)[%d] = %s, want %s", f, i, got, want)
			}
		}
	}
}

// sameCurrentRatings checks that the readers of ratings only see each
// current assessment as the full readers do, however it was published.
func sameCurrentRatings(t *testing.T, s vigie.Store) {
	t.Helper()
	full, err := s.Assessments(ctx, vigie.AssessmentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	light, err := s.Assessments(ctx, vigie.AssessmentFilter{RatingsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	line := func(a vigie.Assessment) string {
		return fmt.Sprintf("%s/%s=%s %v %v #%d %v", a.Country, a.Indicator, a.Rating, a.Value, a.AsOf, a.Revision, a.UpdatedAt)
	}
	if len(full) == 0 || len(light) != len(full) {
		t.Fatalf("ratings only: %d assessments, full: %d", len(light), len(full))
	}
	for i := range full {
		if got, want := line(light[i]), line(full[i]); got != want {
			t.Errorf("ratings only: %s, full: %s", got, want)
		}
	}
}

// testRatingChanges: PublishedRevisions with RatingChanges keeps the
// revisions that changed their assessment's rating, compared with the
// revision published before them even when From leaves that one out.
func testRatingChanges(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	save(t, s, a, day(2024, 1, 1, 0, 0)) // ML #1 partial
	save(t, s, vigie.Assessment{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingNo}, day(2024, 2, 1, 0, 0))
	a.Explanation = "Reworded."
	save(t, s, a, day(2024, 2, 15, 0, 0)) // ML #2 partial: no change
	a.Rating = vigie.RatingYes
	save(t, s, a, day(2024, 3, 1, 0, 0)) // ML #3 yes
	a.Explanation = "Reworded again."
	save(t, s, a, day(2024, 4, 1, 0, 0)) // ML #4 yes: no change
	a.Rating = vigie.RatingNo
	save(t, s, a, day(2024, 5, 1, 0, 0)) // ML #5 no

	list := func(f vigie.HistoryFilter) string {
		t.Helper()
		return revisionSummary(publishedRevisions(t, s, f))
	}
	for _, tt := range []struct {
		f    vigie.HistoryFilter
		want string
	}{
		{vigie.HistoryFilter{RatingChanges: true}, "ML=partial#1 SN=no#1 ML=yes#3 ML=no#5"},
		{vigie.HistoryFilter{RatingChanges: true, Country: "ML"}, "ML=partial#1 ML=yes#3 ML=no#5"},
		{vigie.HistoryFilter{RatingChanges: true, From: day(2024, 2, 10, 0, 0)}, "ML=yes#3 ML=no#5"},
		{vigie.HistoryFilter{RatingChanges: true, Until: day(2024, 4, 15, 0, 0)}, "ML=partial#1 SN=no#1 ML=yes#3"},
		{vigie.HistoryFilter{RatingChanges: true, Indicator: "csam-definition"}, "SN=no#1"},
		{vigie.HistoryFilter{RatingChanges: true, Limit: 1}, "ML=partial#1"},
		{vigie.HistoryFilter{RatingChanges: true, Limit: 3, From: day(2024, 1, 15, 0, 0)}, "SN=no#1 ML=yes#3 ML=no#5"},
		{vigie.HistoryFilter{RatingChanges: true, Limit: 1, Country: "SN"}, "SN=no#1"},
	} {
		if got := list(tt.f); got != tt.want {
			t.Errorf("PublishedRevisions(%+v) = %q, want %q", tt.f, got, tt.want)
		}
	}
	all, err := s.PublishedRevisions(ctx, vigie.HistoryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	changes, err := s.PublishedRevisions(ctx, vigie.HistoryFilter{RatingChanges: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(vigie.RatingEvents(changes)), fmt.Sprint(vigie.RatingEvents(all)); got != want {
		t.Errorf("events from the changes %s, from every revision %s", got, want)
	}
}

// testRatingChangesFollowWrites: the changes a store keeps (rather than
// work out on each read) follow every way a revision gets published: a
// save, a review, a return that publishes nothing, and a restore of a
// revision published between two others, which makes the one after it
// no change any more.
func testRatingChangesFollowWrites(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	save(t, s, a, day(2024, 1, 1, 0, 0)) // ML #1 partial
	a.Rating = vigie.RatingYes
	save(t, s, a, day(2024, 3, 1, 0, 0)) // #2 yes
	a.Explanation = "Reworded."
	save(t, s, a, day(2024, 4, 1, 0, 0)) // #3 yes: no change
	changes := func() string {
		t.Helper()
		return revisionSummary(publishedRevisions(t, s, vigie.HistoryFilter{Country: "ML", RatingChanges: true}))
	}
	if got, want := changes(), "ML=partial#1 ML=yes#2"; got != want {
		t.Fatalf("after three saves: %q, want %q", got, want)
	}

	b := a
	b.Rating = vigie.RatingPartial
	submitAndReview(t, s, b, 3, day(2024, 4, 20, 0, 0), vigie.RevisionPublished, day(2024, 5, 1, 0, 0))
	b.Rating = vigie.RatingNo
	submitAndReview(t, s, b, 4, day(2024, 5, 20, 0, 0), vigie.RevisionReturned, day(2024, 6, 1, 0, 0))
	if got, want := changes(), "ML=partial#1 ML=yes#2 ML=partial#4"; got != want {
		t.Fatalf("after a review that published and one that returned: %q, want %q", got, want)
	}

	// Restored history: #6 was published in February, between #1 and #2,
	// already rated yes, so #2 changed nothing.
	old := a
	old.Explanation = "Found in an old backup."
	update(t, s, func(tx vigie.Tx) error {
		_, _, err := tx.RestoreRevisions(ctx, []vigie.Restore{{Revision: vigie.Revision{Number: 6, Base: 1,
			State: vigie.RevisionPublished, Author: "archivist", CreatedAt: day(2024, 2, 1, 0, 0),
			PublishedAt: day(2024, 2, 2, 0, 0), Reviewer: "editor", Content: old}}})
		return err
	})
	if got, want := changes(), "ML=partial#1 ML=yes#6 ML=partial#4"; got != want {
		t.Errorf("after restoring a revision published in between: %q, want %q", got, want)
	}
	sameCurrentRatings(t, s)
	all, err := s.PublishedRevisions(ctx, vigie.HistoryFilter{Country: "ML"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(vigie.RatingEvents(publishedRevisions(t, s, vigie.HistoryFilter{Country: "ML", RatingChanges: true}))),
		fmt.Sprint(vigie.RatingEvents(all)); got != want {
		t.Errorf("events from the stored changes %s, from every revision %s", got, want)
	}
}

// testRatingChangesAt: PublishedRevisions with At or Newest keeps what
// reading every change and picking, per assessment, the last (or the
// Newest last) at or before each instant would keep.
func testRatingChangesAt(t *testing.T, s vigie.Store) {
	ratings := []string{vigie.RatingYes, vigie.RatingPartial, vigie.RatingNo, vigie.RatingNoData}
	assessments := []vigie.Assessment{
		{Country: "ML", Indicator: "age-of-consent"}, {Country: "ML", Indicator: "csam-definition"},
		{Country: "SN", Indicator: "age-of-consent"}, {Country: "FR", Indicator: "csam-definition"},
	}
	// Four assessments over 2019–2024, several saves a year, some of them
	// keeping the rating: a different pace and start for each.
	at := day(2019, 3, 1, 0, 0)
	for i := range 60 {
		a := assessments[i%len(assessments)]
		if a.Country == "FR" && at.Year() < 2021 {
			at = at.Add(29 * 24 * time.Hour)
			continue
		}
		a.Rating = ratings[(i*7/3)%len(ratings)]
		a.Explanation = fmt.Sprintf("Save %d.", i)
		save(t, s, a, at)
		at = at.Add(time.Duration(20+i%3*9) * 24 * time.Hour)
	}
	// A change and a save in the last instant of 2021, counted in 2021.
	last2021 := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)
	save(t, s, vigie.Assessment{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingYes}, last2021)

	every := publishedRevisions(t, s, vigie.HistoryFilter{RatingChanges: true})
	if len(every) < 30 {
		t.Fatalf("only %d changes to pick from", len(every))
	}
	// want picks from every change, as the filter says.
	want := func(f vigie.HistoryFilter) string {
		type key struct{ country, indicator string }
		byAssessment := map[key][]vigie.Revision{}
		for _, r := range every {
			k := key{r.Content.Country, r.Content.Indicator}
			if (f.Country == "" || f.Country == k.country) && (f.Indicator == "" || f.Indicator == k.indicator) {
				byAssessment[k] = append(byAssessment[k], r)
			}
		}
		instants, newest := f.Instants(), f.Newest
		if len(instants) == 0 {
			instants = []time.Time{f.Until}
			if f.Until.IsZero() {
				instants[0] = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
			}
		}
		newest = max(newest, 1)
		kept := map[int64]bool{}
		for _, changes := range byAssessment {
			for _, instant := range instants {
				n := 0
				for i := len(changes) - 1; i >= 0 && n < newest; i-- {
					if !changes[i].PublishedAt.After(instant) {
						kept[changes[i].ID] = true
						n++
					}
				}
			}
		}
		var out []vigie.Revision
		for _, r := range every {
			if kept[r.ID] && !r.PublishedAt.Before(f.From) && (f.Until.IsZero() || !r.PublishedAt.After(f.Until)) {
				out = append(out, r)
			}
		}
		return revisionSummary(out)
	}
	yearEnds := vigie.YearEnds(day(2017, 6, 1, 0, 0), day(2024, 8, 1, 0, 0))
	for _, f := range []vigie.HistoryFilter{
		{At: yearEnds},
		{At: yearEnds, Indicator: "age-of-consent"},
		{At: yearEnds, Country: "ML"},
		{At: vigie.YearEnds(day(2021, 1, 1, 0, 0), last2021)},
		{At: yearEnds, Until: day(2022, 5, 1, 0, 0)},
		{At: yearEnds, From: day(2021, 1, 1, 0, 0), Country: "SN"},
		{At: []time.Time{day(2018, 1, 1, 0, 0)}},
		{At: []time.Time{day(2020, 2, 2, 0, 0), day(2022, 2, 2, 0, 0)}, Newest: 3},
		{Newest: 1},
		{Newest: 4, Country: "ML"},
		{Newest: 2, Until: day(2021, 7, 1, 0, 0), Indicator: "csam-definition"},
	} {
		f.RatingChanges = true
		got := revisionSummary(publishedRevisions(t, s, f))
		if w := want(f); got != w {
			t.Errorf("PublishedRevisions(At %d instants, Newest %d, %q %q, %v–%v)\n got %s\nwant %s",
				len(f.At), f.Newest, f.Country, f.Indicator, f.From, f.Until, got, w)
		}
	}
	// The year-end rows replay to the same ratings at each year's end as
	// every change does.
	rated := func(revs []vigie.Revision, end time.Time) string {
		state := map[string]string{}
		for _, r := range revs {
			if !r.PublishedAt.After(end) {
				state[r.Content.Country+"/"+r.Content.Indicator] = r.Content.Rating
			}
		}
		return fmt.Sprint(state)
	}
	ends := publishedRevisions(t, s, vigie.HistoryFilter{RatingChanges: true, At: yearEnds})
	for _, end := range yearEnds {
		if got, want := rated(ends, end), rated(every, end); got != want {
			t.Errorf("ratings at %v from the year-end changes %s, from every change %s", end, got, want)
		}
	}
}

// testPublishedHistory: the pages of PublishedHistory, and the positions
// PublishedPosition gives, are those of every published revision put
// newest first by publication, a draft and a revision restored between
// two others included.
func testPublishedHistory(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	for i := range 12 {
		a.Explanation = fmt.Sprintf("Version %d.", i)
		save(t, s, a, day(2024, 1, 1+i, 0, 0))
	}
	update(t, s, func(tx vigie.Tx) error { // #13, a draft
		_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionSubmitted, Base: 12,
			Change: vigie.Change{Author: "researcher", At: day(2024, 2, 1, 0, 0)}})
		return err
	})
	update(t, s, func(tx vigie.Tx) error { // #14, published between #3 and #4
		_, _, err := tx.RestoreRevisions(ctx, []vigie.Restore{{Revision: vigie.Revision{Number: 14, Base: 3,
			State: vigie.RevisionPublished, Author: "archivist", CreatedAt: day(2024, 1, 3, 0, 0),
			PublishedAt: day(2024, 1, 3, 12, 0), Reviewer: "editor", Content: a}}})
		return err
	})
	all := publishedRevisions(t, s, vigie.HistoryFilter{Country: a.Country, Indicator: a.Indicator})
	slices.Reverse(all)
	numbers := func(revs []vigie.Revision) string {
		var out []string
		for _, r := range revs {
			out = append(out, fmt.Sprint(r.Number))
		}
		return strings.Join(out, " ")
	}
	if got, want := numbers(all), "12 11 10 9 8 7 6 5 4 14 3 2 1"; got != want {
		t.Fatalf("every published revision, newest first: %s, want %s", got, want)
	}
	for _, page := range [][2]int{{0, 5}, {5, 5}, {10, 5}, {12, 1}, {13, 5}, {0, 20}} {
		revs, total, err := s.PublishedHistory(ctx, a.Country, a.Indicator, page[0], page[1])
		if err != nil {
			t.Fatal(err)
		}
		want := all[min(page[0], len(all)):min(page[0]+page[1], len(all))]
		if numbers(revs) != numbers(want) || total != len(all) {
			t.Errorf("PublishedHistory(%d, %d) = %s of %d, want %s of %d", page[0], page[1], numbers(revs), total, numbers(want), len(all))
		}
		for i, r := range revs {
			if r.Content.Explanation != want[i].Content.Explanation || len(r.Content.Citations) != 3 || r.PublishedAt != want[i].PublishedAt {
				t.Errorf("PublishedHistory(%d, %d): revision %d read as %+v", page[0], page[1], r.Number, r)
			}
		}
	}
	for i, r := range all {
		if got, ok, err := s.PublishedPosition(ctx, a.Country, a.Indicator, r.Number); err != nil || !ok || got != i {
			t.Errorf("PublishedPosition(%d) = %d, %v, %v; want %d", r.Number, got, ok, err, i)
		}
	}
	for _, n := range []int{13, 15} {
		if _, ok, err := s.PublishedPosition(ctx, a.Country, a.Indicator, n); err != nil || ok {
			t.Errorf("PublishedPosition(%d) of a draft or no revision: ok %v, %v", n, ok, err)
		}
	}
	if _, _, err := s.PublishedHistory(ctx, "XX", a.Indicator, 0, 5); vigie.ErrorCode(err) != vigie.ENOTFOUND {
		t.Errorf("PublishedHistory of an unknown country: %v", err)
	}
}

// search runs q and returns the hits, failing the test on an error.
func search(t *testing.T, s vigie.Reader, q vigie.SearchQuery) []vigie.SearchHit {
	t.Helper()
	hits, err := s.Search(ctx, q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return hits
}

// hitKey names a hit: "assessment ML/age-of-consent", "news slug",
// "organisation slug", "publication slug", "source Title".
func hitKey(h vigie.SearchHit) string {
	switch h.Kind {
	case vigie.SearchAssessment:
		if len(h.Countries) == 1 && len(h.Indicators) == 1 {
			return "assessment " + h.Countries[0] + "/" + h.Indicators[0]
		}
		return fmt.Sprintf("assessment %v/%v", h.Countries, h.Indicators)
	case vigie.SearchSource:
		return "source " + h.Title
	}
	return string(h.Kind) + " " + h.Slug
}

func keys(hits []vigie.SearchHit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, hitKey(h))
	}
	return out
}

func searchKeys(t *testing.T, s vigie.Reader, q vigie.SearchQuery) []string {
	t.Helper()
	return keys(search(t, s, q))
}

func sortedKeys(t *testing.T, s vigie.Reader, q vigie.SearchQuery) string {
	t.Helper()
	k := searchKeys(t, s, q)
	slices.Sort(k)
	return strings.Join(k, ", ")
}

// seedSearch writes a small world: explanations in French and English
// with accents, a news story, an organisation and a publication.
func seedSearch(t *testing.T, s vigie.Store) {
	t.Helper()
	update(t, s, func(tx vigie.Tx) error {
		for _, a := range []vigie.Assessment{
			extraterritoriality(), // "Extradition is unclear."
			{Country: "SN", Indicator: "extraterritoriality-extradition", Rating: vigie.RatingYes,
				Explanation: "La loi prévoit l’extradition des auteurs étrangers et la compétence extraterritoriale des tribunaux sénégalais.",
				Citations:   []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Code pénal du Sénégal", Year: 1965, StatusAsOf: 2020}}}},
			{Country: "CI", Indicator: "csam-definition", Rating: vigie.RatingPartial,
				Explanation: "Le Code pénal de Côte d’Ivoire définit la pédopornographie, sans viser la simple détention."},
			{Country: "SN", Indicator: "age-of-consent", Rating: vigie.RatingNo, Value: new(int),
				Explanation: "Sixteen years for girls; the law is silent on boys."},
		} {
			if a.Value != nil {
				*a.Value = 16
			}
			if _, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "import"}); err != nil {
				return err
			}
		}
		n := &vigie.NewsItem{Slug: "senegal-reform", Title: "Sénégal: a reform of the penal code", Date: day(2025, 1, 20, 0, 0),
			Summary: "Parliament debates the age of consent.", Body: "The bill raises the **age of consent** to eighteen.", Countries: []string{"SN"}}
		if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
			return err
		}
		o := &vigie.Organisation{Country: "ML", Name: "Association Contre l’Exploitation Sexuelle des Enfants au Mali",
			Acronym: "ACESEM", Description: "Works on prevention and rehabilitation in Ségou and Sikasso.", OfficeCity: "Bamako"}
		if _, err := vigie.MergeOrganisation(ctx, tx, o); err != nil {
			return err
		}
		p := &vigie.Publication{Slug: "gambia-checklist-2020", Title: "SECTT Legal Checklist The Gambia", Type: vigie.PubLegalChecklist,
			Year: 2020, Publishers: []string{"ECPAT International"}, Countries: []string{"GM"}}
		_, err := vigie.MergePublication(ctx, tx, p)
		return err
	})
}

func testSearchFolding(t *testing.T, s vigie.Store) {
	seedSearch(t, s)
	const sn = "assessment SN/extraterritoriality-extradition"
	const ml = "assessment ML/extraterritoriality-extradition"
	for _, tt := range []struct {
		text string
		want string
	}{
		{"extradition", ml + ", " + sn},
		{"EXTRADITION", ml + ", " + sn},
		{"extrad", ml + ", " + sn},    // a word prefix
		{"prevoit", sn},               // no accent typed, accent stored
		{"prévoit", sn},               // the same word with it
		{"PRÉVOIT", sn},               // in capitals
		{"tribunaux senegal", sn},     // every term, each a prefix
		{"extradition tribunaux", sn}, // both terms must match
		{"extradition xylophone", ""}, // one missing term: nothing
		{"pedopornographie", "assessment CI/csam-definition"},
		{"côte d’ivoire pédopornographie", "assessment CI/csam-definition"},
		{"acesem", "organisation acesem"},
		{"segou", "organisation acesem"}, // in the description, accent folded
		{"gambia checklist", "publication gambia-checklist-2020"},
		{"ecpat", "publication gambia-checklist-2020"}, // a publisher
	} {
		if got := sortedKeys(t, s, vigie.SearchQuery{Text: tt.text}); got != tt.want {
			t.Errorf("Search(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func testSearchRanking(t *testing.T, s vigie.Store) {
	long := strings.Repeat("The ministry published a general report on many unrelated matters of public policy. ", 12)
	update(t, s, func(tx vigie.Tx) error {
		for _, n := range []vigie.NewsItem{
			{Slug: "passing-mention", Title: "A general report", Date: day(2025, 1, 1, 0, 0), Body: long + "It mentions trafficking once."},
			{Slug: "about-trafficking", Title: "Trafficking: the new trafficking law", Date: day(2025, 1, 2, 0, 0),
				Summary: "Trafficking in persons is now punished more severely.", Body: "The trafficking law covers every form of trafficking."},
		} {
			if _, err := vigie.MergeNewsItem(ctx, tx, &n); err != nil {
				return err
			}
		}
		return nil
	})
	got := searchKeys(t, s, vigie.SearchQuery{Text: "trafficking"})
	if want := []string{"news about-trafficking", "news passing-mention"}; !slices.Equal(got, want) {
		t.Errorf("Search(trafficking) = %q, want %q: the story about it before the passing mention", got, want)
	}
}

func testSearchFilters(t *testing.T, s vigie.Store) {
	seedSearch(t, s)
	for _, tt := range []struct {
		q    vigie.SearchQuery
		want string
	}{
		{vigie.SearchQuery{Text: "extradition", Country: "SN"}, "assessment SN/extraterritoriality-extradition"},
		{vigie.SearchQuery{Text: "extradition", Country: "sn"}, "assessment SN/extraterritoriality-extradition"},
		{vigie.SearchQuery{Text: "extradition", Country: "FR"}, ""},
		{vigie.SearchQuery{Text: "code", Kind: vigie.SearchSource}, "source Code of Criminal Procedure of Mali, source Code pénal du Sénégal, source Penal Code of Mali"},
		{vigie.SearchQuery{Text: "code", Kind: vigie.SearchSource, Country: "SN"}, "source Code pénal du Sénégal"},
		{vigie.SearchQuery{Text: "code", Kind: vigie.SearchNews}, "news senegal-reform"},
		{vigie.SearchQuery{Text: "sixteen", Indicator: "age-of-consent"}, "assessment SN/age-of-consent"},
		{vigie.SearchQuery{Text: "sixteen", Indicator: "csam-definition"}, ""},
		// Sources carry the indicators of the assessments that cite them.
		{vigie.SearchQuery{Text: "penal", Indicator: "extraterritoriality-extradition", Kind: vigie.SearchSource}, "source Code pénal du Sénégal, source Penal Code of Mali"},
		{vigie.SearchQuery{Text: "consent", Country: "SN"}, "assessment SN/age-of-consent, news senegal-reform"},
		{vigie.SearchQuery{Text: "consent", Country: "SN", Kind: vigie.SearchNews}, "news senegal-reform"},
	} {
		if got := sortedKeys(t, s, tt.q); got != tt.want {
			t.Errorf("Search(%+v) = %q, want %q", tt.q, got, tt.want)
		}
	}
	hits := search(t, s, vigie.SearchQuery{Text: "penal senegal", Kind: vigie.SearchSource})
	if len(hits) != 1 || !slices.Equal(hits[0].Countries, []string{"SN"}) || !slices.Equal(hits[0].Indicators, []string{"extraterritoriality-extradition"}) || hits[0].ID == 0 {
		t.Errorf("source hit = %+v, want SN and its indicator", hits)
	}
	hits = search(t, s, vigie.SearchQuery{Text: "reform"})
	if len(hits) != 1 || hits[0].Kind != vigie.SearchNews || hits[0].Slug != "senegal-reform" || hits[0].Title != "Sénégal: a reform of the penal code" ||
		!hits[0].Date.Equal(day(2025, 1, 20, 0, 0)) || !slices.Equal(hits[0].Countries, []string{"SN"}) || hits[0].ID == 0 {
		t.Errorf("news hit = %+v", hits)
	}
}

func testSearchOnlyPublished(t *testing.T, s vigie.Store) {
	a := vigie.Assessment{Country: "GM", Indicator: "sec-police-unit", Rating: vigie.RatingNo,
		Explanation: "No specialised unit exists in the Gambian police.",
		Citations:   []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Zebrafish Protection Act", Year: 2019}}}}
	update(t, s, func(tx vigie.Tx) error {
		_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionSubmitted, Change: vigie.Change{Author: "ana"}})
		return err
	})
	for _, text := range []string{"specialised", "zebrafish"} {
		if got := searchKeys(t, s, vigie.SearchQuery{Text: text}); len(got) != 0 {
			t.Errorf("a submitted revision is searchable: Search(%q) = %q", text, got)
		}
	}
	update(t, s, func(tx vigie.Tx) error {
		_, err := tx.ReviewRevision(ctx, "GM", a.Indicator, 1, vigie.Review{State: vigie.RevisionPublished, Reviewer: "rui"})
		return err
	})
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: "specialised"}); got != "assessment GM/sec-police-unit" {
		t.Errorf("after publishing: %q", got)
	}
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: "zebrafish"}); got != "source Zebrafish Protection Act" {
		t.Errorf("the published assessment's source: %q", got)
	}
	// A new draft changes nothing public; a new published text replaces
	// the old one, and a source no published assessment cites is gone.
	b := a
	b.Explanation, b.Citations = "A unit was created in 2025.", nil
	update(t, s, func(tx vigie.Tx) error {
		_, err := tx.AddRevision(ctx, b, vigie.NewRevision{State: vigie.RevisionDraft, Base: 1, Change: vigie.Change{Author: "ana"}})
		return err
	})
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: "created"}); got != "" {
		t.Errorf("a draft is searchable: %q", got)
	}
	save(t, s, b, time.Time{})
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: "created"}); got != "assessment GM/sec-police-unit" {
		t.Errorf("the new published text: %q", got)
	}
	for _, text := range []string{"specialised", "zebrafish"} {
		if got := searchKeys(t, s, vigie.SearchQuery{Text: text}); len(got) != 0 {
			t.Errorf("replaced content is still found: Search(%q) = %q", text, got)
		}
	}
}

func testSearchEveryKind(t *testing.T, s vigie.Store) {
	seedSearch(t, s)
	// Each kind, then an update of each: the old words go, the new come.
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: "criminal procedure"}); got != "source Code of Criminal Procedure of Mali" {
		t.Errorf("a cited law: %q", got)
	}
	update(t, s, func(tx vigie.Tx) error {
		orgs, err := tx.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"})
		if err != nil {
			return err
		}
		o := orgs[0]
		o.Description = "Runs shelters in Kayes."
		if _, err := vigie.MergeOrganisation(ctx, tx, &o); err != nil {
			return err
		}
		n := &vigie.NewsItem{Slug: "senegal-reform", Title: "Senegal adopts the reform", Date: day(2025, 2, 1, 0, 0), Countries: []string{"SN", "GM"}}
		if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
			return err
		}
		pubs, err := tx.Publications(ctx, vigie.PublicationFilter{})
		if err != nil {
			return err
		}
		p := pubs[0]
		p.Title = "Legal Checklist for The Gambia, second edition"
		_, err = vigie.MergePublication(ctx, tx, &p)
		return err
	})
	for text, want := range map[string]string{
		"segou":               "",
		"shelters kayes":      "organisation acesem",
		"debates":             "",
		"adopts":              "news senegal-reform",
		"SECTT":               "",
		"checklist edition":   "publication gambia-checklist-2020",
		"reform":              "news senegal-reform",
		"rehabilitation":      "",
		"acesem bamako":       "organisation acesem", // name and office city
		"international ecpat": "publication gambia-checklist-2020",
	} {
		if got := sortedKeys(t, s, vigie.SearchQuery{Text: text}); got != want {
			t.Errorf("after updates, Search(%q) = %q, want %q", text, got, want)
		}
	}
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: "reform", Country: "GM"}); got != "news senegal-reform" {
		t.Errorf("news re-tagged with GM: %q", got)
	}
	// A detail a later citation adds to a shared source is found too.
	update(t, s, func(tx vigie.Tx) error {
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "ML", Indicator: "csam-definition", Rating: vigie.RatingNo,
			Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Penal Code of Mali", Year: 2001, StatusAsOf: 2016,
				Identifier: "Loi nº 01-079"}}}}, vigie.Change{Author: "x"})
		return err
	})
	hits := search(t, s, vigie.SearchQuery{Text: "079"})
	if len(hits) != 1 || hits[0].Title != "Penal Code of Mali" ||
		!slices.Equal(hits[0].Indicators, []string{"csam-definition", "extraterritoriality-extradition"}) {
		t.Errorf("Search(079) = %+v, want the penal code cited for two indicators", hits)
	}
}

func testSearchTransactions(t *testing.T, s vigie.Store) {
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx vigie.Tx) error {
		n := &vigie.NewsItem{Slug: "rolled-back", Title: "Quetzal story", Date: day(2025, 1, 1, 0, 0)}
		if _, err := vigie.MergeNewsItem(ctx, tx, n); err != nil {
			return err
		}
		// The transaction reads its own writes, search included.
		if got := keys(search(t, tx, vigie.SearchQuery{Text: "quetzal"})); !slices.Equal(got, []string{"news rolled-back"}) {
			return fmt.Errorf("inside the transaction: %q", got)
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: %v", err)
	}
	if got := searchKeys(t, s, vigie.SearchQuery{Text: "quetzal"}); len(got) != 0 {
		t.Errorf("a rolled-back story is searchable: %q", got)
	}
}

func testSearchUntrustedInput(t *testing.T, s vigie.Store) {
	seedSearch(t, s)
	for _, text := range []string{"", "   ", "!!!", `"`, `"""`, "*", "-", "()", "' OR 1=1 --", "…", "—", "a", "d’"} {
		hits, err := s.Search(ctx, vigie.SearchQuery{Text: text})
		if err != nil || len(hits) != 0 {
			t.Errorf("Search(%q) = %d hits, %v; want none and no error", text, len(hits), err)
		}
	}
	// Query syntax is read as words.
	for _, text := range []string{`extradition"`, `"extradition`, `extradition*`, `extradition OR`, `NEAR(extradition)`,
		`body:extradition`, `extradition AND`, `-extradition`, `^extradition`, `{extradition}`, `extradition)`, `(extradition`,
		`extradition NOT`, "extradition\x00", `extradition'); DROP TABLE news; --`} {
		hits, err := s.Search(ctx, vigie.SearchQuery{Text: text})
		if err != nil {
			t.Errorf("Search(%q): %v", text, err)
			continue
		}
		if len(hits) == 0 && !strings.Contains(text, "OR") && !strings.Contains(text, "AND") && !strings.Contains(text, "NOT") &&
			!strings.Contains(text, "NEAR") && !strings.Contains(text, "body") && !strings.Contains(text, "DROP") {
			t.Errorf("Search(%q) found nothing; the punctuation should not matter", text)
		}
	}
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: `"extrad*" "trib"`}); got != "assessment SN/extraterritoriality-extradition" {
		t.Errorf(`quoted input: %q`, got)
	}
	if n, _ := s.NewsItems(ctx, vigie.NewsFilter{}); len(n) != 1 {
		t.Errorf("the news table lost rows: %d", len(n))
	}
	if got := sortedKeys(t, s, vigie.SearchQuery{Text: "extradition", Kind: "nonsense"}); got != "" {
		t.Errorf("an unknown kind matches %q", got)
	}
}

func testSearchSnippets(t *testing.T, s vigie.Store) {
	seedSearch(t, s)
	hits := search(t, s, vigie.SearchQuery{Text: "extrad", Country: "SN"})
	if len(hits) != 1 {
		t.Fatalf("hits = %+v", hits)
	}
	h := hits[0]
	if h.Title != "Extraterritoriality & Extradition" || h.ID != 0 || h.Date.IsZero() {
		t.Errorf("assessment hit = %+v", h)
	}
	var text strings.Builder
	var marked []string
	for _, p := range h.Snippet {
		text.WriteString(p.Text)
		if p.Match {
			marked = append(marked, vigie.Fold(p.Text))
		}
	}
	if len(marked) == 0 || !strings.HasPrefix(marked[0], "extrad") {
		t.Errorf("marked words %q, want the match on extradition", marked)
	}
	if !strings.Contains(text.String(), "prévoit") {
		t.Errorf("snippet %q does not show the text as written", text.String())
	}
	// Markdown is not shown as markup.
	news := search(t, s, vigie.SearchQuery{Text: "eighteen"})
	if len(news) != 1 {
		t.Fatalf("Search(eighteen) = %+v", news)
	}
	var plain strings.Builder
	for _, p := range news[0].Snippet {
		plain.WriteString(p.Text)
	}
	if strings.Contains(plain.String(), "**") || !strings.Contains(plain.String(), "age of consent") {
		t.Errorf("news snippet %q", plain.String())
	}

	// Paging: Limit and Offset cut the ranked list.
	all := searchKeys(t, s, vigie.SearchQuery{Text: "code"})
	if len(all) < 3 {
		t.Fatalf("Search(code) = %q, want at least three hits", all)
	}
	first := searchKeys(t, s, vigie.SearchQuery{Text: "code", Limit: 2})
	rest := searchKeys(t, s, vigie.SearchQuery{Text: "code", Limit: 50, Offset: 2})
	if !slices.Equal(append(first, rest...), all) {
		t.Errorf("pages %q + %q, want %q", first, rest, all)
	}
}

func publishedRevisions(t *testing.T, s vigie.Store, f vigie.HistoryFilter) []vigie.Revision {
	t.Helper()
	revs, err := s.PublishedRevisions(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	return revs
}

// revisionSummary writes revisions as "ML=partial#1 SN=no#1".
func revisionSummary(revs []vigie.Revision) string {
	var out []string
	for _, r := range revs {
		out = append(out, fmt.Sprintf("%s=%s#%d", r.Content.Country, r.Content.Rating, r.Number))
	}
	return strings.Join(out, " ")
}
