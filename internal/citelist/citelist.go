// Package citelist reads a revision's citations as both stores' history
// cursors (EachRevision) aggregate them in SQL: one after another, each as
// "<source id> <length of the articles in bytes> <articles>". The length
// makes any text safe without escaping, and reading it costs no decoder.
package citelist

import (
	"fmt"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// Parse reads the citations s lists; their sources hold only their IDs.
func Parse(s string) ([]vigie.Citation, error) {
	var out []vigie.Citation
	for s != "" {
		id, rest, ok1 := strings.Cut(s, " ")
		size, rest, ok2 := strings.Cut(rest, " ")
		source, err1 := strconv.ParseInt(id, 10, 64)
		n, err2 := strconv.Atoi(size)
		if !ok1 || !ok2 || err1 != nil || err2 != nil || n < 0 || n > len(rest) {
			return nil, fmt.Errorf("citation %d: malformed at %q", len(out)+1, s[:min(len(s), 40)])
		}
		out = append(out, vigie.Citation{Source: vigie.Source{ID: source}, Articles: rest[:n]})
		s = rest[n:]
	}
	return out, nil
}
