package storetest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

func citationFlagTests() []namedTest {
	return []namedTest{
		{"CitationFlagsReplaceAndClear", testCitationFlagsSet},
		{"CitationFlagsRollBack", testCitationFlagsRollBack},
		{"CitationFlagsImportedThenSaved", testCitationFlagsDecisions},
	}
}

func flagsOf(t *testing.T, r vigie.Reader, f vigie.CitationFlagFilter) []vigie.CitationFlag {
	t.Helper()
	got, err := r.CitationFlags(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	for i := range got {
		if got[i].CreatedAt.IsZero() {
			t.Errorf("flag %d lost its time", i)
		}
		got[i].CreatedAt = time.Time{}
	}
	return got
}

var flagAt = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)

func twoFlags() []vigie.CitationFlag {
	return []vigie.CitationFlag{
		{Country: "GH", Indicator: "sec-police-unit", Title: "Police Service Act, Victim Support Unit Regulations", Year: 2001,
			Note: "could be 1 source(s) or 2", Origin: "ghana.txt:81", CreatedAt: flagAt},
		{Country: "GH", Indicator: "sec-police-unit", Title: "Annexe (b", Origin: "ghana.txt:82", CreatedAt: flagAt},
	}
}

func stripTimes(fs []vigie.CitationFlag) []vigie.CitationFlag {
	out := append([]vigie.CitationFlag(nil), fs...)
	for i := range out {
		out[i].CreatedAt = time.Time{}
	}
	return out
}

func testCitationFlagsSet(t *testing.T, s vigie.Store) {
	if got := flagsOf(t, s, vigie.CitationFlagFilter{}); got != nil {
		t.Fatalf("a new store has flags: %+v", got)
	}
	want := twoFlags()
	other := vigie.CitationFlag{Country: "ML", Indicator: "age-of-consent", Title: "Penal Code of Mali", CreatedAt: flagAt}
	update(t, s, func(tx vigie.Tx) error {
		if changed, err := tx.SetCitationFlags(ctx, "GH", "sec-police-unit", want); err != nil || !changed {
			t.Errorf("first set: changed %v, %v", changed, err)
		}
		_, err := tx.SetCitationFlags(ctx, "ML", "age-of-consent", []vigie.CitationFlag{other})
		// A transaction reads its own flags.
		if got := flagsOf(t, tx, vigie.CitationFlagFilter{Country: "GH"}); !reflect.DeepEqual(got, stripTimes(want)) {
			t.Errorf("inside the transaction = %+v", got)
		}
		return err
	})
	if got := flagsOf(t, s, vigie.CitationFlagFilter{}); !reflect.DeepEqual(got, stripTimes(append(want, other))) {
		t.Errorf("all flags =\n%+v\nwant (country order, then the order flagged)\n%+v", got, stripTimes(append(want, other)))
	}
	if got, _ := s.CitationFlags(ctx, vigie.CitationFlagFilter{Country: "GH", Indicator: "sec-police-unit"}); len(got) != 2 || !got[0].CreatedAt.Equal(flagAt) {
		t.Errorf("flags of one assessment = %+v", got)
	}
	if got := flagsOf(t, s, vigie.CitationFlagFilter{Indicator: "age-of-consent"}); len(got) != 1 || got[0].Country != "ML" {
		t.Errorf("by indicator = %+v", got)
	}

	// The same flags again, later: nothing changes, not even the data version.
	v1, _ := s.DataVersion(ctx)
	update(t, s, func(tx vigie.Tx) error {
		again := twoFlags()
		for i := range again {
			again[i].CreatedAt = flagAt.Add(time.Hour)
		}
		changed, err := tx.SetCitationFlags(ctx, "GH", "sec-police-unit", again)
		if changed {
			t.Error("setting the same flags reports a change")
		}
		return err
	})
	if v2, _ := s.DataVersion(ctx); v2 != v1 {
		t.Errorf("data version %d → %d for the same flags", v1, v2)
	}

	// Replacing and clearing.
	update(t, s, func(tx vigie.Tx) error {
		if _, err := tx.SetCitationFlags(ctx, "GH", "sec-police-unit", want[1:]); err != nil {
			return err
		}
		if got := flagsOf(t, tx, vigie.CitationFlagFilter{Country: "GH"}); !reflect.DeepEqual(got, stripTimes(want[1:])) {
			t.Errorf("after replacing = %+v", got)
		}
		if changed, err := tx.SetCitationFlags(ctx, "GH", "sec-police-unit", nil); err != nil || !changed {
			t.Errorf("clear: changed %v, %v", changed, err)
		}
		if changed, err := tx.SetCitationFlags(ctx, "GH", "sec-police-unit", nil); err != nil || changed {
			t.Errorf("clearing nothing: changed %v, %v", changed, err)
		}
		return nil
	})
	if got := flagsOf(t, s, vigie.CitationFlagFilter{Country: "GH"}); got != nil {
		t.Errorf("cleared flags remain: %+v", got)
	}

	// An invalid flag is refused, naming the field, and writes nothing.
	err := s.Update(ctx, func(tx vigie.Tx) error {
		_, err := tx.SetCitationFlags(ctx, "GH", "sec-police-unit", []vigie.CitationFlag{want[0], {Country: "GH", Indicator: "sec-police-unit", Title: " "}})
		return err
	})
	var e *vigie.Error
	if !errors.As(err, &e) || e.Code != vigie.EINVALID || e.Field != "title" {
		t.Errorf("blank title: %v", err)
	}
	if got := flagsOf(t, s, vigie.CitationFlagFilter{Country: "GH"}); got != nil {
		t.Errorf("a refused set left flags: %+v", got)
	}
}

