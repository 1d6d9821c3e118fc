package vigie

import (
	"strings"
	"unicode"

	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and strips accents, so that "Côte" and "cote" compare
// equal. Slugify goes further and drops punctuation too.
func Fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			// Decompose, drop the combining marks, recompose.
			bare := strings.Map(func(r rune) rune {
				if unicode.Is(unicode.Mn, r) {
					return -1
				}
				return r
			}, norm.NFD.String(s))
			return strings.ToLower(norm.NFC.String(bare))
		}
	}
	return strings.ToLower(s) // ASCII: nothing to strip
}

// Slugify turns a name into a URL path segment: "Côte d'Ivoire" becomes
// "cote-divoire", "Bosnia & Herzegovina" becomes "bosnia-herzegovina".
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(s) {
		switch {
		case r == '\'' || r == '’' || r == '‘':
			// "d'Ivoire" reads as one word
		case unicode.IsLetter(r) && r < unicode.MaxASCII, unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}
