package vigie

import (
	"context"
	"fmt"
	"math"
	"strings"
)

// SaveOrganisation creates or updates an organisation and its contacts.
// Members may edit only their own countries' organisations.
func (s *Service) SaveOrganisation(ctx context.Context, act Actor, o *Organisation) error {
	return s.write(ctx, act, ActEditOrganisation, o.Country, func(tx Tx) (AuditEntry, error) {
		if o.ID != 0 {
			// The stored country decides, so a member cannot move another
			// country's organisation into theirs.
			orgs, err := tx.Organisations(ctx, OrganisationFilter{})
			if err != nil {
				return AuditEntry{}, err
			}
			for _, e := range orgs {
				if e.ID == o.ID && !act.User.Can(ActEditOrganisation, e.Country) {
					return AuditEntry{}, Authorize(act.User, ActEditOrganisation, e.Country)
				}
			}
		}
		changed, err := tx.SaveOrganisation(ctx, o)
		if err != nil || !changed {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "organisation.save", Target: "organisation:" + o.Slug, Detail: o.DisplayName()}, nil
	})
}

// SavePublication creates or updates an entry of the reports library.
func (s *Service) SavePublication(ctx context.Context, act Actor, p *Publication) error {
	return s.write(ctx, act, ActEditPublication, "", func(tx Tx) (AuditEntry, error) {
		changed, err := tx.SavePublication(ctx, p)
		if err != nil || !changed {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "publication.save", Target: "publication:" + p.Slug, Detail: p.Title}, nil
	})
}

// SaveNewsItem creates or updates a news item. Members may post news only
// about their own countries.
func (s *Service) SaveNewsItem(ctx context.Context, act Actor, n *NewsItem) error {
	if act.User != nil && act.User.Role == RoleMember {
		if len(n.Countries) == 0 {
			return FieldError("countries", "tag the news with your country")
		}
		for _, c := range n.Countries {
			if err := Authorize(act.User, ActEditNews, c); err != nil {
				return err
			}
		}
	}
	return s.write(ctx, act, ActEditNews, firstCountry(n.Countries), func(tx Tx) (AuditEntry, error) {
		changed, err := tx.SaveNewsItem(ctx, n)
		if err != nil || !changed {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "news.save", Target: "news:" + n.Slug, Detail: n.Title}, nil
	})
}

func firstCountry(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// SetFeaturedStory chooses the news item shown across the site.
func (s *Service) SetFeaturedStory(ctx context.Context, act Actor, slug string) error {
	return s.write(ctx, act, ActFeatureStory, "", func(tx Tx) (AuditEntry, error) {
		changed, err := tx.SetFeaturedStory(ctx, slug)
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
