package importer

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/pageformat"
)

// knownSources are the titles the framework's pages already cite: the
// stored sources, and what the pages read earlier in this run cite
// without doubt. A source line that reads two ways is read the way that
// cites more of them.
type knownSources map[string]bool

func storedSources(ctx context.Context, r vigie.Reader) (knownSources, error) {
	srcs, err := r.Sources(ctx)
	if err != nil {
		return nil, err
	}
	known := knownSources{}
	for _, s := range srcs {
		known[vigie.Fold(s.Title)] = true
	}
	return known, nil
}

// score counts the citations of a reading that other pages cite.
func (k knownSources) score(cites []vigie.Citation) int {
	n := 0
	for _, c := range cites {
		if k[vigie.Fold(c.Source.Title)] {
			n++
		}
	}
	return n
}

// chooseReadings settles the block's ambiguous source lines: each takes
// the reading that cites more known sources, the parser's first on a tie.
// Every citation read from such a line is flagged for a person to check,
// and a note says how the line was read. The block's other citations
// become known to the pages read after it.
func (p *page) chooseReadings(b pageformat.IndicatorBlock, known knownSources) ([]vigie.Citation, []vigie.CitationFlag, []string) {
	cites := slices.Clone(b.Sources)
	var flags []vigie.CitationFlag
	var notes []string
	unsure := map[int]bool{}
	// From the last line to the first, so that the spans of the lines
	// before stay where they are when a reading has a different length.
	for i := len(b.Unsure) - 1; i >= 0; i-- {
		u := b.Unsure[i]
		for k := u.First; k < u.First+u.Count; k++ {
			unsure[k] = true
		}
		best := 0
		for r := 1; r < len(u.Readings); r++ {
			if known.score(u.Readings[r]) > known.score(u.Readings[best]) {
				best = r
			}
		}
		chosen := u.Readings[best]
		cites = slices.Concat(cites[:u.First], chosen, cites[u.First+u.Count:])
		why := "the first reading"
		if best > 0 {
			why = "the reading that other pages' sources agree with"
		}
		var others []string
		for r, reading := range u.Readings {
			if r != best {
				others = append(others, "«"+describeReading(reading)+"»")
			}
		}
		also := ""
		if len(others) > 0 {
			also = "; it also reads as " + strings.Join(others, " or ")
		}
		origin := shorten(fmt.Sprintf("%s:%d", base(p.file), u.Line), 200)
		// One note, shared by every citation of the line; a hostile line
		// of thousands of titles must not make thousands of long notes.
		note := shorten(fmt.Sprintf("%s; read as «%s» (%s)%s", u.Doubt, describeReading(chosen), why, also), 1000)
		var lineFlags []vigie.CitationFlag
		for _, c := range chosen {
			lineFlags = append(lineFlags, vigie.CitationFlag{Title: shorten(c.Source.Title, 500), Year: c.Source.Year, Note: note, Origin: origin})
		}
		flags = append(lineFlags, flags...)
		notes = append([]string{fmt.Sprintf("%s: %s: source line reads more than one way: %s; marked \"needs a look\"", origin, b.Key, note)}, notes...)
	}
	for k, c := range b.Sources {
		if !unsure[k] {
			known[vigie.Fold(c.Source.Title)] = true
		}
	}
	return cites, flags, notes
}

// shorten cuts s to at most n runes, marking the cut: a flag points a
// person at a citation, it is not the record itself.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// describeReading writes a reading for a person: each source with its
// year, "Penal Code (no year); Children Act (2001, status as of 2016)".
func describeReading(cites []vigie.Citation) string {
	parts := make([]string, len(cites))
	for i, c := range cites {
		when := "no year"
		if c.Source.Year != 0 {
			when = fmt.Sprint(c.Source.Year)
		}
		if c.Source.StatusAsOf != 0 {
			when += fmt.Sprintf(", status as of %d", c.Source.StatusAsOf)
		}
		parts[i] = fmt.Sprintf("%s (%s)", c.Source.Title, when)
	}
	return strings.Join(parts, "; ")
}
