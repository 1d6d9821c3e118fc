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
	for i, c := range a.Citations {
		if err := c.Source.Validate(); err != nil {
			if e, ok := err.(*Error); ok {
				e.Field = "sources[" + strconv.Itoa(i) + "]." + e.Field
			}
			return err
		}
	}
	return nil
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

// Revision states.
const (
	RevisionPublished = "published"
	RevisionDraft     = "draft"
)

// Revision is one stored version of an assessment. Every write makes one, so
// the history of every assessment is complete from the first import on.
type Revision struct {
	ID        int64
	Number    int // 1, 2, 3… per assessment
	State     string
	Author    string
	Reason    string
	CreatedAt time.Time
	Content   Assessment // the full content, sources included
}

// Change says who writes a revision and why.
type Change struct {
	Author string
	Reason string
	At     time.Time // zero means now
}
