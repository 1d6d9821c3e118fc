package files_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/files"
)

// pdf is a small but well-formed PDF: one empty page.
const pdf = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n"

func TestSavePDF(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vigie.db-files")
	s := files.New(dir)
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("New created the folder before any upload: %v", err)
	}
	ref, err := s.SavePDF(strings.NewReader(pdf))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(pdf))
	if ref.Hash != hex.EncodeToString(sum[:]) || ref.Size != int64(len(pdf)) {
		t.Errorf("ref = %+v, want the SHA-256 and size of the content", ref)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != ref.Hash+".pdf" {
		t.Errorf("folder holds %v, want only %s.pdf", entries, ref.Hash)
	}
	f, err := s.Open(ref.Hash)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := io.ReadAll(f); string(got) != pdf {
		t.Errorf("read back %q", got)
	}

	// The same content again is the same file.
	again, err := s.SavePDF(strings.NewReader(pdf))
	if err != nil || again != ref {
		t.Errorf("second save = %+v, %v", again, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the same file stored twice, or a temporary file left: %v", entries)
	}
}

func TestSavePDFRefuses(t *testing.T) {
	s := files.New(t.TempDir())
	s.SetMaxSize(1024)
	big := pdf + strings.Repeat("x", 1024)
	cases := []struct {
		name, content, want string
	}{
		{"too big", big, "larger than"},
		{"empty", "", "empty"},
		{"html named .pdf", "<!doctype html><script>alert(1)</script>", "not a PDF"},
		{"zip", "PK\x03\x04" + strings.Repeat("\x00", 40), "not a PDF"},
		{"PDF magic later in the file", "hello\n" + pdf, "not a PDF"},
		{"executable", "\x7fELF\x02\x01\x01" + strings.Repeat("\x00", 40), "not a PDF"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.SavePDF(strings.NewReader(tc.content))
			var ve *vigie.Error
			if err == nil || !errors.As(err, &ve) || ve.Code != vigie.EINVALID || ve.Field != "file" || !strings.Contains(ve.Message, tc.want) {
				t.Errorf("err = %v, want an invalid file error containing %q", err, tc.want)
			}
		})
	}
	if entries, _ := os.ReadDir(s.Dir()); len(entries) != 0 {
		t.Errorf("refused uploads left files: %v", entries)
	}
	// Exactly the limit is accepted.
	exact := pdf + strings.Repeat("%", 1024-len(pdf))
	if _, err := s.SavePDF(strings.NewReader(exact)); err != nil {
		t.Errorf("a file of exactly the limit: %v", err)
	}
}

func TestOpenRefusesPathTricks(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "files")
	s := files.New(dir)
	if _, err := s.SavePDF(strings.NewReader(pdf)); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(root, "secret.pdf")
	os.WriteFile(secret, []byte("%PDF-secret"), 0o600)
	valid := strings.Repeat("a", 64)
	for _, name := range []string{
		"../secret", "..%2fsecret", "/etc/passwd", "", ".", "..",
		strings.Repeat("A", 64), // upper case is not how hashes are written
		valid[:63], valid + "0", valid + "/../../secret", "../" + valid[3:],
		".upload-123",
	} {
		if f, err := s.Open(name); err == nil || !vigie.IsNotFound(err) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q): err = %v, want not found", name, err)
		}
	}
	if _, err := s.Open(valid); !vigie.IsNotFound(err) {
		t.Errorf("Open(unknown hash): %v", err)
	}
}

func TestIsPDF(t *testing.T) {
	if !files.IsPDF([]byte(pdf)) {
		t.Error("a PDF is not recognised")
	}
	if files.IsPDF([]byte("%PDF")) || files.IsPDF(nil) || files.IsPDF([]byte(" %PDF-1.4")) {
		t.Error("a non-PDF is recognised")
	}
	if !bytes.HasPrefix([]byte(pdf), []byte("%PDF-")) {
		t.Fatal("fixture is not a PDF")
	}
}
