package postgres

import (
	"strings"
	"testing"

	vigie "github.com/vigie-network/vigie"
)

func render(parts []vigie.SnippetPart) string {
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

func TestSnippet(t *testing.T) {
	for _, tt := range []struct {
		text  string
		terms []string
		n     int
		want  string
	}{
		{"La loi prévoit l’extradition des auteurs.", []string{"extrad", "prevoit"}, 32,
			"La loi [prévoit] l’[extradition] des auteurs."},
		{"No match here.", []string{"xylophone"}, 32, "No match here."},
		{"", []string{"x"}, 32, ""},
		// The window with both terms wins over the one with the first twice.
		{"alpha alpha one two three four five alpha beta six seven", []string{"alpha", "beta"}, 3,
			"…five [alpha] [beta]…"},
		{"one two three four", []string{"four"}, 2, "…three [four]"},
		{"Côte d’Ivoire", []string{"cote"}, 32, "[Côte] d’Ivoire"},
	} {
		if got := render(snippet(tt.text, tt.terms, tt.n)); got != tt.want {
			t.Errorf("snippet(%q, %q) = %q, want %q", tt.text, tt.terms, got, tt.want)
		}
	}
}

func TestVector(t *testing.T) {
	d := searchDoc{title: "Côte d’Ivoire", body: "Le code, le CODE.", extra: "Ivoire"}
	got := strings.Fields(d.vector())
	want := map[string]bool{"'cote':1A": true, "'d':2A": true, "'ivoire':3A,8B": true, "'le':4,6": true, "'code':5,7": true}
	if len(got) != len(want) {
		t.Fatalf("vector = %q", got)
	}
	for _, lex := range got {
		if !want[lex] {
			t.Errorf("unexpected %q in %q", lex, got)
		}
	}
	if q := quoteLexeme(`it's\`); q != `'it''s\\'` {
		t.Errorf("quoteLexeme = %s", q)
	}
}
