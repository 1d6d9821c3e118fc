package export

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

// Input is a file to read: a file on disk (Path), bytes in memory (Data)
// or a data package directory (FS). Name is used in messages.
type Input struct {
	Name string
	Path string
	Data []byte
	FS   fs.FS
}

// Opened is an export read and checked for an import without holding
// what grows with the record: only the framework, the countries and the
// published state are in Dataset; the history, the sources, the library
// (organisations, publications, news) and the translations are read from
// the file again, a chunk at a time, by History, EachSource,
// Organisations, Publications, News and Translations. Checking keeps a
// few bytes per row (where it is, a digest of its key), so memory
// follows the largest row, not the file. Close releases the file.
type Opened struct {
	// Dataset holds the tables held whole (see held); the others are
	// empty there.
	Dataset              *Dataset
	Revisions, Citations int // rows of the history
	// Featured is the slug of the file's featured story, "" for none.
	Featured string

	file    fileReader
	counts  map[string]int
	sources *sourceSpool
	// sourcesInOrder says the sources come in the order of their keys.
	sourcesInOrder bool
	// cites holds the citations by revision when the file does not list
	// them in the order of their revisions, as exports do; contacts and
	// the countries of publications and news likewise, by owner.
	cites                       map[revKey][]Citation
	contacts                    map[string][]Contact
	pubCountries, newsCountries map[string][]string
}

// historyChunk is how many rows of a table read again are held at a time.
var historyChunk = 512

// maxProblems is how many problems a read collects before it stops: a
// file with that many is refused anyway, and a hostile one could
// otherwise fill memory with them.
const maxProblems = 10 * MaxListed

// fileReader reads the tables of one file in any order, each as often as
// asked (see tableCursor).
type fileReader interface {
	// table opens the rows of t, after its header; a nil cursor means the
	// table cannot be read and ps says why.
	table(ds *Dataset, t tableDef) (tableCursor, Problems)
	// limits is what the read may cost, and has cost so far.
	limits() *budget
	Close() error
}

// tableCursor reads the rows of one table.
type tableCursor interface {
	// next appends up to n rows to the table in ds and returns how many
	// it read, 0 at the end, and the problems of those rows; err is a
	// limit passed (Problems) or a read that failed, which end the read.
	next(ds *Dataset, n int) (read int, ps Problems, err error)
	// clear empties the table in ds for the next chunk.
	clear(ds *Dataset)
}

