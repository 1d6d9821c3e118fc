// Package export turns Vigie's data into files people can take away — a
// Frictionless Data Package of CSV files, one JSON document, or an XLSX
// workbook — and reads those files back for imports.
//
// All three formats hold the same tables (see Tables): the framework
// (ratings, indicators), the countries, the sources, the assessments' published state,
// every revision with its citations, organisations and their contacts,
// publications and news. A Dataset is those tables in memory. Output is
// deterministic: the same data always gives the same bytes, so that an
// export, imported into a new database and exported again, is identical.
package export

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// FormatVersion is the version of the tables' layout. Readers refuse
// files of a version they do not know.
const FormatVersion = 1

// FormatName marks Vigie datasets in JSON and in datapackage.json.
const FormatName = "vigie-dataset"

// Scopes say how much of the history an export holds.
const (
	// ScopeFull is everything: revisions in every state with their
	// authors, reasons and review comments. It is a backup for people with
	// access to the database, and what round trips.
	ScopeFull = "full"
	// ScopePublished is what the public may see: published revisions
	// only, without authors, reasons or review comments. Editions and the
	// downloads on /data use it.
	ScopePublished = "published"
)

// Meta describes a dataset as a whole.
type Meta struct {
	Version int
	Scope   string
	// AsOf is the day ("2025-12-31") the data is shown as of, at the end
	// of that day in UTC; empty for the current data.
	AsOf    string
	Edition *EditionMeta // nil unless the dataset is a frozen edition
}

// EditionMeta names the edition a dataset was frozen as. It is the only
// time in a dataset that is not part of the data, and it comes from the
// edition, never from the clock of the export, so exports stay
// byte-identical.
type EditionMeta struct {
	Name        string
	PublishedAt time.Time
	DataVersion int64
}

// Dataset is the whole of Vigie's data as tables, rows in a stable order.
type Dataset struct {
	Meta
	Ratings              []Rating
	Indicators           []Indicator
	Countries            []Country
	Sources              []Source
	Assessments          []Assessment
	Revisions            []Revision
	Citations            []Citation
	Organisations        []Organisation
	Contacts             []Contact
	Publications         []Publication
	PublicationCountries []PublicationCountry
	News                 []News
	NewsCountries        []NewsCountry
	Translations         []Translation

	// origin says where decoded rows came from, for messages.
	origin *origin
}

// The row types. Field comments are in the schema (schema.go), which
// documents the columns in every format.
type (
	Rating struct {
		Key, Label, Meaning string
		Assessed            bool
		Position            int
	}
	Indicator struct {
		Key, Name, Rationale, ValueKind string
		Position                        int
	}
	Country struct {
		ISO2, ISO3, Numeric, Slug, NameEN, NameFR, NameES    string
		RegionCode, RegionName, SubRegionCode, SubRegionName string
	}
	Source struct {
		ID                                 int
		Kind, Title, Identifier, Publisher string
		Year, StatusAsOf                   int
		Link                               string
	}
	Assessment struct {
		Country, Indicator string
		Revision           int
		Rating             string
		Value              *int
		AsOf               string
		PublishedAt        time.Time
	}
	Revision struct {
		Country, Indicator      string
		Number, Base            int
		State, Author, Reason   string
		CreatedAt, PublishedAt  time.Time
		Reviewer, ReviewComment string
		Rating                  string
		Value                   *int
		AsOf, Explanation       string
	}
	Citation struct {
		Country, Indicator         string
		Revision, Position, Source int
		Articles                   string
	}
	Organisation struct {
		Slug, Country, Name, Acronym, Description, Founded, OfficeCity string
		Regions, AreasOfWork                                           []string
		Website                                                        string
	}
	Contact struct {
		Organisation                       string
		Position                           int
		Name, Title, Phone, Email, Address string
	}
	Publication struct {
		Slug, Title, Type string
		Year              int
		Publishers        []string
		Link, Language    string
		FileSHA256        string
		FileSize          int
	}
	PublicationCountry struct{ Publication, Country string }
	News               struct {
		Slug, Title, Date, Summary, Body string
		Featured                         bool
	}
	NewsCountry struct{ News, Country string }
	Translation struct {
		Kind, Key, Field, Lang, Text, SourceVersion string
	}
)

