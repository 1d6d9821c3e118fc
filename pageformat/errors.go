package pageformat

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Error is a problem at one line of a page. Line counts from 1 in the file
// as given: for saved HTML it is the line of the HTML source where the text
// at fault begins, so that an editor can jump straight to it.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "<input>"
	}
	return fmt.Sprintf("%s:%d: %s", file, e.Line, e.Msg)
}

// ErrorList is several problems found in one pass, in line order, so that
// an editor can fix a page in one go rather than one error per run.
type ErrorList []*Error

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap lets errors.As find the individual *Error values.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// errorf records a problem and lets parsing go on.
func (p *parser) errorf(line int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// result returns nil, the one error, or all of them in line order.
func (p *parser) result() error {
	switch len(p.errs) {
	case 0:
		return nil
	case 1:
		return p.errs[0]
	}
	sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Line < p.errs[j].Line })
	return p.errs
}

// quote shows a piece of the page in a message, shortened so that a whole
// paragraph does not flood the terminal.
func quote(s string) string {
	const max = 70
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
