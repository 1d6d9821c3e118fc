package export

import (
	"archive/zip"
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
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, Problems{{At: name, Msg: "not a ZIP archive: " + err.Error()}}
	}
	b := newBudget()
	if ps := b.checkArchive(name, zr); ps != nil {
		return nil, ps
	}
	return readDataPackage(name, zr, p, b)
}

// ReadDataPackage reads a data package from the root of fsys, a directory
// or an archive; name is used in messages. Every problem in every file is
// listed in the returned Problems.
// What the package may expand to is bounded by DefaultLimits.
func ReadDataPackage(name string, fsys fs.FS, p *Progress) (*Dataset, error) {
	return readDataPackage(name, fsys, p, newBudget())
}

func readDataPackage(name string, fsys fs.FS, p *Progress, b *budget) (*Dataset, error) {
	ds := &Dataset{origin: newOrigin("csv", name)}
	where := path.Join(name, DescriptorName)
	desc, err := b.readFile(fsys, DescriptorName, where, descriptorBytes)
	if ps, ok := err.(Problems); ok {
		return nil, ps
	} else if err != nil {
		return nil, Problems{{At: where, Msg: "cannot read the package's descriptor: " + err.Error()}}
	}
	var pkg packageJSON
	if err := json.Unmarshal(desc, &pkg); err != nil {
		return nil, Problems{{At: where, Msg: "not a valid descriptor: " + err.Error()}}
	}
	var ps Problems
	ds.Meta, ps = pkg.Vigie.toMeta(where + ": vigie.")
	if len(ps) > 0 {
		return nil, ps
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
	type parsed struct {
		t       tableDef
		file    string
		header  []string
		records [][]string
		lines   []int
	}
	var files []parsed
	total := 0
	for _, t := range tables {
		tab := t.table()
		rp, ok := paths[tab.Name]
		if !ok {
			ps = append(ps, Problem{At: where, Msg: fmt.Sprintf("no resource named %s", quote(tab.Name))})
			continue
		}
		file := path.Join(name, rp)
		data, err := b.readFile(fsys, rp, file, 0)
		if tooBig, ok := err.(Problems); ok {
			// A file past a limit ends the read: the next would be too.
			return nil, append(ps, tooBig...)
		} else if err != nil {
			ps = append(ps, Problem{At: file, Msg: "cannot read: " + err.Error()})
			continue
		}
		records, lines, err := readCSV(data, b, file)
		switch e := err.(type) {
		case *csvError:
			ps = append(ps, Problem{At: fmt.Sprintf("%s:%d:%d", file, e.line, e.field), Msg: e.msg})
			continue
		case Problems:
			return nil, append(ps, e...)
		}
		if len(records) == 0 {
			ps = append(ps, Problem{At: file, Msg: "empty: the header row is missing"})
			continue
		}
		files = append(files, parsed{t, file, records[0], records[1:], lines[1:]})
		total += len(records) - 1
	}
	if len(ps) > 0 {
		return nil, ps
	}
	p.Start("reading", total)
	for _, f := range files {
		ps = append(ps, readTable(ds, f.t, f.header, f.records, f.lines, &placement{file: f.file, start: 1}, true)...)
		p.Add(len(f.records))
	}
	p.Finish()
	return ds.checked(ps)
}

// csvError is a malformed record, as "line:column".
type csvError struct {
	line, field int
	msg         string
}

func (e *csvError) Error() string { return fmt.Sprintf("%d:%d: %s", e.line, e.field, e.msg) }

// readCSV splits RFC 4180 text into records and the line each starts
// on. Quoted fields keep their text byte for byte, line breaks and
// carriage returns included; records end with CRLF or LF. A leading byte
// order mark is dropped. Every record counts against b; past a limit,
// the error is Problems naming file and the line.
func readCSV(data []byte, b *budget, file string) (records [][]string, lines []int, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	line := 1
	i := 0
	var field bytes.Buffer
	for i < len(data) {
		start := line
		var rec []string
		for {
			field.Reset()
			col := len(rec) + 1
			if i < len(data) && data[i] == '"' {
				i++
				closed := false
				for i < len(data) {
					c := data[i]
					if c == '"' {
						if i+1 < len(data) && data[i+1] == '"' {
							field.WriteByte('"')
							i += 2
							continue
						}
						i++
						closed = true
						break
					}
					if c == '\n' {
						line++
					}
					field.WriteByte(c)
					i++
				}
				if !closed {
					return nil, nil, &csvError{start, col, "a quoted field is never closed"}
				}
				if i < len(data) && data[i] != ',' && data[i] != '\n' && data[i] != '\r' {
					return nil, nil, &csvError{line, col, "text after a closing quote; quotes inside a field are written twice"}
				}
				rec = append(rec, field.String())
			} else {
				j := i
				for j < len(data) && data[j] != ',' && data[j] != '\n' && data[j] != '\r' {
					j++
				}
				rec = append(rec, string(data[i:j]))
				i = j
			}
			if i < len(data) && data[i] == ',' {
				i++
				if b.cells+len(rec) >= b.Cells { // one record may be all commas
					return nil, nil, tooBig(fmt.Sprintf("%s:%d", file, start), fmt.Sprintf("more than %d cells in all tables together", b.Cells))
				}
				continue
			}
			break
		}
		// End of record: CRLF, LF, a lone CR, or the end of the data.
		if i < len(data) && data[i] == '\r' {
			i++
		}
		if i < len(data) && data[i] == '\n' {
			i++
		}
		line++
		text := 0
		for _, f := range rec {
			text += len(f)
		}
		if ps := b.addRow(fmt.Sprintf("%s:%d", file, start), len(rec), int64(text)); ps != nil {
			return nil, nil, ps
		}
		records = append(records, rec)
		lines = append(lines, start)
	}
	return records, lines, nil
}
