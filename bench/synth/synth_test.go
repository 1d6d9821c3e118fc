package synth

import (
	"context"
	"path/filepath"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// The full dataset holds what the harnesses promise: every country and
// indicator with RevisionsPerAssessment revisions, and French and Spanish
// explanations that are current for two thirds of the assessments.
func TestFullDataset(t *testing.T) {
	if testing.Short() {
		t.Skip("writes the full synthetic dataset (a few seconds)")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "synth.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stats, err := Generate(ctx, st, Options{Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Countries != 249 || stats.Assessments != 249*stats.Indicators || stats.Revisions != stats.Assessments*RevisionsPerAssessment {
		t.Errorf("dataset: %s", stats)
	}
	for _, lang := range []string{"fr", "es"} {
		trs, err := st.Translations(ctx, vigie.TranslationFilter{Kind: vigie.KindAssessment, Lang: lang})
		if err != nil {
			t.Fatal(err)
		}
		published, err := st.Assessments(ctx, vigie.AssessmentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		current := map[string]string{}
		for _, a := range published {
			current[vigie.AssessmentKey(a.Country, a.Indicator)] = a.Explanation
		}
		fresh := 0
		for _, tr := range trs {
			if tr.Current(current[tr.Key]) && tr.Text != "" {
				fresh++
			}
		}
		if want := stats.Translations / 2; len(trs) != want || fresh != want || want < stats.Assessments/2 || want == stats.Assessments {
			t.Errorf("%s: %d translations, %d current, want %d of %d assessments", lang, len(trs), fresh, want, stats.Assessments)
		}
	}
}

// Revisions span the same thirteen years at every scale, in order: the
// times once overflowed, and the 100× history lasted twelve days.
func TestRevisionTimesSpanTheHistory(t *testing.T) {
	for _, scale := range []int{1, 10, 100, 1000} {
		total := RevisionsPerAssessment * scale * 9
		first, last := revisionTime(0, total), revisionTime(total-1, total)
		if !first.Equal(base) || last.Year() != base.Add(history).Year() || last.After(base.Add(history)) {
			t.Errorf("%d×: revisions from %s to %s, want %s to about %s", scale, first, last, base, base.Add(history))
		}
		for i := 1; i < total; i += max(1, total/1000) {
			if !revisionTime(i, total).After(revisionTime(i-1, total)) {
				t.Fatalf("%d×: revision %d is not after %d", scale, i, i-1)
			}
		}
	}
}