// Options choose what Build exports.
type Options struct {
	Scope string // ScopeFull (the default) or ScopePublished
	// AsOf, a day as "2025-12-31", exports what was published at the end
	// of that day (UTC): published revisions only, and for each assessment
	// the one last published by then. Organisations, publications and news
	// keep no history and are exported as they are now.
	AsOf string
}

// ParseDay reads a day as "2025-12-31" and returns the instant it ends,
// the first nanosecond of the next day in UTC.
func ParseDay(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a day: use YYYY-MM-DD", s)
	}
	return d.AddDate(0, 0, 1), nil
}

// Build reads the whole dataset from r. Pass a transaction to read one
// consistent state while others write.
func Build(ctx context.Context, r vigie.Reader, opts Options) (*Dataset, error) {
	if opts.Scope == "" {
		opts.Scope = ScopeFull
	}
	if opts.Scope != ScopeFull && opts.Scope != ScopePublished {
		return nil, fmt.Errorf("unknown scope %q: use %s or %s", opts.Scope, ScopeFull, ScopePublished)
	}
	var end time.Time
	if opts.AsOf != "" {
		var err error
		if end, err = ParseDay(opts.AsOf); err != nil {
			return nil, err
		}
	}
	ds := &Dataset{Meta: Meta{Version: FormatVersion, Scope: opts.Scope, AsOf: opts.AsOf}}

	if err := addFramework(ctx, r, ds); err != nil {
		return nil, err
	}

	states := []string{vigie.RevisionPublished}
	if opts.Scope == ScopeFull && opts.AsOf == "" {
		states = append(states, vigie.RevisionDraft, vigie.RevisionSubmitted, vigie.RevisionReturned)
	}
	var revs []vigie.Revision
	for _, st := range states {
		list, err := r.RevisionsInState(ctx, st)
		if err != nil {
			return nil, err
		}
		for _, rev := range list {
			if opts.AsOf == "" || rev.PublishedAt.Before(end) {
				revs = append(revs, rev)
			}
		}
	}

	// In the order of the file (see Sort), so that the revisions and
	// their citations are added in order and need no sorting there.
	position := make(map[string]int, len(ds.Indicators))
	for _, x := range ds.Indicators {
		position[x.Key] = x.Position
	}
	slices.SortFunc(revs, func(a, b vigie.Revision) int {
		return cmp.Or(cmp.Compare(a.Content.Country, b.Content.Country),
			cmp.Compare(position[a.Content.Indicator], position[b.Content.Indicator]),
			cmp.Compare(a.Content.Indicator, b.Content.Indicator), cmp.Compare(a.Number, b.Number))
	})

	current := map[[2]string]int{} // the published revision of each assessment
	if opts.AsOf == "" {
		published, err := r.Assessments(ctx, vigie.AssessmentFilter{})
		if err != nil {
			return nil, err
		}
		for _, a := range published {
			current[[2]string{a.Country, a.Indicator}] = a.Revision
		}
	} else {
		current = lastPublished(revs)
	}
	ds.addRevisions(revs, current, opts.Scope == ScopePublished)

	if err := ds.addLibrary(ctx, r); err != nil {
		return nil, err
	}
	// Translations have no history: an export as of a past day leaves
	// them out rather than pair old texts with today's translations.
	if opts.AsOf == "" {
		trs, err := r.Translations(ctx, vigie.TranslationFilter{})
		if err != nil {
			return nil, err
		}
		for _, t := range trs {
			ds.Translations = append(ds.Translations, Translation{t.Kind, t.Key, t.Field, t.Lang, t.Text, t.SourceVersion})
		}
	}
	ds.Sort()
	return ds, nil
}

