package export

import (
	"fmt"
	"strings"
)

// tableDecoder reads the records of one table, as CSV files and sheets
// give them, into a Dataset: the header first (newTableDecoder), then
// each record (add). Every cell is read; each one that does not parse is
// a problem. Blank records (every cell empty) are skipped, as spreadsheets
// leave them. strict refuses records whose length is not the header's, as
// CSV requires; sheets drop trailing empty cells, so they are not strict.
// Strict records come from CSV, whose text cells carry the formula guard
// (see guardFormula), undone here.
type tableDecoder struct {
	t      tableDef
	header []string
	index  []int // file position → schema column, -1 unknown
	pl     *placement
	strict bool
}

// newTableDecoder reads a table's header; pl says where the table is, for
// messages, and is completed here.
func newTableDecoder(ds *Dataset, t tableDef, header []string, pl *placement, strict bool) (*tableDecoder, Problems) {
	tab := t.table()
	ds.origin.tables[tab.Name] = pl
	pl.cols = map[string]int{}
	var ps Problems
	d := &tableDecoder{t: t, header: header, index: make([]int, len(header)), pl: pl, strict: strict}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		d.index[i] = -1
		j := columnIndex(tab, h)
		switch {
		case h == "" && !strict:
			// a spreadsheet's stray empty header cell
		case j < 0:
			pl.cols[h] = i + 1
			ps = append(ps, ds.problem(tab.Name, -1, h, fmt.Sprintf("unknown column %s; %s has the columns %s",
				quote(h), tab.Name, columnNames(tab))))
		case pl.cols[h] != 0:
			ps = append(ps, ds.problem(tab.Name, -1, h, fmt.Sprintf("the column %s appears twice", quote(h))))
		default:
			pl.cols[h] = i + 1
			d.index[i] = j
		}
	}
	for _, c := range tab.Columns {
		if pl.cols[c.Name] == 0 {
			ps = append(ps, ds.problem(tab.Name, -1, "", fmt.Sprintf("missing column %s", quote(c.Name))))
		}
	}
	return d, ps
}

// add appends the record rec, which starts at line, to its table in ds,
// unless it is blank.
func (d *tableDecoder) add(ds *Dataset, rec []string, line int) Problems {
	if blank(rec) {
		return nil
	}
	tab := d.t.table()
	r := d.t.add(ds)
	d.pl.rows = append(d.pl.rows, line)
	if d.strict && len(rec) != len(d.header) {
		return Problems{ds.problem(tab.Name, r, "", fmt.Sprintf("%d field(s), but the header has %d", len(rec), len(d.header)))}
	}
	var ps Problems
	for i, j := range d.index {
		if j < 0 {
			continue
		}
		cell := ""
		if i < len(rec) {
			cell = rec[i]
		}
		c := tab.Columns[j]
		if cell == "" && c.Required {
			ps = append(ps, ds.problem(tab.Name, r, c.Name, c.Name+" is required"))
			continue
		}
		field := d.t.field(ds, r, j)
		if _, text := field.(*string); text && d.strict {
			cell = unguardFormula(cell)
		}
		if err := parseCell(field, cell); err != nil {
			ps = append(ps, ds.problem(tab.Name, r, c.Name, c.Name+": "+err.Error()))
		}
	}
	for i := len(d.header); i < len(rec); i++ {
		if rec[i] != "" {
			ps = append(ps, ds.problem(tab.Name, r, "", fmt.Sprintf("a value beyond the last column (%s)", quote(rec[i]))))
			break
		}
	}
	return ps
}

// clear empties the table in ds, the next rows held counted from the
// first row not yet read.
func (d *tableDecoder) clear(ds *Dataset) {
	d.pl.base += len(d.pl.rows)
	d.pl.rows = d.pl.rows[:0]
	d.t.clear(ds)
}

func columnIndex(t *Table, name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func columnNames(t *Table) string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

func blank(rec []string) bool {
	for _, c := range rec {
		if c != "" {
			return false
		}
	}
	return true
}

// header returns the column names of t.
func header(t *Table) []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}
