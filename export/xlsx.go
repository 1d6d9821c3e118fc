package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// The XLSX format is a workbook with one sheet per table, named as the
// table, its first row the column names, and a first sheet, README, that
// holds the dataset's metadata and explains every column. Texts are text
// cells (never formulas), whole numbers are number cells, booleans are
// the texts true and false, times are texts in RFC 3339, lists are JSON
// arrays.

// ReadmeSheet is the name of the sheet that explains the others.
const ReadmeSheet = "README"

// maxCellText is how many UTF-16 units a spreadsheet cell holds.
const maxCellText = 32767

// WriteXLSX writes ds as a workbook.
func WriteXLSX(w io.Writer, ds *Dataset, p *Progress) error {
	p.Start("writing", ds.Rows())
	defer p.Finish()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", ReadmeSheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := writeReadme(f, ds, bold, wrap); err != nil {
		return err
	}
	for _, t := range tables {
		tab := t.table()
		if _, err := f.NewSheet(tab.Name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(tab.Name)
		if err != nil {
			return err
		}
		for j, c := range tab.Columns {
			width := 14.0
			switch {
			case longText(c.Name):
				width = 60
			case c.Type == typeDatetime:
				width = 26
			}
			if err := sw.SetColWidth(j+1, j+1, width); err != nil {
				return err
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		head := make([]any, len(tab.Columns))
		for j, c := range tab.Columns {
			head[j] = excelize.Cell{StyleID: bold, Value: c.Name}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		row := make([]any, len(tab.Columns))
		for i, n := 0, t.count(ds); i < n; i++ {
			for j, c := range tab.Columns {
				v, err := cellValue(t.field(ds, i, j))
				if err != nil {
					return fmt.Errorf("%s row %d, %s: %w", tab.Name, i+1, c.Name, err)
				}
				row[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, row); err != nil {
				return err
			}
			p.Add(1)
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	return repack(w, buf.Bytes())
}

func longText(column string) bool {
	switch column {
	case "explanation", "rationale", "meaning", "description", "body", "summary", "title", "review_comment", "reason":
		return true
	}
	return false
}

// cellValue is what a cell holds for a field: numbers as numbers, the
// empty value as no cell, everything else as text.
func cellValue(field any) (any, error) {
	switch v := field.(type) {
	case *int:
		if *v == 0 {
			return nil, nil
		}
		return *v, nil
	case **int:
		if *v == nil {
			return nil, nil
		}
		return **v, nil
	}
	s := formatCell(field)
	if s == "" {
		return nil, nil
	}
	// A text has at most as many UTF-16 units as UTF-8 bytes: count them
	// only for the few long texts.
	if len(s) > maxCellText {
		if n := utf16Units(s); n > maxCellText {
			return nil, fmt.Errorf("%d characters do not fit in a spreadsheet cell (%d at most); export as CSV or JSON instead", n, maxCellText)
		}
	}
	return s, nil
}

func utf16Units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// writeReadme fills the README sheet: the metadata as name and value
// pairs down to the first empty row, then one row per column of every
// table.
func writeReadme(f *excelize.File, ds *Dataset, bold, wrap int) error {
	sw, err := f.NewStreamWriter(ReadmeSheet)
	if err != nil {
		return err
	}
	for j, width := range []float64{22, 18, 10, 10, 90} {
		if err := sw.SetColWidth(j+1, j+1, width); err != nil {
			return err
		}
	}
	r := 0
	put := func(values ...any) error {
		r++
		cell, _ := excelize.CoordinatesToCellName(1, r)
		return sw.SetRow(cell, values)
	}
	for _, kv := range metaRows(ds.Meta) {
		if err := put(excelize.Cell{StyleID: bold, Value: kv[0]}, kv[1]); err != nil {
			return err
		}
	}
	r++ // the empty row ends the metadata
	intro := "Vigie's data: one sheet per table, its first row the column names. " +
		"Empty cells are empty values. Lists are JSON arrays. Times are UTC, as RFC 3339. " +
		"Keys join the sheets: revisions.number with assessments.revision and citations.revision, sources.id with citations.source, and so on."
	if err := put(intro); err != nil {
		return err
	}
	r++
	if err := put(cells(bold, "sheet", "column", "type", "required", "description")...); err != nil {
		return err
	}
	for _, t := range tables {
		tab := t.table()
		if err := put(excelize.Cell{StyleID: bold, Value: tab.Name}, "", "", "",
			excelize.Cell{StyleID: wrap, Value: tab.Title + ". " + tab.Description + " Key: " + strings.Join(tab.PrimaryKey, ", ") + "."}); err != nil {
			return err
		}
		for _, c := range tab.Columns {
			req := ""
			if c.Required {
				req = "yes"
			}
			if err := put(tab.Name, c.Name, c.Type, req, excelize.Cell{StyleID: wrap, Value: c.Description}); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

func cells(style int, values ...string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = excelize.Cell{StyleID: style, Value: v}
	}
	return out
}

// metaRows lists the metadata as the README sheet holds it.
func metaRows(m Meta) [][2]string {
	rows := [][2]string{{"format", FormatName}, {"version", strconv.Itoa(m.Version)}, {"scope", m.Scope}}
	if m.AsOf != "" {
		rows = append(rows, [2]string{"as_of", m.AsOf})
	}
	if e := m.Edition; e != nil {
		rows = append(rows, [2]string{"edition", e.Name},
			[2]string{"edition_published_at", e.PublishedAt.UTC().Format(timeLayout)},
			[2]string{"edition_data_version", strconv.FormatInt(e.DataVersion, 10)})
	}
	return rows
}

// repack rewrites the archive excelize made with its files in name
// order: excelize writes some in map order, and exports must be
// byte-identical. The compressed data is copied as it is.
func repack(w io.Writer, data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	zw := zip.NewWriter(w)
	for _, f := range files {
		h := f.FileHeader
		h.Modified = zipTime
		dst, err := zw.CreateRaw(&h)
		if err != nil {
			return err
		}
		src, err := f.OpenRaw()
		if err != nil {
			return err
		}
		if _, err := io.Copy(dst, src); err != nil {
			return err
		}
	}
	return zw.Close()
}

// ReadXLSX reads a workbook written by WriteXLSX; name is used in
// messages, which name cells as "[vigie.xlsx]revisions!E17".
func ReadXLSX(name string, data []byte, p *Progress) (*Dataset, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, Problems{{At: name, Msg: "not an XLSX workbook: " + err.Error()}}
	}
	defer f.Close()
	ds := &Dataset{origin: newOrigin("xlsx", name)}
	sheets := f.GetSheetList()
	var ps Problems
	if !slices.Contains(sheets, ReadmeSheet) {
		return nil, Problems{{At: name, Msg: "no README sheet: it holds the dataset's format and version"}}
	}
	readme, err := f.GetRows(ReadmeSheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, Problems{{At: name, Msg: err.Error()}}
	}
	var meta metaJSON
	var edition editionJSON
	for _, row := range readme {
		if blank(row) {
			break
		}
		if len(row) < 2 {
			continue
		}
		switch v := row[1]; row[0] {
		case "format":
			meta.Format = v
		case "version":
			meta.Version, _ = strconv.Atoi(v)
		case "scope":
			meta.Scope = v
		case "as_of":
			meta.AsOf = &v
		case "edition":
			edition.Name, meta.Edition = v, &edition
		case "edition_published_at":
			edition.PublishedAt = v
		case "edition_data_version":
			edition.DataVersion, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if ds.Meta, ps = meta.toMeta(fmt.Sprintf("[%s]%s!", name, ReadmeSheet)); len(ps) > 0 {
		return nil, ps
	}
	type parsed struct {
		t    tableDef
		rows [][]string
	}
	var read []parsed
	total := 0
	for _, t := range tables {
		tab := t.table()
		if !slices.Contains(sheets, tab.Name) {
			ps = append(ps, Problem{At: name, Msg: fmt.Sprintf("no sheet named %s", quote(tab.Name))})
			continue
		}
		rows, err := f.GetRows(tab.Name, excelize.Options{RawCellValue: true})
		if err != nil {
			ps = append(ps, Problem{At: fmt.Sprintf("[%s]%s", name, tab.Name), Msg: err.Error()})
			continue
		}
		if len(rows) == 0 {
			ps = append(ps, Problem{At: fmt.Sprintf("[%s]%s!A1", name, tab.Name), Msg: "empty: the header row is missing"})
			continue
		}
		read = append(read, parsed{t, rows})
		total += len(rows) - 1
	}
	for _, s := range sheets {
		if s != ReadmeSheet && tableNamed(s) == nil {
			ps = append(ps, Problem{At: fmt.Sprintf("[%s]%s", name, s), Msg: "unknown sheet"})
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	p.Start("reading", total)
	for _, r := range read {
		lines := make([]int, len(r.rows)-1)
		for i := range lines {
			lines[i] = i + 2
		}
		pl := &placement{file: r.t.table().Name, start: 1}
		ps = append(ps, readTable(ds, r.t, r.rows[0], r.rows[1:], lines, pl, false)...)
		p.Add(len(lines))
	}
	p.Finish()
	return ds.checked(ps)
}
