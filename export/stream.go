package export

import (
	"bufio"
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Writable is a dataset the writers can write: a Dataset in memory, or a
// Stream whose history waits on disk.
type Writable interface {
	meta() Meta
	rowCount() int
	// Count is how many rows the table named name holds.
	Count(name string) int
	// each calls fn for every row of t in file order, with a dataset
	// whose table t holds that row at i.
	each(t tableDef, fn func(ds *Dataset, i int) error) error
}

func (ds *Dataset) meta() Meta    { return ds.Meta }
func (ds *Dataset) rowCount() int { return ds.Rows() }
func (ds *Dataset) each(t tableDef, fn func(*Dataset, int) error) error {
	for i, n := 0, t.count(ds); i < n; i++ {
		if err := fn(ds, i); err != nil {
			return err
		}
	}
	return nil
}

// Stream is the dataset read from a store for one export without holding
// the history in memory: revisions and citations, which grow with the
// years, are read one assessment at a time and wait in temporary files
// until the writer reaches their tables; the other tables, which grow
// with coverage only, are in memory. Its output is byte for byte Build's.
// Close removes the files.
type Stream struct {
	small                *Dataset // every table but revisions and citations
	revisions, citations *spool
	sourceID             []int // a citation's source, numbered as met, → its ID in the file
}

// chunkRows is how many rows of the history are encoded or decoded at a
// time.
const chunkRows = 512

// NewStream reads what Build reads, in the same order, for writing with
// Write or WriteCSVDir. Memory holds one assessment's revisions at a time
// besides the small tables.
func NewStream(ctx context.Context, r vigie.Reader, opts Options) (_ *Stream, err error) {
	if opts.Scope == "" {
		opts.Scope = ScopeFull
	}
	if opts.Scope != ScopeFull && opts.Scope != ScopePublished {
		return nil, fmt.Errorf("unknown scope %q: use %s or %s", opts.Scope, ScopeFull, ScopePublished)
	}
	var end time.Time
	if opts.AsOf != "" {
		if end, err = ParseDay(opts.AsOf); err != nil {
			return nil, err
		}
	}
	s := &Stream{small: &Dataset{Meta: Meta{Version: FormatVersion, Scope: opts.Scope, AsOf: opts.AsOf}}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if s.revisions, err = newSpool(); err != nil {
		return nil, err
	}
	if s.citations, err = newSpool(); err != nil {
		return nil, err
	}
	ds := s.small
	if err := addFramework(ctx, r, ds); err != nil {
		return nil, err
	}
	ds.Sort() // the indicators in file order: the history follows it

	current := map[[2]string]int{}
	if opts.AsOf == "" {
		published, err := r.Assessments(ctx, vigie.AssessmentFilter{})
		if err != nil {
			return nil, err
		}
		for _, a := range published {
			current[[2]string{a.Country, a.Indicator}] = a.Revision
		}
	}
	public := opts.Scope == ScopePublished
	allStates := opts.Scope == ScopeFull && opts.AsOf == ""

	// Sources are numbered in the order of their keys once all are known;
	// citations are written with the order they were met in and take
	// their number as they are read back.
	met := map[sourceKey]int{}
	var sources []vigie.Source
	var keys []sourceKey
	stored := map[int64]sourceKey{}
	key := func(src vigie.Source) sourceKey {
		if src.ID == 0 {
			return keyOf(src)
		}
		k, ok := stored[src.ID]
		if !ok {
			k = keyOf(src)
			stored[src.ID] = k
		}
		return k
	}
	chunk := &Dataset{}
	flush := func() error {
		if err := s.revisions.put(revisionsTable, chunk); err != nil {
			return err
		}
		if err := s.citations.put(citationsTable, chunk); err != nil {
			return err
		}
		chunk.Revisions, chunk.Citations = chunk.Revisions[:0], chunk.Citations[:0]
		return nil
	}
	codes := make([]string, 0, len(ds.Countries))
	for _, c := range ds.Countries {
		codes = append(codes, c.ISO2)
	}
	for _, country := range codes { // in ISO2 order, as Sort puts them
		for _, ind := range ds.Indicators {
			list, err := r.Revisions(ctx, country, ind.Key)
			if err != nil {
				return nil, err
			}
			revs := slices.DeleteFunc(list, func(rev vigie.Revision) bool {
				return !allStates && (rev.State != vigie.RevisionPublished || opts.AsOf != "" && !rev.PublishedAt.Before(end))
			})
			slices.SortFunc(revs, func(a, b vigie.Revision) int { return cmp.Compare(a.Number, b.Number) }) // oldest first
			at := [2]string{country, ind.Key}
			if opts.AsOf != "" {
				current[at] = lastPublished(revs)[at]
			}
			for _, rev := range revs {
				a := rev.Content
				row := Revision{Country: a.Country, Indicator: a.Indicator, Number: rev.Number, Base: rev.Base, State: rev.State,
					Author: rev.Author, Reason: rev.Reason, CreatedAt: rev.CreatedAt, PublishedAt: rev.PublishedAt,
					Reviewer: rev.Reviewer, ReviewComment: rev.ReviewComment, Rating: a.Rating, Value: a.Value,
					AsOf: a.AsOf.String(), Explanation: a.Explanation}
				if public {
					row.Author, row.Reason, row.Reviewer, row.ReviewComment = "", "", "", ""
				}
				chunk.Revisions = append(chunk.Revisions, row)
				for i, c := range a.Citations {
					k := key(c.Source)
					n, ok := met[k]
					if !ok {
						n = len(sources)
						met[k] = n
						sources, keys = append(sources, c.Source), append(keys, k)
					}
					chunk.Citations = append(chunk.Citations, Citation{Country: a.Country, Indicator: a.Indicator, Revision: rev.Number,
						Position: i + 1, Source: n, Articles: c.Articles})
				}
				if current[at] == rev.Number && rev.State == vigie.RevisionPublished {
					ds.Assessments = append(ds.Assessments, Assessment{Country: a.Country, Indicator: a.Indicator,
						Revision: rev.Number, Rating: a.Rating, Value: a.Value, AsOf: a.AsOf.String(), PublishedAt: rev.PublishedAt})
				}
			}
			if len(chunk.Revisions) >= chunkRows {
				if err := flush(); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}

	order := make([]int, len(keys))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		a, b := keys[x], keys[y]
		return cmp.Or(cmp.Compare(a.title, b.title), cmp.Compare(a.kind, b.kind), cmp.Compare(a.year, b.year),
			cmp.Compare(a.status, b.status))
	})
	s.sourceID = make([]int, len(keys))
	for i, n := range order {
		src := sources[n]
		s.sourceID[n] = i + 1
		ds.Sources = append(ds.Sources, Source{ID: i + 1, Kind: string(src.Kind), Title: src.Title, Identifier: src.Identifier,
			Publisher: src.Publisher, Year: src.Year, StatusAsOf: src.StatusAsOf, Link: src.Link})
	}

	if err := ds.addLibrary(ctx, r); err != nil {
		return nil, err
	}
	if opts.AsOf == "" {
		trs, err := r.Translations(ctx, vigie.TranslationFilter{})
		if err != nil {
			return nil, err
		}
		for _, t := range trs {
			ds.Translations = append(ds.Translations, Translation{t.Kind, t.Key, t.Field, t.Lang, t.Text, t.SourceVersion})
		}
	}
	ds.Sort()
	return s, nil
}

var (
	revisionsTable = tableNamed("revisions")
	citationsTable = tableNamed("citations")
)

// Meta is the stream's metadata.
func (s *Stream) Meta() Meta { return s.small.Meta }

// Count is how many rows the table named name holds.
func (s *Stream) Count(name string) int {
	switch name {
	case "revisions":
		return s.revisions.rows
	case "citations":
		return s.citations.rows
	}
	if t := tableNamed(name); t != nil {
		return t.count(s.small)
	}
	return 0
}

// Close removes the stream's temporary files.
func (s *Stream) Close() error {
	return errors.Join(s.revisions.close(), s.citations.close())
}

func (s *Stream) meta() Meta { return s.small.Meta }

func (s *Stream) rowCount() int { return s.small.Rows() + s.revisions.rows + s.citations.rows }

func (s *Stream) each(t tableDef, fn func(*Dataset, int) error) error {
	switch t {
	case revisionsTable:
		return s.revisions.each(t, fn, nil)
	case citationsTable:
		return s.citations.each(t, fn, func(ds *Dataset) {
			for i := range ds.Citations {
				ds.Citations[i].Source = s.sourceID[ds.Citations[i].Source]
			}
		})
	}
	return s.small.each(t, fn)
}

// spool keeps a table's rows in a temporary file, each field encoded by
// its type: texts and lists with their length, numbers as varints.
type spool struct {
	f    *os.File
	w    *bufio.Writer
	rows int
	buf  []byte
}

func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "vigie-export-*")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

func (sp *spool) close() error {
	if sp == nil || sp.f == nil {
		return nil
	}
	err := sp.f.Close()
	if rerr := os.Remove(sp.f.Name()); err == nil {
		err = rerr
	}
	sp.f = nil
	return err
}

// put appends the rows of t in ds.
func (sp *spool) put(t tableDef, ds *Dataset) error {
	cols := len(t.table().Columns)
	for i, n := 0, t.count(ds); i < n; i++ {
		b := sp.buf[:0]
		for j := range cols {
			b = appendField(b, t.field(ds, i, j))
		}
		sp.buf = b
		if _, err := sp.w.Write(b); err != nil {
			return err
		}
		sp.rows++
	}
	return nil
}

// each reads the rows back, chunkRows at a time, passing each chunk
// through fix before fn sees its rows.
func (sp *spool) each(t tableDef, fn func(*Dataset, int) error, fix func(*Dataset)) error {
	if err := sp.w.Flush(); err != nil {
		return err
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(sp.f, 256<<10)
	cols := len(t.table().Columns)
	chunk := &Dataset{}
	for done := 0; done < sp.rows; {
		n := min(chunkRows, sp.rows-done)
		t.resize(chunk, n)
		for i := range n {
			for j := range cols {
				if err := readField(r, t.field(chunk, i, j)); err != nil {
					return fmt.Errorf("reading back the %s: %w", t.table().Name, err)
				}
			}
		}
		if fix != nil {
			fix(chunk)
		}
		for i := range n {
			if err := fn(chunk, i); err != nil {
				return err
			}
		}
		done += n
	}
	_, err := sp.f.Seek(0, io.SeekEnd) // more rows may follow
	return err
}

func appendField(b []byte, field any) []byte {
	switch v := field.(type) {
	case *string:
		b = binary.AppendUvarint(b, uint64(len(*v)))
		return append(b, *v...)
	case *int:
		return binary.AppendVarint(b, int64(*v))
	case **int:
		if *v == nil {
			return append(b, 0)
		}
		return binary.AppendVarint(append(b, 1), int64(**v))
	case *bool:
		if *v {
			return append(b, 1)
		}
		return append(b, 0)
	case *time.Time:
		if v.IsZero() {
			return append(b, 0)
		}
		b = binary.AppendVarint(append(b, 1), v.Unix())
		return binary.AppendVarint(b, int64(v.Nanosecond()))
	case *[]string:
		b = binary.AppendUvarint(b, uint64(len(*v)))
		for _, s := range *v {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		return b
	}
	panic(fmt.Sprintf("export: cannot spool %T", field))
}

func readField(r *bufio.Reader, field any) error {
	text := func() (string, error) {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return "", err
		}
		b := make([]byte, n)
		_, err = io.ReadFull(r, b)
		return string(b), err
	}
	flag := func() (bool, error) {
		c, err := r.ReadByte()
		return c == 1, err
	}
	var err error
	switch v := field.(type) {
	case *string:
		*v, err = text()
	case *int:
		var n int64
		n, err = binary.ReadVarint(r)
		*v = int(n)
	case **int:
		var set bool
		if set, err = flag(); set && err == nil {
			var n int64
			n, err = binary.ReadVarint(r)
			x := int(n)
			*v = &x
		} else {
			*v = nil
		}
	case *bool:
		*v, err = flag()
	case *time.Time:
		var set bool
		if set, err = flag(); set && err == nil {
			var sec, nsec int64
			if sec, err = binary.ReadVarint(r); err == nil {
				nsec, err = binary.ReadVarint(r)
			}
			*v = time.Unix(sec, nsec).UTC()
		} else {
			*v = time.Time{}
		}
	case *[]string:
		var n uint64
		n, err = binary.ReadUvarint(r)
		*v = nil
		for range n {
			var s string
			if s, err = text(); err != nil {
				break
			}
			*v = append(*v, s)
		}
	default:
		panic(fmt.Sprintf("export: cannot read back %T", field))
	}
	return err
}

// Count is how many rows the table named name holds.
func (ds *Dataset) Count(name string) int {
	if t := tableNamed(name); t != nil {
		return t.count(ds)
	}
	return 0
}
