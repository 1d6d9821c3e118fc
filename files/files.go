// Package files keeps the PDFs uploaded to the reports library in a folder:
// beside the SQLite database by default, or wherever --files points (a
// folder every server shares, for PostgreSQL). Each file is stored under
// the SHA-256 of its content, so a name never comes from the uploader, the
// same file uploaded twice is stored once, and a stored file never changes.
package files

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// MaxSize is the largest file a Store accepts by default: monitoring
// reports run to a few megabytes, and readers on slow phones download them.
const MaxSize = 25 << 20

// Store is a folder of files named by content hash. Its methods are safe
// for concurrent use, also by several processes sharing the folder.
type Store struct {
	dir     string
	maxSize int64
}

// New returns a store in dir, which is created on the first Save, so that
// a site that never receives an upload leaves no empty folder behind.
func New(dir string) *Store {
	return &Store{dir: dir, maxSize: MaxSize}
}

// BesideDatabase is the default folder for a SQLite database file:
// "vigie.db" keeps its files in "vigie.db-files".
func BesideDatabase(dbPath string) string { return dbPath + "-files" }

// Dir is the folder the store writes to.
func (s *Store) Dir() string { return s.dir }

// MaxSize is the largest file Save accepts, in bytes.
func (s *Store) MaxSize() int64 { return s.maxSize }

// SetMaxSize changes the size limit; tests use it.
func (s *Store) SetMaxSize(n int64) { s.maxSize = n }

// SavePDF reads a PDF from r and stores it. It refuses, with an EINVALID
// error naming field "file", anything larger than MaxSize and anything
// whose content is not a PDF, whatever its name or declared type said.
func (s *Store) SavePDF(r io.Reader) (vigie.FileRef, error) {
	if err := os.MkdirAll(s.dir, 0o750); err != nil {
		return vigie.FileRef{}, fmt.Errorf("file store: %w", err)
	}
	// Write to a temporary file in the same folder, so that the final
	// rename is atomic: a reader never sees half a file.
	tmp, err := os.CreateTemp(s.dir, ".upload-*")
	if err != nil {
		return vigie.FileRef{}, fmt.Errorf("file store: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	defer tmp.Close()

	hash := sha256.New()
	var head headBuffer
	n, err := io.Copy(io.MultiWriter(tmp, hash, &head), io.LimitReader(r, s.maxSize+1))
	if err != nil {
		return vigie.FileRef{}, fmt.Errorf("file store: reading the upload: %w", err)
	}
	switch {
	case n == 0:
		return vigie.FileRef{}, vigie.FieldError("file", "the file is empty")
	case n > s.maxSize:
		return vigie.FileRef{}, vigie.FieldError("file", "the file is larger than %d MB", s.maxSize>>20)
	case !IsPDF(head.Bytes()):
		return vigie.FileRef{}, vigie.FieldError("file", "the file is not a PDF (only PDF files can be uploaded)")
	}
	if err := tmp.Sync(); err != nil {
		return vigie.FileRef{}, fmt.Errorf("file store: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return vigie.FileRef{}, fmt.Errorf("file store: %w", err)
	}
	ref := vigie.FileRef{Hash: hex.EncodeToString(hash.Sum(nil)), Size: n}
	if err := os.Chmod(tmp.Name(), 0o640); err != nil {
		return vigie.FileRef{}, fmt.Errorf("file store: %w", err)
	}
	// The same content has the same name: renaming over an existing copy
	// replaces it with identical bytes.
	if err := os.Rename(tmp.Name(), s.path(ref.Hash)); err != nil {
		return vigie.FileRef{}, fmt.Errorf("file store: %w", err)
	}
	return ref, nil
}

// Open opens the stored file with the given hash. A hash that is not 64
// lower-case hex digits, which is every path trick, is ENOTFOUND without
// touching the disk.
func (s *Store) Open(hash string) (*os.File, error) {
	if !ValidHash(hash) {
		return nil, vigie.Errorf(vigie.ENOTFOUND, "no stored file %q", hash)
	}
	f, err := os.Open(s.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, vigie.Errorf(vigie.ENOTFOUND, "no stored file %q", hash)
	}
	return f, err
}

func (s *Store) path(hash string) string { return filepath.Join(s.dir, hash+".pdf") }

var hashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidHash reports whether s can name a stored file.
func ValidHash(s string) bool { return hashPattern.MatchString(s) }

// pdfMagic starts every PDF file (ISO 32000, 7.5.2).
var pdfMagic = []byte("%PDF-")

// IsPDF reports whether a file's first bytes (up to 512) are those of a
// PDF, both by its header and by the standard content sniffing browsers use.
func IsPDF(head []byte) bool {
	return bytes.HasPrefix(head, pdfMagic) && http.DetectContentType(head) == "application/pdf"
}

// headBuffer keeps the first 512 bytes written to it: what content
// sniffing reads.
type headBuffer struct{ bytes.Buffer }

func (h *headBuffer) Write(p []byte) (int, error) {
	if room := 512 - h.Len(); room > 0 {
		h.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// Stored is a file of the store as List finds it.
type Stored struct {
	Hash    string
	Size    int64
	ModTime time.Time
}

// List returns the stored files, by hash; a folder that does not exist
// yet holds none. Names that are not a stored file's (temporary files of
// an upload in progress, anything else) are left out.
func (s *Store) List() ([]Stored, error) {
	entries, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Stored
	for _, e := range entries {
		hash, ok := strings.CutSuffix(e.Name(), ".pdf")
		if !ok || !ValidHash(hash) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, Stored{Hash: hash, Size: info.Size(), ModTime: info.ModTime()})
	}
	return out, nil
}

// Remove deletes a stored file; one already gone is no error.
func (s *Store) Remove(hash string) error {
	if !ValidHash(hash) {
		return fmt.Errorf("file store: %q is not a file's hash", hash)
	}
	if err := os.Remove(s.path(hash)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
