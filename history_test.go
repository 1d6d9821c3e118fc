package vigie

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func TestRatingChange(t *testing.T) {
	for _, tt := range []struct {
		before, after string
		want          ChangeKind
	}{
		{RatingNo, RatingNo, ""},
		{RatingNo, RatingPartial, ChangeUp},
		{RatingNo, RatingYes, ChangeUp},
		{RatingPartial, RatingYes, ChangeUp},
		{RatingYes, RatingPartial, ChangeDown},
		{RatingPartial, RatingNo, ChangeDown},
		{RatingNotYetAssessed, RatingNo, ChangeNew},
		{"", RatingNoData, ChangeNew},
		{RatingNoData, RatingYes, ChangeRating},
		{RatingYes, RatingNoData, ChangeRating},
		{RatingNotRated, RatingPartial, ChangeRating},
		{RatingYes, RatingNotYetAssessed, ChangeRating},
		{RatingYes, "an-admins-rating", ChangeRating},
	} {
		if got := RatingChange(tt.before, tt.after); got != tt.want {
			t.Errorf("RatingChange(%s, %s) = %q, want %q", tt.before, tt.after, got, tt.want)
		}
	}
}

func TestDiffAssessments(t *testing.T) {
	a := func(country, rating string, rev int) Assessment {
		return Assessment{Country: country, Indicator: "age-of-consent", Rating: rating, Revision: rev}
	}
	before := []Assessment{a("ML", RatingNo, 1), a("SN", RatingYes, 2), a("GM", RatingPartial, 1), a("NE", RatingNoData, 1)}
	after := []Assessment{a("BF", RatingPartial, 1), a("GM", RatingPartial, 1), a("ML", RatingPartial, 2),
		a("NE", RatingNoData, 3), a("SN", RatingNo, 3), a("TG", RatingNotYetAssessed, 1)}
	var got []string
	for _, c := range DiffAssessments(before, after) {
		got = append(got, c.After.Country+" "+string(c.Kind)+" from "+c.Before.Rating)
	}
	want := []string{"BF new from not-yet-assessed", "ML up from no", "NE revised from no-data", "SN down from yes"}
	if len(got) != len(want) {
		t.Fatalf("DiffAssessments = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("change %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestRatingEvents(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 0, 0, 0, 0, time.UTC) }
	rev := func(ind, rating string, n, d int) Revision {
		return Revision{Number: n, State: RevisionPublished, PublishedAt: day(d),
			Content: Assessment{Country: "ML", Indicator: ind, Rating: rating}}
	}
	events := RatingEvents([]Revision{
		rev("a", RatingNotYetAssessed, 1, 1), // written, still unassessed: no event
		rev("a", RatingNo, 2, 2),
		rev("b", RatingPartial, 1, 3),
		rev("a", RatingNo, 3, 4), // reworded: no event
		rev("a", RatingYes, 4, 5),
		rev("b", RatingNoData, 2, 6),
	})
	var got []string
	for _, e := range events {
		got = append(got, e.At.Format("02")+" "+e.Indicator+" "+e.From+">"+e.To+" "+string(e.Kind))
	}
	want := []string{"06 b partial>no-data changed", "05 a no>yes up", "03 b not-yet-assessed>partial new", "02 a not-yet-assessed>no new"}
	if len(got) != len(want) {
		t.Fatalf("RatingEvents = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("event %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestMonthEndingAndMonthsToBuild(t *testing.T) {
	feb := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		at   time.Time
		want string // "" when at ends no month
	}{
		{EndOfMonth(feb), "2024-02"},
		{feb.Add(-time.Nanosecond), "2024-01"},
		{time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond), "2023-12"},
		{feb, ""},
		{feb.Add(-time.Microsecond), ""},
		{EndOfMonth(feb).Add(-time.Hour), ""},
		// The same instant written in another zone is still February's end.
		{EndOfMonth(feb).In(time.FixedZone("UTC+2", 2*3600)), "2024-02"},
		// Midnight in Paris on 1 March is not the end of a month in UTC.
		{time.Date(2024, 3, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600)).Add(-time.Nanosecond), ""},
	} {
		month, ok := MonthEnding(tt.at)
		got := ""
		if ok {
			got = month.Format("2006-01")
		}
		if got != tt.want {
			t.Errorf("MonthEnding(%s) = %q, want %q", tt.at.Format(time.RFC3339Nano), got, tt.want)
		}
	}
	built := func(m time.Time) bool { return m.Month() == time.December }
	list := func(months []time.Time) string {
		var out []string
		for _, m := range months {
			out = append(out, m.Format("2006-01-02"))
		}
		return fmt.Sprint(out)
	}
	first, now := time.Date(2023, 10, 31, 23, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	months, more, err := MonthsToBuild(first, now, built, 10)
	if got, want := list(months), "[2023-10-01 2023-11-01 2024-01-01 2024-02-01]"; got != want || more || err != nil {
		t.Errorf("MonthsToBuild = %s, %v, %v; want %s (December built, March not over)", got, more, err, want)
	}
	months, more, err = MonthsToBuild(first, now, built, 2)
	if got, want := list(months), "[2023-10-01 2023-11-01]"; got != want || !more || err != nil {
		t.Errorf("MonthsToBuild, two at most = %s, %v, %v; want %s and more", got, more, err, want)
	}
	if months, more, _ := MonthsToBuild(now.AddDate(0, 0, 5), now.AddDate(0, 0, 10), built, 10); len(months) != 0 || more {
		t.Errorf("MonthsToBuild within the current month = %v, %v; want none", months, more)
	}
	if _, _, err := MonthsToBuild(first, now, built, 0); err == nil {
		t.Error("MonthsToBuild with no room: no error")
	}
}

func TestMonthBefore(t *testing.T) {
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2024, 3, 15, 12, 0, 0, 0, time.UTC), "2024-02-01"},
		{time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "2024-02-01"},
		{time.Date(2024, 1, 31, 23, 59, 59, 0, time.UTC), "2023-12-01"},
		// 00:30 on 1 March in Paris is still February in UTC.
		{time.Date(2024, 3, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)), "2024-01-01"},
	} {
		if got := MonthBefore(tt.at).Format(time.DateOnly); got != tt.want {
			t.Errorf("MonthBefore(%s) = %s, want %s", tt.at.Format(time.RFC3339), got, tt.want)
		}
		if end := EndOfMonth(MonthBefore(tt.at)); !end.Before(tt.at) {
			t.Errorf("the end of MonthBefore(%s) is not before it: %s", tt.at.Format(time.RFC3339), end)
		}
	}
}

