package vigie

import (
	"strings"
)

// SourceKind tells a law from a publication.
type SourceKind string

const (
	SourceLaw         SourceKind = "law"
	SourcePublication SourceKind = "publication"
)

// Source is a law or a publication that assessments cite. A law cited by
// several assessments is one Source; what differs per assessment (the
// articles) lives on the Citation.
type Source struct {
	ID         int64
	Kind       SourceKind
	Title      string // "Penal Code of Mali", "SECTT Legal Checklist The Gambia"
	Identifier string // for laws: "Law nº 2012-023"
	Publisher  string // for publications
	Year       int    // enacted or published
	StatusAsOf int    // for laws: the year of the consolidated text consulted
	Link       string
}

// Validate checks a source before it is stored.
func (s Source) Validate() error {
	switch s.Kind {
	case SourceLaw, SourcePublication:
	default:
		return FieldError("kind", "must be %q or %q, not %q", SourceLaw, SourcePublication, s.Kind)
	}
	if err := checkLineFields("title", s.Title, "identifier", s.Identifier, "publisher", s.Publisher); err != nil {
		return err
	}
	if strings.TrimSpace(s.Title) == "" {
		return FieldError("title", "is required")
	}
	if s.Year != 0 && (s.Year < 1800 || s.Year > 2200) {
		return FieldError("year", "%d is out of range", s.Year)
	}
	if s.StatusAsOf != 0 && s.StatusAsOf < s.Year {
		return FieldError("status_as_of", "%d is before the year %d", s.StatusAsOf, s.Year)
	}
	if err := CheckLink("link", s.Link); err != nil {
		return err
	}
	return nil
}

// SameRecord reports whether two sources describe the same document, so
// that importing a citation again finds the existing record.
func (s Source) SameRecord(o Source) bool {
	return s.Kind == o.Kind && strings.EqualFold(strings.TrimSpace(s.Title), strings.TrimSpace(o.Title)) &&
		s.Year == o.Year && s.StatusAsOf == o.StatusAsOf
}

// Citation is one source as cited by one assessment.
type Citation struct {
	Source   Source
	Articles string // "Art. 16, 17"; empty when the whole text is cited
}
