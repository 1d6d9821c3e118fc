package pageformat

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that every error
// points at a line of the input.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"mali.txt", "gambia.txt", "gambia.html"} {
		data := readFixture(f, name)
		f.Add(name == "gambia.html", data)
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
