package postgres

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
	err := c.q.QueryRow(ctx, `SELECT id, kind, title, identifier, publisher, year, status_as_of, link
		FROM sources WHERE kind = $1 AND title_key = $2 AND year = $3 AND status_as_of = $4`,
		s.Kind, fold(s.Title), s.Year, s.StatusAsOf).Scan(&stored.ID, &stored.Kind, &stored.Title,
		&stored.Identifier, &stored.Publisher, &stored.Year, &stored.StatusAsOf, &stored.Link)
	if isNoRows(err) {
		err := c.q.QueryRow(ctx, `INSERT INTO sources (kind, title, title_key, identifier, publisher, year, status_as_of, link)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			s.Kind, s.Title, fold(s.Title), s.Identifier, s.Publisher, s.Year, s.StatusAsOf, s.Link).Scan(&s.ID)
		return s, err
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
		if _, err := c.q.Exec(ctx, `UPDATE sources SET identifier = $1, publisher = $2, link = $3 WHERE id = $4`,
			merged.Identifier, merged.Publisher, merged.Link, merged.ID); err != nil {
			return s, err
		}
		if err := c.indexSource(ctx, merged.ID); err != nil {
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
		list(o.Regions), list(o.AreasOfWork), o.Website}
	if o.ID == 0 {
		if err := c.q.QueryRow(ctx, `INSERT INTO organisations (slug, country, name, acronym, description, founded,
			office_city, regions, areas_of_work, website) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			args...).Scan(&o.ID); err != nil {
			return false, err
		}
	} else {
		if _, err := c.q.Exec(ctx, `UPDATE organisations SET slug = $1, country = $2, name = $3, acronym = $4,
			description = $5, founded = $6, office_city = $7, regions = $8, areas_of_work = $9, website = $10 WHERE id = $11`,
			append(args, o.ID)...); err != nil {
			return false, err
		}
		if _, err := c.q.Exec(ctx, `DELETE FROM contacts WHERE organisation_id = $1`, o.ID); err != nil {
			return false, err
		}
	}
	for pos, ct := range o.Contacts {
		if _, err := c.q.Exec(ctx, `INSERT INTO contacts (organisation_id, position, name, title, phone, email, address)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, pos, ct.Name, ct.Title, ct.Phone, ct.Email, ct.Address); err != nil {
			return false, err
		}
	}
	if err := c.indexOrganisation(ctx, o.ID); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

// normalOrg makes empty and nil lists compare equal.
func normalOrg(o vigie.Organisation) vigie.Organisation {
	o.Regions, o.AreasOfWork = strs(o.Regions), strs(o.AreasOfWork)
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
		if _, err := c.q.Exec(ctx, `UPDATE publications SET slug = $1, title = $2, type = $3, year = $4, publishers = $5,
			link = $6, language = $7, file_hash = $8, file_size = $9 WHERE id = $10`, p.Slug, p.Title, p.Type, p.Year, list(p.Publishers),
			p.Link, p.Language, p.File.Hash, p.File.Size, p.ID); err != nil {
			return false, err
		}
		if _, err := c.q.Exec(ctx, `DELETE FROM publication_countries WHERE publication_id = $1`, p.ID); err != nil {
			return false, err
		}
	} else {
		if err := c.q.QueryRow(ctx, `INSERT INTO publications (slug, title, type, year, publishers, link, language,
			file_hash, file_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, p.Slug, p.Title, p.Type, p.Year,
			list(p.Publishers), p.Link, p.Language, p.File.Hash, p.File.Size).Scan(&p.ID); err != nil {
			return false, err
		}
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO publication_countries (publication_id, country)
		SELECT $1, unnest($2::text[])`, p.ID, list(p.Countries)); err != nil {
		return false, err
	}
	if err := c.indexPublication(ctx, p.ID); err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

func normalPub(p vigie.Publication) vigie.Publication {
	p.Publishers, p.Countries = strs(p.Publishers), strs(p.Countries)
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
		n.Countries = strs(n.Countries)
		if reflect.DeepEqual(*n, existing) {
			return false, nil
		}
		if _, err := c.q.Exec(ctx, `UPDATE news SET title = $1, date = $2, summary = $3, body = $4 WHERE id = $5`,
			n.Title, n.Date, n.Summary, n.Body, n.ID); err != nil {
			return false, err
		}
		if _, err := c.q.Exec(ctx, `DELETE FROM news_countries WHERE news_id = $1`, n.ID); err != nil {
			return false, err
		}
	case vigie.IsNotFound(err) && n.ID != 0:
		if _, err := c.q.Exec(ctx, `UPDATE news SET slug = $1, title = $2, date = $3, summary = $4, body = $5 WHERE id = $6`,
			n.Slug, n.Title, n.Date, n.Summary, n.Body, n.ID); err != nil {
			return false, err
		}
		if _, err := c.q.Exec(ctx, `DELETE FROM news_countries WHERE news_id = $1`, n.ID); err != nil {
			return false, err
		}
	case vigie.IsNotFound(err):
		if err := c.q.QueryRow(ctx, `INSERT INTO news (slug, title, date, summary, body) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			n.Slug, n.Title, n.Date, n.Summary, n.Body).Scan(&n.ID); err != nil {
			return false, err
		}
	default:
		return false, err
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO news_countries (news_id, country) SELECT $1, unnest($2::text[])`,
		n.ID, list(n.Countries)); err != nil {
		return false, err
	}
	if err := c.indexNews(ctx, n.ID); err != nil {
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
	err := c.q.QueryRow(ctx, `SELECT value FROM settings WHERE key = 'featured_story'`).Scan(&current)
	if err != nil && !isNoRows(err) {
		return false, err
	}
	if current == slug {
		return false, nil
	}
	if _, err := c.q.Exec(ctx, `INSERT INTO settings (key, value) VALUES ('featured_story', $1)
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
	var free string
	err := c.q.QueryRow(ctx, `SELECT s FROM unnest($1::text[]) WITH ORDINALITY AS c (s, i)
		WHERE NOT EXISTS (SELECT 1 FROM `+table+` t WHERE t.slug = c.s AND t.id <> $2)
		ORDER BY i LIMIT 1`, candidates, id).Scan(&free)
	if isNoRows(err) {
		return "", vigie.Errorf(vigie.ECONFLICT, "no free slug for %q", base)
	}
	return free, err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
