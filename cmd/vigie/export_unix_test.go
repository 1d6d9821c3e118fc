//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// An export to a path that is not a regular file (a pipe here; /dev/null
// in a measurement) is written through it: a rename would have put a
// regular file in the device's place, as once happened to /dev/null.
// A symbolic link is followed, and stays a link.
func TestExportWritesThroughAPipeAndALink(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.db")
	if code, out, stderr := runCLI(t, "import", "--db", src, maliPage); code != 0 {
		t.Fatalf("seed: %s%s", out, stderr)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	read := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			read <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		read <- b
	}()
	if code, stdout, stderr := runCLI(t, "export", "--db", src, "--format", "json", "-o", fifo); code != 0 {
		t.Fatalf("export to a pipe: exit %d\n%s%s", code, stdout, stderr)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe is now %v (%v)", fi.Mode(), err) // its reader waits for ever
	}
	if got := <-read; !bytes.Contains(got, []byte(`"countries"`)) {
		t.Errorf("the pipe carried %d bytes: %.80q", len(got), got)
	}

	target := filepath.Join(dir, "real.json")
	link := filepath.Join(dir, "latest.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, "export", "--db", src, "-o", link); code != 0 {
		t.Fatalf("export to a link: exit %d\n%s%s", code, stdout, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is now %v (%v)", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); !strings.Contains(string(b), `"countries"`) {
		t.Errorf("the link's target holds %.80q", b)
	}
}
