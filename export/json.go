package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// The JSON format is one document: the metadata (format, version, scope,
// as_of, edition), then one member per table holding an array of rows,
// each row an object whose members are the table's columns. Empty numbers
// and times are null, lists are arrays. Each row sits on its own line, so
// that two exports compare well with diff.

// WriteJSON writes ds as one JSON document.
func WriteJSON(w io.Writer, ds Writable, p *Progress) error {
	p.Start("writing", ds.rowCount())
	defer p.Finish()
	meta := ds.meta()
	bw := &errWriter{w: w}
	buf := make([]byte, 0, 64<<10)
	buf = append(buf, "{\n  \"format\": "...)
	buf = appendString(buf, FormatName)
	buf = append(buf, ",\n  \"version\": "...)
	buf = strconv.AppendInt(buf, int64(meta.Version), 10)
	buf = append(buf, ",\n  \"scope\": "...)
	buf = appendString(buf, meta.Scope)
	buf = append(buf, ",\n  \"as_of\": "...)
	if meta.AsOf == "" {
		buf = append(buf, "null"...)
	} else {
		buf = appendString(buf, meta.AsOf)
	}
	buf = append(buf, ",\n  \"edition\": "...)
	if e := meta.Edition; e == nil {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, `{"name": `...)
		buf = appendString(buf, e.Name)
		buf = append(buf, `, "published_at": `...)
		buf = appendString(buf, e.PublishedAt.UTC().Format(timeLayout))
		buf = append(buf, `, "data_version": `...)
		buf = strconv.AppendInt(buf, e.DataVersion, 10)
		buf = append(buf, '}')
	}
	buf = append(buf, ",\n"...)
	for ti, t := range tables {
		tab := t.table()
		buf = appendString(append(buf, "  "...), tab.Name)
		buf = append(buf, ": ["...)
		n := 0
		err := ds.each(t, func(ds *Dataset, i int) error {
			if n > 0 {
				buf = append(buf, ',')
			}
			n++
			buf = append(buf, "\n    {"...)
			for j, c := range tab.Columns {
				if j > 0 {
					buf = append(buf, ", "...)
				}
				buf = appendString(buf, c.Name)
				buf = append(buf, ": "...)
				buf = appendJSON(buf, t.field(ds, i, j))
			}
			buf = append(buf, '}')
			if len(buf) > 32<<10 {
				bw.write(buf)
				buf = buf[:0]
			}
			p.Add(1)
			return bw.err
		})
		if err != nil {
			return err
		}
		if n > 0 {
			buf = append(buf, "\n  "...)
		}
		buf = append(buf, ']')
		if ti < len(tables)-1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '\n')
	}
	buf = append(buf, "}\n"...)
	bw.write(buf)
	return bw.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

// ReadJSON reads a JSON document written by WriteJSON; name is used in
// messages, which point at values with JSON pointers
// ("vigie.json#/revisions/16/rating"). Its rows are bounded by
// DefaultLimits, and values nest at most 64 deep.
func ReadJSON(name string, data []byte, p *Progress) (*Dataset, error) {
	return readAll(Input{Name: name, Data: data}, FormatJSON, p)
}

// jsonFile is a JSON document: where each table's array starts.
type jsonFile struct {
	name   string
	r      io.ReaderAt
	size   int64
	closer io.Closer
	starts map[string]int64
	b      *budget
}

// openJSON reads the document through once, checking its syntax, to find
// its metadata and where each table starts.
func openJSON(name string, r io.ReaderAt, size int64, closer io.Closer) (*jsonFile, *Dataset, error) {
	f := &jsonFile{name: name, r: r, size: size, closer: closer, starts: map[string]int64{}, b: newBudget()}
	ds := &Dataset{origin: newOrigin("json", name)}
	sc := f.scanner(0)
	// A byte order mark is skipped.
	if sc.need(3) && bytes.HasPrefix(sc.data, []byte("\ufeff")) {
		sc.pos = 3
	}
	meta := map[string][]byte{}
	var unknown []string
	err := sc.object(func(key string) error {
		if tableNamed(key) == nil {
			raw, err := sc.value()
			switch key {
			case "format", "version", "scope", "as_of", "edition":
				meta[key] = bytes.Clone(raw)
			default:
				unknown = append(unknown, key)
			}
			return err
		}
		sc.space()
		f.starts[key] = sc.off + int64(sc.pos)
		return sc.array(func() error {
			sc.release()
			_, err := sc.value()
			return err
		})
	})
	if err == nil {
		if sc.space(); sc.need(1) {
			err = sc.fail("text after the end of the document")
		}
	}
	if err != nil {
		return nil, nil, f.problem(err, sc)
	}

	var m metaJSON
	var ps Problems
	for _, k := range []struct {
		name string
		dst  any
	}{{"format", &m.Format}, {"version", &m.Version}, {"scope", &m.Scope}, {"as_of", &m.AsOf}, {"edition", &m.Edition}} {
		raw, ok := meta[k.name]
		if !ok {
			if k.name == "format" || k.name == "version" || k.name == "scope" {
				ps = append(ps, Problem{At: name + "#/" + k.name, Msg: "missing"})
			}
			continue
		}
		if err := json.Unmarshal(raw, k.dst); err != nil {
			ps = append(ps, Problem{At: name + "#/" + k.name, Msg: "wrong type: " + err.Error()})
		}
	}
	if len(ps) > 0 {
		return nil, nil, ps
	}
	if ds.Meta, ps = m.toMeta(name + "#/"); len(ps) > 0 {
		return nil, nil, ps
	}
	for _, k := range unknown {
		ps = append(ps, Problem{At: name + "#/" + escapePointer(k), Msg: "unknown member"})
	}
	for _, t := range tables {
		if _, ok := f.starts[t.table().Name]; !ok {
			ps = append(ps, Problem{At: name + "#/" + t.table().Name, Msg: "missing: every table must be present, even empty ([])"})
		}
	}
	if len(ps) > 0 {
		return nil, nil, ps
	}
	return f, ds, nil
}

