package sqlite

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// findOrCreateSource returns the stored record for s, creating it when no
// source is the same record. Details a new citation adds (a link, an
// identifier) fill the stored record's empty fields.
func (c conn) findOrCreateSource(ctx context.Context, s vigie.Source) (vigie.Source, error) {
	var stored vigie.Source
	err := c.q.QueryRowContext(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources WHERE kind = ? AND title_key = ? AND year = ? AND status_as_of = ?`,
		s.Kind, fold(s.Title), s.Year, s.StatusAsOf).Scan(&stored.ID, &stored.Kind, &stored.Title,
		&stored.Identifier, &stored.Publisher, &stored.Year, &stored.StatusAsOf, &stored.Link)
	if isNoRows(err) {
		res, err := c.q.ExecContext(ctx, `INSERT INTO sources (kind, title, title_key, identifier, publisher, year, status_as_of, link)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, s.Kind, s.Title, fold(s.Title), s.Identifier, s.Publisher, s.Year, s.StatusAsOf, s.Link)
		if err != nil {
			return s, err
		}
		if s.ID, err = res.LastInsertId(); err != nil {
			return s, err
		}
		return s, c.indexID(ctx, vigie.SearchSource, s.ID)
	}
	if err != nil {
		return s, err
	}
	merged := stored
	for _, f := range []struct {
		dst *string
		src string
	}{
		{&merged.Identifier, s.Identifier}, {&merged.Publisher, s.Publisher}, {&merged.Link, s.Link},
	} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	if merged != stored {
		if _, err := c.q.ExecContext(ctx, `UPDATE sources SET identifier = ?, publisher = ?, link = ? WHERE id = ?`,
			merged.Identifier, merged.Publisher, merged.Link, merged.ID); err != nil {
			return s, err
		}
		if err := c.indexID(ctx, vigie.SearchSource, merged.ID); err != nil {
			return s, err
		}
	}
	return merged, nil
}

