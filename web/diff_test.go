package web

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// sides rebuilds the old and the new text from a word diff.
func sides(spans []textSpan) (old, new string) {
	var o, n strings.Builder
	for _, sp := range spans {
		if sp.Op != "ins" {
			o.WriteString(sp.Text)
		}
		if sp.Op != "del" {
			n.WriteString(sp.Text)
		}
	}
	return o.String(), n.String()
}

func changes(spans []textSpan) []string {
	var out []string
	for _, sp := range spans {
		if sp.Op != "" {
			out = append(out, sp.Op+":"+sp.Text)
		}
	}
	return out
}

func TestWordDiffMarksWholeWords(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     []string
	}{
		{"The age of consent is 16 years.", "The age of consent is 18 years.", []string{"del:16", "ins:18"}},
		{"Articles 16 and 17 apply.", "Articles 16, 17 and 18 apply.", []string{"ins:, 17", "del:17", "ins:18"}},
		{"No law.", "No law.", nil},
		{"", "A first text.", []string{"ins:A first text."}},
		{"Removed entirely.", "", []string{"del:Removed entirely."}},
		{"Côte d’Ivoire adopted it.", "Côte d’Ivoire repealed it.", []string{"del:adopted", "ins:repealed"}},
	} {
		spans := wordDiff(tc.old, tc.new, time.Time{}).Spans
		if got := changes(spans); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q → %q: %q, want %q", tc.old, tc.new, got, tc.want)
		}
	}
}

func TestWordDiffNeverSplitsAWord(t *testing.T) {
	spans := wordDiff("extradition requires double criminality", "extraterritoriality requires dual criminality", time.Time{}).Spans
	if got := changes(spans); strings.Join(got, "|") != "del:extradition|ins:extraterritoriality|del:double|ins:dual" {
		t.Errorf("changes %q", got)
	}
}

// The diff is a diff: whatever the texts, keeping the deletions gives the
// old text and keeping the insertions the new one.
func TestWordDiffRebuildsBothTexts(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	words := strings.Fields("the law of 2012 art. 16 17 penal code criminal procedure — « » Mali’s courts\n\n, ; :")
	text := func() string {
		var b strings.Builder
		for range rnd.IntN(60) {
			b.WriteString(words[rnd.IntN(len(words))])
			b.WriteString([]string{" ", " ", "\n", ""}[rnd.IntN(4)])
		}
		return b.String()
	}
	for i := range 300 {
		a, b := text(), text()
		old, new := sides(wordDiff(a, b, time.Time{}).Spans)
		if old != normaliseNewlines(a) || new != normaliseNewlines(b) {
			t.Fatalf("case %d: %q → %q rebuilt as %q → %q", i, a, b, old, new)
		}
	}
}

func TestWordDiffHandlesManyDistinctWords(t *testing.T) {
	// More distinct words than the first private use area holds.
	var a, b strings.Builder
	for i := range 9000 {
		fmt.Fprintf(&a, "w%d ", i)
		fmt.Fprintf(&b, "w%d ", i+1)
	}
	old, new := sides(wordDiff(a.String(), b.String(), time.Time{}).Spans)
	if old != strings.TrimSpace(a.String()) || new != strings.TrimSpace(b.String()) {
		t.Fatal("texts with many distinct words are not rebuilt")
	}
	for _, i := range []int{0, puaLen - 1, puaLen, puaLen + 0xFFFD, puaLen + 0x10000, maxTokens - 1} {
		if got := runeIndex(tokenRune(i)); got != i {
			t.Errorf("token %d comes back as %d", i, got)
		}
	}
}