// lastPublished finds, for each assessment, the revision the public saw
// last: the greatest publication time, then the greatest number, as
// vigie.Reader.AssessmentsAsOf does.
func lastPublished(revs []vigie.Revision) map[[2]string]int {
	best := map[[2]string]vigie.Revision{}
	for _, rev := range revs {
		k := [2]string{rev.Content.Country, rev.Content.Indicator}
		b, ok := best[k]
		if !ok || rev.PublishedAt.After(b.PublishedAt) || (rev.PublishedAt.Equal(b.PublishedAt) && rev.Number > b.Number) {
			best[k] = rev
		}
	}
	out := make(map[[2]string]int, len(best))
	for k, rev := range best {
		out[k] = rev.Number
	}
	return out
}

func countryRows() []Country {
	var out []Country
	for _, c := range vigie.Countries() {
		out = append(out, Country{ISO2: c.ISO2, ISO3: c.ISO3, Numeric: c.Numeric, Slug: c.Slug,
			NameEN: c.Names.EN, NameFR: c.Names.FR, NameES: c.Names.ES,
			RegionCode: c.Region.Code, RegionName: c.Region.Names.EN,
			SubRegionCode: c.SubRegion.Code, SubRegionName: c.SubRegion.Names.EN})
	}
	return out
}

// sourceKey identifies a source as the store matches it (Source.SameRecord).
type sourceKey struct {
	kind         vigie.SourceKind
	title        string // folded
	year, status int
}

func keyOf(s vigie.Source) sourceKey {
	return sourceKey{s.Kind, vigie.Fold(strings.TrimSpace(s.Title)), s.Year, s.StatusAsOf}
}

// addRevisions adds the revisions, their citations, the sources they cite
// and the published state. Source IDs are numbered in the file, in
// a stable order, so that they do not depend on the database.
func (ds *Dataset) addRevisions(revs []vigie.Revision, current map[[2]string]int, public bool) {
	// A stored source has one key: fold its title once, not per citation.
	stored := map[int64]sourceKey{}
	key := func(s vigie.Source) sourceKey {
		if s.ID == 0 {
			return keyOf(s)
		}
		k, ok := stored[s.ID]
		if !ok {
			k = keyOf(s)
			stored[s.ID] = k
		}
		return k
	}
	sources := map[sourceKey]vigie.Source{}
	for _, rev := range revs {
		for _, c := range rev.Content.Citations {
			k := key(c.Source)
			if _, ok := sources[k]; !ok {
				sources[k] = c.Source
			}
		}
	}
	keys := make([]sourceKey, 0, len(sources))
	for k := range sources {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b sourceKey) int {
		return cmp.Or(cmp.Compare(a.title, b.title), cmp.Compare(a.kind, b.kind), cmp.Compare(a.year, b.year),
			cmp.Compare(a.status, b.status))
	})
	ids := make(map[sourceKey]int, len(keys))
	for i, k := range keys {
		s := sources[k]
		ids[k] = i + 1
		ds.Sources = append(ds.Sources, Source{ID: i + 1, Kind: string(s.Kind), Title: s.Title, Identifier: s.Identifier,
			Publisher: s.Publisher, Year: s.Year, StatusAsOf: s.StatusAsOf, Link: s.Link})
	}

	for _, rev := range revs {
		a := rev.Content
		row := revisionRow(rev, public)
		ds.Revisions = append(ds.Revisions, row)
		for i, c := range a.Citations {
			ds.Citations = append(ds.Citations, Citation{Country: a.Country, Indicator: a.Indicator, Revision: rev.Number,
				Position: i + 1, Source: ids[key(c.Source)], Articles: c.Articles})
		}
		if current[[2]string{a.Country, a.Indicator}] == rev.Number && rev.State == vigie.RevisionPublished {
			ds.Assessments = append(ds.Assessments, Assessment{Country: a.Country, Indicator: a.Indicator,
				Revision: rev.Number, Rating: a.Rating, Value: a.Value, AsOf: a.AsOf.String(), PublishedAt: rev.PublishedAt})
		}
	}
}

