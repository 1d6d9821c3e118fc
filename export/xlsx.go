package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
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

// ContinuedSheet holds the rest of texts longer than a cell holds: the
// cell keeps the text's first 32,767 UTF-16 units (Excel's limit), and
// each row of this sheet — sheet, row, column, part (2, 3, …), text —
// carries the next piece, never splitting a character. Reading appends
// the pieces in order, so the text comes back exactly. The sheet is
// written only when some text needs it.
const ContinuedSheet = "continued"

// maxCellText is how many UTF-16 units a spreadsheet cell holds.
const maxCellText = 32767

// continuedColumns are the columns of ContinuedSheet.
var continuedColumns = []string{"sheet", "row", "column", "part", "text"}

// continuation is the rest of one long text, in pieces that fit a cell.
type continuation struct {
	sheet, column string
	row           int
	parts         []string
}

// SheetTooLongError says that a table has more rows than a sheet holds:
// the data has outgrown the workbook format.
type SheetTooLongError struct {
	Table string
	Rows  int
}

func (e *SheetTooLongError) Error() string {
	return fmt.Sprintf("the %s table has %d rows, more than a sheet holds (%d with its header): export it as CSV or JSON",
		e.Table, e.Rows, excelize.TotalRows)
}

// FitsXLSX returns a *SheetTooLongError if a table of ds has more rows
// than a sheet holds.
func FitsXLSX(ds Writable) error {
	for _, t := range tables {
		if n := ds.Count(t.table().Name); n+1 > excelize.TotalRows {
			return &SheetTooLongError{Table: t.table().Name, Rows: n}
		}
	}
	return nil
}