func testCitationFlagsRollBack(t *testing.T, s vigie.Store) {
	boom := errors.New("boom")
	err := s.Update(ctx, func(tx vigie.Tx) error {
		if _, err := tx.SetCitationFlags(ctx, "GH", "sec-police-unit", twoFlags()); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v", err)
	}
	if got := flagsOf(t, s, vigie.CitationFlagFilter{}); got != nil {
		t.Errorf("a rolled-back transaction left flags: %+v", got)
	}
}

// testCitationFlagsDecisions runs the domain's decisions on a real store:
// an import that writes new content flags, one that changes nothing keeps
// the flags as they are, and an editor's save clears them.
func testCitationFlagsDecisions(t *testing.T, s vigie.Store) {
	a := vigie.Assessment{Country: "GH", Indicator: "sec-police-unit", Rating: vigie.RatingYes,
		Citations: []vigie.Citation{{Source: vigie.Source{Kind: vigie.SourceLaw, Title: "Police Service Act, Victim Support Unit Regulations", Year: 2001}}}}
	importOnce := func() (changed bool, written int) {
		update(t, s, func(tx vigie.Tx) error {
			var err error
			_, changed, err = tx.SaveAssessment(ctx, a, vigie.Change{Author: "import"})
			if err != nil {
				return err
			}
			written, err = vigie.FlagImportedCitations(ctx, tx, a, changed, twoFlags()[:1], flagAt)
			return err
		})
		return changed, written
	}
	if changed, written := importOnce(); !changed || written != 1 {
		t.Fatalf("first import: changed %v, %d flag(s)", changed, written)
	}
	if got := flagsOf(t, s, vigie.CitationFlagFilter{Country: "GH"}); len(got) != 1 || got[0].Origin != "ghana.txt:81" {
		t.Fatalf("flags after import = %+v", got)
	}

	svc := vigie.NewService(s)
	rev, err := s.LatestRevision(ctx, "GH", "sec-police-unit")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveDraft(ctx, vigie.CommandLine("researcher"), a, rev.Number, "checked the police sources", false); err != nil {
		t.Fatal(err)
	}
	if got := flagsOf(t, s, vigie.CitationFlagFilter{}); got != nil {
		t.Errorf("saving the assessment left its flags: %+v", got)
	}
	// The same page imported again changes nothing, so the check stands.
	if changed, written := importOnce(); changed || written != 0 {
		t.Errorf("second import: changed %v, %d flag(s)", changed, written)
	}
	if got := flagsOf(t, s, vigie.CitationFlagFilter{}); got != nil {
		t.Errorf("importing the same page again flagged it anew: %+v", got)
	}
}
