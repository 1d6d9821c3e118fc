package api

import (
	"net/http"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// PUT /api/v1/assessments/{country}/{indicator} saves the document GET
// returned, edited, as a new draft revision — or submits it for review
// with "submit": true or ?submit=1. It needs If-Match with the ETag of
// that GET: if anyone saved since, the tag is stale, the answer is 412 and
// nothing is written. The domain refuses a stale base inside the write's
// transaction too, so of concurrent PUTs on one tag exactly one succeeds.
func (s *Server) handlePutAssessment(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, "submit") {
		return
	}
	submit, err := boolParam(r, "submit")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ind, err := s.pathAssessment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.mustAuthorize(r, vigie.ActDraftAssessment, c.ISO2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := s.precondition(r, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := readDocument(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	edit, err := readAssessment(d, c, ind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rev, err := s.service.SaveDraft(ctx, actor(u, r), edit.content, t.latest, edit.reason, submit || edit.submit)
	if err != nil {
		s.fail(w, r, unprocessable{err})
		return
	}
	// A draft changes the newest revision, not the published one.
	s.written(w, r, rev, assessmentTag(rev.Number, t.published.Revision))
}

// POST /api/v1/assessments/{country}/{indicator}/publish makes a submitted
// revision public: {"revision": N, "comment": "…"}. Reviewers only, and
// never their own revision. If-Match is optional here.
func (s *Server) handlePublish(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r) {
		return
	}
	c, ind, err := s.pathAssessment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.mustAuthorize(r, vigie.ActReviewAssessment, c.ISO2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.precondition(r, false); err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := readDocument(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req, err := readPublish(d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rev, err := s.service.Publish(ctx, actor(u, r), c.ISO2, ind.Key, req.revision, req.comment)
	if vigie.IsNotFound(err) {
		err = vigie.FieldError("revision", "%s/%s has no revision %d", c.ISO2, ind.Key, req.revision)
	}
	if err != nil {
		s.fail(w, r, unprocessable{err})
		return
	}
	t, err := s.target(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.written(w, r, rev, t.etag())
}

// precondition checks If-Match against the assessment as it stands. A
// PUT must carry one (428 otherwise): "If-Match: *" is refused too, since
// it would overwrite whatever is there.
func (s *Server) precondition(r *http.Request, required bool) (target, error) {
	ifMatch := strings.TrimSpace(r.Header.Get("If-Match"))
	if required && (ifMatch == "" || ifMatch == "*") {
		return target{}, &httpError{status: http.StatusPreconditionRequired, field: "If-Match",
			detail: "send If-Match with the ETag of your last GET of this assessment, so that nobody's work is overwritten"}
	}
	t, err := s.target(r)
	if err != nil || ifMatch == "" {
		return t, err
	}
	if !matchStrong(ifMatch, t.etag()) {
		return t, &httpError{status: http.StatusPreconditionFailed, field: "If-Match",
			detail: "the assessment changed since you read it (its ETag is now " + t.etag() + "); GET it again, reapply your change and send the new ETag"}
	}
	return t, nil
}

// written answers a successful write with the revision it made and the
// assessment's new ETag, for the next If-Match.
func (s *Server) written(w http.ResponseWriter, r *http.Request, rev vigie.Revision, etag string) {
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Location", Prefix+"/assessments/"+rev.Content.Country+"/"+rev.Content.Indicator+"/revisions/"+strconv.Itoa(rev.Number))
	h.Set("Cache-Control", "no-store")
	s.writeJSON(w, r, http.StatusOK, revision(rev, true))
}

// boolParam reads a flag such as ?submit=1.
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); strings.ToLower(v) {
	case "", "0", "false", "no":
		return false, nil
	case "1", "true", "yes":
		return true, nil
	default:
		return false, vigie.FieldError(name, "must be 1 or 0, not %q", v)
	}
}
