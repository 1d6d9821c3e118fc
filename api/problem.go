package api

import (
	"errors"
	"net/http"

	vigie "github.com/vigie-network/vigie"
)

// problem is an RFC 9457 problem details document. Errors names the
// fields at fault by their JSON names ("rating", "sources[0].title") or
// query parameter names ("limit").
type problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance,omitempty"`
	Errors   []fieldProblem `json:"errors,omitempty"`
}

type fieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// statusByCode maps the domain's error codes to HTTP, in one place.
// EINVALID is 400 here; the writes answer 422 for a well-formed document
// that fails validation (see unprocessable). A *vigie.ConflictError — the
// assessment changed since the client read it — is 412, not 409.
var statusByCode = map[string]int{
	vigie.EINVALID:      http.StatusBadRequest,
	vigie.ENOTFOUND:     http.StatusNotFound,
	vigie.EUNAUTHORIZED: http.StatusUnauthorized,
	vigie.EFORBIDDEN:    http.StatusForbidden,
	vigie.ECONFLICT:     http.StatusConflict,
	vigie.ERATELIMIT:    http.StatusTooManyRequests,
}

// httpError is a failure of the HTTP exchange itself (a missing If-Match,
// a wrong media type) rather than of the domain.
type httpError struct {
	status int
	field  string
	detail string
}

func (e *httpError) Error() string { return e.detail }

// unprocessable marks a domain error about a request document: its EINVALID
// answers 422 rather than 400.
type unprocessable struct{ error }

func (e unprocessable) Unwrap() error { return e.error }

// fail writes err as a problem. Internal errors are logged and not shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := problem{Type: "about:blank", Instance: r.URL.Path}
	var (
		he       *httpError
		ve       *vigie.Error
		conflict *vigie.ConflictError
	)
	switch {
	case errors.As(err, &he):
		p.Status, p.Detail = he.status, he.detail
		if he.field != "" {
			p.Errors = []fieldProblem{{Field: he.field, Detail: he.detail}}
		}
	case errors.As(err, &conflict):
		p.Status, p.Detail = http.StatusPreconditionFailed, conflict.Error()+"; GET it again, reapply your change and send the new ETag"
	case errors.As(err, &ve) && statusByCode[ve.Code] != 0:
		p.Status, p.Detail = statusByCode[ve.Code], ve.Error()
		if ve.Code == vigie.EINVALID && errors.As(err, new(unprocessable)) {
			p.Status = http.StatusUnprocessableEntity
		}
		if ve.Field != "" {
			p.Errors = []fieldProblem{{Field: ve.Field, Detail: ve.Message}}
		}
	default:
		s.logger.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
		p.Status, p.Detail = http.StatusInternalServerError, "something went wrong on our side; it has been logged"
	}
	p.Title = http.StatusText(p.Status)
	if p.Status == http.StatusUnauthorized {
		challenge := `Bearer realm="vigie"`
		if r.Header.Get("Authorization") != "" {
			challenge += `, error="invalid_token"`
		}
		w.Header().Set("WWW-Authenticate", challenge)
	}
	// An error is not the representation a validator was about.
	for _, k := range []string{"ETag", "Last-Modified", "Link"} {
		w.Header().Del(k)
	}
	w.Header().Set("Cache-Control", "no-store")
	s.write(w, r, p.Status, "application/problem+json", p)
}
