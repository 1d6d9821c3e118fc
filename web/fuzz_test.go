package web

import (
	"flag"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzing reports whether the test runs under -fuzz: only then are the
// time budgets checked, since a unit test must not depend on the clock.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// FuzzMarkdown renders untrusted text as an editor's preview does: it must
// never panic, never let markup through unescaped when shown plain, and,
// when fuzzing, stay within its time budget, also on the input repeated
// up to the size that is rendered without a work slot.
func FuzzMarkdown(f *testing.F) {
	for _, seed := range []string{
		"Art. 16 of the *Penal Code*.\n\n> quoted\n> > twice",
		strings.Repeat("> ", 40) + "deep",
		strings.Repeat("  ", 30) + "- deep item",
		"[a](", "[[[[a]]]]", "*a **b* c**", "| a | b |\n|---|---|\n| 1 | 2 |",
		"<script>alert(1)</script>", "[x](javascript:alert(1))", "\x00\xff\xfe",
		"1. one\n   2) two\n      - three",
	} {
		f.Add(seed)
	}
	m := newMarkdown(4)
	f.Fuzz(func(t *testing.T, src string) {
		for _, text := range []string{src, repeatTo(src, cheapMarkdownBytes)} {
			start := time.Now()
			h, plain := m.Render(text)
			m.FirstSentence(text)
			if took := time.Since(start); fuzzing() && took > markdownBudget+time.Second {
				t.Errorf("%d bytes took %v", len(text), took)
			}
			if strings.Contains(strings.ToLower(string(h)), "<script") {
				t.Errorf("a script went through: %.200q", h)
			}
			if plain && utf8.ValidString(text) && strings.Contains(string(h), "<em>") {
				t.Errorf("plain text with markup: %.200q", h)
			}
		}
	})
}

// FuzzWordDiff compares any two texts: the diff never panics, keeping its
// deletions gives the old text and its insertions the new one, whether
// compared or shown replaced, it is never longer than both texts, and,
// when fuzzing, it stays within its time budget.
func FuzzWordDiff(f *testing.F) {
	f.Add("The age of consent is 16 years.", "The age of consent is 18 years.")
	f.Add("Art. 16, 17", "Art. 16, 17 and 18\r\n")
	f.Add("", "A first text.")
	f.Add("\xff\x00 a", "a \xfe")
	f.Fuzz(func(t *testing.T, a, b string) {
		for _, pair := range [][2]string{{a, b}, {repeatTo(a, 1024), repeatTo(b, 1024)}} {
			start := time.Now()
			d := wordDiff(pair[0], pair[1], time.Time{})
			if took := time.Since(start); fuzzing() && took > 3*diffBudget+time.Second {
				t.Errorf("%d and %d bytes took %v", len(pair[0]), len(pair[1]), took)
			}
			old, new := sides(d.Spans)
			if old != normaliseNewlines(pair[0]) || new != normaliseNewlines(pair[1]) {
				t.Fatalf("%q → %q rebuilt as %q → %q (replaced %q)", pair[0], pair[1], old, new, d.Replaced)
			}
			if n := len(old) + len(new); n > len(pair[0])+len(pair[1]) {
				t.Errorf("the diff holds %d bytes for texts of %d", n, len(pair[0])+len(pair[1]))
			}
		}
	})
}

// repeatTo repeats s up to about n bytes, so that a pattern the fuzzer
// finds is also tried at the size where a slow algorithm shows.
func repeatTo(s string, n int) string {
	if s == "" {
		return s
	}
	return strings.Repeat(s, max(1, n/len(s)))
}
