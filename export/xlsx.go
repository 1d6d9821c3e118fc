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
// workbook may expand to is bounded by DefaultLimits.
func ReadXLSX(name string, data []byte, p *Progress) (*Dataset, error) {
	b := newBudget()
	if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
		if ps := b.checkArchive(name, zr); ps != nil {
			return nil, ps
		}
		if ps := b.checkSharedTexts(name, zr); ps != nil {
			return nil, ps
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: b.TotalBytes})
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
	readme, readmeLines, ps := readSheet(f, name, ReadmeSheet, b)
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
	type parsed struct {
		t     tableDef
		rows  [][]string
		lines []int
	}
	read := map[string]*parsed{}
	var order []*parsed
	total := 0
	for _, t := range tables {
		tab := t.table()
		if !slices.Contains(sheets, tab.Name) {
			ps = append(ps, Problem{At: name, Msg: fmt.Sprintf("no sheet named %s", quote(tab.Name))})
			continue
		}
		rows, lines, tooBig := readSheet(f, name, tab.Name, b)
		if tooBig != nil {
			return nil, append(ps, tooBig...)
		}
		if len(rows) == 0 || lines[0] != 1 {
			ps = append(ps, Problem{At: fmt.Sprintf("[%s]%s!A1", name, tab.Name), Msg: "empty: the header row is missing"})
			continue
		}
		r := &parsed{t, rows, lines}
		read[tab.Name] = r
		order = append(order, r)
		total += len(rows) - 1
	}
	for _, s := range sheets {
		if s != ReadmeSheet && s != ContinuedSheet && tableNamed(s) == nil {
			ps = append(ps, Problem{At: fmt.Sprintf("[%s]%s", name, s), Msg: "unknown sheet"})
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if slices.Contains(sheets, ContinuedSheet) {
		rows, lines, tooBig := readSheet(f, name, ContinuedSheet, b)
		if tooBig != nil {
			return nil, tooBig
		}
		ps = joinContinued(name, rows, lines, func(sheet string) ([][]string, []int) {
			if r := read[sheet]; r != nil {
				return r.rows, r.lines
			}
			return nil, nil
		}, b)
		if len(ps) > 0 {
			return nil, ps
		}
	}
	p.Start("reading", total)
	for _, r := range order {
		pl := &placement{file: r.t.table().Name, start: 1}
		ps = append(ps, readTable(ds, r.t, r.rows[0], r.rows[1:], r.lines[1:], pl, false)...)
		p.Add(len(r.lines) - 1)
	}
	p.Finish()
	return ds.checked(ps)
}

// readSheet reads a sheet's rows that hold something, with their row
// numbers, their raw values without trailing empty cells. Every row
// counts against b; past a limit the problem names the row.
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
			continue // blank rows cost nothing, as spreadsheets leave them
		}
		row = row[:n:n]
		text := 0
		for _, c := range row {
			text += len(c)
		}
		if ps := b.addRow(fmt.Sprintf("[%s]%s!A%d", name, sheet, r), n, int64(text)); ps != nil {
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

// joinContinued appends the pieces of ContinuedSheet (rows, at lines) to
// the cells they continue, found by sheetRows.
func joinContinued(name string, rows [][]string, lines []int, sheetRows func(string) ([][]string, []int), b *budget) Problems {
	var ps Problems
	at := func(r, c int) string {
		return fmt.Sprintf("[%s]%s!%s%d", name, ContinuedSheet, columnLetters(c+1), lines[r])
	}
	if len(rows) == 0 || lines[0] != 1 || !slices.Equal(rows[0], continuedColumns) {
		return Problems{{At: fmt.Sprintf("[%s]%s!A1", name, ContinuedSheet),
			Msg: "the first row must name the columns " + strings.Join(continuedColumns, ", ")}}
	}
	type cellKey struct {
		sheet    string
		row, col int
	}
	pieces := map[cellKey][]string{} // joined once at the end: appending each would copy the text again and again
	var order []cellKey
	for r := 1; r < len(rows); r++ {
		row := append(rows[r], make([]string, len(continuedColumns))...)[:len(continuedColumns)]
		sheet, column := row[0], row[2]
		cells, cellLines := sheetRows(sheet)
		if cells == nil {
			ps = append(ps, Problem{At: at(r, 0), Msg: fmt.Sprintf("%s is not a table's sheet", quote(sheet))})
			continue
		}
		line, err := strconv.Atoi(row[1])
		i, found := slices.BinarySearch(cellLines, line)
		if err != nil || !found || i == 0 {
			ps = append(ps, Problem{At: at(r, 1), Msg: fmt.Sprintf("%s is not a row of %s that holds data", quote(row[1]), sheet)})
			continue
		}
		j := slices.Index(cells[0], column)
		if j < 0 {
			ps = append(ps, Problem{At: at(r, 2), Msg: fmt.Sprintf("%s is not a column of %s", quote(column), sheet)})
			continue
		}
		if j >= len(cells[i]) || cells[i][j] == "" {
			ps = append(ps, Problem{At: at(r, 0), Msg: fmt.Sprintf("continues %s!%s%d, which is empty", sheet, columnLetters(j+1), line)})
			continue
		}
		key := cellKey{sheet, i, j}
		want := len(pieces[key]) + 2
		if part, err := strconv.Atoi(row[3]); err != nil || part != want {
			ps = append(ps, Problem{At: at(r, 3), Msg: fmt.Sprintf("%s: the parts of a text are numbered 2, 3, … in order; %d comes next here", quote(row[3]), want)})
			continue
		}
		if want == 2 {
			order = append(order, key)
		}
		pieces[key] = append(pieces[key], row[4])
	}
	if len(ps) > 0 {
		return ps
	}
	for _, k := range order {
		cells, _ := sheetRows(k.sheet)
		cells[k.row][k.col] += strings.Join(pieces[k], "")
	}
	return nil
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
