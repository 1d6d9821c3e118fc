package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
)

// Limits bound what reading a file may expand to, so that a small hostile
// file — a ZIP bomb, a workbook whose cells all point at one long shared
// text, millions of empty rows — is refused with a message naming the
// file and the limit, instead of taking the machine's memory. They are
// far above Vigie's real data: the benchmark's 22,410 revisions (249
// countries × 9 indicators × 10 revisions) are about 70,000 rows and
// 620,000 cells, 20 MB of CSV or a 44 MB workbook once unpacked.
type Limits struct {
	Files      int   // entries in one ZIP archive (a data package or a workbook)
	FileBytes  int64 // bytes of one file once uncompressed
	TotalBytes int64 // bytes of all the files of one archive or package once uncompressed
	Rows       int   // rows of all tables together, blank ones included
	Cells      int   // cells of all tables together
	// SharedTexts bounds the entries of a workbook's table of shared
	// texts, which its reader holds in memory whole.
	SharedTexts int
	TextBytes   int64 // bytes of text in all cells together, a shared text counted in each cell
}

// DefaultLimits are the limits Read and its relatives apply.
var DefaultLimits = Limits{
	Files:       1000,
	FileBytes:   256 << 20,
	TotalBytes:  512 << 20,
	Rows:        1_000_000,
	Cells:       10_000_000,
	SharedTexts: 1_000_000,
	TextBytes:   256 << 20,
}

// descriptorBytes caps datapackage.json, which Vigie writes at about
// 35 KB: it is decoded whole.
const descriptorBytes = 4 << 20

// budget counts what one read has expanded to so far.
type budget struct {
	Limits
	bytes, text int64
	rows, cells int
}

func newBudget() *budget { return &budget{Limits: DefaultLimits} }

// tooBig is the problem of a file past a limit; what says which, as
// "more than 256 MiB once uncompressed".
func tooBig(file, what string) Problems {
	return Problems{{At: file, Msg: what + ": Vigie's import stops there (the limit is far above real data: is the file damaged, or built to exhaust memory?)"}}
}

func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkArchive refuses an archive with too many entries or whose
// entries say they expand past the limits. archive/zip enforces the
// sizes the entries declare when they are read, so declared sizes are
// the ones that count.
func (b *budget) checkArchive(name string, zr *zip.Reader) Problems {
	if len(zr.File) > b.Files {
		return tooBig(name, fmt.Sprintf("more than %d files in the archive", b.Files))
	}
	var total uint64
	for _, f := range zr.File {
		if f.UncompressedSize64 > uint64(b.FileBytes) {
			return tooBig(name+": "+f.Name, "more than "+size(b.FileBytes)+" once uncompressed")
		}
		total += f.UncompressedSize64
	}
	if total > uint64(b.TotalBytes) {
		return tooBig(name, "more than "+size(b.TotalBytes)+" once uncompressed, all files together")
	}
	return nil
}

// readFile reads a file of fsys within the limits: max bytes for this
// file (FileBytes when 0) and what remains of TotalBytes. It reads at
// most one byte past a limit, whatever the file says its size is. A file
// past a limit is Problems at where; other errors are the file system's.
func (b *budget) readFile(fsys fs.FS, name, where string, max int64) ([]byte, error) {
	if max == 0 {
		max = b.FileBytes
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	left := b.TotalBytes - b.bytes
	limit, total := max, false
	if left < limit {
		limit, total = left, true
	}
	// Read into a buffer of the size the file states, when it is within
	// the limit, rather than let io.ReadAll double its way up to it.
	buf := bytes.NewBuffer(nil)
	if info, err := f.Stat(); err == nil && info.Size() >= 0 && info.Size() <= limit {
		buf.Grow(int(info.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		if total {
			return nil, tooBig(where, "more than "+size(b.TotalBytes)+" once uncompressed, all files together")
		}
		return nil, tooBig(where, "more than "+size(max))
	}
	b.bytes += int64(len(data))
	return data, nil
}

// addRow counts a row of n cells holding text bytes; it returns a
// problem at where when a limit is passed.
func (b *budget) addRow(where string, n int, text int64) Problems {
	b.rows++
	b.cells += n
	b.text += text
	switch {
	case b.rows > b.Rows:
		return tooBig(where, fmt.Sprintf("more than %d rows in all tables together", b.Rows))
	case b.cells > b.Cells:
		return tooBig(where, fmt.Sprintf("more than %d cells in all tables together", b.Cells))
	case b.text > b.TextBytes:
		return tooBig(where, "more than "+size(b.TextBytes)+" of text in all cells together")
	}
	return nil
}
