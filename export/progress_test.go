package export

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgressDrawsOnATerminal(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &Progress{w: &buf, now: func() time.Time { return clock }}
	p.Start("writing", 1000)
	for range 10 {
		clock = clock.Add(50 * time.Millisecond)
		p.Add(100)
	}
	p.Finish()
	out := buf.String()
	if !strings.HasPrefix(out, "\rwriting") || !strings.HasSuffix(out, "\n") {
		t.Errorf("output %q: want redraws with \\r and a final line break", out)
	}
	if n := strings.Count(out, "\r"); n < 3 || n > 8 {
		t.Errorf("%d redraws for 10 updates 50 ms apart, want one per 100 ms", n)
	}
	last := out[strings.LastIndex(out, "\r"):]
	if !strings.Contains(last, "[==============================] 1000/1000 rows  2000 rows/s") {
		t.Errorf("last state %q", last)
	}
}

func TestProgressIsQuietWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	if p := NewProgress(&buf); p != nil {
		t.Fatal("a progress bar on a buffer")
	}
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if p := NewProgress(f); p != nil {
		t.Fatal("a progress bar on a file")
	}
	var p *Progress // what NewProgress gives when piped: every call is a no-op
	p.Start("x", 10)
	p.Add(5)
	p.Finish()
	ds := &Dataset{Meta: Meta{Version: FormatVersion, Scope: ScopeFull}}
	if err := WriteJSON(&buf, ds, NewProgress(&buf)); err != nil || strings.Contains(buf.String(), "\r") {
		t.Errorf("progress leaked into piped output: %q, %v", buf.String(), err)
	}
}
