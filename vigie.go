// Package vigie holds Vigie's domain: countries, the indicator framework,
// assessments and their revisions, sources, member organisations,
// publications and news. It imports neither storage nor HTTP; the stores
// (sqlite/, later postgres/) and the web layer (web/) adapt it.
package vigie

import (
	"errors"
	"fmt"
)

// Error codes say what kind of failure happened, so that the web layer can
// choose a status and the CLI a message without reading error text.
const (
	EINVALID  = "invalid"
	ENOTFOUND = "not_found"
	ECONFLICT = "conflict"
	// EUNAUTHORIZED means nobody is signed in; EFORBIDDEN that the
	// signed-in user may not do this.
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ERATELIMIT    = "rate_limited"
	EINTERNAL     = "internal"
)

// Error is a failure that is safe to show to a user. Field names the input
// at fault when there is one. Message is the English text; Format and
// Args are what it was built from, so that the web layer can show it in
// the reader's language.
type Error struct {
	Code    string
	Field   string
	Message string
	Format  string
	Args    []any
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf builds a user-facing error of the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// FieldError builds an EINVALID error about one field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// ErrorCode returns the code of err, or EINTERNAL for errors that are not
// Vigie errors.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var c *ConflictError
	if errors.As(err, &c) {
		return ECONFLICT
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// IsNotFound reports whether err says that something does not exist.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }
