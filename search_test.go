package vigie

import (
	"slices"
	"strings"
	"testing"
)

func TestSearchTerms(t *testing.T) {
	for text, want := range map[string][]string{
		"":                        nil,
		"   !!! … — ()":           nil,
		`"extrad"* OR NEAR(a b)`:  {"extrad", "or", "near"},
		"Côte d’Ivoire":           {"cote", "ivoire"},
		"EXTRADITION extradition": {"extradition"},
		"Law nº 2012-023":         {"law", "nº", "2012", "023"},
		"a b 7":                   {"7"},
		"title:child -abuse ^x":   {"title", "child", "abuse"},
		"e\u0301le\u0300ve":       {"eleve"}, // decomposed accents
		"Пенитенциарный кодекс":     {"пенитенциарныи", "кодекс"},
		strings.Repeat("word ", 30): {"word"},
	} {
		if got := SearchTerms(text); !slices.Equal(got, want) {
			t.Errorf("SearchTerms(%q) = %q, want %q", text, got, want)
		}
	}
	many := SearchTerms(strings.Repeat("ab ", 1) + "cd ef gh ij kl mn op qr st uv wx yz za zb zc")
	if len(many) != MaxSearchTerms {
		t.Errorf("%d terms kept, want %d", len(many), MaxSearchTerms)
	}
	long := SearchTerms(strings.Repeat("é", 100))
	if len(long) != 1 || len(long[0]) > 64 {
		t.Errorf("a long word: %q", long)
	}
}

func TestSearchText(t *testing.T) {
	for md, want := range map[string]string{
		"Courts may try **citizens** for _offences_ abroad.":                "Courts may try citizens for offences abroad.",
		"# Heading\n\n- one\n- two\n\n1. first":                             "Heading\n\none\ntwo\n\nfirst",
		"See [the law](https://example.org/x) and <https://example.org/y>.": "See the law and https://example.org/y.",
		"<script>alert(1)</script> text &amp; more":                         "alert(1) text & more",
		"a\x01b\x02c snake_case `code`":                                     "a b c snake_case code",
		"> quoted\n\n\n\n\nfar":                                             "quoted\n\nfar",
	} {
		if got := SearchText(md); got != want {
			t.Errorf("SearchText(%q) = %q, want %q", md, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	join := func(parts []SnippetPart) string {
		var b strings.Builder
		for _, p := range parts {
			if p.Match {
				b.WriteString("[" + p.Text + "]")
			} else {
				b.WriteString(p.Text)
			}
		}
		return b.String()
	}
	long := strings.Repeat("filler words here. ", 20)
	for _, tt := range []struct {
		text  string
		terms []string
		n     int
		want  string
	}{
		{"La loi prévoit l’extradition des auteurs.", []string{"extrad", "prevoit"}, 30, "La loi [prévoit] l’[extradition] des auteurs."},
		{"Short text, no match.", []string{"zzz"}, 30, "Short text, no match."},
		{long + "Extradition is unclear; extradition\n\nneeds double criminality. " + long, []string{"extradition", "criminality"}, 8,
			"… here. [Extradition] is unclear; [extradition] needs double [criminality]. …"},
		{long + "Extradition is unclear.", []string{"extradition"}, 6, "… filler words here. [Extradition] is unclear."},
		{"one two three four five six seven eight", []string{"four"}, 4, "… three [four] five six …"},
		{"one two three four five six", []string{"six"}, 3, "… four five [six]"},
		{"", []string{"x"}, 10, ""},
		{"!!!", []string{"x"}, 10, ""},
	} {
		if got := join(Snippet(tt.text, tt.terms, tt.n)); got != tt.want {
			t.Errorf("Snippet(%.40q, %q) = %q, want %q", tt.text, tt.terms, got, tt.want)
		}
	}
}
