package export

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Problem is one thing wrong in a file, and where: "revisions.csv:17:5"
// (file, line of the record, column number) in a data package,
// "[vigie.xlsx]revisions!E17" in a workbook, "vigie.json#/revisions/16/rating"
// (a JSON pointer) in a JSON document.
type Problem struct {
	At  string
	Msg string

	pos position // for ordering; zero when not at a cell of a table
}

// position orders problems as the files read: table, row, column, each
// counted from 1 so that the zero position sorts first.
type position struct{ table, row, col int }

func (p Problem) Error() string { return p.At + ": " + p.Msg }

// Problems is every problem found in one pass, so that a file can be fixed
// in one go. A file with problems is refused whole.
type Problems []Problem

// MaxListed caps how many problems an error message lists.
const MaxListed = 100

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i == MaxListed {
			fmt.Fprintf(&b, "\n… and %d more problem(s)", len(ps)-MaxListed)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Err returns ps as an error, or nil when there are none.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// problem is a Problem at a cell: table, row index (-1 for the header)
// and column name ("" for the whole row).
func (ds *Dataset) problem(table string, row int, column, msg string) Problem {
	if row >= 0 {
		row += ds.base(table)
	}
	pos := position{row: row + 2}
	for i, t := range tables {
		if tab := t.table(); tab.Name == table {
			pos.table = i + 1
			pos.col = columnIndex(tab, column) + 1
		}
	}
	return Problem{At: ds.At(table, row, column), Msg: msg, pos: pos}
}

// problemAt is problem for a row no longer held: its row in the file
// (for the order of problems) and its location (see locate).
func (ds *Dataset) problemAt(table string, row, loc int, column, msg string) Problem {
	p := ds.problem(table, -1, column, msg)
	p.pos.row = row + 2
	p.At = ds.atLocation(table, loc, column)
	return p
}

// settle puts problems in file order and drops those repeating a place
// already named: a value that did not parse also fails its checks.
func settle(ps Problems) Problems {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.pos.table, b.pos.table), cmp.Compare(a.pos.row, b.pos.row), cmp.Compare(a.pos.col, b.pos.col))
	})
	seen := map[string]bool{}
	out := ps[:0]
	for _, p := range ps {
		if p.pos.col > 0 && seen[p.At] {
			continue
		}
		seen[p.At] = true
		out = append(out, p)
	}
	return out
}

// origin records where a decoded dataset's rows came from.
type origin struct {
	format string // "csv", "xlsx" or "json"
	name   string // the file, directory or archive
	tables map[string]*placement
}

// placement is where one table's rows sit in a file.
type placement struct {
	file string // CSV file within the package, or sheet name
	// base is the index in the file of the first row held: a table read
	// a chunk at a time (see Opened) holds only the rows of one chunk.
	base  int
	rows  []int          // per row held: CSV line where the record starts, or sheet row number
	cols  map[string]int // column name → 1-based position in the file
	start int            // line (CSV) or row (XLSX) of the header, for messages about the table itself
}

func newOrigin(format, name string) *origin {
	return &origin{format: format, name: name, tables: map[string]*placement{}}
}

// At says where the value of column of row of table came from, in the
// form of the file's format. column may be "" for the row as a whole.
func (ds *Dataset) At(table string, row int, column string) string {
	return ds.at(table, row, -1, column)
}

// base is the index in the file of the first row of table that ds holds.
func (ds *Dataset) base(table string) int {
	if ds.origin == nil || ds.origin.tables[table] == nil {
		return 0
	}
	return ds.origin.tables[table].base
}

// locate is where row i of table, as held, sits: its CSV line or sheet
// row, or its index in a JSON document.
func (ds *Dataset) locate(table string, i int) int {
	o := ds.origin
	if o == nil || o.format == "json" || o.tables[table] == nil {
		return i + ds.base(table)
	}
	if pl := o.tables[table]; i < len(pl.rows) {
		return pl.rows[i]
	}
	return 0
}

// atLocation is At for a row known by what locate returned for it, once
// its chunk is gone.
func (ds *Dataset) atLocation(table string, loc int, column string) string {
	if o := ds.origin; o == nil || o.format == "json" {
		return ds.at(table, loc, -1, column)
	}
	return ds.at(table, -1, loc, column)
}

// at is At for a row of the file (row ≥ 0) or at a line (line ≥ 0).
func (ds *Dataset) at(table string, row, line int, column string) string {
	o := ds.origin
	if o == nil {
		if column == "" {
			return fmt.Sprintf("%s row %d", table, row+1)
		}
		return fmt.Sprintf("%s row %d, %s", table, row+1, column)
	}
	if o.format == "json" {
		p := o.name + "#/" + table
		if row >= 0 {
			p += "/" + strconv.Itoa(row)
			if column != "" {
				p += "/" + column
			}
		}
		return p
	}
	pl := o.tables[table]
	if pl == nil {
		return o.name
	}
	if line < 0 {
		line = pl.start
		if i := row - pl.base; row >= 0 && i >= 0 && i < len(pl.rows) {
			line = pl.rows[i]
		}
	}
	c := pl.cols[column]
	if c == 0 && len(pl.cols) > 0 {
		c = 1
	}
	if o.format == "xlsx" {
		return fmt.Sprintf("[%s]%s!%s%d", o.name, pl.file, columnLetters(c), line)
	}
	return fmt.Sprintf("%s:%d:%d", pl.file, line, c)
}

// columnLetters names a 1-based column as spreadsheets do: A … Z, AA ….
func columnLetters(n int) string {
	if n < 1 {
		n = 1
	}
	var s []byte
	for n > 0 {
		n--
		s = append([]byte{byte('A' + n%26)}, s...)
		n /= 26
	}
	return string(s)
}
