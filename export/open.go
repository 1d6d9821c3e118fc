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

// Opened is an export read and checked for an import without holding its
// history: the tables that grow with coverage only are in Dataset, and
// the revisions with their citations, which grow with the years, are read
// from the file again by History, a chunk at a time. Checking keeps a few
// bytes per revision (where it is), so memory follows the largest row,
// not the file. Close releases the file.
type Opened struct {
	// Dataset holds every table but revisions and citations.
	Dataset              *Dataset
	Revisions, Citations int // rows of the history

	file    fileReader
	sources map[int]vigie.Source
	// cites holds the citations by revision when the file does not list
	// them in the order of their revisions, as exports do.
	cites map[revKey][]Citation
}

// historyChunk is how many rows of the history are held at a time.
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
	defer func() {
		if err != nil {
			fr.Close()
		}
	}()
	o := &Opened{Dataset: ds, file: fr}
	c := newChecker(ds)
	ps, err := readTables(fr, ds, p, func(t tableDef) bool { return !streamed(t.table().Name) })
	if err != nil {
		return nil, err
	}
	if ps = settle(ps); hasFileProblem(ps) {
		return nil, ps
	}
	c.before()
	for _, name := range []string{"revisions", "citations"} {
		t := tableNamed(name)
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
			if name == "revisions" {
				o.Revisions += n
				c.revisions()
			} else {
				o.Citations += n
				c.citations()
			}
			cur.clear(ds)
			if len(ps)+len(c.ps) > maxProblems {
				return nil, settle(append(ps, c.ps...))
			}
		}
		p.Add(1)
	}
	p.Finish()
	c.after()
	if ps = settle(append(ps, c.ps...)); len(ps) > 0 {
		return nil, ps
	}
	if c.unordered {
		// The citations met before they were found out of order are read
		// again, with every other.
		o.cites = map[revKey][]Citation{}
		cur, _ := fr.table(ds, tableNamed("citations"))
		for {
			n, _, err := cur.next(ds, historyChunk)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				break
			}
			for _, ct := range ds.Citations {
				k := revKey{ct.Country, ct.Indicator, ct.Revision}
				o.cites[k] = append(o.cites[k], ct)
			}
			cur.clear(ds)
		}
	}
	o.sources = make(map[int]vigie.Source, len(ds.Sources))
	for _, s := range ds.Sources {
		o.sources[s.ID] = s.domain()
	}
	return o, nil
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

// Close releases the file.
func (o *Opened) Close() error { return o.file.Close() }

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
	revs := &Dataset{Meta: o.Dataset.Meta, origin: newOrigin(o.Dataset.origin.format, o.Dataset.origin.name)}
	cites := &Dataset{Meta: o.Dataset.Meta, origin: newOrigin(o.Dataset.origin.format, o.Dataset.origin.name)}
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
				rev.Content.Citations = append(rev.Content.Citations, vigie.Citation{Source: o.sources[c.Source], Articles: c.Articles})
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
