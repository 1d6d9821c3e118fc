package web

import (
	"context"
	"net/http"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// With the dataset kept (as the offline copy keeps it), the three
// downloads share one build per data version, and a write makes the next
// download build again: nobody downloads yesterday's data.
func TestDownloadsFollowTheData(t *testing.T) {
	s, st := testSite(t)
	s.datasets.keep = true
	count := func() int {
		t.Helper()
		res, body := get(t, s, "/data/vigie.json")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/data/vigie.json: %d", res.StatusCode)
		}
		ds, err := export.ReadJSON("current.json", body, nil)
		if err != nil {
			t.Fatal(err)
		}
		return len(ds.Organisations)
	}
	before := count()
	first := s.datasets.ds
	if res, _ := get(t, s, "/data/vigie.xlsx"); res.StatusCode != http.StatusOK {
		t.Fatalf("/data/vigie.xlsx: %d", res.StatusCode)
	}
	if s.datasets.ds != first {
		t.Error("the XLSX download built the dataset again for the same data version")
	}
	update(t, st, func(ctx context.Context, tx vigie.Tx) error {
		_, err := vigie.MergeOrganisation(ctx, tx, &vigie.Organisation{Country: "ML", Name: "Réseau des juristes", Acronym: "RJ"})
		return err
	})
	if after := count(); after != before+1 {
		t.Errorf("after adding an organisation the download lists %d, want %d", after, before+1)
	}
}

// A running site does not hold the dataset after a download: its page
// cache keeps the download's bytes, a fraction of the dataset's size.
func TestServerKeepsNoDataset(t *testing.T) {
	s, _ := testSite(t)
	if res, _ := get(t, s, "/data/vigie.json"); res.StatusCode != http.StatusOK {
		t.Fatalf("/data/vigie.json: %d", res.StatusCode)
	}
	if s.datasets.ds != nil {
		t.Error("the server holds the whole dataset after a download")
	}
}
