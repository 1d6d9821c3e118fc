package vigie

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// How organisations, publications and news items are saved. The decisions
// are made here, once, for the web forms, the API and the importers alike:
// whether a save creates a record or replaces one, which stored record it
// replaces, whether anything changed. The stores only insert a new row or
// rewrite the row with a given ID (Tx.InsertNewsItem, Tx.UpdateNewsItem…).
//
// An editor's save names the record it replaces by the slug it was loaded
// from ("" to create one), so that a new record can never take over a
// stored one by reusing its slug or name: that is a conflict. Imports
// merge instead: the stored record with the same key is updated.

// MergeNewsItem saves an imported news item: the stored item with its slug
// is updated, or a new one created.
func MergeNewsItem(ctx context.Context, tx Tx, n *NewsItem) (changed bool, err error) {
	stored, err := tx.NewsItem(ctx, n.Slug)
	switch {
	case IsNotFound(err):
		return true, createNewsItem(ctx, tx, n)
	case err != nil:
		return false, err
	}
	return updateNewsItem(ctx, tx, stored, n)
}

func (n *NewsItem) normalise() {
	n.Slug = strings.TrimSpace(n.Slug)
	slices.Sort(n.Countries)
	n.Countries = slices.Compact(n.Countries)
	if len(n.Countries) == 0 {
		n.Countries = nil
	}
	n.Date = n.Date.UTC().Truncate(24 * time.Hour)
}

func createNewsItem(ctx context.Context, tx Tx, n *NewsItem) error {
	n.ID = 0
	n.normalise()
	if err := n.Validate(); err != nil {
		return err
	}
	if err := slugFree(ctx, n.Slug, tx.NewsItem); err != nil {
		return err
	}
	return tx.InsertNewsItem(ctx, n)
}

func updateNewsItem(ctx context.Context, tx Tx, stored NewsItem, n *NewsItem) (bool, error) {
	n.ID = stored.ID
	n.normalise()
	if err := n.Validate(); err != nil {
		return false, err
	}
	if n.Slug != stored.Slug {
		if err := slugFree(ctx, n.Slug, tx.NewsItem); err != nil {
			return false, err
		}
	}
	stored.normalise()
	if reflect.DeepEqual(*n, stored) {
		return false, nil
	}
	return true, tx.UpdateNewsItem(ctx, *n)
}

// SlugTaken is the conflict of a record given a slug another record has,
// on the slug field; stores answer it too when their unique index is what
// catches the clash.
func SlugTaken(slug string) *Error {
	e := Errorf(ECONFLICT, "%q is already the address of another record: choose another", slug)
	e.Field = "slug"
	return e
}

// slugFree returns an ECONFLICT error, on the slug field, when find finds
// a stored record with slug.
func slugFree[T any](ctx context.Context, slug string, find func(context.Context, string) (T, error)) error {
	_, err := find(ctx, slug)
	switch {
	case err == nil:
		return SlugTaken(slug)
	case IsNotFound(err):
		return nil
	}
	return err
}

// MergeOrganisation saves an imported organisation: the stored one of the
// same country with the same name (ignoring case and accents) is updated,
// or a new one created.
func MergeOrganisation(ctx context.Context, tx Tx, o *Organisation) (changed bool, err error) {
	// The name first, the one organisation matched after: an import of
	// a large network merges each of its members this way.
	names, err := tx.OrganisationNamed(ctx, o.Country, o.Name)
	if err != nil {
		return false, err
	}
	if len(names) == 0 {
		return true, createOrganisation(ctx, tx, o)
	}
	stored, err := tx.Organisation(ctx, names[0].Slug)
	if err != nil {
		return false, err
	}
	return updateOrganisation(ctx, tx, stored, o)
}

func sameName(a, b string) bool { return Fold(strings.TrimSpace(a)) == Fold(strings.TrimSpace(b)) }

func (o *Organisation) normalise() {
	o.Slug = strings.TrimSpace(o.Slug)
	if len(o.Regions) == 0 {
		o.Regions = nil
	}
	if len(o.AreasOfWork) == 0 {
		o.AreasOfWork = nil
	}
	if len(o.Contacts) == 0 {
		o.Contacts = nil
	}
}

func createOrganisation(ctx context.Context, tx Tx, o *Organisation) error {
	o.ID = 0
	o.normalise()
	if err := o.Validate(); err != nil {
		return err
	}
	if err := nameFree(ctx, tx, *o); err != nil {
		return err
	}
	var err error
	if o.Slug == "" {
		if o.Slug, err = freeSlug(ctx, Slugify(firstNonEmpty(o.Acronym, o.Name)), o.Country, tx.Organisation); err != nil {
			return err
		}
	} else if err := slugFree(ctx, o.Slug, tx.Organisation); err != nil {
		return err
	}
	return tx.InsertOrganisation(ctx, o)
}