func TestStateAfter(t *testing.T) {
	position := map[string]int{"age": 1, "csam": 2, "data": 3}
	rated := func(country, indicator, rating string, number int) Assessment {
		return Assessment{Country: country, Indicator: indicator, Rating: rating, Revision: number}
	}
	base := []Assessment{rated("FR", "age", "yes", 1), rated("FR", "data", "no", 2), rated("ML", "csam", "partial", 4)}
	if got := StateAfter(base, nil, position); !reflect.DeepEqual(got, base) {
		t.Errorf("nothing published since: %v, want the base %v", got, base)
	}
	got := StateAfter(base, []Assessment{
		rated("ML", "csam", "yes", 5),
		rated("FR", "csam", "no", 1), // new: goes between age and data
		rated("ML", "csam", "no", 6), // the last one counts
		rated("BE", "age", "yes", 1), // new country, first
	}, position)
	want := []Assessment{rated("BE", "age", "yes", 1), rated("FR", "age", "yes", 1), rated("FR", "csam", "no", 1),
		rated("FR", "data", "no", 2), rated("ML", "csam", "no", 6)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StateAfter =\n%v\nwant\n%v", got, want)
	}
	if base[2].Rating != "partial" {
		t.Errorf("StateAfter changed its base: %v", base)
	}
}
