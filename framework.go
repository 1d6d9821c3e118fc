package vigie

import "context"

// SaveIndicator adds an indicator to the framework or edits one. Only
// admins may: every country's page changes with it.
func (s *Service) SaveIndicator(ctx context.Context, act Actor, ind Indicator) error {
	return s.write(ctx, act, ActManageFramework, "", func(tx Tx) (AuditEntry, error) {
		changed, err := tx.SaveIndicator(ctx, ind)
		if err != nil || !changed {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "indicator.save", Target: "indicator:" + ind.Key, Detail: ind.Name}, nil
	})
}

// SaveRating adds a step to the rating scale or edits one; admins only.
func (s *Service) SaveRating(ctx context.Context, act Actor, r Rating) error {
	return s.write(ctx, act, ActManageFramework, "", func(tx Tx) (AuditEntry, error) {
		changed, err := tx.SaveRating(ctx, r)
		if err != nil || !changed {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "rating.save", Target: "rating:" + r.Key, Detail: r.Label}, nil
	})
}
