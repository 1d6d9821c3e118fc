package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/web/i18n"
)

// Helpers shared by the editors' forms: reading fields, and showing the
// service's errors next to the field they name.

// maxFormBytes bounds a form post; the longest explanation is a few pages.
const maxFormBytes = 1 << 20

// parseForm reads a posted form, answering 400 or 413 itself on failure.
func parseForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		status := http.StatusBadRequest
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(w, tr(r, "editform.unreadable", "Error", err.Error()), status)
		return false
	}
	return true
}

// fieldErrors maps a form field's name to what is wrong with it. The
// empty name holds errors that concern no one field.
type fieldErrors map[string]string

// Any reports whether there is an error at all.
func (fe fieldErrors) Any() bool { return len(fe) > 0 }

// formError reports whether a form should come back with err next to its
// field, and with which status: 400 for invalid input, 409 when the input
// clashes with a stored record (a slug or a name already taken). Other
// errors (forbidden, not found, internal) are not the form's to show.
func formError(err error) (status int, ok bool) {
	switch vigie.ErrorCode(err) {
	case vigie.EINVALID:
		return http.StatusBadRequest, true
	case vigie.ECONFLICT:
		var e *vigie.Error
		return http.StatusConflict, errors.As(err, &e)
	}
	return 0, false
}

// formInt reads an optional whole number; "" is 0.
func formInt(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// splitList reads a comma- or line-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// countryCodes reads ISO codes ("ML, ne") into upper case.
func countryCodes(s string) []string {
	list := splitList(s)
	for i := range list {
		list[i] = strings.ToUpper(list[i])
	}
	return list
}

// dateTimeView is a moment for a <time> element.
type dateTimeView struct {
	ISO, Display string
}

func newDateTime(t time.Time) dateTimeView {
	if t.IsZero() {
		return dateTimeView{}
	}
	t = t.UTC()
	return dateTimeView{ISO: t.Format(time.RFC3339), Display: t.Format("2 January 2006, 15:04 UTC")}
}

// In writes the moment in lang: "3 mai 2024, 15:04 UTC".
func (d dateTimeView) In(lang string) string {
	t, err := time.Parse(time.RFC3339, d.ISO)
	if err != nil || lang == "en" || !i18n.Supported(lang) {
		return d.Display
	}
	return i18n.Default().Date(lang, t) + t.Format(", 15:04 UTC")
}

// countryOption is an entry of a country drop-down.
type countryOption struct {
	ISO2, Name string
	Selected   bool
}

// countryOptions lists the countries a user may choose: every country, or
// a member's own.
func countryOptions(u *vigie.User, selected string) []countryOption {
	var out []countryOption
	for _, c := range vigie.Countries() {
		if u != nil && u.Role == vigie.RoleMember && !u.CoversCountry(c.ISO2) {
			continue
		}
		out = append(out, countryOption{ISO2: c.ISO2, Name: c.Name("en"), Selected: c.ISO2 == selected})
	}
	return out
}

func countryName(iso2 string) string {
	if c, ok := vigie.CountryByISO2(iso2); ok {
		return c.Name("en")
	}
	return iso2
}

// now is the service's clock, so that tests can set it.
func (s *Server) now() time.Time {
	if s.service.Now != nil {
		return s.service.Now()
	}
	return time.Now()
}

// pathID reads a numeric path segment.
func pathID(r *http.Request, name string) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return id, err == nil && id > 0
}

// fieldLabels name the forms' fields in the list of problems above a form,
// in English; editform.field.NAME names them in every language.
var fieldLabels = map[string]string{
	"rating": "Rating", "value": "Value", "as_of": "As of", "explanation": "Explanation", "reason": "Reason",
	"sources": "Sources", "email": "Email", "password": "Password", "confirm": "Password again",
	"change": "What changed", "link": "Link", "contact": "Contact", "indicator": "Indicator", "name": "Name",
	"founded": "Founded", "website": "Website", "contacts": "Contacts", "title": "Title", "year": "Year",
	"type": "Type", "countries": "Countries", "country": "Country", "slug": "Address", "date": "Date",
	"role": "Role", "comment": "Comment", "summary": "Summary", "body": "Text", "acronym": "Acronym",
	"description": "Description", "office_city": "Office city", "regions": "Regions of work", "areas_of_work": "Areas of work",
	"publishers": "Publishers", "language": "Language", "label": "Label", "meaning": "Meaning", "rationale": "Rationale",
	"key": "Key", "value_kind": "Value", "position": "Position",
}

// fieldLabel names a form's field in lang (English when lang is not
// given), or returns the field's name when it has no label.
func fieldLabel(field string, lang ...string) string {
	l, ok := fieldLabels[field]
	if !ok {
		return field
	}
	if len(lang) == 0 || lang[0] == "en" {
		return l
	}
	if _, ok := i18n.Default().Message(lang[0], "editform.field."+field); ok {
		return i18n.Default().T(lang[0], "editform.field."+field)
	}
	return l
}
