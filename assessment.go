package vigie

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Assessment is the answer to one indicator for one country: a rating, an
// optional value, an explanation in Markdown and the sources it rests on.
type Assessment struct {
	Country     string // ISO 3166-1 alpha-2
	Indicator   string // indicator key
	Rating      string // rating key
	Value       *int   // e.g. the age of consent in years; nil when none
	Explanation string // Markdown as written; rendered sanitised
	AsOf        AsOf
	Citations   []Citation // in the order the assessment lists them

	// Set by the store from the revision the content comes from.
	Revision  int // 0 when never assessed
	UpdatedAt time.Time
}

// Validate checks an assessment against the framework it belongs to.
func (a Assessment) Validate(ind Indicator, ratings []Rating) error {
	if _, ok := CountryByISO2(a.Country); !ok {
		return FieldError("country", "unknown country code %q", a.Country)
	}
	if a.Indicator != ind.Key {
		return FieldError("indicator", "%q is not %q", a.Indicator, ind.Key)
	}
	if !slices.ContainsFunc(ratings, func(r Rating) bool { return r.Key == a.Rating }) {
		return FieldError("rating", "unknown rating %q", a.Rating)
	}
	if a.Value != nil {
		if ind.ValueKind == ValueNone {
			return FieldError("value", "indicator %q takes no value", ind.Key)
		}
		if *a.Value < 0 || *a.Value > 30 {
			return FieldError("value", "%d years is not a plausible age", *a.Value)
		}
	}
	if err := a.AsOf.Validate(); err != nil {
		return err
	}
	if err := checkLines("explanation", a.Explanation, maxTextChars); err != nil {
		return err
	}
	for i, c := range a.Citations {
		err := c.Source.Validate()
		if err == nil {
			err = checkLine("articles", c.Articles)
		}
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Field = "sources[" + strconv.Itoa(i) + "]." + e.Field
			}
			return err
		}
	}
	return nil
}

// CheckLength checks an explanation written from now on, by an editor or
// an imported page, against MaxExplanationChars. Stored and restored
// history keeps its length.
func (a Assessment) CheckLength() error {
	return checkLines("explanation", a.Explanation, MaxExplanationChars)
}

// SameContent reports whether two assessments say the same thing, ignoring
// bookkeeping. Saving unchanged content must not create a revision.
func (a Assessment) SameContent(b Assessment) bool {
	if a.Country != b.Country || a.Indicator != b.Indicator || a.Rating != b.Rating ||
		strings.TrimSpace(a.Explanation) != strings.TrimSpace(b.Explanation) || a.AsOf != b.AsOf ||
		(a.Value == nil) != (b.Value == nil) || (a.Value != nil && *a.Value != *b.Value) ||
		len(a.Citations) != len(b.Citations) {
		return false
	}
	for i := range a.Citations {
		ca, cb := a.Citations[i], b.Citations[i]
		if !ca.Source.SameRecord(cb.Source) || ca.Articles != cb.Articles {
			return false
		}
	}
	return true
}

// Unassessed is the state of every country × indicator nobody has written.
func Unassessed(country, indicator string) Assessment {
	return Assessment{Country: country, Indicator: indicator, Rating: RatingNotYetAssessed}
}

// Revision states. A draft is saved work; submitted waits for review;
// returned went back to its author with a comment; published is public.
const (
	RevisionDraft     = "draft"
	RevisionSubmitted = "submitted"
	RevisionReturned  = "returned"
	RevisionPublished = "published"
)

// Revision is one stored version of an assessment. Every write makes one, so
// the history of every assessment is complete from the first import on.
type Revision struct {
	ID       int64
	Number   int // 1, 2, 3… per assessment, drafts included
	Base     int // the revision the author started from
	State    string
	AuthorID int64 // 0 for the command line and imports
	Author   string
	Reason   string
	// CreatedAt is when the revision was written, PublishedAt when it
	// became public (zero while it is not).
	CreatedAt   time.Time
	PublishedAt time.Time
	ReviewerID  int64
	Reviewer    string
	// ReviewComment is what the reviewer said when returning or publishing.
	ReviewComment string
	Content       Assessment // the full content, sources included
}

// Change says who writes a revision and why.
type Change struct {
	AuthorID int64
	Author   string
	Reason   string
	At       time.Time // zero means now
}

// NewRevision describes a revision to add: its content's author and the
// revision the author started from. Base must be the newest revision of the
// assessment, or the store refuses with a *ConflictError.
type NewRevision struct {
	Change
	State string // draft or submitted
	Base  int
}

// Review is a reviewer's decision on a submitted revision.
type Review struct {
	State      string // published or returned
	ReviewerID int64
	Reviewer   string
	Comment    string
	At         time.Time
}

// ConflictError says that someone else saved the assessment after the
// author loaded it. Current is what they saved.
type ConflictError struct {
	Base    int
	Current Revision
}

func (e *ConflictError) Error() string {
	return "someone else changed this assessment (revision " + strconv.Itoa(e.Current.Number) +
		" by " + e.Current.Author + ") after you opened it at revision " + strconv.Itoa(e.Base)
}
