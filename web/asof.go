package web

import (
	"context"
	"net/http"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Time travel: ?as_of=YYYY-MM-DD on the home page, the country and the
// indicator pages (and compare) shows what was published at the end of
// that day, UTC. Organisations, reports and news have no history; they
// show as they are today, which the banner says.

// asOf is a page's view of the past, or of today when At is zero.
type asOf struct {
	At    time.Time // the last instant of the chosen day; zero for today
	Param string    // "2024-05-31", for links that keep the date
}

// asOfView is the banner of a page that shows the past.
type asOfView struct {
	Day   dateView
	Today string // the same page without as_of
}

// asOfForm is the small form that picks a date, keeping the page's other
// parameters.
type asOfForm struct {
	Action string
	Value  string // the chosen date, or ""
	Max    string // today
	Hidden []hiddenField
}

// readDay reads a YYYY-MM-DD parameter; ok is false when it is absent.
func readDay(r *http.Request, param string) (day time.Time, ok bool, err error) {
	v := trimParam(r, param)
	if v == "" {
		return time.Time{}, false, nil
	}
	day, err = time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, true, err
	}
	return day, true, nil
}

// dayError is the message of a date parameter we cannot read.
func (s *Server) badDay(w http.ResponseWriter, r *http.Request, param string) {
	s.badParam(w, r, param, "it must be a date written YYYY-MM-DD, such as %s; “%s” is not one.",
		today().AddDate(0, -1, 0).Format(time.DateOnly), trimParam(r, param))
}

// endOfDay is the last instant of a day: what was published at any time
// that day counts.
func endOfDay(day time.Time) time.Time { return day.AddDate(0, 0, 1).Add(-time.Nanosecond) }

// readAsOf reads ?as_of. On a bad date it answers 400 and returns false.
func (s *Server) readAsOf(w http.ResponseWriter, r *http.Request) (asOf, bool) {
	day, set, err := readDay(r, "as_of")
	if err != nil {
		s.badDay(w, r, "as_of")
		return asOf{}, false
	}
	if !set {
		return asOf{}, true
	}
	return asOf{At: endOfDay(day), Param: day.Format(time.DateOnly)}, true
}

// banner is the "You are looking at the data as of …" notice, or nil.
func (a asOf) banner(r *http.Request) *asOfView {
	if a.At.IsZero() {
		return nil
	}
	return &asOfView{Day: newDate(a.At), Today: linkWith(r, "as_of", "")}
}

// form is the date picker of a page, keeping its other parameters.
func (a asOf) form(r *http.Request) asOfForm {
	return asOfForm{Action: r.URL.Path, Value: a.Param, Max: today().Format(time.DateOnly),
		Hidden: hiddenFields(r, "as_of")}
}

// query is "?as_of=…" for links that keep the date, or "".
func (a asOf) query() string {
	if a.Param == "" {
		return ""
	}
	return "?as_of=" + a.Param
}

// assessments reads the published assessments now, or as they were.
func (s *Server) assessmentsAt(ctx context.Context, a asOf, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	if a.At.IsZero() {
		return s.store.Assessments(ctx, f)
	}
	return s.store.AssessmentsAsOf(ctx, a.At, f)
}
