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
// ("vigie.json#/revisions/16/rating"). Its rows and cells are bounded by
// DefaultLimits, and values nest at most 64 deep.
func ReadJSON(name string, data []byte, p *Progress) (*Dataset, error) {
	ds := &Dataset{origin: newOrigin("json", name)}
	b := newBudget()
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	sc := &jsonScanner{data: data}
	meta := map[string][]byte{}
	rows := map[string][][]member{}
	var unknown []string
	total := 0
	err := sc.object(func(key string) error {
		if tableNamed(key) == nil {
			raw, err := sc.value()
			switch key {
			case "format", "version", "scope", "as_of", "edition":
				meta[key] = raw
			default:
				unknown = append(unknown, key)
			}
			return err
		}
		var list [][]member
		err := sc.array(func() error {
			var row []member
			text := 0
			err := sc.object(func(k string) error {
				raw, err := sc.value()
				row = append(row, member{k, raw})
				text += len(raw)
				if err == nil && b.cells+len(row) > b.Cells {
					return tooBig(fmt.Sprintf("%s#/%s/%d", name, escapePointer(key), len(list)), fmt.Sprintf("more than %d cells in all tables together", b.Cells))
				}
				return err
			})
			if err != nil {
				return err
			}
			if ps := b.addRow(fmt.Sprintf("%s#/%s/%d", name, escapePointer(key), len(list)), len(row), int64(text)); ps != nil {
				return ps
			}
			list = append(list, row)
			return nil
		})
		rows[key] = list
		total += len(list)
		return err
	})
	if err == nil {
		if sc.space(); sc.pos != len(data) {
			err = sc.fail("text after the end of the document")
		}
	}
	switch e := err.(type) {
	case *jsonSyntaxError:
		return nil, Problems{{At: name + lineColumn(data, e.offset), Msg: "not valid JSON here: " + e.msg}}
	case Problems:
		return nil, e
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
		return nil, ps
	}
	if ds.Meta, ps = m.toMeta(name + "#/"); len(ps) > 0 {
		return nil, ps
	}
	for _, k := range unknown {
		ps = append(ps, Problem{At: name + "#/" + escapePointer(k), Msg: "unknown member"})
	}
	for _, t := range tables {
		if _, ok := rows[t.table().Name]; !ok {
			ps = append(ps, Problem{At: name + "#/" + t.table().Name, Msg: "missing: every table must be present, even empty ([])"})
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	p.Start("reading", total)
	for _, t := range tables {
		ps = append(ps, readJSONTable(ds, t, rows[t.table().Name], p)...)
	}
	p.Finish()
	return ds.checked(ps)
}

func readJSONTable(ds *Dataset, t tableDef, list [][]member, p *Progress) Problems {
	tab := t.table()
	t.resize(ds, len(list))
	var ps Problems
	for i, row := range list {
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
		p.Add(1)
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

// lineColumn turns an offset into ":line:column".
func lineColumn(data []byte, off int) string {
	off = min(off, len(data))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := off - bytes.LastIndexByte(before, '\n')
	return ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}
