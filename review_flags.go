package vigie

import (
	"context"
	"strings"
	"time"
)

// CitationFlag marks a citation that needs a look: the importer read it
// from a source line that admits more than one reading, chose one, and
// asks a researcher to check it. Editors see the flags in the workspace's
// "needs a look" list; saving the assessment clears them, since whoever
// saves it has looked at its sources.
type CitationFlag struct {
	Country   string
	Indicator string
	Title     string    // the cited source's title, as read
	Year      int       // 0 when the line gives none
	Note      string    // what is doubtful, and how else the line reads
	Origin    string    // where it was read: "ghana.txt:81"
	CreatedAt time.Time // when the import wrote it
}

// CitationFlagFilter narrows CitationFlags; empty fields match everything.
type CitationFlagFilter struct {
	Country   string
	Indicator string
}

// Validate checks a flag before it is stored.
func (f CitationFlag) Validate() error {
	switch {
	case f.Country == "":
		return FieldError("country", "is required")
	case f.Indicator == "":
		return FieldError("indicator", "is required")
	case strings.TrimSpace(f.Title) == "":
		return FieldError("title", "is required")
	}
	// The importer shortens what it flags; this only guards the store.
	if err := checkLines("title", f.Title, maxFlagText); err != nil {
		return err
	}
	if err := checkLines("note", f.Note, maxFlagText); err != nil {
		return err
	}
	return checkLines("origin", f.Origin, maxFlagText)
}

// FlagImportedCitations decides what an import does to an assessment's
// "needs a look" flags. An import that wrote new content replaces them
// with the flags of what it read (none when every line read one way); an
// import that changed nothing leaves them as they are, so that importing
// the same page again neither undoes a researcher's check nor repeats it.
// It returns the number of flags written.
func FlagImportedCitations(ctx context.Context, tx Tx, a Assessment, changed bool, flags []CitationFlag, at time.Time) (int, error) {
	if !changed {
		return 0, nil
	}
	out := make([]CitationFlag, len(flags))
	for i, f := range flags {
		f.Country, f.Indicator = a.Country, a.Indicator
		if f.CreatedAt.IsZero() {
			f.CreatedAt = at.UTC()
		}
		if err := f.Validate(); err != nil {
			return 0, err
		}
		out[i] = f
	}
	if _, err := tx.SetCitationFlags(ctx, a.Country, a.Indicator, out); err != nil {
		return 0, err
	}
	return len(out), nil
}

// clearCitationFlags is what saving an assessment in the workspace does to
// its flags: the editor who saves has seen the sources.
func clearCitationFlags(ctx context.Context, tx Tx, country, indicator string) error {
	_, err := tx.SetCitationFlags(ctx, country, indicator, nil)
	return err
}

const maxFlagText = 100_000
