package web

import (
	"strings"
	"testing"
)

func TestFirstSentence(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"One sentence without a stop", "One sentence without a stop"},
		{"First one. Second one.", "First one."},
		{"Is it? Yes.", "Is it?"},
		{"Really! Yes.", "Really!"},
		{"Under Art. 22 of the Code, courts act. Then more.", "Under Art. 22 of the Code, courts act."},
		{"Under Art. 22 the courts act. Then more.", "Under Art. 22 the courts act."},
		{"See Arts. 16 and 17. Then more.", "See Arts. 16 and 17."},
		{"Law nº 2012-023 applies. Then more.", "Law nº 2012-023 applies."},
		{"Law No. 12 applies. Then more.", "Law No. 12 applies."},
		{"Some offences, e.g. Trafficking, are covered. Others are not.", "Some offences, e.g. Trafficking, are covered."},
		{"Some offences (i.e. Those punished as crimes) qualify. Others not.", "Some offences (i.e. Those punished as crimes) qualify."},
		{"The U.S. Code applies abroad. Then more.", "The U.S. Code applies abroad."},
		{"Signed by J. Smith in 2010. Then more.", "Signed by J. Smith in 2010."},
		{"Prevention, protection, etc. are covered. Then more.", "Prevention, protection, etc. are covered."},
		{"It ends here.\nThe next line starts anew.", "It ends here."},
		{`He said "stop." Then left.`, `He said "stop."`},
		{"It was (mostly) done. Next.", "It was (mostly) done."},
		{"Version 2.5 was adopted. Next.", "Version 2.5 was adopted."},
		{"Ends with a stop.", "Ends with a stop."},
		{"  spaced   out.  ", "spaced out."},
		{"Quoted next. “Another” one.", "Quoted next."},
	} {
		if got := firstSentence(tc.in); got != tc.want {
			t.Errorf("firstSentence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFirstSentenceIsBounded(t *testing.T) {
	long := strings.Repeat("word ", 200) + "end."
	got := firstSentence(long)
	if n := len([]rune(got)); n > maxSummary+1 || !strings.HasSuffix(got, "word…") {
		t.Errorf("%d runes: %q", n, got)
	}
	accented := strings.Repeat("é", 500)
	if got := firstSentence(accented); len([]rune(got)) != maxSummary+1 || !strings.HasSuffix(got, "é…") {
		t.Errorf("a long word is cut to %d runes", len([]rune(got)))
	}
}

func TestMarkdownFirstSentence(t *testing.T) {
	m := newMarkdown(4)
	for _, tc := range []struct{ in, want string }{
		{"**Bold** start, see [Art. 22](https://example.org). More.", "Bold start, see Art. 22."},
		{"# Heading\n\nThe text. More.", "Heading"},
		{"<script>alert(1)</script>\n\nReal text. More.", "Real text."},
		{"Line one\nline two. More.", "Line one line two."},
		{"Fish &amp; chips \\*here\\*. More.", "Fish & chips *here*."},
		{"- item one. More.\n- item two", "item one."},
		{"`code` span. More.", "code span."},
		{"", ""},
	} {
		if got := m.FirstSentence(tc.in); got != tc.want {
			t.Errorf("FirstSentence(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestMarkdownHTML(t *testing.T) {
	m := newMarkdown(4)
	got := string(m.HTML("One\ntwo\n\n# Title\n\n[x](javascript:alert(1)) <b onclick=x>b</b>"))
	for _, want := range []string{"One<br>", "<h4>Title</h4>"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in %s", want, got)
		}
	}
	for _, bad := range []string{"javascript", "onclick", "<h1"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q in %s", bad, got)
		}
	}
	if m.HTML("  ") != "" {
		t.Error("blank Markdown renders something")
	}
}

func TestMemo(t *testing.T) {
	calls := 0
	upper := func(s string) string { calls++; return strings.ToUpper(s) }
	c := newMemo[string](2)
	for _, in := range []string{"a", "a", "b", "a", "c", "c", "a"} {
		if got := c.get(in, upper); got != strings.ToUpper(in) {
			t.Fatalf("get(%q) = %q", in, got)
		}
	}
	// a, b computed; "c" fills the memo past 2 and clears it; "a" again.
	if calls != 4 {
		t.Errorf("%d calls, want 4", calls)
	}
	if len(c.m) > 2 {
		t.Errorf("memo holds %d entries, bound is 2", len(c.m))
	}
}

// Nested quotes made goldmark take 27 s on 400 KB; past the bounds a text
// is shown as plain text, escaped, and Render says so.
func TestMarkdownPastItsBoundsIsPlainText(t *testing.T) {
	m := newMarkdown(4)
	for name, src := range map[string]string{
		"deep quotes": strings.Repeat("> ", maxMarkdownNesting+1) + "<b>quoted</b>\n",
		"deep lists":  strings.Repeat("  ", maxMarkdownNesting+1) + "- <b>item</b>\n",
		"too long":    strings.Repeat("*word* <b>x</b>\n", maxMarkdownBytes/16+1),
	} {
		h, plain := m.Render(src)
		if !plain || strings.Contains(string(h), "<b>") || strings.Contains(string(h), "<em>") || !strings.Contains(string(h), "&lt;b&gt;") {
			t.Errorf("%s: plain %v, %.80q", name, plain, h)
		}
		if s := m.FirstSentence(src); s == "" {
			t.Errorf("%s: no summary", name)
		}
	}
	if h, plain := m.Render("> > quoted *twice*\n"); plain || !strings.Contains(string(h), "<em>twice</em>") {
		t.Errorf("shallow quotes: plain %v, %q", plain, h)
	}
	if got := nesting("> > - 1. text"); got != 4 {
		t.Errorf("nesting = %d, want 4", got)
	}
}