// WriteXLSX writes ds as a workbook.
func WriteXLSX(w io.Writer, ds Writable, p *Progress) error {
	if err := FitsXLSX(ds); err != nil {
		return err
	}
	p.Start("writing", ds.rowCount())
	defer p.Finish()
	f := excelize.NewFile()
	defer f.Close()
	// The workbook goes to a temporary file rather than to memory, then
	// is copied out in name order (see repack).
	tmp, err := os.CreateTemp("", "vigie-xlsx-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(tmp) })
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
	if err := writeReadme(f, ds.meta(), bold, wrap); err != nil {
		return err
	}
	var long []continuation
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
		r := 1
		err = ds.each(t, func(ds *Dataset, i int) error {
			r++
			for j, c := range tab.Columns {
				v, rest := cellValue(t.field(ds, i, j))
				if len(rest) > 0 {
					long = append(long, continuation{sheet: tab.Name, row: r, column: c.Name, parts: rest})
				}
				row[j] = v
			}
			cell, _ := excelize.CoordinatesToCellName(1, r)
			p.Add(1)
			return sw.SetRow(cell, row)
		})
		if err != nil {
			return err
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	if len(long) > 0 {
		if err := writeContinued(f, long, bold, wrap); err != nil {
			return err
		}
	}
	if err := f.Write(io.Discard); err != nil {
		return err
	}
	size, err := tmp.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	return repack(w, tmp, size)
}

// writeContinued writes ContinuedSheet: one row per piece past a cell's
// first.
func writeContinued(f *excelize.File, long []continuation, bold, wrap int) error {
	if _, err := f.NewSheet(ContinuedSheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(ContinuedSheet)
	if err != nil {
		return err
	}
	for j, width := range []float64{22, 8, 18, 8, 90} {
		if err := sw.SetColWidth(j+1, j+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetRow("A1", cells(bold, continuedColumns...)); err != nil {
		return err
	}
	r := 1
	for _, c := range long {
		for k, part := range c.parts {
			r++
			cell, _ := excelize.CoordinatesToCellName(1, r)
			if err := sw.SetRow(cell, []any{c.sheet, c.row, c.column, k + 2, excelize.Cell{StyleID: wrap, Value: part}}); err != nil {
				return err
			}
		}
	}
	return sw.Flush()
}

func longText(column string) bool {
	switch column {
	case "explanation", "rationale", "meaning", "description", "body", "summary", "title", "review_comment", "reason":
		return true
	}
	return false
}

// cellValue is what a cell holds for a field: numbers as numbers, the
// empty value as no cell, everything else as text. A text longer than a
// cell holds is split: the cell gets the first piece, rest the others
// (see ContinuedSheet).
func cellValue(field any) (v any, rest []string) {
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
	// A text has at most as many UTF-16 units as UTF-8 bytes: only the
	// few long texts need splitting.
	if len(s) <= maxCellText {
		return s, nil
	}
	pieces := splitUTF16(s, maxCellText)
	return pieces[0], pieces[1:]
}

// splitUTF16 cuts s into pieces of at most max UTF-16 units each, between
// characters: a character outside the Basic Multilingual Plane (two
// units) is never cut in half.
func splitUTF16(s string, max int) []string {
	var pieces []string
	start, units := 0, 0
	for i, r := range s {
		n := utf16.RuneLen(r)
		if n < 0 {
			n = 1 // invalid UTF-8 is written as U+FFFD, one unit
		}
		if units+n > max {
			pieces = append(pieces, s[start:i])
			start, units = i, 0
		}
		units += n
	}
	return append(pieces, s[start:])
}

// writeReadme fills the README sheet: the metadata as name and value
// pairs down to the first empty row, then one row per column of every
// table.
func writeReadme(f *excelize.File, meta Meta, bold, wrap int) error {
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
	for _, kv := range metaRows(meta) {
		if err := put(excelize.Cell{StyleID: bold, Value: kv[0]}, kv[1]); err != nil {
			return err
		}
	}
	r++ // the empty row ends the metadata
	intro := "Vigie's data: one sheet per table, its first row the column names. " +
		"Empty cells are empty values. Lists are JSON arrays. Times are UTC, as RFC 3339. " +
		"Keys join the sheets: revisions.number with assessments.revision and citations.revision, sources.id with citations.source, and so on. " +
		"A text longer than a cell holds (32,767 characters) has its first part in its cell and the rest, in order, in the sheet \"" + ContinuedSheet +
		"\" (sheet, row, column, part 2, 3, …, text), which is there only when needed: join the parts to read the whole text."
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
func repack(w io.Writer, data io.ReaderAt, size int64) error {
	zr, err := zip.NewReader(data, size)
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
// messages, which name cells as "[vigie.xlsx]revisions!E17". What the
// workbook may cost is bounded by DefaultLimits.
func ReadXLSX(name string, data []byte, p *Progress) (*Dataset, error) {
	return readAll(Input{Name: name, Data: data}, FormatXLSX, p)
}

// xlsxFile is a workbook, read sheet by sheet with excelize's streaming
// reader.
type xlsxFile struct {
	name   string
	f      *excelize.File
	sheets []string
	b      *budget
	// continued holds the rest of long texts, by cell, read from
	// ContinuedSheet before any table.
	continued map[continuedKey]*continuedText
}

type continuedKey struct {
	sheet  string
	row    int
	column string
}

type continuedText struct {
	pieces []string
	at     string // the continued sheet's row, "[vigie.xlsx]continued!A2", without the column letter
	first  int    // its row number there
	used   bool
	// parts and rows are the part number as written and the row of each
	// piece, checked when the cell is met.
	parts []string
	rows  []int
}

// check reports a piece out of order.
func (c *continuedText) check() Problems {
	for i, part := range c.parts {
		if n, err := strconv.Atoi(part); err != nil || n != i+2 {
			return Problems{{At: fmt.Sprintf("%sD%d", c.at, c.rows[i]), Msg: fmt.Sprintf("%s: the parts of a text are numbered 2, 3, … in order; %d comes next here", quote(part), i+2)}}
		}
	}
	return nil
}

// openXLSX opens a workbook: a file on disk is read where it is, its
// large sheets unpacked to temporary files by excelize.
func openXLSX(in Input) (fileReader, *Dataset, error) {
	name := in.Name
	b := newBudget()
	var f *excelize.File
	var err error
	opts := excelize.Options{UnzipXMLSizeLimit: 4 << 20}
	if in.Path != "" {
		zr, zerr := zip.OpenReader(in.Path)
		if zerr == nil {
			ps := b.checkArchive(name, &zr.Reader)
			if ps == nil {
				ps = b.checkSharedTexts(name, &zr.Reader)
			}
			zr.Close()
			if ps != nil {
				return nil, nil, ps
			}
		}
		f, err = excelize.OpenFile(in.Path, opts)
	} else {
		if zr, zerr := zip.NewReader(bytes.NewReader(in.Data), int64(len(in.Data))); zerr == nil {
			if ps := b.checkArchive(name, zr); ps != nil {
				return nil, nil, ps
			}
			if ps := b.checkSharedTexts(name, zr); ps != nil {
				return nil, nil, ps
			}
		}
		f, err = excelize.OpenReader(bytes.NewReader(in.Data), opts)
	}
	if err != nil {
		return nil, nil, Problems{{At: name, Msg: "not an XLSX workbook: " + err.Error()}}
	}
	x := &xlsxFile{name: name, f: f, sheets: f.GetSheetList(), b: b}
	ds, err := x.open()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return x, ds, nil
}

func (x *xlsxFile) limits() *budget { return x.b }

func (x *xlsxFile) Close() error { return x.f.Close() }

// open reads the metadata and the continued texts.
func (x *xlsxFile) open() (*Dataset, error) {
	name, f := x.name, x.f
	ds := &Dataset{origin: newOrigin("xlsx", name)}
	if !slices.Contains(x.sheets, ReadmeSheet) {
		return nil, Problems{{At: name, Msg: "no README sheet: it holds the dataset's format and version"}}
	}
	readme, readmeLines, ps := readSheet(f, name, ReadmeSheet, x.b)
	if ps != nil {
		return nil, ps
	}
	var meta metaJSON
	var edition editionJSON
	for i, row := range readme {
		if readmeLines[i] != i+1 {
			break // the first empty row ends the metadata
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
	for _, t := range tables {
		if !slices.Contains(x.sheets, t.table().Name) {
			ps = append(ps, Problem{At: name, Msg: fmt.Sprintf("no sheet named %s", quote(t.table().Name))})
		}
	}
	for _, s := range x.sheets {
		if s != ReadmeSheet && s != ContinuedSheet && tableNamed(s) == nil {
			ps = append(ps, Problem{At: fmt.Sprintf("[%s]%s", name, s), Msg: "unknown sheet"})
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if slices.Contains(x.sheets, ContinuedSheet) {
		rows, lines, tooBig := readSheet(f, name, ContinuedSheet, x.b)
		if tooBig != nil {
			return nil, tooBig
		}
		if ps := x.readContinued(rows, lines); len(ps) > 0 {
			return nil, ps
		}
	}
	return ds, nil
}

// readContinued keeps the pieces of ContinuedSheet (rows, at lines) for
// the cells they continue; whether those cells hold data is checked as
// their sheets are read.
func (x *xlsxFile) readContinued(rows [][]string, lines []int) Problems {
	var ps Problems
	at := func(r, c int) string {
		return fmt.Sprintf("[%s]%s!%s%d", x.name, ContinuedSheet, columnLetters(c+1), lines[r])
	}
	if len(rows) == 0 || lines[0] != 1 || !slices.Equal(rows[0], continuedColumns) {
		return Problems{{At: fmt.Sprintf("[%s]%s!A1", x.name, ContinuedSheet),
			Msg: "the first row must name the columns " + strings.Join(continuedColumns, ", ")}}
	}
	x.continued = map[continuedKey]*continuedText{}
	for r := 1; r < len(rows); r++ {
		row := append(rows[r], make([]string, len(continuedColumns))...)[:len(continuedColumns)]
		sheet, column := row[0], row[2]
		if t := tableNamed(sheet); t == nil || sheet == ReadmeSheet {
			ps = append(ps, Problem{At: at(r, 0), Msg: fmt.Sprintf("%s is not a table's sheet", quote(sheet))})
			continue
		}
		line, err := strconv.Atoi(row[1])
		if err != nil || line < 2 {
			ps = append(ps, Problem{At: at(r, 1), Msg: fmt.Sprintf("%s is not a row of %s that holds data", quote(row[1]), sheet)})
			continue
		}
		if columnIndex(tableNamed(sheet).table(), column) < 0 {
			ps = append(ps, Problem{At: at(r, 2), Msg: fmt.Sprintf("%s is not a column of %s", quote(column), sheet)})
			continue
		}
		key := continuedKey{sheet, line, column}
		c := x.continued[key]
		if c == nil {
			c = &continuedText{at: fmt.Sprintf("[%s]%s!", x.name, ContinuedSheet), first: lines[r]}
			x.continued[key] = c
		}
		c.pieces, c.parts, c.rows = append(c.pieces, row[4]), append(c.parts, row[3]), append(c.rows, lines[r])
	}
	return ps
}

func (x *xlsxFile) table(ds *Dataset, t tableDef) (tableCursor, Problems) {
	tab := t.table()
	it, err := x.f.Rows(tab.Name)
	if err != nil {
		return nil, Problems{{At: fmt.Sprintf("[%s]%s", x.name, tab.Name), Msg: err.Error()}}
	}
	c := &xlsxCursor{x: x, t: t, it: it}
	header, line, err := c.row()
	if err != nil {
		it.Close()
		return nil, asProblems(err)
	}
	if header == nil || line != 1 {
		it.Close()
		return nil, Problems{{At: fmt.Sprintf("[%s]%s!A1", x.name, tab.Name), Msg: "empty: the header row is missing"}}
	}
	dec, ps := newTableDecoder(ds, t, header, &placement{file: tab.Name, start: 1}, false)
	if len(ps) > 0 {
		it.Close()
		return nil, ps
	}
	c.dec, c.header = dec, header
	return c, nil
}

func asProblems(err error) Problems {
	if ps, ok := err.(Problems); ok {
		return ps
	}
	return Problems{{Msg: err.Error()}}
}

// xlsxCursor reads the rows of one sheet.
type xlsxCursor struct {
	x      *xlsxFile
	t      tableDef
	it     *excelize.Rows
	r      int // the row number last read
	dec    *tableDecoder
	header []string
	done   bool
}

// row returns the next row that holds something, with its row number,
// its raw values without trailing empty cells; nil at the end.
func (c *xlsxCursor) row() ([]string, int, error) {
	name, sheet, b := c.x.name, c.t.table().Name, c.x.b
	for c.it.Next() {
		c.r++
		row, err := c.it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, 0, Problems{{At: fmt.Sprintf("[%s]%s!A%d", name, sheet, c.r), Msg: err.Error()}}
		}
		n := len(row)
		for n > 0 && row[n-1] == "" {
			n--
		}
		if n == 0 {
			continue // blank rows cost nothing, as spreadsheets leave them
		}
		row = row[:n:n]
		text := 0
		for _, v := range row {
			text += len(v)
		}
		r := c.r
		where := func() string { return fmt.Sprintf("[%s]%s!A%d", name, sheet, r) }
		if ps := b.row(where, n, int64(text), sheet); ps != nil {
			return nil, 0, ps
		}
		if b.text += int64(text); b.textMax > 0 && b.text > b.textMax {
			return nil, 0, tooBig(where(), fmt.Sprintf("more than %d times the workbook's size of text in its cells", b.TextExpansion))
		}
		return row, c.r, nil
	}
	if err := c.it.Error(); err != nil {
		return nil, 0, Problems{{At: fmt.Sprintf("[%s]%s", name, sheet), Msg: err.Error()}}
	}
	return nil, 0, nil
}

func (c *xlsxCursor) next(ds *Dataset, n int) (int, Problems, error) {
	var ps Problems
	read := 0
	sheet := c.t.table().Name
	for read < n && !c.done {
		row, line, err := c.row()
		if err != nil {
			c.finish()
			return read, ps, err
		}
		if row == nil {
			ps = append(ps, c.finish()...)
			break
		}
		// The rest of long texts, from the continued sheet.
		if c.x.continued != nil {
			for j, h := range c.header {
				ct := c.x.continued[continuedKey{sheet, line, h}]
				if ct == nil {
					continue
				}
				ct.used = true
				if j >= len(row) || row[j] == "" {
					ps = append(ps, Problem{At: fmt.Sprintf("%sA%d", ct.at, ct.first), Msg: fmt.Sprintf("continues %s!%s%d, which is empty", sheet, columnLetters(j+1), line)})
					continue
				}
				if cps := ct.check(); cps != nil {
					ps = append(ps, cps...)
					continue
				}
				row[j] += strings.Join(ct.pieces, "")
			}
		}
		ps = append(ps, c.dec.add(ds, row, line)...)
		read++
	}
	return read, ps, nil
}

// finish ends the sheet, and reports the continued texts of rows it
// does not hold.
func (c *xlsxCursor) finish() Problems {
	c.done = true
	c.it.Close()
	var ps Problems
	sheet := c.t.table().Name
	for k, ct := range c.x.continued {
		if k.sheet == sheet && !ct.used {
			ps = append(ps, Problem{At: fmt.Sprintf("%sB%d", ct.at, ct.first), Msg: fmt.Sprintf("%s is not a row of %s that holds data", quote(strconv.Itoa(k.row)), sheet)})
		}
	}
	slices.SortFunc(ps, func(a, b Problem) int { return strings.Compare(a.At, b.At) })
	return ps
}

func (c *xlsxCursor) clear(ds *Dataset) { c.dec.clear(ds) }

// readSheet reads a small sheet's rows that hold something, with their
// row numbers, their raw values without trailing empty cells.
func readSheet(f *excelize.File, name, sheet string, b *budget) (rows [][]string, lines []int, ps Problems) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, Problems{{At: fmt.Sprintf("[%s]%s", name, sheet), Msg: err.Error()}}
	}
	defer it.Close()
	for r := 1; it.Next(); r++ {
		row, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, Problems{{At: fmt.Sprintf("[%s]%s!A%d", name, sheet, r), Msg: err.Error()}}
		}
		n := len(row)
		for n > 0 && row[n-1] == "" {
			n--
		}
		if n == 0 {
			continue
		}
		row = row[:n:n]
		text := 0
		for _, c := range row {
			text += len(c)
		}
		if ps := b.row(func() string { return fmt.Sprintf("[%s]%s!A%d", name, sheet, r) }, n, int64(text), ""); ps != nil {
			return nil, nil, ps
		}
		rows = append(rows, row)
		lines = append(lines, r)
	}
	if err := it.Error(); err != nil {
		return nil, nil, Problems{{At: fmt.Sprintf("[%s]%s", name, sheet), Msg: err.Error()}}
	}
	return rows, lines, nil
}

// checkSharedTexts refuses a workbook whose table of shared texts has
// more entries than the limit, before the workbook is opened: each entry
// costs memory however short its text.
func (b *budget) checkSharedTexts(name string, zr *zip.Reader) Problems {
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return nil // the workbook's reader says what is wrong
		}
		defer r.Close()
		if n := countElements(r, "si", b.SharedTexts); n > b.SharedTexts {
			return tooBig(name+": "+f.Name, fmt.Sprintf("more than %d shared texts", b.SharedTexts))
		}
	}
	return nil
}

// countElements counts the start tags of elements named local (in any
// namespace) in XML text, stopping once past max.
func countElements(r io.Reader, local string, max int) int {
	br := bufio.NewReaderSize(r, 64<<10)
	n := 0
	for n <= max {
		if _, err := br.ReadSlice('<'); err == bufio.ErrBufferFull {
			continue
		} else if err != nil {
			return n
		}
		head, _ := br.Peek(64)
		end := bytes.IndexAny(head, " \t\r\n/>")
		if end < 0 {
			continue
		}
		tag := head[:end]
		if i := bytes.IndexByte(tag, ':'); i >= 0 {
			tag = tag[i+1:]
		}
		if string(tag) == local {
			n++
		}
	}
	return n
}