// scanner reads the document from offset on.
func (f *jsonFile) scanner(offset int64) *jsonScanner {
	return &jsonScanner{r: io.NewSectionReader(f.r, offset, f.size-offset), maxRow: f.b.RowBytes}
}

// problem turns a scan's error into the file's problem.
func (f *jsonFile) problem(err error, sc *jsonScanner) error {
	switch e := err.(type) {
	case *jsonSyntaxError:
		return Problems{{At: f.name + e.at, Msg: "not valid JSON here: " + e.msg}}
	case Problems:
		return e
	}
	if err == errRowTooLong {
		return tooBig(f.name+sc.where(0), "more than "+size(int64(f.b.RowBytes))+" in one row")
	}
	return err
}

func (f *jsonFile) limits() *budget { return f.b }

func (f *jsonFile) Close() error { return f.closer.Close() }

func (f *jsonFile) table(ds *Dataset, t tableDef) (tableCursor, Problems) {
	pl := &placement{file: t.table().Name}
	ds.origin.tables[t.table().Name] = pl
	return &jsonCursor{f: f, t: t, pl: pl, sc: f.scanner(f.starts[t.table().Name])}, nil
}

// jsonCursor reads the rows of one table's array.
type jsonCursor struct {
	f       *jsonFile
	t       tableDef
	pl      *placement
	sc      *jsonScanner
	rows    int // rows read
	started bool
	done    bool
}

func (c *jsonCursor) next(ds *Dataset, n int) (int, Problems, error) {
	sc, tab := c.sc, c.t.table()
	var ps Problems
	read := 0
	for read < n && !c.done {
		sc.release()
		sc.space()
		if !sc.need(1) {
			return read, ps, c.f.problem(sc.fail("unexpected end of the document in an array"), sc)
		}
		switch ch := sc.data[sc.pos]; {
		case !c.started && ch == '[':
			c.started = true
			sc.pos++
			sc.space()
			if sc.need(1) && sc.data[sc.pos] == ']' {
				c.done = true
			}
			continue
		case c.started && c.rows > 0 && ch == ',':
			sc.pos++
		case c.started && ch == ']':
			c.done = true
			continue
		case c.started && c.rows == 0:
		default:
			return read, ps, c.f.problem(sc.fail("expected ',' or ']' in an array"), sc)
		}
		var row []member
		text := 0
		err := sc.object(func(k string) error {
			raw, err := sc.value()
			row = append(row, member{k, raw})
			text += len(raw)
			if err == nil && len(row) > c.f.b.RowCells {
				return c.limit()
			}
			return err
		})
		if err != nil {
			return read, ps, c.f.problem(err, sc)
		}
		if lps := c.f.b.row(c.where, len(row), int64(text), tab.Name); lps != nil {
			return read, ps, lps
		}
		ps = append(ps, decodeJSONRow(ds, c.t, row)...)
		c.rows++
		read++
	}
	return read, ps, nil
}

func (c *jsonCursor) where() string {
	return fmt.Sprintf("%s#/%s/%d", c.f.name, escapePointer(c.t.table().Name), c.rows)
}

func (c *jsonCursor) limit() Problems {
	return tooBig(c.where(), fmt.Sprintf("more than %d cells in one row", c.f.b.RowCells))
}

func (c *jsonCursor) clear(ds *Dataset) {
	c.pl.base += c.t.count(ds)
	c.t.clear(ds)
}

// decodeJSONRow appends the row of members to t in ds.
func decodeJSONRow(ds *Dataset, t tableDef, row []member) Problems {
	tab := t.table()
	i := t.add(ds)
	var ps Problems
	present := 0
	for j, c := range tab.Columns {
		var v []byte
		for _, m := range row {
			if m.name == c.Name {
				v = m.raw
				present++
				break
			}
		}
		if v == nil || string(v) == "null" {
			if c.Required {
				ps = append(ps, ds.problem(tab.Name, i, c.Name, "is required"))
			}
			continue
		}
		if err := parseJSONValue(t.field(ds, i, j), v); err != nil {
			ps = append(ps, ds.problem(tab.Name, i, c.Name, err.Error()))
		} else if c.Required && formatCell(t.field(ds, i, j)) == "" {
			ps = append(ps, ds.problem(tab.Name, i, c.Name, "is required"))
		}
	}
	if present < len(row) {
		for _, m := range row {
			if columnIndex(tab, m.name) < 0 {
				ps = append(ps, ds.problem(tab.Name, i, escapePointer(m.name), fmt.Sprintf("unknown member; %s has %s", tab.Name, columnNames(tab))))
			}
		}
	}
	return ps
}

// escapePointer escapes a member name for a JSON pointer (RFC 6901).
func escapePointer(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '~':
			b.WriteString("~0")
		case '/':
			b.WriteString("~1")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