// addLibrary adds organisations, publications and news, which keep no
// history: they are exported as they are now.
func (ds *Dataset) addLibrary(ctx context.Context, r vigie.Reader) error {
	orgs, err := r.Organisations(ctx, vigie.OrganisationFilter{})
	if err != nil {
		return err
	}
	for _, o := range orgs {
		ds.addOrganisation(o)
	}
	pubs, err := r.Publications(ctx, vigie.PublicationFilter{})
	if err != nil {
		return err
	}
	for _, p := range pubs {
		ds.addPublication(p)
	}
	featured := ""
	if f, err := r.FeaturedStory(ctx); err == nil {
		featured = f.Slug
	} else if !vigie.IsNotFound(err) {
		return err
	}
	news, err := r.NewsItems(ctx, vigie.NewsFilter{})
	if err != nil {
		return err
	}
	for _, n := range news {
		ds.addNewsItem(n, featured)
	}
	return nil
}

// addOrganisation adds an organisation and its contacts.
func (ds *Dataset) addOrganisation(o vigie.Organisation) {
	ds.Organisations = append(ds.Organisations, Organisation{Slug: o.Slug, Country: o.Country, Name: o.Name,
		Acronym: o.Acronym, Description: o.Description, Founded: o.Founded.String(), OfficeCity: o.OfficeCity,
		Regions: o.Regions, AreasOfWork: o.AreasOfWork, Website: o.Website})
	for i, c := range o.Contacts {
		ds.Contacts = append(ds.Contacts, Contact{Organisation: o.Slug, Position: i + 1, Name: c.Name, Title: c.Title,
			Phone: c.Phone, Email: c.Email, Address: c.Address})
	}
}

// addPublication adds a publication and its countries.
func (ds *Dataset) addPublication(p vigie.Publication) {
	ds.Publications = append(ds.Publications, Publication{Slug: p.Slug, Title: p.Title, Type: p.Type, Year: p.Year,
		Publishers: p.Publishers, Link: p.Link, Language: p.Language, FileSHA256: p.File.Hash, FileSize: int(p.File.Size)})
	for _, c := range p.Countries {
		ds.PublicationCountries = append(ds.PublicationCountries, PublicationCountry{p.Slug, c})
	}
}

// addNewsItem adds a news item and its countries; featured is the slug
// of the featured story.
func (ds *Dataset) addNewsItem(n vigie.NewsItem, featured string) {
	date := ""
	if !n.Date.IsZero() {
		date = n.Date.Format(time.DateOnly)
	}
	ds.News = append(ds.News, News{Slug: n.Slug, Title: n.Title, Date: date, Summary: n.Summary, Body: n.Body,
		Featured: n.Slug == featured})
	for _, c := range n.Countries {
		ds.NewsCountries = append(ds.NewsCountries, NewsCountry{n.Slug, c})
	}
}

