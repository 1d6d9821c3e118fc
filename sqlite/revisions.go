package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) SaveAssessment(ctx context.Context, a vigie.Assessment, ch vigie.Change) (vigie.Revision, bool, error) {
	if err := c.validateAssessment(ctx, a); err != nil {
		return vigie.Revision{}, false, err
	}
	current, err := c.Assessment(ctx, a.Country, a.Indicator)
	if err != nil {
		return vigie.Revision{}, false, err
	}
	if current.SameContent(a) {
		return vigie.Revision{Number: current.Revision, State: vigie.RevisionPublished, Content: current}, false, nil
	}
	latest, err := c.LatestRevision(ctx, a.Country, a.Indicator)
	if err != nil {
		return vigie.Revision{}, false, err
	}
	rev, err := c.insertRevision(ctx, a, vigie.NewRevision{Change: ch, State: vigie.RevisionPublished, Base: latest.Number})
	if err != nil {
		return rev, false, err
	}
	return rev, true, nil
}

func (c conn) AddRevision(ctx context.Context, a vigie.Assessment, nr vigie.NewRevision) (vigie.Revision, error) {
	if nr.State != vigie.RevisionDraft && nr.State != vigie.RevisionSubmitted {
		return vigie.Revision{}, vigie.FieldError("state", "a new revision is a draft or submitted, not %q", nr.State)
	}
	if err := c.validateAssessment(ctx, a); err != nil {
		return vigie.Revision{}, err
	}
	latest, err := c.LatestRevision(ctx, a.Country, a.Indicator)
	if err != nil {
		return vigie.Revision{}, err
	}
	if latest.Number != nr.Base {
		return vigie.Revision{}, &vigie.ConflictError{Base: nr.Base, Current: latest}
	}
	return c.insertRevision(ctx, a, nr)
}

func (c conn) ReviewRevision(ctx context.Context, country, indicator string, number int, r vigie.Review) (vigie.Revision, error) {
	rev, err := c.Revision(ctx, country, indicator, number)
	if err != nil {
		return rev, err
	}
	if rev.State != vigie.RevisionSubmitted {
		return rev, vigie.Errorf(vigie.ECONFLICT, "revision %d is %s, not waiting for review", number, rev.State)
	}
	if r.State != vigie.RevisionPublished && r.State != vigie.RevisionReturned {
		return rev, vigie.FieldError("state", "a review publishes or returns, not %q", r.State)
	}
	at := r.At
	if at.IsZero() {
		at = time.Now()
	}
	published := ""
	if r.State == vigie.RevisionPublished {
		published = formatTime(at)
	}
	if _, err := c.q.ExecContext(ctx, `UPDATE revisions SET state = ?, reviewer_id = ?, reviewer = ?,
		review_comment = ?, published_at = ? WHERE id = ?`,
		r.State, nullID(r.ReviewerID), r.Reviewer, r.Comment, published, rev.ID); err != nil {
		return rev, err
	}
	if r.State == vigie.RevisionPublished {
		if err := c.point(ctx, country, indicator, rev.ID); err != nil {
			return rev, err
		}
	}
	c.markChanged()
	return c.Revision(ctx, country, indicator, number)
}

func (c conn) validateAssessment(ctx context.Context, a vigie.Assessment) error {
	inds, err := c.Indicators(ctx)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(inds, func(ind vigie.Indicator) bool { return ind.Key == a.Indicator })
	if i < 0 {
		return vigie.FieldError("indicator", "unknown indicator %q", a.Indicator)
	}
	ratings, err := c.Ratings(ctx)
	if err != nil {
		return err
	}
	return a.Validate(inds[i], ratings)
}

// insertRevision writes revision Base+1. The UNIQUE (country, indicator,
// number) constraint makes a second writer on the same base fail even if
// the check before it raced.
func (c conn) insertRevision(ctx context.Context, a vigie.Assessment, nr vigie.NewRevision) (vigie.Revision, error) {
	if strings.TrimSpace(nr.Author) == "" {
		return vigie.Revision{}, vigie.FieldError("author", "every change needs an author")
	}
	at := nr.At
	if at.IsZero() {
		at = time.Now()
	}
	rev := vigie.Revision{Number: nr.Base + 1, Base: nr.Base, State: nr.State, AuthorID: nr.AuthorID,
		Author: nr.Author, Reason: nr.Reason, CreatedAt: at.UTC(), Content: a}
	rev.Content.Citations = slices.Clone(a.Citations) // filled with stored sources below
	if nr.State == vigie.RevisionPublished {
		rev.PublishedAt = rev.CreatedAt
	}
	var value sql.NullInt64
	if a.Value != nil {
		value = sql.NullInt64{Int64: int64(*a.Value), Valid: true}
	}
	res, err := c.q.ExecContext(ctx, `INSERT INTO revisions (country, indicator, number, base, state, author_id, author,
		reason, created_at, published_at, rating, value, explanation, as_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Country, a.Indicator, rev.Number, rev.Base, rev.State, nullID(rev.AuthorID), rev.Author, rev.Reason,
		formatTime(rev.CreatedAt), formatTime(rev.PublishedAt), a.Rating, value, a.Explanation, a.AsOf.String())
	if err != nil {
		if isUniqueViolation(err) {
			latest, _ := c.LatestRevision(ctx, a.Country, a.Indicator)
			return rev, &vigie.ConflictError{Base: nr.Base, Current: latest}
		}
		return rev, err
	}
	if rev.ID, err = res.LastInsertId(); err != nil {
		return rev, err
	}
	for pos, ct := range a.Citations {
		src, err := c.findOrCreateSource(ctx, ct.Source)
		if err != nil {
			return rev, err
		}
		rev.Content.Citations[pos].Source = src
		if _, err := c.q.ExecContext(ctx, `INSERT INTO revision_citations (revision_id, position, source_id, articles)
			VALUES (?, ?, ?, ?)`, rev.ID, pos, src.ID, ct.Articles); err != nil {
			return rev, err
		}
	}
	if nr.State == vigie.RevisionPublished {
		if err := c.point(ctx, a.Country, a.Indicator, rev.ID); err != nil {
			return rev, err
		}
	}
	rev.Content.Revision = rev.Number
	rev.Content.UpdatedAt = rev.CreatedAt
	c.markChanged()
	return rev, nil
}

// point makes revision id the published state of its assessment, and
// brings the search index in step with it.
func (c conn) point(ctx context.Context, country, indicator string, id int64) error {
	// The triggers of assessments index sources (migration 0013): the
	// queued rows go first, in the order of the changes.
	if err := c.flushSearch(ctx); err != nil {
		return err
	}
	_, err := c.q.ExecContext(ctx, `INSERT INTO assessments (country, indicator, published_revision) VALUES (?, ?, ?)
		ON CONFLICT (country, indicator) DO UPDATE SET published_revision = excluded.published_revision`,
		country, indicator, id)
	if err != nil {
		return err
	}
	return c.indexAssessment(ctx, country, indicator)
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// isUniqueViolation tells a UNIQUE constraint failure by its SQLite
// extended result code, not by its message.
func isUniqueViolation(err error) bool {
	var coder interface{ Code() int }
	const sqliteConstraintUnique = 2067
	return errors.As(err, &coder) && coder.Code() == sqliteConstraintUnique
}
