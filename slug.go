package vigie

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and strips accents, so that "Côte" and "cote" compare
// equal. Slugify goes further and drops punctuation too.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.ToLower(folded)
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