func TestDiffAssessments(t *testing.T) {
	penal := law("Penal Code of Mali", "", 2001, 2016)
	penal.ID = 1
	ccp := law("Code of Criminal Procedure of Mali", "", 2001, 2021)
	ccp.ID = 2
	tip := law("Law nº 2012-023 on Trafficking in Persons", "Law nº 2012-023", 2012, 0)
	sixteen, eighteen := 16, 18
	old := vigie.Assessment{Rating: vigie.RatingPartial, Value: &sixteen, Explanation: "Sixteen for girls.",
		AsOf: vigie.AsOf{Year: 2016}, Citations: []vigie.Citation{{Source: penal, Articles: "Art. 225"}, {Source: ccp}}}
	new := vigie.Assessment{Rating: vigie.RatingYes, Value: &eighteen, Explanation: "Eighteen for all.",
		AsOf: vigie.AsOf{Year: 2024, Month: 5}, Citations: []vigie.Citation{{Source: penal, Articles: "Art. 225, 226"}, {Source: tip}}}
	d := diffAssessments(old, new, vigie.ValueYears, newScale(vigie.DefaultRatings()))
	if !d.RatingChanged || d.OldRating.Label != "Partial" || d.NewRating.Label != "Yes" {
		t.Errorf("rating: %+v → %+v", d.OldRating, d.NewRating)
	}
	if !d.ValueChanged || d.OldValue != "16 years" || d.NewValue != "18 years" {
		t.Errorf("value: %q → %q", d.OldValue, d.NewValue)
	}
	if !d.AsOfChanged || d.OldAsOf != "2016" || d.NewAsOf != "May 2024" {
		t.Errorf("as of: %q → %q", d.OldAsOf, d.NewAsOf)
	}
	if !d.TextChanged {
		t.Error("text unchanged")
	}
	var got []string
	for _, s := range d.Sources {
		got = append(got, s.Change+":"+s.Citation.Title+":"+s.OldArticles)
	}
	want := "changed:Penal Code of Mali:Art. 225|added:Law nº 2012-023 on Trafficking in Persons:|removed:Code of Criminal Procedure of Mali:"
	if strings.Join(got, "|") != want {
		t.Errorf("sources %q\nwant %q", strings.Join(got, "|"), want)
	}
	if !d.SourcesChanged || !d.Changed() {
		t.Error("not marked changed")
	}

	same := diffAssessments(old, old, vigie.ValueYears, newScale(vigie.DefaultRatings()))
	if same.Changed() {
		t.Errorf("an assessment differs from itself: %+v", same)
	}
	// Only the order changed.
	swapped := old
	swapped.Citations = []vigie.Citation{old.Citations[1], old.Citations[0]}
	if d := diffAssessments(old, swapped, vigie.ValueYears, newScale(vigie.DefaultRatings())); !d.SourcesChanged {
		t.Error("a new order of sources is not a change")
	}
}

// Past maxDiffTokens a text is not compared at all: the diff is the old
// text deleted and the new one inserted, marked as such.
func TestWordDiffShowsLongTextsReplaced(t *testing.T) {
	var a, b strings.Builder
	for i := range maxDiffTokens {
		fmt.Fprintf(&a, "a%d ", i)
		fmt.Fprintf(&b, "b%d ", i)
	}
	d := wordDiff(a.String(), b.String(), time.Time{})
	if d.Replaced != replacedLong {
		t.Fatalf("replaced %q, want %q", d.Replaced, replacedLong)
	}
	old, new := sides(d.Spans)
	if len(d.Spans) != 2 || old != strings.TrimSpace(a.String()) || new != strings.TrimSpace(b.String()) {
		t.Errorf("%d spans do not show the texts whole", len(d.Spans))
	}
}

// A page whose budget is spent shows costly diffs replaced and does not
// remember them: the next reader gets the comparison.
func TestWordDiffPastThePageBudget(t *testing.T) {
	var a, b strings.Builder
	for i := range cheapDiffTokens {
		fmt.Fprintf(&a, "a%d ", i)
		fmt.Fprintf(&b, "b%d ", i)
	}
	if d := wordDiff(a.String(), b.String(), time.Now().Add(-time.Second)); d.Replaced != replacedBusy {
		t.Fatalf("past the budget: replaced %q, want %q", d.Replaced, replacedBusy)
	}
	if d := wordDiff("A short text.", "A short new text.", time.Now().Add(-time.Second)); d.Replaced != "" {
		t.Errorf("a cheap diff past the budget is replaced: %q", d.Replaced)
	}
	if _, ok := diffs.lookup(strconv.Itoa(len(strings.TrimSpace(a.String()))) + ":" + strings.TrimSpace(a.String()) + strings.TrimSpace(b.String())); ok {
		t.Error("a diff skipped for want of time is remembered")
	}
}
