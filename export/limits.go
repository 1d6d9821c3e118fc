package export

import (
	"archive/zip"
	"fmt"
)

// Limits bound what reading a file may cost, so that a small hostile
// file — a ZIP bomb, a workbook whose cells all point at one long shared
// text, a row of millions of cells — is refused with a message naming
// the file and the limit, instead of taking the machine's memory or
// hours. They bound each row, not the file: every table that grows with
// the record is read a chunk at a time and may be of any length; the
// framework, the countries and the published state are held.
type Limits struct {
	Files int // entries in one ZIP archive (a data package or a workbook)
	// Expansion bounds how many times its compressed size an entry of an
	// archive may expand to, past its first MiB: a ZIP bomb expands a
	// thousand times, Vigie's exports about twenty.
	Expansion int64
	RowBytes  int // bytes of one row: a CSV record, a JSON row, a sheet's row
	RowCells  int // cells of one row; Vigie's tables have at most 19 columns
	// HeldRows bounds the rows of the tables held in memory: ratings,
	// indicators, countries and assessments (see held).
	HeldRows int
	// SharedTexts bounds the entries of a workbook's table of shared
	// texts, which its reader indexes in memory.
	SharedTexts int
	// TextExpansion bounds the text of a workbook's cells to so many
	// times the size of its sheets once uncompressed, past 64 MiB: one
	// shared text may show in many cells, but not in millions.
	TextExpansion int64
}

// DefaultLimits are the limits Read and Open apply.
var DefaultLimits = Limits{
	Files:         1000,
	Expansion:     200,
	RowBytes:      64 << 20,
	RowCells:      1024,
	HeldRows:      1_000_000,
	SharedTexts:   1_000_000,
	TextExpansion: 4,
}

// descriptorBytes caps datapackage.json, which Vigie writes at about
// 35 KB: it is decoded whole.
const descriptorBytes = 4 << 20

// budget counts what one read has held so far.
type budget struct {
	Limits
	held int // rows of the tables held
	// whole says every table is held but the history (Read), not only
	// those that do not grow with the record (Open).
	whole bool
	text  int64 // text of a workbook's cells
	// textMax is the text a workbook may show (see TextExpansion).
	textMax int64
}

func newBudget() *budget { return &budget{Limits: DefaultLimits} }

// tooBig is the problem of a file past a limit; what says which, as
// "more than 1024 cells in one row".
func tooBig(file, what string) Problems {
	return Problems{{At: file, Msg: what + ": Vigie's import stops there (the limit is far above real data: is the file damaged, or built to exhaust memory?)"}}
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkArchive refuses an archive with too many entries or whose entries
// say they expand past the limit. archive/zip enforces the sizes the
// entries declare when they are read, so declared sizes are the ones
// that count.
func (b *budget) checkArchive(name string, zr *zip.Reader) Problems {
	if len(zr.File) > b.Files {
		return tooBig(name, fmt.Sprintf("more than %d files in the archive", b.Files))
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > uint64(b.Expansion)*f.CompressedSize64+1<<20 {
			return tooBig(name+": "+f.Name, fmt.Sprintf("expands more than %d times its compressed size", b.Expansion))
		}
		total += f.UncompressedSize64
	}
	b.textMax = int64(min(total, 1<<50))*b.TextExpansion + 64<<20
	return nil
}

// row checks one row of table, of n cells holding text bytes, at where;
// table "" is a sheet read whole (a workbook's README).
func (b *budget) row(where func() string, n int, text int64, table string) Problems {
	if table == "" || held(table) || b.whole && table != "revisions" && table != "citations" {
		b.held++
	}
	switch {
	case n > b.RowCells:
		return tooBig(where(), fmt.Sprintf("more than %d cells in one row", b.RowCells))
	case text > int64(b.RowBytes):
		return tooBig(where(), "more than "+size(int64(b.RowBytes))+" of text in one row")
	case b.held > b.HeldRows:
		tables := "the tables ratings, indicators, countries and assessments"
		if b.whole {
			tables = "the tables besides revisions and citations"
		}
		return tooBig(where(), fmt.Sprintf("more than %d rows in %s", b.HeldRows, tables))
	}
	return nil
}

// held says whether a table is read whole and held while the others
// are read a chunk at a time: the framework, the countries and the
// published state, which do not grow with the record.
func held(table string) bool {
	switch table {
	case "ratings", "indicators", "countries", "assessments":
		return true
	}
	return false
}
