package vigie

import (
	"strings"
	"testing"
)

func TestTextChecks(t *testing.T) {
	tests := []struct {
		name, text string
		limit      int
		field      string // "" when the text is fine
	}{
		{"plain", "Loi nº 2012-023 du 12 juin 2012 — état au 2021", 100, ""},
		{"tab in a line", "a\tb", 100, ""},
		{"lines", "first\r\nsecond\n", 100, ""},
		{"line breaks", "a\nb", 100, ""},
		{"invalid UTF-8", "caf\xe9", 100, "f"},
		{"NUL", "a\x00b", 100, "f"},
		{"escape", "\x1b[31m", 100, "f"},
		{"DEL", "a\x7fb", 100, "f"},
		{"C1", "a\u0085b", 100, "f"},
		{"limit in characters, not bytes", strings.Repeat("é", 100), 100, ""},
		{"past the limit", strings.Repeat("é", 101), 100, "f"},
		{"right-to-left and emoji are text", "قانون 😀", 100, ""},
	}
	for _, tt := range tests {
		err := checkLines("f", tt.text, tt.limit)
		if tt.field == "" && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if tt.field != "" {
			if e, ok := err.(*Error); !ok || e.Field != tt.field || e.Code != EINVALID {
				t.Errorf("%s: %v, want an invalid %q", tt.name, err, tt.field)
			}
		}
	}
}

func TestCheckLink(t *testing.T) {
	good := []string{"", "https://www.ecpat.org/wp-content/uploads/2021/05/Checklist-Mali.pdf",
		"http://example.org", "HTTPS://EXAMPLE.ORG/a?b=c#d", "mailto:legal@example.org", "https://example.org/Rapport Mali 2021.pdf"}
	bad := []string{"javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
		"vbscript:x", "//evil.example/x", "/relative", "https://", "https:///path", "https://exa mple.org", "https://example.org/\ta",
		"https://example.org/\x00", "https://example.org/\xff", "file:///etc/passwd", "mailto:", "ftp://example.org",
		"https://example.org/" + strings.Repeat("a", MaxLineChars)}
	for _, s := range good {
		if err := CheckLink("link", s); err != nil {
			t.Errorf("%q refused: %v", s, err)
		}
	}
	for _, s := range bad {
		if err := CheckLink("link", s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}

func TestCapsApplyToNewWritingOnly(t *testing.T) {
	long := Assessment{Country: "ML", Indicator: "age-of-consent", Rating: RatingYes,
		Explanation: strings.Repeat("x", MaxExplanationChars+1)}
	ind := Indicator{Key: "age-of-consent", Name: "Age", ValueKind: ValueYears}
	if err := long.Validate(ind, DefaultRatings()); err != nil {
		t.Errorf("a long stored explanation no longer validates: %v", err)
	}
	if err := long.CheckLength(); err == nil {
		t.Error("an explanation past the cap was accepted for writing")
	}
	n := NewsItem{Slug: "s", Title: "T", Body: strings.Repeat("x", MaxNewsBodyChars+1)}
	if n.Validate() != nil || n.CheckLength() == nil {
		t.Error("the news body cap is not for new writing only")
	}
}
