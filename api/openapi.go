package api

import (
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// openapi.json describes every path, parameter, document and error of the
// API. It is written by hand, and the tests check every response they
// provoke against it, so it cannot drift from the code unnoticed.
//
//go:embed openapi.json
var openAPIDocument []byte

var openAPITag = func() string {
	sum := sha256.Sum256(openAPIDocument)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:9]) + `"`
}()

// startedAt stands for the document's modification time: it is part of
// the binary.
var startedAt = time.Now().UTC().Truncate(time.Second)

// GET /api/v1/openapi.json
func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	if !s.checkParams(w, r) {
		return
	}
	if s.validators(w, r, openAPITag, startedAt, false) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPIDocument)))
	w.Write(openAPIDocument)
}
