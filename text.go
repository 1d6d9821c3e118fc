package vigie

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// Text limits. Every text Vigie stores is valid UTF-8 without NUL or other
// control characters (tabs and line breaks are allowed), so that both
// stores hold the same thing, pages and exports carry what was typed, a
// spreadsheet cell can hold it and the JSON export always reads back.
const (
	// MaxLineChars bounds a short field: a title, a name, a slug, a link.
	MaxLineChars = 2_000
	// MaxExplanationChars bounds what an editor or an imported page writes
	// as an assessment's explanation from now on (history keeps its
	// length): long enough for the longest real explanation, short enough
	// that a page, a diff and a spreadsheet cell stay cheap.
	MaxExplanationChars = 20_000
	// MaxNewsBodyChars bounds a news story written from now on.
	MaxNewsBodyChars = 30_000
	// maxReasonChars bounds why an editor changed something and what a
	// reviewer said.
	maxReasonChars = 5_000
	// maxTextChars bounds any longer text, stored or restored: it guards
	// the stores, the caps above guard what people write.
	maxTextChars = 1_000_000
)

// checkLine checks a short field.
func checkLine(field, s string) error { return checkLines(field, s, MaxLineChars) }

// checkLines checks a text field of at most limit characters.
func checkLines(field, s string, limit int) error {
	if !utf8.ValidString(s) {
		return FieldError(field, "is not valid UTF-8 text: save it again from a text editor")
	}
	n := 0
	for _, r := range s {
		n++
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20 || (r >= 0x7f && r < 0xa0):
			return FieldError(field, "holds the control character U+%04X at character %d", r, n)
		}
	}
	if n > limit {
		return FieldError(field, "is %d characters long; the limit is %d", n, limit)
	}
	return nil
}

// checkLineFields checks one-line fields given as name, value pairs.
func checkLineFields(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := checkLine(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

// CheckLink checks a link people will follow from pages, the API and the
// exports: an absolute http or https address with a host, or a mailto
// address. Anything else (javascript:, data:, relative paths) is refused
// here, once, rather than filtered by each output.
func CheckLink(field, s string) error {
	if s == "" {
		return nil
	}
	if err := checkLine(field, s); err != nil {
		return err
	}
	u, err := url.Parse(s)
	if err != nil {
		return FieldError(field, "%q is not a web address: write it as https://…", s)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" || u.Hostname() == "" {
			return FieldError(field, "%q is not a web address: write it as https://…", s)
		}
	case "mailto":
		if u.Opaque == "" {
			return FieldError(field, "%q is not a web address: write it as https://…", s)
		}
	default:
		return FieldError(field, "%q is not a web address: write it as https://…", s)
	}
	return nil
}

// Holdable reports whether s can be a key both stores hold (valid UTF-8
// without NUL). Keys that are not cannot name a stored record: readers
// answer ENOTFOUND rather than ask the database.
func Holdable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
