package export

import (
	"errors"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A table longer than a sheet is refused before anything is written,
// with an error that callers can tell apart (the web site answers that
// the data has outgrown a workbook).
func TestWorkbookRefusesATableLongerThanASheet(t *testing.T) {
	ds := &Dataset{Meta: Meta{Version: FormatVersion, Scope: ScopePublished},
		PublicationCountries: make([]PublicationCountry, excelize.TotalRows)}
	var tooLong *SheetTooLongError
	if err := WriteXLSX(io.Discard, ds, nil); !errors.As(err, &tooLong) || tooLong.Table != "publication_countries" {
		t.Fatalf("WriteXLSX: %v", err)
	}
	ds.PublicationCountries = ds.PublicationCountries[:excelize.TotalRows-1] // with its header, a full sheet
	if err := FitsXLSX(ds); err != nil {
		t.Errorf("a full sheet: %v", err)
	}
}
