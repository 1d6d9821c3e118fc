package vigie

import (
	"strings"
	"time"
)

// Movement report states.
const (
	ReportOpen    = "open"
	ReportDrafted = "drafted" // a researcher opened a draft from it
	ReportClosed  = "closed"
)

// MovementReport is a reader's note that something changed in a country
// ("a new law passed"). Reports are never shown publicly; researchers
// check them and may open a draft.
type MovementReport struct {
	ID        int64
	Country   string
	Indicator string // "" when the reader did not know which
	Change    string
	Link      string
	Contact   string // optional name or email to follow up with
	CreatedAt time.Time
	Addr      string
	State     string
}

// Validate checks a report a reader filed.
func (r MovementReport) Validate() error {
	if _, ok := CountryByISO2(r.Country); !ok {
		return FieldError("country", "unknown country code %q", r.Country)
	}
	if strings.TrimSpace(r.Change) == "" {
		return FieldError("change", "please say what changed")
	}
	if err := checkLines("change", r.Change, 5000); err != nil {
		return err
	}
	if err := CheckLink("link", r.Link); err != nil {
		return err
	}
	if err := checkLines("contact", r.Contact, 200); err != nil {
		return err
	}
	return nil
}

// ReportFilter narrows MovementReports; empty State means all.
type ReportFilter struct {
	State string
}