func updateOrganisation(ctx context.Context, tx Tx, stored Organisation, o *Organisation) (bool, error) {
	o.ID = stored.ID
	if o.Slug == "" {
		o.Slug = stored.Slug
	}
	o.normalise()
	if err := o.Validate(); err != nil {
		return false, err
	}
	if o.Slug != stored.Slug {
		if err := slugFree(ctx, o.Slug, tx.Organisation); err != nil {
			return false, err
		}
	}
	if !sameName(o.Name, stored.Name) || o.Country != stored.Country {
		if err := nameFree(ctx, tx, *o); err != nil {
			return false, err
		}
	}
	stored.normalise()
	if reflect.DeepEqual(*o, stored) {
		return false, nil
	}
	return true, tx.UpdateOrganisation(ctx, *o)
}

// nameFree returns an ECONFLICT error, on the name field, when another
// organisation of o's country has o's name: two would be one organisation
// entered twice.
func nameFree(ctx context.Context, tx Tx, o Organisation) error {
	stored, err := tx.OrganisationNamed(ctx, o.Country, o.Name)
	if err != nil {
		return err
	}
	if i := slices.IndexFunc(stored, func(e OrganisationName) bool { return e.ID != o.ID }); i >= 0 {
		e := Errorf(ECONFLICT, "%s already has an organisation named %q", o.Country, stored[i].Name)
		e.Field = "name"
		return e
	}
	return nil
}

// freeSlug returns base, or base with the country code appended, or a
// numbered variant, whichever no stored record has.
func freeSlug[T any](ctx context.Context, base, country string, find func(context.Context, string) (T, error)) (string, error) {
	if base == "" {
		base = "item"
	}
	candidates := []string{base, base + "-" + Slugify(country)}
	for n := 2; n < 100; n++ {
		candidates = append(candidates, base+"-"+strconv.Itoa(n))
	}
	for _, s := range candidates {
		switch _, err := find(ctx, s); {
		case IsNotFound(err):
			return s, nil
		case err != nil:
			return "", err
		}
	}
	return "", Errorf(ECONFLICT, "no free slug for %q", base)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// MergePublication saves an imported publication: the stored one with
// its slug is updated, or a new one created.
func MergePublication(ctx context.Context, tx Tx, p *Publication) (changed bool, err error) {
	p.defaultSlug()
	stored, err := tx.Publication(ctx, p.Slug)
	switch {
	case IsNotFound(err):
		return true, createPublication(ctx, tx, p)
	case err != nil:
		return false, err
	}
	return updatePublication(ctx, tx, stored, p)
}

func (p *Publication) defaultSlug() {
	p.Slug = strings.TrimSpace(p.Slug)
	if p.Slug == "" {
		p.Slug = Slugify(p.Title + " " + strconv.Itoa(p.Year))
	}
}

func (p *Publication) normalise() {
	slices.Sort(p.Countries)
	p.Countries = slices.Compact(p.Countries)
	if len(p.Countries) == 0 {
		p.Countries = nil
	}
	if len(p.Publishers) == 0 {
		p.Publishers = nil
	}
}

func createPublication(ctx context.Context, tx Tx, p *Publication) error {
	p.ID = 0
	p.defaultSlug()
	p.normalise()
	if err := p.Validate(); err != nil {
		return err
	}
	if err := slugFree(ctx, p.Slug, tx.Publication); err != nil {
		return err
	}
	return tx.InsertPublication(ctx, p)
}

func updatePublication(ctx context.Context, tx Tx, stored Publication, p *Publication) (bool, error) {
	p.ID = stored.ID
	if strings.TrimSpace(p.Slug) == "" {
		p.Slug = stored.Slug
	}
	p.normalise()
	if err := p.Validate(); err != nil {
		return false, err
	}
	if p.Slug != stored.Slug {
		if err := slugFree(ctx, p.Slug, tx.Publication); err != nil {
			return false, err
		}
	}
	stored.normalise()
	if reflect.DeepEqual(*p, stored) {
		return false, nil
	}
	return true, tx.UpdatePublication(ctx, *p)
}

// FeatureStory makes the news item with slug the featured story; changed
// is false when it already was.
func FeatureStory(ctx context.Context, tx Tx, slug string) (changed bool, err error) {
	if _, err := tx.NewsItem(ctx, slug); err != nil {
		return false, err
	}
	current, err := tx.FeaturedStory(ctx)
	switch {
	case err == nil && current.Slug == slug:
		return false, nil
	case err != nil && !IsNotFound(err):
		return false, err
	}
	return true, tx.SetFeaturedStory(ctx, slug)
}
