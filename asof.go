package vigie

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AsOf is the date an assessment describes: usually the date of the law,
// often known only to the year or month. Zero fields are unknown, so the
// precision follows from which fields are set.
type AsOf struct {
	Year, Month, Day int
}

// ParseAsOf reads "2012", "2012-05" or "2012-05-03"; "" is the zero AsOf.
func ParseAsOf(s string) (AsOf, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return AsOf{}, nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 {
		return AsOf{}, FieldError("as_of", "%q is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || (i == 0 && len(p) != 4) || (i > 0 && len(p) != 2) {
			return AsOf{}, FieldError("as_of", "%q is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n[i] = v
	}
	a := AsOf{Year: n[0], Month: n[1], Day: n[2]}
	return a, a.Validate()
}

// Validate checks that the date exists.
func (a AsOf) Validate() error {
	if a.IsZero() {
		return nil
	}
	switch {
	case a.Year < 1800 || a.Year > 2200:
		return FieldError("as_of", "year %d is out of range", a.Year)
	case a.Month < 0 || a.Month > 12, a.Month == 0 && a.Day != 0:
		return FieldError("as_of", "month %d is out of range", a.Month)
	case a.Day != 0 && time.Date(a.Year, time.Month(a.Month), a.Day, 0, 0, 0, 0, time.UTC).Day() != a.Day:
		return FieldError("as_of", "%04d-%02d has no day %d", a.Year, a.Month, a.Day)
	}
	return nil
}

// IsZero reports whether the date is unknown.
func (a AsOf) IsZero() bool { return a.Year == 0 }

// Precision is "year", "month", "day" or "" for an unknown date.
func (a AsOf) Precision() string {
	switch {
	case a.IsZero():
		return ""
	case a.Month == 0:
		return "year"
	case a.Day == 0:
		return "month"
	}
	return "day"
}

// String writes the date at its own precision: "2012", "2012-05", "2012-05-03".
func (a AsOf) String() string {
	switch a.Precision() {
	case "year":
		return fmt.Sprintf("%04d", a.Year)
	case "month":
		return fmt.Sprintf("%04d-%02d", a.Year, a.Month)
	case "day":
		return fmt.Sprintf("%04d-%02d-%02d", a.Year, a.Month, a.Day)
	}
	return ""
}

// Display writes the date for readers: "2012", "May 2012", "3 May 2012".
func (a AsOf) Display() string {
	switch a.Precision() {
	case "year":
		return strconv.Itoa(a.Year)
	case "month":
		return fmt.Sprintf("%s %d", time.Month(a.Month), a.Year)
	case "day":
		return fmt.Sprintf("%d %s %d", a.Day, time.Month(a.Month), a.Year)
	}
	return ""
}
