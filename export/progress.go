package export

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// Progress draws a progress bar for long imports and exports on a
// terminal: one line redrawn in place with "\r", rows done of the total
// and the rate. A nil *Progress draws nothing, so code reports progress
// without asking where output goes; NewProgress returns nil when w is not
// a terminal, so that piped and logged output stays clean.
type Progress struct {
	w           io.Writer
	label       string
	total, done int
	start, last time.Time
	now         func() time.Time
	drawn       bool
}

// NewProgress returns a progress bar on w when w is a terminal, and nil
// otherwise.
func NewProgress(w io.Writer) *Progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &Progress{w: w, now: time.Now}
}

// redrawEvery keeps redrawing from costing more than the work it shows.
const redrawEvery = 100 * time.Millisecond

// Start begins a step of total rows (0 when unknown).
func (p *Progress) Start(label string, total int) {
	if p == nil {
		return
	}
	p.Finish()
	p.label, p.total, p.done = label, total, 0
	p.start = p.now()
	p.last = time.Time{}
	p.draw()
}

// Add records n more rows done.
func (p *Progress) Add(n int) {
	if p == nil {
		return
	}
	p.done += n
	if t := p.now(); t.Sub(p.last) >= redrawEvery {
		p.draw()
	}
}

// Finish draws the final state of the step and ends its line.
func (p *Progress) Finish() {
	if p == nil || !p.drawn {
		return
	}
	p.draw()
	fmt.Fprintln(p.w)
	p.drawn = false
}

func (p *Progress) draw() {
	now := p.now()
	p.last = now
	p.drawn = true
	rate := ""
	if secs := now.Sub(p.start).Seconds(); secs > 0 {
		rate = fmt.Sprintf("  %.0f rows/s", float64(p.done)/secs)
	}
	if p.total <= 0 {
		fmt.Fprintf(p.w, "\r%-9s %d rows%s\x1b[K", p.label, p.done, rate)
		return
	}
	const width = 30
	done := min(p.done, p.total)
	filled := width * done / p.total
	fmt.Fprintf(p.w, "\r%-9s [%s%s] %d/%d rows%s\x1b[K", p.label, strings.Repeat("=", filled),
		strings.Repeat(" ", width-filled), done, p.total, rate)
}
