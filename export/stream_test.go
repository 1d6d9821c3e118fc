package export_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/internal/testdb"
)

// A stream writes byte for byte what Build and Write write, in every
// format and scope, and can be written more than once, from either store
// (the cursors order text byte by byte whatever PostgreSQL's collation).
func TestStreamWritesWhatBuildWrites(t *testing.T) {
	for _, store := range testdb.Stores() {
		t.Run(store.Name, func(t *testing.T) { testStreamWritesWhatBuildWrites(t, store.Open(t)) })
	}
}

func testStreamWritesWhatBuildWrites(t *testing.T, src vigie.Store) {
	seedFull(t, src)
	// A text past a spreadsheet cell's limit, in the history: the
	// workbook's continued sheet must still name its row.
	long := strings.Repeat("=Long text past a cell's limit. ", 1500)
	update(t, src, func(tx vigie.Tx) error {
		// Sources whose order byte by byte differs from a collation's
		// that skips punctuation, and one title as two kinds.
		var cites []vigie.Citation
		for _, title := range []string{"alphabet", "Alpha-beta", "Zeta", "alpha"} {
			cites = append(cites, vigie.Citation{Source: vigie.Source{Kind: vigie.SourceLaw, Title: title, Year: 2001}})
		}
		cites = append(cites, vigie.Citation{Source: vigie.Source{Kind: vigie.SourcePublication, Title: "Alpha", Year: 2001}})
		_, _, err := tx.SaveAssessment(ctx, vigie.Assessment{Country: "SN", Indicator: "age-of-consent", Rating: vigie.RatingPartial,
			Explanation: long, Citations: cites}, vigie.Change{Author: "import: seed", At: day0.AddDate(0, 2, 0)})
		return err
	})
	asOf := day0.AddDate(0, 1, -1).Format(time.DateOnly)
	for _, opts := range []export.Options{{}, {Scope: export.ScopePublished}, {AsOf: asOf}, {AsOf: "2030-01-01"}} {
		s, err := export.NewStream(ctx, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := export.Build(ctx, src, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{export.FormatJSON, export.FormatCSV, export.FormatXLSX, export.FormatJSON} {
			var want, got bytes.Buffer
			if err := export.Write(&want, format, ds, nil); err != nil {
				t.Fatal(err)
			}
			if err := export.Write(&got, format, s, nil); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%+v, %s: the stream wrote %d bytes, Build's dataset %d, and they differ", opts, format, got.Len(), want.Len())
			}
		}
		if s.Count("revisions") != len(ds.Revisions) || s.Count("citations") != len(ds.Citations) || s.Count("sources") != len(ds.Sources) {
			t.Errorf("%+v: counts %d, %d, %d; want %d, %d, %d", opts, s.Count("revisions"), s.Count("citations"), s.Count("sources"),
				len(ds.Revisions), len(ds.Citations), len(ds.Sources))
		}
		if opts.AsOf == "" && opts.Scope == "" && !bytes.Contains(jsonOf(t, ds), []byte(long[:200])) {
			t.Error("the long text is not in the export")
		}
		dir := t.TempDir()
		if err := export.WriteCSVDir(dir, s, nil); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "citations.csv")); err != nil || !bytes.Contains(b, []byte("\r\n")) {
			t.Errorf("citations.csv: %v, %d bytes", err, len(b))
		}
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}
}
