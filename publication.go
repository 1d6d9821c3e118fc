package vigie

import (
	"regexp"
	"strings"
	"time"
)

// Publication types the network uses; the list is open, these are the ones
// the importer recognises by name.
const (
	PubCountryReport  = "country-monitoring-report"
	PubLegalChecklist = "legal-checklist"
	PubRegionalReview = "regional-overview"
	PubResearch       = "research"
	PubOther          = "other"
)

// PublicationTypeNames gives readers' names for the known types.
var PublicationTypeNames = map[string]string{
	PubCountryReport:  "Country monitoring report",
	PubLegalChecklist: "Legal checklist",
	PubRegionalReview: "Regional overview",
	PubResearch:       "Research",
	PubOther:          "Publication",
}

// Publication is a report in the network's library.
type Publication struct {
	ID         int64
	Slug       string
	Title      string
	Type       string
	Year       int
	Publishers []string
	Countries  []string // ISO alpha-2 codes it covers
	Link       string
	Language   string  // BCP 47, e.g. "en"
	File       FileRef // an uploaded PDF; zero when there is none
}

// FileRef names an uploaded file by the SHA-256 of its content (64
// lower-case hex digits), never by the name it was uploaded under.
type FileRef struct {
	Hash string
	Size int64 // bytes
}

// IsZero reports whether no file is attached.
func (f FileRef) IsZero() bool { return f.Hash == "" }

// Validate checks a publication before it is stored.
func (p Publication) Validate() error {
	if strings.TrimSpace(p.Title) == "" {
		return FieldError("title", "is required")
	}
	if err := checkLineFields("title", p.Title, "slug", p.Slug, "type", p.Type, "language", p.Language); err != nil {
		return err
	}
	for _, name := range p.Publishers {
		if err := checkLine("publishers", name); err != nil {
			return err
		}
	}
	if err := CheckLink("link", p.Link); err != nil {
		return err
	}
	if p.Year != 0 && (p.Year < 1900 || p.Year > 2200) {
		return FieldError("year", "%d is out of range", p.Year)
	}
	if _, ok := PublicationTypeNames[p.Type]; !ok {
		return FieldError("type", "unknown publication type %q", p.Type)
	}
	for _, c := range p.Countries {
		if _, ok := CountryByISO2(c); !ok {
			return FieldError("countries", "unknown country code %q", c)
		}
	}
	if !p.File.IsZero() && (!fileHashPattern.MatchString(p.File.Hash) || p.File.Size <= 0) {
		return FieldError("file", "%q is not the SHA-256 name of a stored file", p.File.Hash)
	}
	return nil
}

var fileHashPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// CheckLength checks what an editor or an imported page writes against the
// limit of a story written from now on; stored stories keep their length.
func (n NewsItem) CheckLength() error {
	return checkLines("body", n.Body, MaxNewsBodyChars)
}

// NewsItem is a dated story, tagged with the countries it concerns.
type NewsItem struct {
	ID        int64
	Slug      string
	Title     string
	Date      time.Time // a calendar date, UTC midnight
	Summary   string
	Body      string // Markdown
	Countries []string
}

// Validate checks a news item before it is stored.
func (n NewsItem) Validate() error {
	if strings.TrimSpace(n.Title) == "" {
		return FieldError("title", "is required")
	}
	if err := checkLineFields("title", n.Title, "slug", n.Slug); err != nil {
		return err
	}
	if n.Slug == "" || !keyPattern.MatchString(n.Slug) {
		return FieldError("slug", "%q must be lower-case words joined by hyphens", n.Slug)
	}
	if err := checkLines("summary", n.Summary, maxTextChars); err != nil {
		return err
	}
	if err := checkLines("body", n.Body, maxTextChars); err != nil {
		return err
	}
	for _, c := range n.Countries {
		if _, ok := CountryByISO2(c); !ok {
			return FieldError("countries", "unknown country code %q", c)
		}
	}
	return nil
}
