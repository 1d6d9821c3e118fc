package vigie

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fakeStates keeps some months' states and the ratings published since
// (all of them by publication time), and counts what RatingsAt reads.
type fakeStates struct {
	built     map[string][]Assessment // "2024-02": the state at its end
	published []Assessment            // in order of publication, UpdatedAt the time
	first     time.Time
	reads     []string
}

func (s *fakeStates) MonthState(_ context.Context, month time.Time, _ AssessmentFilter) ([]Assessment, bool, error) {
	s.reads = append(s.reads, "state "+month.Format("2006-01"))
	list, ok := s.built[month.Format("2006-01")]
	return list, ok, nil
}

func (s *fakeStates) FirstPublication(context.Context) (time.Time, error) {
	s.reads = append(s.reads, "first")
	return s.first, nil
}

func (s *fakeStates) PublishedBetween(_ context.Context, after, until time.Time, _ AssessmentFilter) ([]Assessment, error) {
	s.reads = append(s.reads, "between "+after.Format("01-02")+" "+until.Format("01-02"))
	var out []Assessment
	for _, a := range s.published {
		if a.UpdatedAt.After(after) && !a.UpdatedAt.After(until) {
			out = append(out, a)
		}
	}
	return out, nil
}

func (s *fakeStates) Indicators(context.Context) ([]Indicator, error) {
	return []Indicator{{Key: "age", Position: 1}, {Key: "csam", Position: 2}}, nil
}

func TestRatingsAt(t *testing.T) {
	ctx := context.Background()
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 12, 0, 0, 0, time.UTC) }
	month := func(m time.Month) time.Time { return time.Date(2024, m, 1, 0, 0, 0, 0, time.UTC) }
	rated := func(country, indicator, rating string, at time.Time) Assessment {
		return Assessment{Country: country, Indicator: indicator, Rating: rating, UpdatedAt: at}
	}
	jan := rated("ML", "age", "no", day(1, 10))
	feb := rated("ML", "age", "yes", day(2, 10))
	mar := rated("FR", "csam", "partial", day(3, 10))
	s := &fakeStates{first: day(1, 10), published: []Assessment{jan, feb, mar},
		built: map[string][]Assessment{"2024-01": {jan}, "2024-02": {feb}}}
	line := func(list []Assessment) (out string) {
		for _, a := range list {
			out += a.Country + "/" + a.Indicator + "=" + a.Rating + " "
		}
		return out
	}
	for _, tt := range []struct {
		at    time.Time
		want  string // "unknown": the store must read its revisions
		reads string
	}{
		{EndOfMonth(month(2)), "ML/age=yes ", "[state 2024-02]"},
		{day(3, 20), "FR/csam=partial ML/age=yes ", "[state 2024-02 between 02-29 03-20]"},
		{EndOfMonth(month(3)), "FR/csam=partial ML/age=yes ", "[state 2024-03 state 2024-02 between 02-29 03-31]"},
		{day(2, 5), "ML/age=no ", "[state 2024-01 between 01-31 02-05]"},
		// December is not kept, but nothing was published before 10 January.
		{day(1, 20), "ML/age=no ", "[state 2023-12 first between 12-31 01-20]"},
		{day(1, 5), "", "[state 2023-12 first between 12-31 01-05]"},
		// April is not built: March's end must be read from the revisions.
		{day(5, 3), "unknown", "[state 2024-04 first]"},
	} {
		s.reads = nil
		list, ok, err := RatingsAt(ctx, s, tt.at, AssessmentFilter{RatingsOnly: true})
		got := line(list)
		if !ok {
			got = "unknown"
		}
		if err != nil || got != tt.want {
			t.Errorf("RatingsAt(%s) = %q, %v; want %q", tt.at.Format(time.DateTime), got, err, tt.want)
		}
		if reads := fmtReads(s.reads); reads != tt.reads {
			t.Errorf("RatingsAt(%s) read %s, want %s", tt.at.Format(time.DateTime), reads, tt.reads)
		}
	}
}

func fmtReads(reads []string) string { return "[" + strings.Join(reads, " ") + "]" }
