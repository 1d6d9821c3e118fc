package export_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// historyOf is ds's revisions as History gives them: each with its
// citations in order, as one line per revision.
func historyOf(ds *export.Dataset) []string {
	sources := map[int]string{}
	for _, s := range ds.Sources {
		sources[s.ID] = s.Title
	}
	var out []string
	for _, r := range ds.Revisions {
		var cites []export.Citation
		for _, c := range ds.Citations {
			if c.Country == r.Country && c.Indicator == r.Indicator && c.Revision == r.Number {
				cites = append(cites, c)
			}
		}
		slices.SortFunc(cites, func(a, b export.Citation) int { return cmp.Compare(a.Position, b.Position) })
		line := fmt.Sprintf("%s/%s#%d %s %q:", r.Country, r.Indicator, r.Number, r.State, r.Explanation)
		for _, c := range cites {
			line += fmt.Sprintf(" %s (%s)", sources[c.Source], c.Articles)
		}
		out = append(out, line)
	}
	return out
}

func lineOf(rev vigie.Revision) string {
	a := rev.Content
	line := fmt.Sprintf("%s/%s#%d %s %q:", a.Country, a.Indicator, rev.Number, rev.State, a.Explanation)
	for _, c := range a.Citations {
		line += fmt.Sprintf(" %s (%s)", c.Source.Title, c.Articles)
	}
	return line
}

// An export opened for import holds its history a chunk at a time; what
// History gives back is every revision with its citations, whatever the
// chunks, the format, and the order the citations are listed in.
func TestOpenReadsTheHistoryInChunks(t *testing.T) {
	ds := smallDataset(t)
	if len(ds.Revisions) < 4 || len(ds.Citations) < 4 {
		t.Fatalf("the fixture has %d revisions and %d citations: too few to cross chunks", len(ds.Revisions), len(ds.Citations))
	}
	want := historyOf(ds)
	shuffled := *ds
	shuffled.Citations = slices.Clone(ds.Citations)
	slices.Reverse(shuffled.Citations)
	for _, chunk := range []int{1, 3, 512} {
		defer export.SetHistoryChunk(chunk)()
		for _, set := range []struct {
			name string
			ds   *export.Dataset
		}{{"in order", ds}, {"citations reversed", &shuffled}} {
			for _, format := range []string{export.FormatJSON, export.FormatCSV, export.FormatXLSX} {
				name := fmt.Sprintf("chunk %d, %s, %s", chunk, set.name, format)
				o, err := export.Open(export.Input{Name: fileName(format), Data: write(t, format, set.ds)}, format, nil)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if o.Revisions != len(ds.Revisions) || o.Citations != len(ds.Citations) || len(o.Dataset.Revisions) != 0 {
					t.Fatalf("%s: %d revisions and %d citations counted, %d held; want %d, %d and none",
						name, o.Revisions, o.Citations, len(o.Dataset.Revisions), len(ds.Revisions), len(ds.Citations))
				}
				if held := export.HoldsCitations(o); held != (set.name != "in order") {
					t.Fatalf("%s: the citations are held in memory: %v", name, held)
				}
				var got []string
				err = o.History(2, func(batch []export.RevisionRecord) error {
					for _, rec := range batch {
						got = append(got, lineOf(rec.Revision))
					}
					return nil
				})
				o.Close()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("%s: history\n%s\nwant\n%s", name, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
		}
	}
}

// A problem in a row of a later chunk names that row, and a revision
// given twice names where it was first, though its chunk is gone.
func TestOpenNamesRowsOfEarlierChunks(t *testing.T) {
	defer export.SetHistoryChunk(1)()
	ds := smallDataset(t)
	bad := *ds
	bad.Revisions = slices.Clone(ds.Revisions)
	last := len(bad.Revisions) - 1
	bad.Revisions[last].Number = bad.Revisions[0].Number
	bad.Revisions[last].Country, bad.Revisions[last].Indicator = bad.Revisions[0].Country, bad.Revisions[0].Indicator
	for format, want := range map[string]string{
		// (CSV lines count the line breaks of explanations)
		export.FormatCSV:  fmt.Sprintf(":3: revision %d of %s/%s appears twice (also vigie.zip/revisions.csv:2:3)", bad.Revisions[0].Number, bad.Revisions[0].Country, bad.Revisions[0].Indicator),
		export.FormatJSON: fmt.Sprintf("vigie.json#/revisions/%d/number: revision %d of %s/%s appears twice (also vigie.json#/revisions/0/number)", last, bad.Revisions[0].Number, bad.Revisions[0].Country, bad.Revisions[0].Indicator),
		export.FormatXLSX: fmt.Sprintf("[vigie.xlsx]revisions!C%d: revision %d of %s/%s appears twice (also [vigie.xlsx]revisions!C2)", last+2, bad.Revisions[0].Number, bad.Revisions[0].Country, bad.Revisions[0].Indicator),
	} {
		_, err := export.Open(export.Input{Name: fileName(format), Data: write(t, format, &bad)}, format, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v\nwant %q", format, err, want)
		}
	}
}
