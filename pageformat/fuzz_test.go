package pageformat

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input makes Parse panic, and that every error
// points at a line of the input.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"mali.txt", "gambia.txt", "gambia.html", "ghana.txt", "senegal_fr.txt", "costarica_es.txt", "kenya_current.txt", "kenya_current.html", "kenya_markup.html"} {
		data := readFixture(f, name)
		f.Add(strings.HasSuffix(name, ".html"), data)
		f.Add(false, data[:len(data)/2])
	}
	for _, junk := range []string{
		"", "\x00", "\xef\xbb\xbf", "\x89PNG\r\n\x1a\n", "\xff\xfe<\x00h\x00",
		"<html><body><p>News from X</p><p>Age of Consent</p><p>Yes</p>",
		"Story Read the story\n\nA (AB)\nPhone: +223 77 08 40 23\nYear: 2017\nNews from Y\nAge of Consent\n16 years\nCode, Act, 2001, 2002 (status as of 2003)",
		"News from Mali\nAge of Consent\nYes\nAge of Consent\nFoo\nNot Yet Assessed\nArticles 1 and 2 of the Code, 2001",
		"<p>a<br><br><pre>\n\n</pre><nav><footer></nav><script>x</script></p>",
		"\r\r\n\r",
	} {
		f.Add(false, []byte(junk))
		f.Add(true, []byte(junk))
	}
	v := vocabulary()
	f.Fuzz(func(t *testing.T, isHTML bool, data []byte) {
		name := "page.txt"
		if isHTML {
			name = "page.html"
		}
		pg, err := Parse(name, data, v)
		if err == nil {
			if pg == nil {
				t.Fatal("no page and no error")
			}
			return
		}
		if pg != nil {
			t.Error("a page came back with an error")
		}
		maxLine := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
		check := func(e *Error) {
			if e.Line < 1 || e.Line > maxLine || e.Msg == "" || e.File != name {
				t.Errorf("bad error %#v (input has at most %d lines)", e, maxLine)
			}
		}
		var list ErrorList
		var one *Error
		switch {
		case errors.As(err, &list):
			if len(list) == 0 {
				t.Error("empty error list")
			}
			for _, e := range list {
				check(e)
			}
		case errors.As(err, &one):
			check(one)
		default:
			t.Errorf("error %T is neither *Error nor ErrorList: %v", err, err)
		}
	})
}

// FuzzSourceLine checks the source-line parser alone: whatever citations
// it reads, written back in the reference form and read again, are the
// same citations. A title with a stray parenthesis is left out of the
// comparison: joined to others it may pair with their parentheses, which
// is why the importer marks such a citation for a person to check.
func FuzzSourceLine(f *testing.F) {
	for _, line := range []string{
		"Code of Criminal Procedure of Mali, Penal Code of Mali, Law nº 2012-023 on Trafficking in Persons, 2001 (status as of 2021), 2001 (status as of 2016), 2012",
		"Tourism Offences Act, 2003 (status as of 2020), Children's Act, 2005 (status as of 2016)",
		"Analysis of country legislation on age of sexual consent, 2024",
		"Criminal Code (Strafgesetzbuch StGB), 2021",
		"Code of Criminal Procedure (Law No. 65-61 of 21 July 1965, as amended), 1965 (status as of 2020)",
		"Penal Code, 2001; Children's Act, 2005 and Family Code, n.d.",
		"Code pénal, 1961 (état au 2021); Código Penal, 2012 (vigente a 2021)",
		"Penal Code, Children Act, 2001",
		"Report on Schools, Hotels and Transport, 2019; Act, 2001, and Rules, 2002",
		"Sources: A (b, c, 2001; d), 2002",
		"x, 2001 and , 2002 et y s.f.",
	} {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) || strings.ContainsAny(line, "\n\r") {
			return
		}
		first, msg := readSources(line)
		if msg != "" {
			return
		}
		for _, c := range first.cites {
			if unmatchedParen(c.Source.Title) {
				return
			}
			if err := c.Source.Validate(); err != nil {
				t.Fatalf("%q: citation %+v does not validate: %v", line, c.Source, err)
			}
		}
		written := FormatSources(first.cites)
		again, msg := readSources(written)
		if msg != "" {
			t.Fatalf("%q read as %+v, written back as %q, which does not read: %s", line, first.cites, written, msg)
		}
		if !reflect.DeepEqual(again.cites, first.cites) {
			t.Fatalf("%q read as\n%+v\nwritten back as %q, read again as\n%+v", line, first.cites, written, again.cites)
		}
		if !isSourceLine(written) {
			t.Fatalf("%q written back as %q, which is not taken for a source line", line, written)
		}
	})
}