func (c conn) SaveOrganisation(ctx context.Context, o *vigie.Organisation) (bool, error) {
	if err := o.Validate(); err != nil {
		return false, err
	}
	existing, err := c.Organisations(ctx, vigie.OrganisationFilter{Country: o.Country})
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(existing, func(e vigie.Organisation) bool {
		return (o.ID != 0 && e.ID == o.ID) || (o.ID == 0 && fold(e.Name) == fold(o.Name))
	})
	if o.ID != 0 && i < 0 {
		return false, notFound("no organisation %d in %s", o.ID, o.Country)
	}
	if i >= 0 {
		o.ID = existing[i].ID
		if o.Slug == "" {
			o.Slug = existing[i].Slug
		}
		if reflect.DeepEqual(normalOrg(*o), normalOrg(existing[i])) {
			return false, nil
		}
	}
	if o.Slug == "" {
		o.Slug, err = c.freeSlug(ctx, "organisations", o.ID, vigie.Slugify(firstNonEmpty(o.Acronym, o.Name)), o.Country)
		if err != nil {
			return false, err
		}
	}
	args := []any{o.Slug, o.Country, o.Name, o.Acronym, o.Description, o.Founded.String(), o.OfficeCity,
		toJSON(o.Regions), toJSON(o.AreasOfWork), o.Website}
	if o.ID == 0 {
		res, err := c.q.ExecContext(ctx, `INSERT INTO organisations (slug, country, name, acronym, description, founded,
			office_city, regions, areas_of_work, website) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			return false, err
		}
		if o.ID, err = res.LastInsertId(); err != nil {
			return false, err
		}
	} else {
		if _, err := c.q.ExecContext(ctx, `UPDATE organisations SET slug = ?, country = ?, name = ?, acronym = ?,
			description = ?, founded = ?, office_city = ?, regions = ?, areas_of_work = ?, website = ? WHERE id = ?`,
			append(args, o.ID)...); err != nil {
			return false, err
		}
		if _, err := c.q.ExecContext(ctx, `DELETE FROM contacts WHERE organisation_id = ?`, o.ID); err != nil {
			return false, err
		}
	}
	for pos, ct := range o.Contacts {
		if _, err := c.q.ExecContext(ctx, `INSERT INTO contacts (organisation_id, position, name, title, phone, email, address)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, o.ID, pos, ct.Name, ct.Title, ct.Phone, ct.Email, ct.Address); err != nil {
			return false, err
		}
	}
	if err := c.indexID(ctx, vigie.SearchOrganisation, o.ID); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

// normalOrg makes empty and nil lists compare equal.
func normalOrg(o vigie.Organisation) vigie.Organisation {
	if len(o.Regions) == 0 {
		o.Regions = nil
	}
	if len(o.AreasOfWork) == 0 {
		o.AreasOfWork = nil
	}
	if len(o.Contacts) == 0 {
		o.Contacts = nil
	}
	return o
}

func (c conn) SavePublication(ctx context.Context, p *vigie.Publication) (bool, error) {
	if err := p.Validate(); err != nil {
		return false, err
	}
	if p.Slug == "" && p.ID == 0 {
		p.Slug = vigie.Slugify(p.Title + " " + strconv.Itoa(p.Year))
	}
	all, err := c.Publications(ctx, vigie.PublicationFilter{})
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(all, func(e vigie.Publication) bool {
		return (p.ID != 0 && e.ID == p.ID) || (p.ID == 0 && e.Slug == p.Slug)
	})
	if p.ID != 0 && i < 0 {
		return false, notFound("no publication %d", p.ID)
	}
	slices.Sort(p.Countries)
	p.Countries = slices.Compact(p.Countries)
	if i >= 0 {
		p.ID = all[i].ID
		if p.Slug == "" {
			p.Slug = all[i].Slug
		}
		if reflect.DeepEqual(normalPub(*p), normalPub(all[i])) {
			return false, nil
		}
		if _, err := c.q.ExecContext(ctx, `UPDATE publications SET slug = ?, title = ?, type = ?, year = ?, publishers = ?,
			link = ?, language = ?, file_hash = ?, file_size = ? WHERE id = ?`, p.Slug, p.Title, p.Type, p.Year, toJSON(p.Publishers),
			p.Link, p.Language, p.File.Hash, p.File.Size, p.ID); err != nil {
			return false, err
		}
		if _, err := c.q.ExecContext(ctx, `DELETE FROM publication_countries WHERE publication_id = ?`, p.ID); err != nil {
			return false, err
		}
	} else {
		res, err := c.q.ExecContext(ctx, `INSERT INTO publications (slug, title, type, year, publishers, link, language,
			file_hash, file_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.Slug, p.Title, p.Type, p.Year, toJSON(p.Publishers),
			p.Link, p.Language, p.File.Hash, p.File.Size)
		if err != nil {
			return false, err
		}
		if p.ID, err = res.LastInsertId(); err != nil {
			return false, err
		}
	}
	for _, country := range p.Countries {
		if _, err := c.q.ExecContext(ctx, `INSERT INTO publication_countries (publication_id, country) VALUES (?, ?)`, p.ID, country); err != nil {
			return false, err
		}
	}
	if err := c.indexID(ctx, vigie.SearchPublication, p.ID); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

func normalPub(p vigie.Publication) vigie.Publication {
	if len(p.Publishers) == 0 {
		p.Publishers = nil
	}
	if len(p.Countries) == 0 {
		p.Countries = nil
	}
	return p
}

func (c conn) SaveNewsItem(ctx context.Context, n *vigie.NewsItem) (bool, error) {
	if err := n.Validate(); err != nil {
		return false, err
	}
	slices.Sort(n.Countries)
	n.Countries = slices.Compact(n.Countries)
	n.Date = n.Date.UTC().Truncate(24 * time.Hour)
	existing, err := c.NewsItem(ctx, n.Slug)
	switch {
	case err == nil:
		if n.ID != 0 && n.ID != existing.ID {
			return false, vigie.Errorf(vigie.ECONFLICT, "the slug %q belongs to another news item", n.Slug)
		}
		n.ID = existing.ID
		if len(n.Countries) == 0 {
			n.Countries = nil
		}
		if reflect.DeepEqual(*n, existing) {
			return false, nil
		}
		if _, err := c.q.ExecContext(ctx, `UPDATE news SET title = ?, date = ?, summary = ?, body = ? WHERE id = ?`,
			n.Title, n.Date.Format(time.DateOnly), n.Summary, n.Body, n.ID); err != nil {
			return false, err
		}
		if _, err := c.q.ExecContext(ctx, `DELETE FROM news_countries WHERE news_id = ?`, n.ID); err != nil {
			return false, err
		}
	case vigie.IsNotFound(err) && n.ID != 0:
		if _, err := c.q.ExecContext(ctx, `UPDATE news SET slug = ?, title = ?, date = ?, summary = ?, body = ? WHERE id = ?`,
			n.Slug, n.Title, n.Date.Format(time.DateOnly), n.Summary, n.Body, n.ID); err != nil {
			return false, err
		}
		if _, err := c.q.ExecContext(ctx, `DELETE FROM news_countries WHERE news_id = ?`, n.ID); err != nil {
			return false, err
		}
	case vigie.IsNotFound(err):
		res, err := c.q.ExecContext(ctx, `INSERT INTO news (slug, title, date, summary, body) VALUES (?, ?, ?, ?, ?)`,
			n.Slug, n.Title, n.Date.Format(time.DateOnly), n.Summary, n.Body)
		if err != nil {
			return false, err
		}
		if n.ID, err = res.LastInsertId(); err != nil {
			return false, err
		}
	default:
		return false, err
	}
	for _, country := range n.Countries {
		if _, err := c.q.ExecContext(ctx, `INSERT INTO news_countries (news_id, country) VALUES (?, ?)`, n.ID, country); err != nil {
			return false, err
		}
	}
	if err := c.indexID(ctx, vigie.SearchNews, n.ID); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

func (c conn) SetFeaturedStory(ctx context.Context, slug string) (bool, error) {
	if _, err := c.NewsItem(ctx, slug); err != nil {
		return false, err
	}
	var current string
	err := c.q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'featured_story'`).Scan(&current)
	if err != nil && !isNoRows(err) {
		return false, err
	}
	if current == slug {
		return false, nil
	}
	if _, err := c.q.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('featured_story', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, slug); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

// freeSlug returns base, or base with the country code appended, or a
// numbered variant, whichever no other row of table uses.
func (c conn) freeSlug(ctx context.Context, table string, id int64, base, country string) (string, error) {
	if base == "" {
		base = "item"
	}
	candidates := []string{base, base + "-" + vigie.Slugify(country)}
	for n := 2; n < 100; n++ {
		candidates = append(candidates, base+"-"+strconv.Itoa(n))
	}
	for _, s := range candidates {
		var n int
		if err := c.q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE slug = ? AND id != ?`, s, id).Scan(&n); err != nil {
			return "", err
		}
		if n == 0 {
			return s, nil
		}
	}
	return "", vigie.Errorf(vigie.ECONFLICT, "no free slug for %q", base)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
