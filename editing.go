package vigie

import (
	"context"
	"fmt"
	"strings"
)

func assessmentTarget(country, indicator string, number int) string {
	return fmt.Sprintf("%s/%s#%d", country, indicator, number)
}

// SaveDraft stores a new revision of an assessment, as a draft or submitted
// for review. base is the revision the editor's form was loaded from; if
// someone saved since, nothing is written and a *ConflictError carries
// their revision so the editor can compare and keep their own text.
func (s *Service) SaveDraft(ctx context.Context, act Actor, a Assessment, base int, reason string, submit bool) (Revision, error) {
	if err := a.CheckLength(); err != nil {
		return Revision{}, err
	}
	if err := checkLines("reason", reason, maxReasonChars); err != nil {
		return Revision{}, err
	}
	state := RevisionDraft
	if submit {
		state = RevisionSubmitted
	}
	var rev Revision
	err := s.write(ctx, act, ActDraftAssessment, a.Country, func(tx Tx) (AuditEntry, error) {
		var err error
		rev, err = tx.AddRevision(ctx, a, NewRevision{Change: act.change(strings.TrimSpace(reason), s.now()), State: state, Base: base})
		if err != nil {
			return AuditEntry{}, err
		}
		if err := clearCitationFlags(ctx, tx, a.Country, a.Indicator); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "assessment." + state, Target: assessmentTarget(a.Country, a.Indicator, rev.Number),
			Detail: "rating " + a.Rating + "; " + reason}, nil
	})
	return rev, err
}

// Publish makes a submitted revision public. Nobody publishes their own.
func (s *Service) Publish(ctx context.Context, act Actor, country, indicator string, number int, comment string) (Revision, error) {
	return s.review(ctx, act, country, indicator, number, RevisionPublished, comment)
}

// Return sends a submitted revision back to its author with a comment.
func (s *Service) Return(ctx context.Context, act Actor, country, indicator string, number int, comment string) (Revision, error) {
	if strings.TrimSpace(comment) == "" {
		return Revision{}, FieldError("comment", "say what the author should change")
	}
	return s.review(ctx, act, country, indicator, number, RevisionReturned, comment)
}

func (s *Service) review(ctx context.Context, act Actor, country, indicator string, number int, state, comment string) (Revision, error) {
	if err := checkLines("comment", comment, maxReasonChars); err != nil {
		return Revision{}, err
	}
	var rev Revision
	err := s.write(ctx, act, ActReviewAssessment, country, func(tx Tx) (AuditEntry, error) {
		current, err := tx.Revision(ctx, country, indicator, number)
		if err != nil {
			return AuditEntry{}, err
		}
		if act.User.ID != 0 && current.AuthorID == act.User.ID {
			return AuditEntry{}, Errorf(EFORBIDDEN, "you wrote revision %d; another reviewer must %s it", number,
				map[string]string{RevisionPublished: "publish", RevisionReturned: "return"}[state])
		}
		rev, err = tx.ReviewRevision(ctx, country, indicator, number, Review{State: state, ReviewerID: act.User.ID,
			Reviewer: act.User.DisplayName(), Comment: strings.TrimSpace(comment), At: s.now()})
		if err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "assessment." + state, Target: assessmentTarget(country, indicator, number), Detail: comment}, nil
	})
	return rev, err
}

// Revert submits the content of an earlier revision as a new revision, so
// that going back is itself reviewed and recorded.
func (s *Service) Revert(ctx context.Context, act Actor, country, indicator string, to, base int, reason string) (Revision, error) {
	old, err := s.Store.Revision(ctx, country, indicator, to)
	if err != nil {
		return Revision{}, err
	}
	if strings.TrimSpace(reason) == "" {
		reason = fmt.Sprintf("revert to revision %d", to)
	}
	return s.SaveDraft(ctx, act, old.Content, base, reason, true)
}
