package export

import (
	"fmt"
	"strings"
)

// readTable fills the table t of ds from a header and records, as CSV
// files and sheets give them; pl says where they are, for messages, and
// is completed here. Every cell is read; each one that does not parse is a
// problem. Blank records (every cell empty) are skipped, as spreadsheets
// leave them. strict refuses records whose length is not the header's, as
// CSV requires; sheets drop trailing empty cells, so they are not strict.
// Strict records come from CSV, whose text cells carry the formula guard
// (see guardFormula), undone here.
func readTable(ds *Dataset, t tableDef, header []string, records [][]string, lines []int, pl *placement, strict bool) Problems {
	tab := t.table()
	ds.origin.tables[tab.Name] = pl
	pl.cols = map[string]int{}
	var ps Problems
	index := make([]int, len(header)) // file position → schema column, -1 unknown
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		index[i] = -1
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
			index[i] = j
		}
	}
	for _, c := range tab.Columns {
		if pl.cols[c.Name] == 0 {
			ps = append(ps, ds.problem(tab.Name, -1, "", fmt.Sprintf("missing column %s", quote(c.Name))))
		}
	}
	if len(ps) > 0 {
		return ps
	}

	kept := records[:0:0]
	pl.rows = pl.rows[:0]
	for i, rec := range records {
		if blank(rec) {
			continue
		}
		kept = append(kept, rec)
		pl.rows = append(pl.rows, lines[i])
	}
	t.resize(ds, len(kept))
	for r, rec := range kept {
		if strict && len(rec) != len(header) {
			ps = append(ps, ds.problem(tab.Name, r, "", fmt.Sprintf("%d field(s), but the header has %d", len(rec), len(header))))
			continue
		}
		for i, j := range index {
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
			field := t.field(ds, r, j)
			if _, text := field.(*string); text && strict {
				cell = unguardFormula(cell)
			}
			if err := parseCell(field, cell); err != nil {
				ps = append(ps, ds.problem(tab.Name, r, c.Name, c.Name+": "+err.Error()))
			}
		}
		for i := len(header); i < len(rec); i++ {
			if rec[i] != "" {
				ps = append(ps, ds.problem(tab.Name, r, "", fmt.Sprintf("a value beyond the last column (%s)", quote(rec[i]))))
				break
			}
		}
	}
	return ps
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