// Open reads and checks in, a file in a format Sniff named (FormatCSV for
// a data package directory). It returns every problem found, or the
// Opened file.
func Open(in Input, format string, p *Progress) (_ *Opened, err error) {
	fr, ds, err := openFile(in, format)
	if err != nil {
		return nil, err
	}
	o := &Opened{Dataset: ds, file: fr, counts: map[string]int{}}
	defer func() {
		if err != nil {
			o.Close()
		}
	}()
	c := newChecker(ds)
	ps, err := readTables(fr, ds, p, func(t tableDef) bool { return held(t.table().Name) })
	if err != nil {
		return nil, err
	}
	if ps = settle(ps); hasFileProblem(ps) {
		return nil, ps
	}
	if o.sources, err = newSourceSpool(); err != nil {
		return nil, err
	}
	c.before()
	for _, t := range tables {
		name := t.table().Name
		if held(name) {
			continue
		}
		cur, tps := fr.table(ds, t)
		ps = append(ps, tps...)
		for cur != nil {
			n, rps, err := cur.next(ds, historyChunk)
			ps = append(ps, rps...)
			if err != nil {
				return nil, fatal(ps, err)
			}
			if n == 0 {
				break
			}
			o.counts[name] += n
			c.rows(name)
			if name == "sources" {
				if err := o.sources.put(ds); err != nil {
					return nil, err
				}
			}
			cur.clear(ds)
			if len(ps)+len(c.ps) > maxProblems {
				return nil, settle(append(ps, c.ps...))
			}
		}
		p.Add(1)
	}
	p.Finish()
	if ps = settle(ps); hasFileProblem(ps) {
		// A table that cannot be read: what refers to it would only
		// repeat that.
		return nil, ps
	}
	c.after()
	if ps = settle(append(ps, c.ps...)); len(ps) > 0 {
		return nil, ps
	}
	if err := o.sources.done(); err != nil {
		return nil, err
	}
	o.Revisions, o.Citations, o.Featured = o.counts["revisions"], o.counts["citations"], c.featuredSlug
	o.sourcesInOrder = !c.sourcesUnordered
	// What the file does not list in its owners' order is read again
	// and held, by owner.
	if c.unordered {
		o.cites = map[revKey][]Citation{}
		err := o.each(citationsTable, func(ds *Dataset, i int) error {
			ct := ds.Citations[i]
			k := revKey{ct.Country, ct.Indicator, ct.Revision}
			o.cites[k] = append(o.cites[k], ct)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if c.contactsOrder.unordered {
		o.contacts = map[string][]Contact{}
		err := o.each(tableNamed("contacts"), func(ds *Dataset, i int) error {
			ct := ds.Contacts[i]
			o.contacts[ct.Organisation] = append(o.contacts[ct.Organisation], ct)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if c.pubOrder.unordered {
		o.pubCountries = map[string][]string{}
		err := o.each(tableNamed("publication_countries"), func(ds *Dataset, i int) error {
			pc := ds.PublicationCountries[i]
			o.pubCountries[pc.Publication] = append(o.pubCountries[pc.Publication], pc.Country)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	if c.newsOrder.unordered {
		o.newsCountries = map[string][]string{}
		err := o.each(tableNamed("news_countries"), func(ds *Dataset, i int) error {
			nc := ds.NewsCountries[i]
			o.newsCountries[nc.News] = append(o.newsCountries[nc.News], nc.Country)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return o, nil
}

// Count is how many rows the table named name holds.
func (o *Opened) Count(name string) int {
	if held(name) {
		return o.Dataset.Count(name)
	}
	return o.counts[name]
}

// Held is how many rows of the file o holds in memory: those of the
// tables held whole, and of the tables read again that the file does not
// list in their owners' order (see Opened). An export's are the same
// however long its record.
func (o *Opened) Held() int {
	n := o.Dataset.Rows()
	for _, l := range o.cites {
		n += len(l)
	}
	for _, l := range o.contacts {
		n += len(l)
	}
	for _, l := range o.pubCountries {
		n += len(l)
	}
	for _, l := range o.newsCountries {
		n += len(l)
	}
	return n
}

// chunk is a new dataset for reading a table of o again.
func (o *Opened) chunk() *Dataset {
	return &Dataset{Meta: o.Dataset.Meta, origin: newOrigin(o.Dataset.origin.format, o.Dataset.origin.name)}
}

// each reads the rows of t again, historyChunk at a time, calling fn for
// each with the chunk holding it at i.
func (o *Opened) each(t tableDef, fn func(ds *Dataset, i int) error) error {
	ds := o.chunk()
	cur, ps := o.file.table(ds, t)
	if cur == nil {
		return ps
	}
	for {
		n, _, err := cur.next(ds, historyChunk)
		if err != nil || n == 0 {
			return err
		}
		for i := range n {
			if err := fn(ds, i); err != nil {
				return err
			}
		}
		cur.clear(ds)
	}
}

// fatal is the error of a read that stopped: the problems found so far
// and the one that stopped it.
func fatal(ps Problems, err error) error {
	var stop Problems
	if errors.As(err, &stop) {
		return settle(append(ps, stop...))
	}
	return err
}

// Close releases the file and the sources kept aside.
func (o *Opened) Close() error { return errors.Join(o.file.Close(), o.sources.close()) }

// At says where the value of column of the row at loc of table is in the
// file (loc as a record read again gives it).
func (o *Opened) At(table string, loc int, column string) string {
	return o.Dataset.atLocation(table, loc, column)
}

// RevisionRecord is a revision of the file, with its citations.
type RevisionRecord struct {
	loc int // where it is in the file (see Dataset.locate)
	vigie.Revision
}

// AtRevision says where the value of column of rec is in the file.
func (o *Opened) AtRevision(rec RevisionRecord, column string) string {
	return o.Dataset.atLocation("revisions", rec.loc, column)
}

// History calls fn with the revisions in the file's order, each with its
// citations in their positions' order and their sources, at most n at a
// time. The slice is reused from one call to the next.
func (o *Opened) History(n int, fn func([]RevisionRecord) error) error {
	revs, cites := o.chunk(), o.chunk()
	rc, ps := o.file.table(revs, tableNamed("revisions"))
	if rc == nil {
		return ps
	}
	var cc tableCursor
	if o.cites == nil {
		if cc, ps = o.file.table(cites, tableNamed("citations")); cc == nil {
			return ps
		}
	}
	next := 0 // the next citation of cites to use
	// citationsOf returns the citations of k, which are next in the file.
	citationsOf := func(k revKey) ([]Citation, error) {
		if o.cites != nil {
			return o.cites[k], nil
		}
		var out []Citation
		for {
			if next == len(cites.Citations) {
				cc.clear(cites)
				next = 0
				read, _, err := cc.next(cites, historyChunk)
				if err != nil || read == 0 {
					return out, err
				}
			}
			ct := cites.Citations[next]
			if (revKey{ct.Country, ct.Indicator, ct.Revision}) != k {
				return out, nil
			}
			out = append(out, ct)
			next++
		}
	}
	batch := make([]RevisionRecord, 0, n)
	for {
		read, _, err := rc.next(revs, min(n, historyChunk))
		if err != nil {
			return err
		}
		if read == 0 {
			break
		}
		for i, r := range revs.Revisions {
			rev := r.domain()
			list, err := citationsOf(revKey{r.Country, r.Indicator, r.Number})
			if err != nil {
				return err
			}
			slices.SortFunc(list, func(a, b Citation) int { return cmp.Compare(a.Position, b.Position) })
			for _, c := range list {
				src, err := o.sources.get(c.Source)
				if err != nil {
					return err
				}
				rev.Content.Citations = append(rev.Content.Citations, vigie.Citation{Source: src, Articles: c.Articles})
			}
			batch = append(batch, RevisionRecord{loc: revs.locate("revisions", i), Revision: rev})
			if len(batch) == n {
				if err := fn(batch); err != nil {
					return err
				}
				clear(batch)
				batch = batch[:0]
			}
		}
		rc.clear(revs)
	}
	if len(batch) > 0 {
		return fn(batch)
	}
	return nil
}

// readTables reads the tables that read keeps whole into ds, with the
// problems of their rows; err ends the read (a limit passed, a failed
// read), with the problems found until then.
func readTables(fr fileReader, ds *Dataset, p *Progress, read func(tableDef) bool) (Problems, error) {
	var ps Problems
	p.Start("reading", len(tables))
	for _, t := range tables {
		if !read(t) {
			continue
		}
		cur, tps := fr.table(ds, t)
		ps = append(ps, tps...)
		if cur != nil {
			_, rps, err := cur.next(ds, math.MaxInt)
			ps = append(ps, rps...)
			if err != nil {
				return ps, fatal(ps, err)
			}
		}
		p.Add(1)
	}
	return ps, nil
}

// readAll reads every table of in whole, for Read and its relatives.
func readAll(in Input, format string, p *Progress) (*Dataset, error) {
	fr, ds, err := openFile(in, format)
	if err != nil {
		return nil, err
	}
	defer fr.Close()
	fr.limits().whole = true
	ps, err := readTables(fr, ds, p, func(tableDef) bool { return true })
	if err != nil {
		return nil, err
	}
	p.Finish()
	if ps = settle(ps); hasFileProblem(ps) {
		return nil, ps
	}
	return ds.checked(ps)
}

// hasFileProblem reports problems with the file's structure rather than
// its cells (a missing table, a bad header), after which checking the
// rows would only repeat them.
func hasFileProblem(ps Problems) bool {
	for _, p := range ps {
		if p.pos.table == 0 {
			return true
		}
	}
	return false
}

// openFile opens in and reads its metadata into a new Dataset.
func openFile(in Input, format string) (fileReader, *Dataset, error) {
	switch {
	case in.FS != nil:
		return openPackage(in.Name, in.FS, newBudget())
	case format == FormatJSON:
		ra, size, closer, err := in.readerAt()
		if err != nil {
			return nil, nil, err
		}
		fr, ds, err := openJSON(in.Name, ra, size, closer)
		if err != nil {
			closer.Close()
		}
		return fr, ds, err
	case format == FormatCSV:
		return openCSVZip(in)
	case format == FormatXLSX:
		return openXLSX(in)
	}
	return nil, nil, Problems{{At: in.Name, Msg: "unknown format " + quote(format)}}
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }

// readerAt opens the bytes of in for reading anywhere.
func (in Input) readerAt() (io.ReaderAt, int64, io.Closer, error) {
	if in.Path == "" {
		return bytes.NewReader(in.Data), int64(len(in.Data)), nopCloser{}, nil
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, 0, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, nil, err
	}
	return f, info.Size(), f, nil
}
