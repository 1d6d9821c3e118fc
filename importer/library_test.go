package importer_test

import (
	"context"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/importer"
)

// TestImportKeepsEditorsAdditions: a PDF uploaded to an imported report,
// its link and the other countries it covers survive importing the page
// again, which finds the report unchanged.
func TestImportKeepsEditorsAdditions(t *testing.T) {
	s := openStore(t)
	pages := []string{maliPage, gambiaPage}
	if _, err := importer.ImportFiles(ctx, s, pages, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	file := vigie.FileRef{Hash: strings.Repeat("0f", 32), Size: 2048}
	const slug = "mali-country-monitoring-report-2017"
	if err := s.Update(ctx, func(tx vigie.Tx) error {
		p, err := tx.Publication(context.Background(), slug)
		if err != nil {
			return err
		}
		p.File, p.Link, p.Countries = file, "https://example.org/mali.pdf", []string{"ML", "SN"}
		_, err = vigie.MergePublication(ctx, tx, &p)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	sum, err := importer.ImportFiles(ctx, s, pages, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Publications != 0 {
		t.Errorf("importing again changed %d publication(s)", sum.Publications)
	}
	p, err := s.Publication(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	if p.File != file || p.Link != "https://example.org/mali.pdf" || strings.Join(p.Countries, ",") != "ML,SN" {
		t.Errorf("after a second import: %+v", p)
	}
	if all, _ := s.Publications(ctx, vigie.PublicationFilter{}); len(all) != 5 {
		t.Errorf("%d publications, want 5", len(all))
	}
}
