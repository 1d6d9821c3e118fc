package vigie

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// SaveOrganisation creates an organisation (slug "") or replaces the
// stored one with slug, contacts included. Members may edit only their
// own countries' organisations: both the stored record's country and the
// one it would have are checked, so that nobody moves an organisation
// into or out of a country they do not speak for.
func (s *Service) SaveOrganisation(ctx context.Context, act Actor, slug string, o *Organisation) error {
	// An unknown country is the form's mistake (400), not a lack of rights.
	if _, ok := CountryByISO2(o.Country); !ok {
		return FieldError("country", "unknown country code %q", o.Country)
	}
	return s.write(ctx, act, ActEditOrganisation, o.Country, func(tx Tx) (AuditEntry, error) {
		changed := true
		if slug == "" {
			if err := createOrganisation(ctx, tx, o); err != nil {
				return AuditEntry{}, err
			}
		} else {
			stored, err := tx.Organisation(ctx, slug)
			if err != nil {
				return AuditEntry{}, err
			}
			if err := Authorize(act.User, ActEditOrganisation, stored.Country); err != nil {
				return AuditEntry{}, err
			}
			if changed, err = updateOrganisation(ctx, tx, stored, o); err != nil {
				return AuditEntry{}, err
			}
		}
		if !changed {
			return AuditEntry{}, nil
		}
		return AuditEntry{Action: "organisation.save", Target: "organisation:" + o.Slug, Detail: o.DisplayName()}, nil
	})
}

// SavePublication creates an entry of the reports library (slug "") or
// replaces the stored one with slug.
func (s *Service) SavePublication(ctx context.Context, act Actor, slug string, p *Publication) error {
	return s.write(ctx, act, ActEditPublication, "", func(tx Tx) (AuditEntry, error) {
		changed := true
		if slug == "" {
			if err := createPublication(ctx, tx, p); err != nil {
				return AuditEntry{}, err
			}
		} else {
			stored, err := tx.Publication(ctx, slug)
			if err != nil {
				return AuditEntry{}, err
			}
			if changed, err = updatePublication(ctx, tx, stored, p); err != nil {
				return AuditEntry{}, err
			}
		}
		if !changed {
			return AuditEntry{}, nil
		}
		return AuditEntry{Action: "publication.save", Target: "publication:" + p.Slug, Detail: p.Title}, nil
	})
}

// SaveNewsItem creates a news item (slug "") or replaces the stored one
// with slug. Members may write news only about their own countries: the
// countries the stored item is tagged with and those it will be tagged
// with must all be theirs, so a member can neither take over another
// country's story nor retag their own away.
func (s *Service) SaveNewsItem(ctx context.Context, act Actor, slug string, n *NewsItem) error {
	for _, c := range n.Countries {
		if _, ok := CountryByISO2(c); !ok {
			return FieldError("countries", "unknown country code %q", c)
		}
	}
	if u := act.User; u != nil && !u.Disabled && u.Role == RoleMember && len(n.Countries) == 0 {
		return FieldError("countries", "tag the news with your country")
	}
	if err := MayEditNews(act.User, n.Countries); err != nil {
		return err
	}
	if err := n.CheckLength(); err != nil {
		return err
	}
	return s.write(ctx, act, ActEditNews, firstNonEmpty(n.Countries...), func(tx Tx) (AuditEntry, error) {
		changed := true
		if slug == "" {
			if err := createNewsItem(ctx, tx, n); err != nil {
				return AuditEntry{}, err
			}
		} else {
			stored, err := tx.NewsItem(ctx, slug)
			if err != nil {
				return AuditEntry{}, err
			}
			if err := MayEditNews(act.User, stored.Countries); err != nil {
				return AuditEntry{}, err
			}
			if changed, err = updateNewsItem(ctx, tx, stored, n); err != nil {
				return AuditEntry{}, err
			}
		}
		if !changed {
			return AuditEntry{}, nil
		}
		return AuditEntry{Action: "news.save", Target: "news:" + n.Slug, Detail: n.Title}, nil
	})
}

// MayEditNews asks whether u may edit news tagged with countries: members
// only news tagged with their own countries (and none untagged). The
// workspace's lists and forms ask it too, to show a member only what they
// may change.
func MayEditNews(u *User, countries []string) error {
	if len(countries) == 0 {
		return Authorize(u, ActEditNews, "")
	}
	for _, c := range countries {
		if err := Authorize(u, ActEditNews, c); err != nil {
			return err
		}
	}
	return nil
}

// SetFeaturedStory chooses the news item shown across the site.
func (s *Service) SetFeaturedStory(ctx context.Context, act Actor, slug string) error {
	return s.write(ctx, act, ActFeatureStory, "", func(tx Tx) (AuditEntry, error) {
		changed, err := FeatureStory(ctx, tx, slug)
		if err != nil || !changed {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "featured.set", Target: "news:" + slug}, nil
	})
}

// FileMovementReport takes a reader's report. Anyone may file one; each
// address may file a few an hour.
func (s *Service) FileMovementReport(ctx context.Context, r *MovementReport, addr string) error {
	now := s.now()
	if blocked, wait := s.limits.reportsPerAddr.Blocked(addr, now); blocked {
		return Errorf(ERATELIMIT, "thank you — we have several reports from you already; please try again in %d minute(s)",
			int(math.Ceil(wait.Minutes())))
	}
	r.ID, r.State, r.Addr, r.CreatedAt = 0, ReportOpen, addr, now
	r.Change, r.Link, r.Contact = strings.TrimSpace(r.Change), strings.TrimSpace(r.Link), strings.TrimSpace(r.Contact)
	if err := s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.SaveMovementReport(ctx, r); err != nil {
			return err
		}
		return tx.AddAudit(ctx, AuditEntry{At: now, Actor: "public", Action: "report.file",
			Target: fmt.Sprintf("report:%d", r.ID), Detail: r.Country + " " + r.Indicator, Addr: addr})
	}); err != nil {
		return err
	}
	s.limits.reportsPerAddr.Add(addr, now)
	return nil
}

// SetReportState records what a researcher did with a movement report.
func (s *Service) SetReportState(ctx context.Context, act Actor, id int64, state string) error {
	if state != ReportOpen && state != ReportDrafted && state != ReportClosed {
		return FieldError("state", "unknown report state %q", state)
	}
	return s.write(ctx, act, ActTriageReports, "", func(tx Tx) (AuditEntry, error) {
		r, err := tx.MovementReport(ctx, id)
		if err != nil || r.State == state {
			return AuditEntry{}, err
		}
		r.State = state
		if err := tx.SaveMovementReport(ctx, &r); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "report." + state, Target: fmt.Sprintf("report:%d", r.ID)}, nil
	})
}
