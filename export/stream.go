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
// it in memory: every table that grows with the record (the history, the
// sources, the library, the translations) is read from the store in file
// order and waits in a temporary file until the writer reaches it; only
// the framework, the countries and the published state (one row per
// assessment) are in memory. Its output is byte for byte Build's. Once
// made, a stream may be written by several writers at once. Close removes
// the files.
type Stream struct {
	small  *Dataset // the tables that do not grow with the record
	spools map[tableDef]*spool
	// sourceID numbers the stored sources the exported revisions cite:
	// a citation is spooled with its source's ID in the store and takes
	// the source's number in the file as it is read back.
	sourceID map[int64]int
}

// chunkRows is how many rows of a spooled table are encoded or decoded
// at a time.
const chunkRows = 512

// spooled are the tables a Stream keeps on disk.
var spooled = []string{"sources", "revisions", "citations", "organisations", "contacts", "publications",
	"publication_countries", "news", "news_countries", "translations"}

// NewStream reads what Build reads, for writing with Write or
// WriteCSVDir. Memory holds one assessment's revisions, a chunk of rows
// and a number per cited source, whatever the size of the record.
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
	s := &Stream{small: &Dataset{Meta: Meta{Version: FormatVersion, Scope: opts.Scope, AsOf: opts.AsOf}},
		spools: map[tableDef]*spool{}, sourceID: map[int64]int{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	for _, name := range spooled {
		sp, err := newSpool()
		if err != nil {
			return nil, err
		}
		s.spools[tableNamed(name)] = sp
	}
	// Rows gather in chunk and go to their spools chunkRows at a time.
	chunk := &Dataset{}
	flush := func(always bool) error {
		if !always && chunk.Rows() < chunkRows {
			return nil
		}
		for t, sp := range s.spools {
			if err := sp.put(t, chunk); err != nil {
				return err
			}
			t.resize(chunk, 0)
		}
		return nil
	}

	ds := s.small
	if err := addFramework(ctx, r, ds); err != nil {
		return nil, err
	}
	ds.Sort() // the indicators in file order: the history follows it

	current := map[[2]string]int{}
	if opts.AsOf == "" {
		published, err := r.Assessments(ctx, vigie.AssessmentFilter{RatingsOnly: true}) // the revision numbers only
		if err != nil {
			return nil, err
		}
		for _, a := range published {
			current[[2]string{a.Country, a.Indicator}] = a.Revision
		}
	}
	public := opts.Scope == ScopePublished
	allStates := opts.Scope == ScopeFull && opts.AsOf == ""

	// The history, one assessment at a time in the file's order, as the
	// store's cursor lists it. Sources are numbered in the order of their
	// keys, once all cited ones are known: until then a citation holds its
	// source's ID.
	cited := s.sourceID
	// Each assessment's place in the file: countries in ISO2 order, as Sort
	// puts them, then indicators by position.
	order := make(map[[2]string]int, len(ds.Countries)*len(ds.Indicators))
	for _, c := range ds.Countries {
		for _, ind := range ds.Indicators {
			order[[2]string{c.ISO2, ind.Key}] = len(order)
		}
	}
	emit := func(at [2]string, list []vigie.Revision) error {
		revs := slices.DeleteFunc(list, func(rev vigie.Revision) bool {
			return !allStates && (rev.State != vigie.RevisionPublished || opts.AsOf != "" && !rev.PublishedAt.Before(end))
		})
		if opts.AsOf != "" {
			current[at] = lastPublished(revs)[at]
		}
		for _, rev := range revs {
			a := rev.Content
			row := revisionRow(rev, public)
			chunk.Revisions = append(chunk.Revisions, row)
			for i, c := range a.Citations {
				if c.Source.ID == 0 {
					return fmt.Errorf("revision %d of %s/%s cites a source the store has no ID for", rev.Number, at[0], at[1])
				}
				if _, ok := cited[c.Source.ID]; !ok {
					cited[c.Source.ID] = 0
				}
				chunk.Citations = append(chunk.Citations, Citation{Country: a.Country, Indicator: a.Indicator, Revision: rev.Number,
					Position: i + 1, Source: int(c.Source.ID), Articles: c.Articles})
			}
			if current[at] == rev.Number && rev.State == vigie.RevisionPublished {
				ds.Assessments = append(ds.Assessments, Assessment{Country: a.Country, Indicator: a.Indicator,
					Revision: rev.Number, Rating: a.Rating, Value: a.Value, AsOf: a.AsOf.String(), PublishedAt: rev.PublishedAt})
			}
		}
		return flush(false)
	}
	var at [2]string
	place := -1
	var list []vigie.Revision // of the assessment at
	err = r.EachRevision(ctx, func(rev vigie.Revision) error {
		k := [2]string{rev.Content.Country, rev.Content.Indicator}
		p, ok := order[k]
		if !ok {
			return nil // not in the framework: not exported
		}
		if k != at {
			if p < place {
				return fmt.Errorf("the store listed %s/%s after %s/%s: the export needs the history in its order", k[0], k[1], at[0], at[1])
			}
			if place >= 0 {
				if err := emit(at, list); err != nil {
					return err
				}
			}
			at, place, list = k, p, list[:0]
		} else if rev.Number <= list[len(list)-1].Number {
			return fmt.Errorf("the store listed revision %d of %s/%s after revision %d", rev.Number, k[0], k[1], list[len(list)-1].Number)
		}
		list = append(list, rev)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if place >= 0 {
		if err := emit(at, list); err != nil {
			return nil, err
		}
	}

	// The cited sources, in the order of their keys as the store lists them.
	var last sourceKey
	first := true
	err = r.EachSource(ctx, func(src vigie.Source) error {
		if _, ok := cited[src.ID]; !ok {
			return nil
		}
		k := keyOf(src)
		if !first && compareKeys(k, last) <= 0 {
			return fmt.Errorf("the store listed the source %q after %q: sources must come in the order of their keys", src.Title, last.title)
		}
		last, first = k, false
		id := s.spools[sourcesTable].rows + len(chunk.Sources) + 1
		cited[src.ID] = id
		chunk.Sources = append(chunk.Sources, Source{ID: id, Kind: string(src.Kind), Title: src.Title, Identifier: src.Identifier,
			Publisher: src.Publisher, Year: src.Year, StatusAsOf: src.StatusAsOf, Link: src.Link})
		return flush(false)
	})
	if err != nil {
		return nil, err
	}
	if n := s.spools[sourcesTable].rows + len(chunk.Sources); n != len(cited) {
		return nil, fmt.Errorf("the revisions cite %d sources, the store listed %d of them", len(cited), n)
	}

	if err := s.readLibrary(ctx, r, chunk, flush); err != nil {
		return nil, err
	}
	if opts.AsOf == "" {
		err := r.EachTranslation(ctx, func(t vigie.Translation) error {
			chunk.Translations = append(chunk.Translations, Translation{t.Kind, t.Key, t.Field, t.Lang, t.Text, t.SourceVersion})
			return flush(false)
		})
		if err != nil {
			return nil, err
		}
	}
	if err := flush(true); err != nil {
		return nil, err
	}
	for _, sp := range s.spools {
		if err := sp.w.Flush(); err != nil {
			return nil, err
		}
	}
	ds.Sort()
	return s, nil
}

// compareKeys orders sources as the export numbers them.
func compareKeys(a, b sourceKey) int {
	return cmp.Or(cmp.Compare(a.title, b.title), cmp.Compare(a.kind, b.kind), cmp.Compare(a.year, b.year),
		cmp.Compare(a.status, b.status))
}

// readLibrary spools organisations, publications and news with their
// contacts and countries, as addLibrary adds them, in slug order.
func (s *Stream) readLibrary(ctx context.Context, r vigie.Reader, chunk *Dataset, flush func(bool) error) error {
	var last string
	inOrder := func(what, slug string) error {
		if last != "" && slug <= last {
			return fmt.Errorf("the store listed the %s %q after %q: the export needs them in the order of their slugs", what, slug, last)
		}
		last = slug
		return nil
	}
	err := r.EachOrganisation(ctx, func(o vigie.Organisation) error {
		if err := inOrder("organisation", o.Slug); err != nil {
			return err
		}
		chunk.addOrganisation(o)
		return flush(false)
	})
	if err != nil {
		return err
	}
	last = ""
	err = r.EachPublication(ctx, func(p vigie.Publication) error {
		if err := inOrder("publication", p.Slug); err != nil {
			return err
		}
		chunk.addPublication(p)
		return flush(false)
	})
	if err != nil {
		return err
	}
	featured := ""
	if f, err := r.FeaturedStory(ctx); err == nil {
		featured = f.Slug
	} else if !vigie.IsNotFound(err) {
		return err
	}
	last = ""
	return r.EachNewsItem(ctx, func(n vigie.NewsItem) error {
		if err := inOrder("news item", n.Slug); err != nil {
			return err
		}
		chunk.addNewsItem(n, featured)
		return flush(false)
	})
}

var (
	sourcesTable   = tableNamed("sources")
	revisionsTable = tableNamed("revisions")
	citationsTable = tableNamed("citations")
)

// Meta is the stream's metadata.
func (s *Stream) Meta() Meta { return s.small.Meta }

// Count is how many rows the table named name holds.
func (s *Stream) Count(name string) int {
	t := tableNamed(name)
	if t == nil {
		return 0
	}
	if sp := s.spools[t]; sp != nil {
		return sp.rows
	}
	return t.count(s.small)
}

// Close removes the stream's temporary files.
func (s *Stream) Close() error {
	var errs []error
	for _, sp := range s.spools {
		errs = append(errs, sp.close())
	}
	return errors.Join(errs...)
}

func (s *Stream) meta() Meta { return s.small.Meta }

func (s *Stream) rowCount() int {
	n := s.small.Rows()
	for _, sp := range s.spools {
		n += sp.rows
	}
	return n
}

func (s *Stream) each(t tableDef, fn func(*Dataset, int) error) error {
	sp := s.spools[t]
	switch {
	case sp == nil:
		return s.small.each(t, fn)
	case t == citationsTable:
		return sp.each(t, fn, func(ds *Dataset) {
			for i := range ds.Citations {
				ds.Citations[i].Source = s.sourceID[int64(ds.Citations[i].Source)]
			}
		})
	}
	return sp.each(t, fn, nil)
}

// spool keeps a table's rows in a temporary file, each field encoded by
// its type: texts and lists with their length, numbers as varints.
type spool struct {
	f    *os.File
	w    *bufio.Writer
	rows int
	size int64 // bytes written
	buf  []byte

	unlinked bool // the file has no name left to remove
}

// newSpool makes a spool in a temporary file, unlinked at once where the
// system allows, so that nothing is left behind by a process that stops.
func newSpool() (*spool, error) {
	f, err := os.CreateTemp("", "vigie-export-*")
	if err != nil {
		return nil, err
	}
	return &spool{f: f, w: bufio.NewWriterSize(f, 256<<10), unlinked: os.Remove(f.Name()) == nil}, nil
}

func (sp *spool) close() error {
	if sp == nil || sp.f == nil {
		return nil
	}
	err := sp.f.Close()
	if !sp.unlinked {
		if rerr := os.Remove(sp.f.Name()); err == nil {
			err = rerr
		}
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
		sp.size += int64(len(b))
	}
	return nil
}

// each reads the rows back, chunkRows at a time, passing each chunk
// through fix before fn sees its rows. The spool must be complete (see
// NewStream); several readers may read it at once.
func (sp *spool) each(t tableDef, fn func(*Dataset, int) error, fix func(*Dataset)) error {
	r := bufio.NewReaderSize(io.NewSectionReader(sp.f, 0, sp.size), 256<<10)
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
	return nil
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
