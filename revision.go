package vigie

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Restore is a revision for Tx.RestoreRevisions.
type Restore struct {
	Revision
	// Current makes the revision, which must be published, its
	// assessment's published state.
	Current bool
}

// CheckRestores validates revisions to restore, before a store writes
// any: each one's bookkeeping, its content against the framework (read
// once from fw), a published state only for a published revision, and
// no revision given twice. An error names the revision at fault.
func CheckRestores(ctx context.Context, fw interface {
	Indicators(context.Context) ([]Indicator, error)
	Ratings(context.Context) ([]Rating, error)
}, rs []Restore) error {
	inds, err := fw.Indicators(ctx)
	if err != nil {
		return err
	}
	byKey := make(map[string]Indicator, len(inds))
	for _, ind := range inds {
		byKey[ind.Key] = ind
	}
	ratings, err := fw.Ratings(ctx)
	if err != nil {
		return err
	}
	type revKey struct {
		country, indicator string
		number             int
	}
	seen := make(map[revKey]bool, len(rs))
	for _, r := range rs {
		a := r.Content
		err := r.Validate()
		if ind, ok := byKey[a.Indicator]; err == nil && ok {
			err = a.Validate(ind, ratings)
		} else if err == nil {
			err = FieldError("indicator", "unknown indicator %q", a.Indicator)
		}
		if err == nil && r.Current && r.State != RevisionPublished {
			err = FieldError("state", "only a published revision can be the published state, not a %s one", r.State)
		}
		k := revKey{a.Country, a.Indicator, r.Number}
		if err == nil && seen[k] {
			err = FieldError("number", "given twice")
		}
		seen[k] = true
		if ve, ok := err.(*Error); ok {
			e := *ve
			e.Message = fmt.Sprintf("revision %d of %s/%s: %s", r.Number, a.Country, a.Indicator, e.Message)
			return &e
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// FreshRestores returns the revisions of rs that are not stored yet
// (stored says which are). A revision stored already must say the same as
// the one given, read with Revision: a restore never rewrites history.
func FreshRestores(ctx context.Context, r interface {
	Revision(ctx context.Context, country, indicator string, number int) (Revision, error)
}, rs []Restore, stored func(Restore) bool) ([]Restore, error) {
	var fresh []Restore
	for _, x := range rs {
		if !stored(x) {
			fresh = append(fresh, x)
			continue
		}
		a := x.Content
		old, err := r.Revision(ctx, a.Country, a.Indicator, x.Number)
		if err != nil {
			return nil, err
		}
		if diff := DiffRevision(old, x.Revision); len(diff) > 0 {
			return nil, Errorf(ECONFLICT, "revision %d of %s/%s is already stored and differs in %s; a restore never rewrites history",
				x.Number, a.Country, a.Indicator, strings.Join(diff, ", "))
		}
	}
	return fresh, nil
}

// Validate checks a revision's bookkeeping as a restore receives it from
// an export; CheckRestores checks the content against the framework.
func (r Revision) Validate() error {
	if err := checkLineFields("author", r.Author, "reviewer", r.Reviewer); err != nil {
		return err
	}
	if err := checkLines("reason", r.Reason, maxTextChars); err != nil {
		return err
	}
	if err := checkLines("review_comment", r.ReviewComment, maxTextChars); err != nil {
		return err
	}
	switch {
	case r.Number < 1:
		return FieldError("number", "%d: revisions are numbered from 1", r.Number)
	case r.Base < 0 || r.Base >= r.Number:
		return FieldError("base", "%d: a revision starts from an earlier one (0 to %d)", r.Base, r.Number-1)
	case !slices.Contains([]string{RevisionDraft, RevisionSubmitted, RevisionReturned, RevisionPublished}, r.State):
		return FieldError("state", "unknown state %q: use draft, submitted, returned or published", r.State)
	case strings.TrimSpace(r.Author) == "":
		return FieldError("author", "every change needs an author")
	case r.CreatedAt.IsZero():
		return FieldError("created_at", "is required")
	case r.State == RevisionPublished && r.PublishedAt.IsZero():
		return FieldError("published_at", "a published revision needs the time it became public")
	case r.State != RevisionPublished && !r.PublishedAt.IsZero():
		return FieldError("published_at", "only a published revision has one, this one is %s", r.State)
	}
	return nil
}

// DiffRevision names the fields in which two revisions of one assessment
// differ, by their names in exports ("rating", "explanation", "citations"),
// or returns nil when they say exactly the same. Database identities (IDs,
// author and reviewer accounts) are not compared: they do not travel
// between databases.
func DiffRevision(a, b Revision) []string {
	var diff []string
	add := func(differs bool, name string) {
		if differs {
			diff = append(diff, name)
		}
	}
	ca, cb := a.Content, b.Content
	add(ca.Country != cb.Country, "country")
	add(ca.Indicator != cb.Indicator, "indicator")
	add(a.Number != b.Number, "number")
	add(a.Base != b.Base, "base")
	add(a.State != b.State, "state")
	add(a.Author != b.Author, "author")
	add(a.Reason != b.Reason, "reason")
	add(!a.CreatedAt.Equal(b.CreatedAt), "created_at")
	add(!a.PublishedAt.Equal(b.PublishedAt), "published_at")
	add(a.Reviewer != b.Reviewer, "reviewer")
	add(a.ReviewComment != b.ReviewComment, "review_comment")
	add(ca.Rating != cb.Rating, "rating")
	add((ca.Value == nil) != (cb.Value == nil) || (ca.Value != nil && *ca.Value != *cb.Value), "value")
	add(ca.AsOf != cb.AsOf, "as_of")
	add(ca.Explanation != cb.Explanation, "explanation")
	add(!slices.EqualFunc(ca.Citations, cb.Citations, func(x, y Citation) bool {
		return x.Articles == y.Articles && x.Source.SameRecord(y.Source)
	}), "citations")
	return diff
}

// Contents returns the assessments that revs hold, in their order (nil
// for none): how a store answers a read of assessments it found as
// revisions.
func Contents(revs []Revision) []Assessment {
	if len(revs) == 0 {
		return nil
	}
	out := make([]Assessment, len(revs))
	for i := range revs {
		out[i] = revs[i].Content
	}
	return out
}
