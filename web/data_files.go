package web

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sync"
	"sync/atomic"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
)

// dataFiles keeps the downloads of the published data on disk: the data
// is read once per data version into an export stream (export.NewStream,
// its tables in temporary files), each format is written from it into a
// temporary file on its first request, and every request is served from
// that file. No request holds the dataset, or a download, in memory,
// however long the record. A write makes the next request build again,
// so nobody downloads yesterday's data; the files of the version before
// go when the last request reading them ends. The files are unlinked as
// soon as they are made: nothing is left behind if the server stops.
type dataFiles struct {
	mu      sync.Mutex // held while a build runs: one at a time, the others wait for it
	version int64
	stream  *sharedStream
	files   map[string]*dataFile // by format
	// editions holds the downloads of the frozen editions, which never
	// change, by digest and format.
	editions map[string]*dataFile
}

// shared is what requests share with the cache: the cache holds one
// reference while the thing is current, each user another, and the last
// to let go frees it.
type shared struct {
	refs atomic.Int32
	free func()
}

func (s *shared) acquire() { s.refs.Add(1) }
func (s *shared) release() {
	if s.refs.Add(-1) == 0 {
		s.free()
	}
}

type sharedStream struct {
	shared
	s *export.Stream
}

// dataFile is a download written into an unlinked temporary file.
type dataFile struct {
	shared
	f      *os.File
	size   int64
	sha256 string // hex digest of the file
}

// body reads the file; readers at once do not disturb each other.
func (f *dataFile) body() io.ReadSeeker { return io.NewSectionReader(f.f, 0, f.size) }

// currentLocked drops what belongs to a version older than version.
// c.mu is held.
func (c *dataFiles) currentLocked(version int64) {
	if version <= c.version && c.files != nil {
		return // a request that read the version before a newer one: the newer data serves it
	}
	if c.stream != nil {
		c.stream.release()
	}
	for _, f := range c.files {
		f.release()
	}
	c.version, c.stream, c.files = version, nil, map[string]*dataFile{}
}

// close lets go of everything the cache holds; requests still reading a
// file keep it until they end.
func (c *dataFiles) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.currentLocked(c.version + 1)
	for _, f := range c.editions {
		f.release()
	}
	c.editions = nil
}

// streamLocked returns the stream of the current version, reading it
// from the store if needed. c.mu is held.
func (c *dataFiles) streamLocked(ctx context.Context, r vigie.Reader) (*sharedStream, error) {
	if c.stream != nil {
		return c.stream, nil
	}
	// The build goes on if the request that started it leaves: others
	// wait for it.
	s, err := export.NewStream(context.WithoutCancel(ctx), r, export.Options{Scope: export.ScopePublished})
	if err != nil {
		return nil, err
	}
	st := &sharedStream{s: s}
	st.refs.Store(1)
	st.free = func() { s.Close() }
	c.stream = st
	return st, nil
}

// publishedStream returns the published data of the current version as a
// stream, for writing downloads straight into files (the offline copy);
// call release when done with it.
func (s *Server) publishedStream(ctx context.Context) (_ *export.Stream, release func(), err error) {
	version, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := &s.downloads
	c.mu.Lock()
	defer c.mu.Unlock()
	c.currentLocked(version)
	st, err := c.streamLocked(ctx, s.store)
	if err != nil {
		return nil, nil, err
	}
	st.acquire()
	return st.s, st.release, nil
}

// download returns the file of the published data in format, for the
// current data version; call its release when done with it. The version
// is read before the build, so a write during the build makes the next
// request build again rather than keep stale data.
func (s *Server) download(ctx context.Context, format string) (*dataFile, error) {
	version, err := s.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.downloads
	c.mu.Lock()
	defer c.mu.Unlock()
	c.currentLocked(version)
	if f := c.files[format]; f != nil {
		f.acquire()
		return f, nil
	}
	st, err := c.streamLocked(ctx, s.store)
	if err != nil {
		return nil, err
	}
	if format == export.FormatXLSX {
		if err := export.FitsXLSX(st.s); err != nil {
			return nil, err
		}
	}
	f, err := writeDataFile(func(w io.Writer) error { return export.Write(w, format, st.s, nil) })
	if err != nil {
		return nil, err
	}
	c.files[format] = f
	f.acquire()
	return f, nil
}

// editionDownload returns the file of an edition in format, written on
// the first request from what write writes; call its release when done
// with it.
func (s *Server) editionDownload(digest, format string, write func(io.Writer) error) (*dataFile, error) {
	c := &s.downloads
	c.mu.Lock()
	defer c.mu.Unlock()
	key := digest + " " + format
	if f := c.editions[key]; f != nil {
		f.acquire()
		return f, nil
	}
	f, err := writeDataFile(write)
	if err != nil {
		return nil, err
	}
	if c.editions == nil {
		c.editions = map[string]*dataFile{}
	}
	c.editions[key] = f
	f.acquire()
	return f, nil
}

// writeDataFile writes a download into a new temporary file, which it
// unlinks at once where the system allows: the open file lives on until
// its last reader closes it.
func writeDataFile(write func(io.Writer) error) (_ *dataFile, err error) {
	f, err := os.CreateTemp("", "vigie-download-*")
	if err != nil {
		return nil, err
	}
	unlinked := os.Remove(f.Name()) == nil
	free := func() {
		f.Close()
		if !unlinked {
			os.Remove(f.Name())
		}
	}
	defer func() {
		if err != nil {
			free()
		}
	}()
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, sum), 256<<10)
	if err := write(bw); err != nil {
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, err
	}
	d := &dataFile{f: f, size: size, sha256: hex.EncodeToString(sum.Sum(nil))}
	d.refs.Store(1)
	d.free = free
	return d, nil
}
