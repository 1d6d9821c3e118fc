package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	vigie "github.com/vigie-network/vigie"
)

// revisionJSON is one stored version of an assessment. The public sees
// published revisions with their content; users who may view drafts
// (researchers, reviewers, admins) see every state with its authors,
// reasons and review, as the editors' pages do.
type revisionJSON struct {
	Number      int     `json:"number"`
	State       string  `json:"state"`
	PublishedAt *string `json:"published_at"`
	*Editorial
	Assessment assessmentJSON `json:"assessment"`
}

// Editorial is the part of a revision that only users who may view drafts
// see: who wrote it from which base, why, and what the reviewer said.
type Editorial struct {
	Base          int     `json:"base"`
	CreatedAt     *string `json:"created_at"`
	Author        string  `json:"author"`
	Reason        string  `json:"reason"`
	Reviewer      string  `json:"reviewer"`
	ReviewComment string  `json:"review_comment"`
}

func revision(rev vigie.Revision, editor bool) revisionJSON {
	out := revisionJSON{Number: rev.Number, State: rev.State, PublishedAt: timeJSON(rev.PublishedAt), Assessment: assessment(rev.Content)}
	if editor {
		out.Editorial = &Editorial{Base: rev.Base, CreatedAt: timeJSON(rev.CreatedAt), Author: rev.Author,
			Reason: rev.Reason, Reviewer: rev.Reviewer, ReviewComment: rev.ReviewComment}
	}
	return out
}

// revisionKey sorts newest first.
func revisionKey(number int) string { return fmt.Sprintf("%010d", math.MaxInt32-number) }

// viewer resolves the request's token, if any, and whether its user may
// see drafts of the country's assessments. The answer varies with the
// token, so caches must key on it.
func (s *Server) viewer(w http.ResponseWriter, r *http.Request, country string) (editor bool, err error) {
	w.Header().Set("Vary", "Authorization")
	u, err := s.bearer(r)
	if err != nil {
		return false, err
	}
	return u.Can(vigie.ActViewDrafts, country), nil
}

// GET /api/v1/assessments/{country}/{indicator}/revisions, newest first.
func (s *Server) handleRevisions(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r, pagingParams...) {
		return
	}
	p, err := parsePage(r, "revisions")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ind, err := s.pathAssessment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	editor, err := s.viewer(w, r, c.ISO2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, editor) {
		return
	}
	revs, err := s.store.Revisions(ctx, c.ISO2, ind.Key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var visible []vigie.Revision
	for _, rev := range revs {
		if editor || rev.State == vigie.RevisionPublished {
			visible = append(visible, rev)
		}
	}
	pg := cut(w, r, p, visible, func(i int) string { return revisionKey(visible[i].Number) })
	out := page[revisionJSON]{Items: []revisionJSON{}, Next: pg.Next}
	for _, rev := range pg.Items {
		out.Items = append(out.Items, revision(rev, editor))
	}
	s.writeJSON(w, r, http.StatusOK, out)
}

// GET /api/v1/assessments/{country}/{indicator}/revisions/{number}
func (s *Server) handleRevision(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !s.checkParams(w, r) {
		return
	}
	c, ind, err := s.pathAssessment(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		s.fail(w, r, &vigie.Error{Code: vigie.ENOTFOUND, Field: "number", Message: "revisions are numbered 1, 2, 3…"})
		return
	}
	editor, err := s.viewer(w, r, c.ISO2)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.datasetValidators(w, r, editor) {
		return
	}
	rev, err := s.store.Revision(ctx, c.ISO2, ind.Key, n)
	if err == nil && !editor && rev.State != vigie.RevisionPublished {
		// Unpublished work is not public.
		err = vigie.Errorf(vigie.ENOTFOUND, "no published revision %d of %s/%s", n, c.ISO2, ind.Key)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, revision(rev, editor))
}

// pathAssessment reads the {country} and {indicator} of a path.
func (s *Server) pathAssessment(r *http.Request) (vigie.Country, vigie.Indicator, error) {
	c, err := pathCountry(r)
	if err != nil {
		return c, vigie.Indicator{}, err
	}
	inds, err := s.store.Indicators(r.Context())
	if err != nil {
		return c, vigie.Indicator{}, err
	}
	ind, err := pathIndicator(r, inds)
	return c, ind, err
}
