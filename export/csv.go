package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"
)

// The CSV format is a Frictionless Data Package (tabular-data-package):
// datapackage.json describes every table — its file, columns with their
// types, primary and foreign keys — and each table is one CSV file beside
// it: UTF-8 without a byte order mark, a header row, RFC 4180 quoting,
// CRLF line ends. Empty cells are empty values. A package is written as a
// directory or as a ZIP archive holding the same files at its root.

// Texts that a spreadsheet program would read as a formula are guarded,
// the way OWASP recommends against CSV injection: a text cell that starts
// with =, +, -, @, a tab or a carriage return is written with a single
// quote (') in front, which spreadsheets show as text and do not
// evaluate. So that the scheme can be undone exactly, a text that starts
// with a quote itself gets one more: the rule for readers is "a text cell
// that starts with a quote followed by one of = + - @ tab CR or ' loses
// that first quote". Only text columns are guarded (numbers, dates,
// booleans and lists never start so); the JSON and XLSX formats hold the
// texts exactly. formulaGuard says it in datapackage.json.
const formulaStarts = "=+-@\t\r'"

const formulaGuard = "Text cells that would start with =, +, -, @, a tab or a carriage return start with one more single quote (') " +
	"so that spreadsheet programs do not run them as formulas (OWASP's advice against CSV injection); a text that starts with ' " +
	"gets one more too. To read the exact text, drop the first character of a text cell that starts with ' followed by one of " +
	"= + - @ tab CR or '. Vigie's import does so; the JSON and XLSX downloads hold the texts unchanged."

// guardFormula writes a text cell for CSV (see formulaStarts).
func guardFormula(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// unguardFormula reads a text cell written by guardFormula.
func unguardFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte(formulaStarts, s[1]) >= 0 {
		return s[1:]
	}
	return s
}

// DescriptorName is the file that describes a data package.
const DescriptorName = "datapackage.json"

