package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	vigie "github.com/vigie-network/vigie"
)

// maxBody bounds a request document: an assessment with long explanations
// and many sources stays far below it.
const maxBody = 1 << 20

// document is a JSON object read field by field, so that an error names
// the field at fault ("sources[1].year") and an unknown field is refused
// rather than silently dropped.
type document struct {
	prefix string // "sources[1]." inside a list
	fields map[string]json.RawMessage
}

// readDocument reads the request body as one JSON object. Malformed
// bodies are 400; what is wrong inside a well-formed one is 422.
func readDocument(w http.ResponseWriter, r *http.Request) (document, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return document{}, &httpError{status: http.StatusUnsupportedMediaType, field: "Content-Type",
				detail: "send the document as application/json, not " + strconv.Quote(ct)}
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	var fields map[string]json.RawMessage
	err := dec.Decode(&fields)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	var tooLarge *http.MaxBytesError
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &tooLarge):
		return document{}, &httpError{status: http.StatusRequestEntityTooLarge, detail: "the document is larger than 1 MiB"}
	case errors.Is(err, io.EOF):
		return document{}, &httpError{status: http.StatusBadRequest, detail: "the body is empty; send a JSON document"}
	case errors.As(err, &syntax):
		return document{}, &httpError{status: http.StatusBadRequest, detail: "the body is not valid JSON: " + err.Error() + " at byte " + strconv.FormatInt(syntax.Offset, 10)}
	case err != nil || fields == nil:
		return document{}, &httpError{status: http.StatusBadRequest, detail: "the body must be one JSON object"}
	}
	return document{fields: fields}, nil
}

// only refuses the fields that are not in known.
func (d document) only(known ...string) error {
	var unknown []string
	for k := range d.fields {
		if !slices.Contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return unprocessable{vigie.FieldError(d.prefix+unknown[0], "unknown field; known fields: %s", strings.Join(known, ", "))}
}

// get decodes the field name into dst, which is left alone when the field
// is absent. required makes absence an error.
func (d document) get(name string, dst any, required bool) error {
	raw, ok := d.fields[name]
	if !ok {
		if required {
			return unprocessable{vigie.FieldError(d.prefix+name, "is required: send the whole document as GET returned it")}
		}
		return nil
	}
	// encoding/json would quietly replace bytes that are not UTF-8 with
	// U+FFFD: the client's text would be stored other than it was sent.
	if !utf8.Valid(raw) && isText(dst) {
		return unprocessable{vigie.FieldError(d.prefix+name, "is not valid UTF-8 text")}
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return unprocessable{vigie.FieldError(d.prefix+name, "must be %s, not %s", describe(dst), abbreviate(raw))}
	}
	return nil
}

// isText reports whether dst receives a string; lists and objects are
// checked field by field as they are read.
func isText(dst any) bool {
	switch dst.(type) {
	case *string, **string:
		return true
	}
	return false
}

func describe(dst any) string {
	switch dst.(type) {
	case *string:
		return "a string"
	case **string:
		return "a string or null"
	case *int:
		return "a whole number"
	case **int:
		return "a whole number or null"
	case *bool:
		return "true or false"
	case *[]json.RawMessage:
		return "a list"
	}
	return "of another type"
}

func abbreviate(raw json.RawMessage) string {
	s := string(raw)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// sub reads a list of objects, each with its own field prefix.
func (d document) sub(name string, required bool) ([]document, error) {
	var items []json.RawMessage
	if err := d.get(name, &items, required); err != nil {
		return nil, err
	}
	out := make([]document, len(items))
	for i, raw := range items {
		out[i].prefix = d.prefix + name + "[" + strconv.Itoa(i) + "]."
		if err := json.Unmarshal(raw, &out[i].fields); err != nil || out[i].fields == nil {
			return nil, unprocessable{vigie.FieldError(d.prefix+name+"["+strconv.Itoa(i)+"]", "must be an object")}
		}
	}
	return out, nil
}

// assessmentEdit is what a PUT asks for: new content for an assessment,
// why, and whether to submit it for review.
type assessmentEdit struct {
	content vigie.Assessment
	reason  string
	submit  bool
}

// readAssessment reads the document GET returned, edited. Read-only
// fields are accepted and ignored; country and indicator, when sent, must
// be those of the URL.
func readAssessment(d document, c vigie.Country, ind vigie.Indicator) (assessmentEdit, error) {
	e := assessmentEdit{content: vigie.Assessment{Country: c.ISO2, Indicator: ind.Key}}
	a := &e.content
	if err := d.only("country", "country_names", "indicator", "rating", "value", "explanation", "as_of", "sources",
		"revision", "updated_at", "reason", "submit"); err != nil {
		return e, err
	}
	var country, indicator, asOf *string
	steps := []error{
		d.get("country", &country, false),
		d.get("indicator", &indicator, false),
		d.get("rating", &a.Rating, true),
		d.get("value", &a.Value, true),
		d.get("explanation", &a.Explanation, true),
		d.get("as_of", &asOf, true),
		d.get("reason", &e.reason, false),
		d.get("submit", &e.submit, false),
	}
	if err := firstError(steps); err != nil {
		return e, err
	}
	if country != nil && !strings.EqualFold(*country, c.ISO2) {
		return e, unprocessable{vigie.FieldError("country", "%q is not %s, the country of this URL", *country, c.ISO2)}
	}
	if indicator != nil && *indicator != ind.Key {
		return e, unprocessable{vigie.FieldError("indicator", "%q is not %s, the indicator of this URL", *indicator, ind.Key)}
	}
	if asOf != nil {
		var err error
		if a.AsOf, err = vigie.ParseAsOf(*asOf); err != nil {
			return e, unprocessable{err}
		}
	}
	sources, err := d.sub("sources", true)
	if err != nil {
		return e, err
	}
	for _, sd := range sources {
		ct, err := readCitation(sd)
		if err != nil {
			return e, err
		}
		a.Citations = append(a.Citations, ct)
	}
	return e, nil
}

func readCitation(d document) (vigie.Citation, error) {
	var ct vigie.Citation
	src := &ct.Source
	if err := d.only("source_id", "kind", "title", "identifier", "publisher", "year", "status_as_of", "link", "articles"); err != nil {
		return ct, err
	}
	var kind string
	var year, status *int
	steps := []error{
		d.get("kind", &kind, true),
		d.get("title", &src.Title, true),
		d.get("identifier", &src.Identifier, false),
		d.get("publisher", &src.Publisher, false),
		d.get("year", &year, false),
		d.get("status_as_of", &status, false),
		d.get("link", &src.Link, false),
		d.get("articles", &ct.Articles, false),
	}
	if err := firstError(steps); err != nil {
		return ct, err
	}
	src.Kind = vigie.SourceKind(kind)
	if year != nil {
		src.Year = *year
	}
	if status != nil {
		src.StatusAsOf = *status
	}
	return ct, nil
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// publishRequest is the body of POST …/publish.
type publishRequest struct {
	revision int
	comment  string
}

func readPublish(d document) (publishRequest, error) {
	var p publishRequest
	if err := d.only("revision", "comment"); err != nil {
		return p, err
	}
	if err := firstError([]error{d.get("revision", &p.revision, true), d.get("comment", &p.comment, false)}); err != nil {
		return p, err
	}
	if p.revision < 1 {
		return p, unprocessable{vigie.FieldError("revision", "revisions are numbered 1, 2, 3…, not %d", p.revision)}
	}
	return p, nil
}
