package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// The month states are built for the months that are over, quiet months
// lean on the rows of the month before, and readers of ratings only at a
// built month's end read them (the contract suite checks that what they
// read is the record; this checks that they read the copy).
func TestMonthStatesAreBuiltAndRead(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	save := func(a vigie.Assessment, when time.Time) {
		t.Helper()
		if err := s.Update(ctx, func(tx vigie.Tx) error {
			_, _, err := tx.SaveAssessment(ctx, a, vigie.Change{Author: "researcher", At: when})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	save(vigie.Assessment{Country: "ML", Indicator: "csam-definition", Rating: vigie.RatingPartial}, at(2024, 1, 5))
	save(vigie.Assessment{Country: "ML", Indicator: "csam-definition", Rating: vigie.RatingYes}, at(2024, 3, 5))
	save(vigie.Assessment{Country: "SN", Indicator: "csam-definition", Rating: vigie.RatingNo}, at(2024, 3, 9))

	built, more, err := s.BuildMonthStates(ctx, at(2024, 6, 1), 10)
	if err != nil || built != 5 || more {
		t.Fatalf("BuildMonthStates = %d, %v, %v; want January to May, 5 months", built, more, err)
	}
	marks := func() string {
		t.Helper()
		rows, err := s.DB().QueryContext(ctx, `SELECT month || '>' || rows_month FROM month_states_built ORDER BY month`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var m string
			if err := rows.Scan(&m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		return strings.Join(out, " ")
	}
	if got, want := marks(), "2024-01>2024-01 2024-02>2024-01 2024-03>2024-03 2024-04>2024-03 2024-05>2024-03"; got != want {
		t.Errorf("built months %q, want %q", got, want)
	}
	var copies int
	if err := s.DB().QueryRowContext(ctx, `SELECT count(*) FROM month_states`).Scan(&copies); err != nil || copies != 3 {
		t.Errorf("%d rows kept (%v), want 3: one in January, two in March", copies, err)
	}
	if built, more, err := s.BuildMonthStates(ctx, at(2024, 6, 1), 10); built != 0 || more || err != nil {
		t.Errorf("built again: %d, %v, %v; want nothing to do", built, more, err)
	}

	// The copy is what a ratings-only read at a month's end returns, and
	// the base of a read within a month: mark ML's rows (January's and
	// March's), and the mark shows through wherever nothing of ML's was
	// published since the month before's end.
	if _, err := s.DB().ExecContext(ctx, `UPDATE month_states SET rating = 'no-data' WHERE country = 'ML'`); err != nil {
		t.Fatal(err)
	}
	endOfApril := vigie.EndOfMonth(time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC))
	ratingOfML := func(at time.Time) string {
		t.Helper()
		list, err := s.AssessmentsAsOf(ctx, at, vigie.AssessmentFilter{Country: "ML", RatingsOnly: true})
		if err != nil || len(list) != 1 {
			t.Fatalf("as of %s: %v, %v", at, list, err)
		}
		return list[0].Rating
	}
	for _, tt := range []struct {
		at   time.Time
		want string
		why  string
	}{
		{endOfApril, "no-data", "the copy of April's end"},
		{endOfApril.Add(-time.Second), "no-data", "March's end, nothing since"},
		{at(2024, 3, 3), "no-data", "February's end (January's rows), nothing since"},
		{at(2024, 3, 20), vigie.RatingYes, "February's end, and the revision of 5 March"},
		{at(2024, 1, 20), vigie.RatingPartial, "the revisions: December is not built"},
	} {
		if got := ratingOfML(tt.at); got != tt.want {
			t.Errorf("%s read %q, want %q: %s", tt.at.Format(time.DateTime), got, tt.want, tt.why)
		}
	}

	// A save dated February takes February and every later month out.
	save(vigie.Assessment{Country: "FR", Indicator: "csam-definition", Rating: vigie.RatingNo}, at(2024, 2, 10))
	if got, want := marks(), "2024-01>2024-01"; got != want {
		t.Errorf("after a save in February: built months %q, want %q", got, want)
	}
	if got := ratingOfML(endOfApril); got != vigie.RatingYes {
		t.Errorf("end of April after the save read %q, want the revision's", got)
	}
	if got := ratingOfML(at(2024, 3, 3)); got != vigie.RatingPartial {
		t.Errorf("3 March after the save read %q, want the revision's: February is no longer built", got)
	}
	if built, _, err := s.BuildMonthStates(ctx, at(2024, 6, 1), 10); built != 4 || err != nil {
		t.Errorf("rebuilt %d months (%v), want February to May", built, err)
	}
	if got, want := marks(), "2024-01>2024-01 2024-02>2024-02 2024-03>2024-03 2024-04>2024-03 2024-05>2024-03"; got != want {
		t.Errorf("rebuilt months %q, want %q", got, want)
	}
}
