package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	s.write(w, r, status, "application/json", v)
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // JSON is not HTML: keep "<" and "&" readable
	if err := enc.Encode(v); err != nil {
		s.logger.Error("api: encode", "path", r.URL.Path, "err", err)
		http.Error(w, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"encoding failed"}`, http.StatusInternalServerError)
		return
	}
	if s.bodyValidators(w, r, status, buf.Bytes()) {
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// checkParams refuses query parameters the endpoint does not know, so
// that a typo ("?countyr=ML") is an error rather than a silently
// unfiltered answer.
func (s *Server) checkParams(w http.ResponseWriter, r *http.Request, known ...string) bool {
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		s.fail(w, r, vigie.Errorf(vigie.EINVALID, "the query string is malformed: %v", err))
		return false
	}
	for name := range r.URL.Query() {
		if !slices.Contains(known, name) {
			hint := "this endpoint takes no query parameters"
			if len(known) > 0 {
				hint = "known parameters: " + strings.Join(known, ", ")
			}
			s.fail(w, r, vigie.FieldError(name, "unknown query parameter; %s", hint))
			return false
		}
	}
	return true
}

// listParam splits a comma-separated filter ("ML,SN") into its values.
func listParam(r *http.Request, name string) []string {
	var out []string
	for v := range strings.SplitSeq(r.URL.Query().Get(name), ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// countryParam reads a list of ISO alpha-2 codes, in any case.
func countryParam(r *http.Request, name string) ([]string, error) {
	var out []string
	for _, v := range listParam(r, name) {
		c, ok := vigie.CountryByISO2(v)
		if !ok {
			return nil, vigie.FieldError(name, "unknown ISO 3166-1 alpha-2 code %q", v)
		}
		out = append(out, c.ISO2)
	}
	return out, nil
}

// pathCountry finds the country of the {country} path segment.
func pathCountry(r *http.Request) (vigie.Country, error) {
	code := r.PathValue("country")
	c, ok := vigie.CountryByISO2(code)
	if !ok || len(code) != 2 {
		return c, &vigie.Error{Code: vigie.ENOTFOUND, Field: "country", Message: "no country with the ISO 3166-1 alpha-2 code " + strconv.Quote(code)}
	}
	return c, nil
}

// pathIndicator finds the indicator of the {indicator} path segment.
func pathIndicator(r *http.Request, inds []vigie.Indicator) (vigie.Indicator, error) {
	key := strings.ToLower(r.PathValue("indicator"))
	i := slices.IndexFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == key })
	if i < 0 {
		return vigie.Indicator{}, &vigie.Error{Code: vigie.ENOTFOUND, Field: "indicator", Message: "no indicator " + strconv.Quote(key)}
	}
	return inds[i], nil
}

// Formats shared by every document: dates are ISO 8601, unknown dates and
// numbers are null, absent text is "".

type namesJSON struct {
	EN string `json:"en"`
	FR string `json:"fr"`
	ES string `json:"es"`
}

func names(n vigie.Names) namesJSON { return namesJSON{EN: n.EN, FR: n.FR, ES: n.ES} }

func timeJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}

func dateJSON(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.DateOnly)
	return &s
}

// asOfJSON keeps the date's own precision: "2012", "2012-05", "2012-05-03".
func asOfJSON(a vigie.AsOf) *string {
	if a.IsZero() {
		return nil
	}
	s := a.String()
	return &s
}

func intJSON(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

// strings0 makes an absent list an empty JSON array rather than null.
func strings0(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