// Sort puts every table in its stable order: the framework by position,
// assessments and their history by country, then indicator position,
// then number, everything else by its key.
func (ds *Dataset) Sort() {
	sortStable(ds.Ratings, func(a, b Rating) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.Key, b.Key))
	})
	sortStable(ds.Indicators, func(a, b Indicator) int {
		return cmp.Or(cmp.Compare(a.Position, b.Position), cmp.Compare(a.Key, b.Key))
	})
	pos := make(map[string]int, len(ds.Indicators))
	for i, ind := range ds.Indicators {
		pos[ind.Key] = i
	}
	byAssessment := func(c1, i1, c2, i2 string) int {
		return cmp.Or(cmp.Compare(c1, c2), cmp.Compare(pos[i1], pos[i2]), cmp.Compare(i1, i2))
	}
	sortStable(ds.Countries, func(a, b Country) int { return cmp.Compare(a.ISO2, b.ISO2) })
	sortStable(ds.Sources, func(a, b Source) int { return cmp.Compare(a.ID, b.ID) })
	sortStable(ds.Assessments, func(a, b Assessment) int {
		return byAssessment(a.Country, a.Indicator, b.Country, b.Indicator)
	})
	sortStable(ds.Revisions, func(a, b Revision) int {
		return cmp.Or(byAssessment(a.Country, a.Indicator, b.Country, b.Indicator), cmp.Compare(a.Number, b.Number))
	})
	sortStable(ds.Citations, func(a, b Citation) int {
		return cmp.Or(byAssessment(a.Country, a.Indicator, b.Country, b.Indicator), cmp.Compare(a.Revision, b.Revision),
			cmp.Compare(a.Position, b.Position))
	})
	sortStable(ds.Organisations, func(a, b Organisation) int { return cmp.Compare(a.Slug, b.Slug) })
	sortStable(ds.Contacts, func(a, b Contact) int {
		return cmp.Or(cmp.Compare(a.Organisation, b.Organisation), cmp.Compare(a.Position, b.Position))
	})
	sortStable(ds.Publications, func(a, b Publication) int { return cmp.Compare(a.Slug, b.Slug) })
	sortStable(ds.PublicationCountries, func(a, b PublicationCountry) int {
		return cmp.Or(cmp.Compare(a.Publication, b.Publication), cmp.Compare(a.Country, b.Country))
	})
	sortStable(ds.News, func(a, b News) int { return cmp.Compare(a.Slug, b.Slug) })
	sortStable(ds.NewsCountries, func(a, b NewsCountry) int {
		return cmp.Or(cmp.Compare(a.News, b.News), cmp.Compare(a.Country, b.Country))
	})
	sortStable(ds.Translations, func(a, b Translation) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Key, b.Key), cmp.Compare(a.Field, b.Field), cmp.Compare(a.Lang, b.Lang))
	})
}

// sortStable sorts x unless it is in order already, as the tables Build
// fills mostly are.
func sortStable[S ~[]E, E any](x S, cmp func(a, b E) int) {
	if !slices.IsSortedFunc(x, cmp) {
		slices.SortStableFunc(x, cmp)
	}
}

// addFramework fills the rating scale, the indicators and the countries:
// what every export carries whatever its scope.
func addFramework(ctx context.Context, r vigie.Reader, ds *Dataset) error {
	ratings, err := r.Ratings(ctx)
	if err != nil {
		return err
	}
	for _, x := range ratings {
		ds.Ratings = append(ds.Ratings, Rating{x.Key, x.Label, x.Meaning, x.Assessed, x.Position})
	}
	inds, err := r.Indicators(ctx)
	if err != nil {
		return err
	}
	for _, x := range inds {
		ds.Indicators = append(ds.Indicators, Indicator{x.Key, x.Name, x.Rationale, string(x.ValueKind), x.Position})
	}
	ds.Countries = countryRows()
	return nil
}

// revisionRow is a revision as the revisions table holds it; the public
// scope leaves out who wrote and reviewed it and why.
func revisionRow(rev vigie.Revision, public bool) Revision {
	a := rev.Content
	row := Revision{Country: a.Country, Indicator: a.Indicator, Number: rev.Number, Base: rev.Base, State: rev.State,
		Author: rev.Author, Reason: rev.Reason, CreatedAt: rev.CreatedAt, PublishedAt: rev.PublishedAt,
		Reviewer: rev.Reviewer, ReviewComment: rev.ReviewComment, Rating: a.Rating, Value: a.Value,
		AsOf: a.AsOf.String(), Explanation: a.Explanation}
	if public {
		row.Author, row.Reason, row.Reviewer, row.ReviewComment = "", "", "", ""
	}
	return row
}
