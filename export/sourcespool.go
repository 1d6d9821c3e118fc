package export

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"

	vigie "github.com/vigie-network/vigie"
)

// sourceSpool keeps the sources of a file being imported in a temporary
// file, for the citations that name them by id in any order: memory holds
// where each one is (an id and an offset) and the few last read, not the
// sources, which grow with the record (149,400 laws at 100×).
type sourceSpool struct {
	sp    *spool
	at    map[int]int64 // id → offset of its record
	cache map[int]vigie.Source
	buf   []byte
}

// sourceCacheSize is how many sources a spool keeps decoded: an
// assessment's revisions mostly cite the same few.
const sourceCacheSize = 4096

func newSourceSpool() (*sourceSpool, error) {
	sp, err := newSpool()
	if err != nil {
		return nil, err
	}
	return &sourceSpool{sp: sp, at: map[int]int64{}, cache: map[int]vigie.Source{}}, nil
}

func (s *sourceSpool) close() error {
	if s == nil {
		return nil
	}
	return s.sp.close()
}

// put appends the sources ds holds, with their locations.
func (s *sourceSpool) put(ds *Dataset) error {
	for i := range ds.Sources {
		r := &ds.Sources[i]
		b := binary.AppendVarint(s.buf[:0], int64(ds.locate("sources", i)))
		for _, f := range []any{&r.ID, &r.Kind, &r.Title, &r.Identifier, &r.Publisher, &r.Year, &r.StatusAsOf, &r.Link} {
			b = appendField(b, f)
		}
		if _, dup := s.at[r.ID]; !dup {
			s.at[r.ID] = s.sp.size
		}
		head := binary.AppendUvarint(nil, uint64(len(b)))
		if _, err := s.sp.w.Write(head); err != nil {
			return err
		}
		if _, err := s.sp.w.Write(b); err != nil {
			return err
		}
		s.sp.size += int64(len(head) + len(b))
		s.sp.rows++
		s.buf = b
	}
	return nil
}

// done ends the writing: the spool is read from then on.
func (s *sourceSpool) done() error { return s.sp.w.Flush() }

// read decodes one record: the source and its location.
func readSource(r *bufio.Reader) (Source, int, error) {
	if _, err := binary.ReadUvarint(r); err != nil {
		return Source{}, 0, err
	}
	loc, err := binary.ReadVarint(r)
	if err != nil {
		return Source{}, 0, err
	}
	var src Source
	for _, f := range []any{&src.ID, &src.Kind, &src.Title, &src.Identifier, &src.Publisher, &src.Year, &src.StatusAsOf, &src.Link} {
		if err := readField(r, f); err != nil {
			return Source{}, 0, err
		}
	}
	return src, int(loc), nil
}

// get returns the source with id, read from the spool unless it was lately.
func (s *sourceSpool) get(id int) (vigie.Source, error) {
	if src, ok := s.cache[id]; ok {
		return src, nil
	}
	off, ok := s.at[id]
	if !ok {
		return vigie.Source{}, fmt.Errorf("no source %d in the file", id)
	}
	r := bufio.NewReaderSize(io.NewSectionReader(s.sp.f, off, s.sp.size-off), 512)
	src, _, err := readSource(r)
	if err != nil {
		return vigie.Source{}, fmt.Errorf("reading back source %d: %w", id, err)
	}
	if len(s.cache) >= sourceCacheSize {
		clear(s.cache)
	}
	s.cache[id] = src.domain()
	return s.cache[id], nil
}

// reader returns what reads the sources in file order, one a call, with
// their locations; more is false past the last.
func (s *sourceSpool) reader() func() (src Source, loc int, more bool, err error) {
	r := bufio.NewReaderSize(io.NewSectionReader(s.sp.f, 0, s.sp.size), 64<<10)
	read := 0
	return func() (Source, int, bool, error) {
		if read == s.sp.rows {
			return Source{}, 0, false, nil
		}
		read++
		src, loc, err := readSource(r)
		if err != nil {
			return Source{}, 0, false, fmt.Errorf("reading back the sources: %w", err)
		}
		return src, loc, true, nil
	}
}

// each calls fn with every source in file order and its location.
func (s *sourceSpool) each(fn func(src Source, loc int) error) error {
	r := bufio.NewReaderSize(io.NewSectionReader(s.sp.f, 0, s.sp.size), 64<<10)
	for range s.sp.rows {
		src, loc, err := readSource(r)
		if err != nil {
			return fmt.Errorf("reading back the sources: %w", err)
		}
		if err := fn(src, loc); err != nil {
			return err
		}
	}
	return nil
}
