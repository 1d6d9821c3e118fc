package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// As sqlite's TestMonthStatesAreBuiltAndRead: the months over are built,
// quiet ones lean on the month before, a ratings-only read at a built
// month's end reads the copy, and a backdated save takes months out.
func TestMonthStatesAreBuiltAndRead(t *testing.T) {
	if os.Getenv("VIGIE_TEST_POSTGRES") == "" {
		t.Skip("set VIGIE_TEST_POSTGRES=postgres://… to run the PostgreSQL tests")
	}
	ctx := context.Background()
	s := open(t, newDatabase(t))
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

	if built, more, err := s.BuildMonthStates(ctx, at(2024, 6, 1), 10); err != nil || built != 5 || more {
		t.Fatalf("BuildMonthStates = %d, %v, %v; want January to May, 5 months", built, more, err)
	}
	marks := func() string {
		t.Helper()
		var out string
		if err := s.Pool().QueryRow(ctx, `SELECT coalesce(string_agg(to_char(month, 'YYYY-MM') || '>' || to_char(rows_month, 'YYYY-MM'), ' ' ORDER BY month), '')
			FROM month_states_built`).Scan(&out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got, want := marks(), "2024-01>2024-01 2024-02>2024-01 2024-03>2024-03 2024-04>2024-03 2024-05>2024-03"; got != want {
		t.Errorf("built months %q, want %q", got, want)
	}

	// Point March's copy of ML at its first revision: the ratings-only
	// read at April's end shows it, and so does one within April, found
	// from March's end with nothing of ML's published since; one on 20
	// March adds the revision of 5 March to February's end.
	if _, err := s.Pool().Exec(ctx, `UPDATE month_states SET revision_id = (SELECT id FROM revisions WHERE country = 'ML' AND number = 1)
		WHERE month = '2024-03-01' AND country = 'ML'`); err != nil {
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
	}{
		{endOfApril, vigie.RatingPartial},
		{endOfApril.Add(-time.Second), vigie.RatingPartial},
		{at(2024, 4, 10), vigie.RatingPartial},
		{at(2024, 3, 20), vigie.RatingYes},
	} {
		if got := ratingOfML(tt.at); got != tt.want {
			t.Errorf("%s read %q, want %q", tt.at.Format(time.DateTime), got, tt.want)
		}
	}

	save(vigie.Assessment{Country: "FR", Indicator: "csam-definition", Rating: vigie.RatingNo}, at(2024, 2, 10))
	if got := marks(); got != "2024-01>2024-01" {
		t.Errorf("after a save in February: built months %q, want January's only", got)
	}
	if got := ratingOfML(endOfApril); got != vigie.RatingYes {
		t.Errorf("end of April after the save read %q, want the revision's", got)
	}
	if got := ratingOfML(at(2024, 4, 10)); got != vigie.RatingYes {
		t.Errorf("10 April after the save read %q, want the revision's: March is no longer built", got)
	}
	if built, _, err := s.BuildMonthStates(ctx, at(2024, 6, 1), 10); built != 4 || err != nil {
		t.Errorf("rebuilt %d months (%v), want February to May", built, err)
	}
	if got := marks(); !strings.HasPrefix(got, "2024-01>2024-01 2024-02>2024-02 2024-03>2024-03") {
		t.Errorf("rebuilt months %q", got)
	}
}