// zipTime is the modification time of every file in archives, so that
// archives are byte-identical; editions use their publication time.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteCSVZip writes ds as a data package in a ZIP archive.
func WriteCSVZip(w io.Writer, ds Writable, p *Progress) error {
	zw := zip.NewWriter(w)
	modified := zipTime
	if e := ds.meta().Edition; e != nil {
		modified = e.PublishedAt.UTC().Truncate(time.Second)
	}
	err := writePackage(ds, p, func(name string, write func(io.Writer) error) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
		if err != nil {
			return err
		}
		return write(f)
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

// WriteCSVDir writes ds as a data package in dir, creating it if needed.
// Files of an earlier export there are replaced.
func WriteCSVDir(dir string, ds Writable, p *Progress) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return writePackage(ds, p, func(name string, write func(io.Writer) error) error {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
}

// writePackage writes the descriptor, then each table's file, through
// put, which creates the file and writes it with write. A table's rows
// go out as they come.
func writePackage(ds Writable, p *Progress, put func(name string, write func(io.Writer) error) error) error {
	p.Start("writing", ds.rowCount())
	defer p.Finish()
	desc, err := descriptor(ds.meta())
	if err != nil {
		return err
	}
	if err := put(DescriptorName, func(w io.Writer) error { _, err := w.Write(desc); return err }); err != nil {
		return err
	}
	var buf bytes.Buffer
	for _, t := range tables {
		err := put(t.table().Name+".csv", func(w io.Writer) error {
			buf.Reset()
			tab := t.table()
			writeRecord(&buf, header(tab))
			rec := make([]string, len(tab.Columns))
			err := ds.each(t, func(ds *Dataset, i int) error {
				for j := range tab.Columns {
					field := t.field(ds, i, j)
					if s, ok := field.(*string); ok {
						rec[j] = guardFormula(*s)
					} else {
						rec[j] = formatCell(field)
					}
				}
				writeRecord(&buf, rec)
				p.Add(1)
				if buf.Len() >= 64<<10 {
					_, err := w.Write(buf.Bytes())
					buf.Reset()
					return err
				}
				return nil
			})
			if err != nil {
				return err
			}
			_, err = w.Write(buf.Bytes())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// writeRecord writes one RFC 4180 record. Fields are quoted when they hold
// a comma, a quote or a line break, and kept byte for byte otherwise: the
// text inside quotes is exactly the value, carriage returns included.
func writeRecord(buf *bytes.Buffer, fields []string) {
	for i, f := range fields {
		if i > 0 {
			buf.WriteByte(',')
		}
		if !needsQuotes(f) {
			buf.WriteString(f)
			continue
		}
		buf.WriteByte('"')
		for j := 0; j < len(f); j++ {
			if f[j] == '"' {
				buf.WriteByte('"')
			}
			buf.WriteByte(f[j])
		}
		buf.WriteByte('"')
	}
	buf.WriteString("\r\n")
}

func needsQuotes(f string) bool {
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	// A leading or trailing space survives every reader only when quoted.
	return len(f) > 0 && (f[0] == ' ' || f[len(f)-1] == ' ')
}

// The descriptor's layout, as the Frictionless specifications name it.
type (
	packageJSON struct {
		Profile     string         `json:"profile"`
		Name        string         `json:"name"`
		Title       string         `json:"title"`
		Description string         `json:"description"`
		Created     string         `json:"created,omitempty"`
		Vigie       metaJSON       `json:"vigie"`
		Resources   []resourceJSON `json:"resources"`
	}
	resourceJSON struct {
		Profile     string     `json:"profile"`
		Name        string     `json:"name"`
		Path        string     `json:"path"`
		Title       string     `json:"title"`
		Description string     `json:"description"`
		Format      string     `json:"format"`
		Mediatype   string     `json:"mediatype"`
		Encoding    string     `json:"encoding"`
		Dialect     dialect    `json:"dialect"`
		Schema      schemaJSON `json:"schema"`
	}
	dialect struct {
		Delimiter      string `json:"delimiter"`
		LineTerminator string `json:"lineTerminator"`
		QuoteChar      string `json:"quoteChar"`
		DoubleQuote    bool   `json:"doubleQuote"`
		Header         bool   `json:"header"`
	}
	schemaJSON struct {
		Fields        []fieldJSON      `json:"fields"`
		PrimaryKey    []string         `json:"primaryKey"`
		ForeignKeys   []foreignKeyJSON `json:"foreignKeys,omitempty"`
		MissingValues []string         `json:"missingValues"`
	}
	fieldJSON struct {
		Name        string       `json:"name"`
		Type        string       `json:"type"`
		Description string       `json:"description"`
		Constraints *constraints `json:"constraints,omitempty"`
	}
	constraints struct {
		Required bool `json:"required"`
	}
	foreignKeyJSON struct {
		Fields    []string `json:"fields"`
		Reference struct {
			Resource string   `json:"resource"`
			Fields   []string `json:"fields"`
		} `json:"reference"`
	}
	// metaJSON is Meta in datapackage.json and in the JSON document.
	metaJSON struct {
		Format  string       `json:"format"`
		Version int          `json:"version"`
		Scope   string       `json:"scope"`
		AsOf    *string      `json:"as_of"`
		Edition *editionJSON `json:"edition"`
	}
	editionJSON struct {
		Name        string `json:"name"`
		PublishedAt string `json:"published_at"`
		DataVersion int64  `json:"data_version"`
	}
)

func (m Meta) toJSON() metaJSON {
	out := metaJSON{Format: FormatName, Version: m.Version, Scope: m.Scope}
	if m.AsOf != "" {
		out.AsOf = &m.AsOf
	}
	if e := m.Edition; e != nil {
		out.Edition = &editionJSON{Name: e.Name, PublishedAt: e.PublishedAt.UTC().Format(timeLayout), DataVersion: e.DataVersion}
	}
	return out
}

// check reads the metadata back, adding problems found at where.
func (m metaJSON) toMeta(where string) (Meta, Problems) {
	var ps Problems
	if m.Format != FormatName {
		ps = append(ps, Problem{At: where + "format", Msg: fmt.Sprintf("%s is not %q: this is not a Vigie dataset", quote(m.Format), FormatName)})
	}
	if m.Version != FormatVersion {
		ps = append(ps, Problem{At: where + "version", Msg: fmt.Sprintf("version %d is not one this Vigie reads (%d)", m.Version, FormatVersion)})
	}
	meta := Meta{Version: m.Version, Scope: m.Scope}
	if m.Scope != ScopeFull && m.Scope != ScopePublished {
		ps = append(ps, Problem{At: where + "scope", Msg: fmt.Sprintf("%s: use %s or %s", quote(m.Scope), ScopeFull, ScopePublished)})
	}
	if m.AsOf != nil {
		meta.AsOf = *m.AsOf
		if _, err := ParseDay(meta.AsOf); err != nil && meta.AsOf != "" {
			ps = append(ps, Problem{At: where + "as_of", Msg: err.Error()})
		}
	}
	if e := m.Edition; e != nil {
		t, err := time.Parse(timeLayout, e.PublishedAt)
		if err != nil {
			ps = append(ps, Problem{At: where + "edition/published_at", Msg: fmt.Sprintf("%s is not a date and time", quote(e.PublishedAt))})
		}
		meta.Edition = &EditionMeta{Name: e.Name, PublishedAt: t.UTC(), DataVersion: e.DataVersion}
	}
	return meta, ps
}

func descriptor(meta Meta) ([]byte, error) {
	pkg := packageJSON{Profile: "tabular-data-package", Name: "vigie",
		Title:       "Vigie: how national laws protect children from sexual exploitation, country by country",
		Description: "One CSV file per table, described below. " + formulaGuard,
		Vigie:       meta.toJSON()}
	if meta.Edition != nil {
		pkg.Name = "vigie-" + meta.Edition.Name
		pkg.Created = meta.Edition.PublishedAt.UTC().Format(time.RFC3339)
	}
	for _, t := range tables {
		tab := t.table()
		r := resourceJSON{Profile: "tabular-data-resource", Name: tab.Name, Path: tab.Name + ".csv", Title: tab.Title,
			Description: tab.Description, Format: "csv", Mediatype: "text/csv", Encoding: "utf-8",
			Dialect: dialect{Delimiter: ",", LineTerminator: "\r\n", QuoteChar: `"`, DoubleQuote: true, Header: true},
			Schema:  schemaJSON{PrimaryKey: tab.PrimaryKey, MissingValues: []string{""}}}
		for _, c := range tab.Columns {
			f := fieldJSON{Name: c.Name, Type: c.Type, Description: c.Description}
			if c.Required {
				f.Constraints = &constraints{Required: true}
			}
			r.Schema.Fields = append(r.Schema.Fields, f)
		}
		for _, k := range tab.ForeignKeys {
			var f foreignKeyJSON
			f.Fields, f.Reference.Resource, f.Reference.Fields = k.Fields, k.Resource, k.Ref
			r.Schema.ForeignKeys = append(r.Schema.ForeignKeys, f)
		}
		pkg.Resources = append(pkg.Resources, r)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(pkg)
	return buf.Bytes(), err
}

// ReadCSVZip reads a data package from a ZIP archive; name is used in
// messages.
func ReadCSVZip(name string, data []byte, p *Progress) (*Dataset, error) {
	return readAll(Input{Name: name, Data: data}, FormatCSV, p)
}

// ReadDataPackage reads a data package from the root of fsys, a directory
// or an archive; name is used in messages. Every problem in every file is
// listed in the returned Problems. What the package may cost is bounded
// by DefaultLimits.
func ReadDataPackage(name string, fsys fs.FS, p *Progress) (*Dataset, error) {
	return readAll(Input{Name: name, FS: fsys}, FormatCSV, p)
}

// openCSVZip opens a data package in a ZIP archive.
func openCSVZip(in Input) (fileReader, *Dataset, error) {
	ra, size, closer, err := in.readerAt()
	if err != nil {
		return nil, nil, err
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		closer.Close()
		return nil, nil, Problems{{At: in.Name, Msg: "not a ZIP archive: " + err.Error()}}
	}
	b := newBudget()
	if ps := b.checkArchive(in.Name, zr); ps != nil {
		closer.Close()
		return nil, nil, ps
	}
	pkg, ds, err := openPackage(in.Name, zr, b)
	if err != nil {
		closer.Close()
		return nil, nil, err
	}
	pkg.closer = closer
	return pkg, ds, nil
}

// csvPackage is a data package: its files by table.
type csvPackage struct {
	name   string
	fsys   fs.FS
	paths  map[string]string
	b      *budget
	closer io.Closer
}

func (pkg *csvPackage) limits() *budget { return pkg.b }

func (pkg *csvPackage) Close() error {
	if pkg.closer != nil {
		return pkg.closer.Close()
	}
	return nil
}

// openPackage reads the descriptor of the data package at the root of
// fsys.
func openPackage(name string, fsys fs.FS, b *budget) (*csvPackage, *Dataset, error) {
	ds := &Dataset{origin: newOrigin("csv", name)}
	where := path.Join(name, DescriptorName)
	desc, err := readDescriptor(fsys)
	if ps, ok := err.(Problems); ok {
		return nil, nil, ps
	} else if err != nil {
		return nil, nil, Problems{{At: where, Msg: "cannot read the package's descriptor: " + err.Error()}}
	}
	var pkg packageJSON
	if err := json.Unmarshal(desc, &pkg); err != nil {
		return nil, nil, Problems{{At: where, Msg: "not a valid descriptor: " + err.Error()}}
	}
	var ps Problems
	ds.Meta, ps = pkg.Vigie.toMeta(where + ": vigie.")
	if len(ps) > 0 {
		return nil, nil, ps
	}
	paths := map[string]string{}
	for _, r := range pkg.Resources {
		if tableNamed(r.Name) == nil {
			ps = append(ps, Problem{At: where, Msg: fmt.Sprintf("unknown resource %s", quote(r.Name))})
			continue
		}
		if r.Path == "" || path.IsAbs(r.Path) || !fs.ValidPath(r.Path) {
			ps = append(ps, Problem{At: where, Msg: fmt.Sprintf("resource %s: the path %s must be relative, inside the package", r.Name, quote(r.Path))})
			continue
		}
		paths[r.Name] = r.Path
	}
	for _, t := range tables {
		if _, ok := paths[t.table().Name]; !ok {
			ps = append(ps, Problem{At: where, Msg: fmt.Sprintf("no resource named %s", quote(t.table().Name))})
		}
	}
	if len(ps) > 0 {
		return nil, nil, ps
	}
	return &csvPackage{name: name, fsys: fsys, paths: paths, b: b}, ds, nil
}

// readDescriptor reads datapackage.json, at most descriptorBytes of it.
func readDescriptor(fsys fs.FS) ([]byte, error) {
	f, err := fsys.Open(DescriptorName)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, descriptorBytes+1))
	if err == nil && len(data) > descriptorBytes {
		return nil, tooBig(DescriptorName, "more than "+size(descriptorBytes))
	}
	return data, err
}

func (pkg *csvPackage) table(ds *Dataset, t tableDef) (tableCursor, Problems) {
	tab := t.table()
	file := path.Join(pkg.name, pkg.paths[tab.Name])
	f, err := pkg.fsys.Open(pkg.paths[tab.Name])
	if err != nil {
		return nil, Problems{{At: file, Msg: "cannot read: " + err.Error()}}
	}
	c := &csvCursor{pkg: pkg, t: t, file: file, f: f, r: &csvReader{r: bufio.NewReaderSize(f, 64<<10), line: 1, b: pkg.b, file: file}}
	header, _, err := c.r.record()
	switch e := err.(type) {
	case nil:
	case *csvError:
		f.Close()
		return nil, Problems{{At: fmt.Sprintf("%s:%d:%d", file, e.line, e.field), Msg: e.msg}}
	case Problems:
		f.Close()
		return nil, e
	default:
		f.Close()
		if err == io.EOF {
			return nil, Problems{{At: file, Msg: "empty: the header row is missing"}}
		}
		return nil, Problems{{At: file, Msg: "cannot read: " + err.Error()}}
	}
	dec, ps := newTableDecoder(ds, t, header, &placement{file: file, start: 1}, true)
	if len(ps) > 0 {
		f.Close()
		return nil, ps
	}
	c.dec = dec
	return c, nil
}

// csvCursor reads the records of one CSV file.
type csvCursor struct {
	pkg  *csvPackage
	t    tableDef
	file string
	f    fs.File
	r    *csvReader
	dec  *tableDecoder
	done bool
}

func (c *csvCursor) next(ds *Dataset, n int) (int, Problems, error) {
	var ps Problems
	read := 0
	for read < n && !c.done {
		rec, line, err := c.r.record()
		if err == io.EOF {
			c.done = true
			c.f.Close()
			break
		}
		if e, ok := err.(*csvError); ok {
			c.done = true
			c.f.Close()
			return read, append(ps, Problem{At: fmt.Sprintf("%s:%d:%d", c.file, e.line, e.field), Msg: e.msg}), nil
		}
		if err != nil {
			c.f.Close()
			return read, ps, err
		}
		text := 0
		for _, f := range rec {
			text += len(f)
		}
		where := func() string { return fmt.Sprintf("%s:%d", c.file, line) }
		if lps := c.pkg.b.row(where, len(rec), int64(text), c.t.table().Name); lps != nil {
			c.f.Close()
			return read, ps, lps
		}
		before := c.t.count(ds)
		ps = append(ps, c.dec.add(ds, rec, line)...)
		if c.t.count(ds) > before {
			read++
		}
	}
	return read, ps, nil
}

func (c *csvCursor) clear(ds *Dataset) { c.dec.clear(ds) }

// csvError is a malformed record, as "line:column".
type csvError struct {
	line, field int
	msg         string
}

func (e *csvError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.field, e.msg) }

// csvReader splits RFC 4180 text into records, one at a time, with the
// line each starts on. Quoted fields keep their text byte for byte, line
// breaks and carriage returns included; records end with CRLF or LF. A
// leading byte order mark is dropped. A record past the budget's row
// limits is Problems naming file and line.
type csvReader struct {
	r     *bufio.Reader
	line  int
	b     *budget
	file  string
	field bytes.Buffer
	begun bool
}

// record returns the next record, or io.EOF after the last.
func (c *csvReader) record() ([]string, int, error) {
	if !c.begun {
		c.begun = true
		if head, err := c.r.Peek(3); err == nil && bytes.Equal(head, []byte("\ufeff")) {
			c.r.Discard(3)
		}
	}
	if _, err := c.r.Peek(1); err != nil {
		return nil, 0, err
	}
	start := c.line
	var rec []string
	text := 0
	for {
		c.field.Reset()
		col := len(rec) + 1
		ch, err := c.r.ReadByte()
		if err == nil && ch == '"' {
			closed := false
			for {
				ch, err = c.r.ReadByte()
				if err != nil {
					break
				}
				if ch == '"' {
					if next, err := c.r.Peek(1); err == nil && next[0] == '"' {
						c.r.ReadByte()
						c.field.WriteByte('"')
						continue
					}
					closed = true
					break
				}
				if ch == '\n' {
					c.line++
				}
				c.field.WriteByte(ch)
				if c.field.Len() > c.b.RowBytes {
					return nil, 0, tooBig(fmt.Sprintf("%s:%d", c.file, start), "more than "+size(int64(c.b.RowBytes))+" of text in one row")
				}
			}
			if !closed {
				return nil, 0, &csvError{start, col, "a quoted field is never closed"}
			}
			ch, err = c.r.ReadByte()
			if err == nil && ch != ',' && ch != '\n' && ch != '\r' {
				return nil, 0, &csvError{c.line, col, "text after a closing quote; quotes inside a field are written twice"}
			}
		} else {
			for err == nil && ch != ',' && ch != '\n' && ch != '\r' {
				c.field.WriteByte(ch)
				if c.field.Len() > c.b.RowBytes {
					return nil, 0, tooBig(fmt.Sprintf("%s:%d", c.file, start), "more than "+size(int64(c.b.RowBytes))+" of text in one row")
				}
				ch, err = c.r.ReadByte()
			}
		}
		rec = append(rec, c.field.String())
		text += c.field.Len()
		if text > c.b.RowBytes {
			return nil, 0, tooBig(fmt.Sprintf("%s:%d", c.file, start), "more than "+size(int64(c.b.RowBytes))+" of text in one row")
		}
		if err == nil && ch == ',' {
			if len(rec) >= c.b.RowCells { // one record may be all commas
				return nil, 0, tooBig(fmt.Sprintf("%s:%d", c.file, start), fmt.Sprintf("more than %d cells in one row", c.b.RowCells))
			}
			continue
		}
		// End of record: CRLF, LF, a lone CR, or the end of the data.
		if err == nil && ch == '\r' {
			if next, err := c.r.Peek(1); err == nil && next[0] == '\n' {
				c.r.ReadByte()
			}
		}
		c.line++
		return rec, start, nil
	}
}
