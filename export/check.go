package export

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Check validates every row of a dataset — its values by the domain's
// rules, its keys, and what it refers to in other tables — and returns
// every problem found, in table order. What needs a database (which
// framework it has, what it already stores) is the importer's to check.
func (ds *Dataset) Check() Problems {
	c := newChecker(ds)
	c.before()
	for _, t := range tables {
		if !held(t.table().Name) {
			c.rows(t.table().Name)
		}
	}
	c.after()
	return c.ps
}

// checked finishes reading a file: the dataset, checked, or every
// problem found in reading (ps) and in checking, in file order.
func (ds *Dataset) checked(ps Problems) (*Dataset, error) {
	if ps = settle(append(ps, ds.Check()...)); len(ps) > 0 {
		return nil, ps
	}
	return ds, nil
}

// checker checks a dataset in three steps: before (the tables held
// whole: the framework, the countries, the published state), rows for
// each other table in file order, which may be called once per chunk of
// the table (see Opened), and after. Of the tables read a chunk at a
// time it keeps a few bytes per row: where each revision is (revs), a
// digest of each key that must be unique or that other rows refer to
// (keyIndex), and whether the rows that belong to others (citations,
// contacts, the countries of publications and news) come in their
// owners' order, as exports list them.
type checker struct {
	ds         *Dataset
	ps         Problems
	indicators map[string]vigie.Indicator
	ratings    []vigie.Rating
	sources    map[int]sourceAt // by id
	sameSource keyIndex
	// lastSource is the key of the last source met; sourcesUnordered says
	// the file does not list them in the order of their keys, as exports
	// do (see Opened.EachStoredSource).
	lastSource       *sourceKey
	sourcesUnordered bool

	revs           revisionIndex
	assessmentRows map[[2]string]int  // key → row of the assessments table
	found          map[[2]string]bool // assessments whose revision was met
	reported       map[[2]string]bool // assessments named as missing once
	// The citations of a revision, when each revision's are together and
	// in the revisions' order, as exports write them: the revision they
	// are of and their positions. Otherwise every key is kept in scattered.
	lastCited  int // the revision's location, -1 before the first
	lastKey    revKey
	positions  map[int]int // position → location of the citation
	scattered  keyIndex
	unordered  bool
	citedCount int

	orgs, orgNames, contacts           keyIndex
	pubs, pubCountries                 keyIndex
	news, newsCountries                keyIndex
	translations                       keyIndex
	featured                           int // location of the featured story, -1 for none
	featuredSlug                       string
	contactsOrder, pubOrder, newsOrder ownerOrder
}

// sourceAt is where a source is: its row in the file and its location
// (see Dataset.locate); cited says a citation cites it.
type sourceAt struct {
	row, loc int32
	cited    bool
}

// ownerOrder follows whether the rows of a table that belong to rows of
// another (contacts to organisations…) come in their owners' order.
type ownerOrder struct {
	last      int // the owner's location, -1 before the first
	unordered bool
}

func (o *ownerOrder) next(owner int) {
	if owner < o.last {
		o.unordered = true
	}
	o.last = max(o.last, owner)
}

type revKey struct {
	country, indicator string
	number             int
}

func newChecker(ds *Dataset) *checker {
	return &checker{ds: ds, revs: revisionIndex{}, found: map[[2]string]bool{}, reported: map[[2]string]bool{}, lastCited: -1,
		sources: map[int]sourceAt{}, sameSource: keyIndex{}, orgs: keyIndex{}, orgNames: keyIndex{}, contacts: keyIndex{},
		pubs: keyIndex{}, pubCountries: keyIndex{}, news: keyIndex{}, newsCountries: keyIndex{}, translations: keyIndex{},
		featured: -1, contactsOrder: ownerOrder{last: -1}, pubOrder: ownerOrder{last: -1}, newsOrder: ownerOrder{last: -1}}
}

// before checks the tables held whole.
func (c *checker) before() {
	c.framework()
	c.countries()
	c.assessmentKeys()
}

// rows checks the rows of table that ds holds.
func (c *checker) rows(table string) {
	switch table {
	case "sources":
		c.checkSources()
	case "revisions":
		c.revisions()
	case "citations":
		c.citations()
	case "organisations":
		c.organisations()
	case "contacts":
		c.checkContacts()
	case "publications":
		c.publications()
	case "publication_countries":
		c.publicationCountries()
	case "news":
		c.checkNews()
	case "news_countries":
		c.checkNewsCountries()
	case "translations":
		c.checkTranslations()
	}
}

// after checks what needs every row read.
func (c *checker) after() {
	c.uncited()
	c.assessments()
}

func (c *checker) add(table string, row int, column, format string, args ...any) {
	c.ps = append(c.ps, c.ds.problem(table, row, column, fmt.Sprintf(format, args...)))
}

// domain reports a domain validation error at the column it names.
// columns maps the domain's field names to the table's where they differ.
func (c *checker) domain(table string, row int, err error, columns map[string]string) {
	if err == nil {
		return
	}
	var ve *vigie.Error
	if !errors.As(err, &ve) {
		c.add(table, row, "", "%v", err)
		return
	}
	field := strings.TrimPrefix(ve.Field, "contact.")
	if col, ok := columns[field]; ok {
		field = col
	}
	if columnIndex(tableNamed(table).table(), field) < 0 {
		c.add(table, row, "", "%v", err)
		return
	}
	c.add(table, row, field, "%s: %s", field, ve.Message)
}

// unique reports a key seen before in the same table, naming where;
// row is the row of the table that ds holds.
func (c *checker) unique(seen keyIndex, table string, row int, column string, key ...string) bool {
	if first, dup := seen.put(c.ds.locate(table, row), key...); dup {
		c.add(table, row, column, "the same key as %s", c.ds.atLocation(table, first, column))
		return false
	}
	return true
}

func isSlug(s string) bool { return s != "" && vigie.Slugify(s) == s }

func (c *checker) framework() {
	seen := keyIndex{}
	for i, r := range c.ds.Ratings {
		if !isSlug(r.Key) {
			c.add("ratings", i, "key", "%s must be lower-case words joined by hyphens", quote(r.Key))
		}
		c.unique(seen, "ratings", i, "key", r.Key)
		c.ratings = append(c.ratings, vigie.Rating{Key: r.Key, Label: r.Label, Meaning: r.Meaning, Assessed: r.Assessed, Position: r.Position})
	}
	seen = keyIndex{}
	c.indicators = map[string]vigie.Indicator{}
	for i, r := range c.ds.Indicators {
		ind := vigie.Indicator{Key: r.Key, Name: r.Name, Rationale: r.Rationale, ValueKind: vigie.ValueKind(r.ValueKind), Position: r.Position}
		c.domain("indicators", i, ind.Validate(), nil)
		if c.unique(seen, "indicators", i, "key", r.Key) {
			c.indicators[r.Key] = ind
		}
	}
}

func (c *checker) country(table string, row int, column, code string) {
	if cty, ok := vigie.CountryByISO2(code); !ok || cty.ISO2 != code {
		c.add(table, row, column, "unknown country code %s: use ISO 3166-1 alpha-2 in capitals, such as ML", quote(code))
	}
}

func (c *checker) countries() {
	seen := keyIndex{}
	for i, r := range c.ds.Countries {
		c.country("countries", i, "iso2", r.ISO2)
		c.unique(seen, "countries", i, "iso2", r.ISO2)
	}
}

// checkSources checks the sources ds holds.
func (c *checker) checkSources() {
	for i, r := range c.ds.Sources {
		loc := c.ds.locate("sources", i)
		if r.ID < 1 {
			c.add("sources", i, "id", "ids are numbers from 1")
		} else if first, ok := c.sources[r.ID]; ok {
			c.add("sources", i, "id", "the same id as %s", c.ds.atLocation("sources", int(first.loc), "id"))
		} else {
			c.sources[r.ID] = sourceAt{row: int32(c.ds.base("sources") + i), loc: int32(loc)}
		}
		s := r.domain()
		c.domain("sources", i, s.Validate(), nil)
		k := keyOf(s)
		if c.lastSource != nil && compareKeys(*c.lastSource, k) > 0 {
			c.sourcesUnordered = true
		}
		c.lastSource = &k
		if first, dup := c.sameSource.put(loc, string(k.kind), k.title, strconv.Itoa(k.year), strconv.Itoa(k.status)); dup {
			c.add("sources", i, "title", "the same source as %s (same kind, title, year and status): list it once", c.ds.atLocation("sources", first, "title"))
		}
	}
}

func (r Source) domain() vigie.Source {
	return vigie.Source{Kind: vigie.SourceKind(r.Kind), Title: r.Title, Identifier: r.Identifier, Publisher: r.Publisher,
		Year: r.Year, StatusAsOf: r.StatusAsOf, Link: r.Link}
}

// revisions checks the revisions ds holds.
func (c *checker) revisions() {
	for i, r := range c.ds.Revisions {
		c.country("revisions", i, "country", r.Country)
		ind, ok := c.indicators[r.Indicator]
		if !ok {
			c.add("revisions", i, "indicator", "unknown indicator %s: it is not in the indicators table", quote(r.Indicator))
		}
		k := revKey{r.Country, r.Indicator, r.Number}
		loc := c.ds.locate("revisions", i)
		if first, dup := c.revs.get(k); dup {
			c.add("revisions", i, "number", "revision %d of %s/%s appears twice (also %s)", r.Number, r.Country, r.Indicator, c.ds.atLocation("revisions", first, "number"))
		} else {
			c.revs.put(k, loc)
		}
		rev := r.domain()
		if c.ds.Scope == ScopePublished && strings.TrimSpace(rev.Author) == "" {
			rev.Author = "-" // published-only exports leave authors out; the importer names itself
		}
		c.domain("revisions", i, rev.Validate(), nil)
		if _, err := vigie.ParseAsOf(r.AsOf); err != nil {
			c.domain("revisions", i, err, nil)
		} else if ok && r.Rating != "" {
			c.domain("revisions", i, rev.Content.Validate(ind, c.ratings), nil)
		}
		c.publishedState(i, r)
	}
}

// domain is the revision as the store holds it, without its citations.
func (r Revision) domain() vigie.Revision {
	asOf, _ := vigie.ParseAsOf(r.AsOf)
	return vigie.Revision{Number: r.Number, Base: r.Base, State: r.State, Author: r.Author, Reason: r.Reason,
		CreatedAt: r.CreatedAt, PublishedAt: r.PublishedAt, Reviewer: r.Reviewer, ReviewComment: r.ReviewComment,
		Content: vigie.Assessment{Country: r.Country, Indicator: r.Indicator, Rating: r.Rating, Value: r.Value,
			Explanation: r.Explanation, AsOf: asOf, Revision: r.Number}}
}

// citations checks the citations ds holds.
func (c *checker) citations() {
	for i, r := range c.ds.Citations {
		k := revKey{r.Country, r.Indicator, r.Revision}
		revLoc, ok := c.revs.get(k)
		if !ok {
			c.add("citations", i, "revision", "no revision %d of %s/%s in the revisions table", r.Revision, r.Country, r.Indicator)
		}
		if at, ok := c.sources[r.Source]; !ok {
			c.add("citations", i, "source", "no source %d in the sources table", r.Source)
		} else if !at.cited {
			at.cited = true
			c.sources[r.Source] = at
		}
		if r.Position < 1 {
			c.add("citations", i, "position", "positions are numbers from 1")
		}
		c.citedCount++
		loc := c.ds.locate("citations", i)
		if ok && !c.unordered && (revLoc > c.lastCited || k == c.lastKey) {
			if k != c.lastKey {
				c.lastCited, c.lastKey, c.positions = revLoc, k, map[int]int{}
			}
			if first, dup := c.positions[r.Position]; dup {
				c.add("citations", i, "position", "the same key as %s", c.ds.atLocation("citations", first, "position"))
			} else {
				c.positions[r.Position] = loc
			}
			continue
		}
		if !c.unordered {
			// From here on, every key is kept: the citations are not in
			// the order of their revisions.
			c.unordered = true
			c.scattered = keyIndex{}
			for p, l := range c.positions {
				c.scattered.put(l, citationKey(c.lastKey, p)...)
			}
		}
		if first, dup := c.scattered.put(loc, citationKey(k, r.Position)...); dup {
			c.add("citations", i, "position", "the same key as %s", c.ds.atLocation("citations", first, "position"))
		}
	}
}

func citationKey(k revKey, position int) []string {
	return []string{k.country, k.indicator, strconv.Itoa(k.number), strconv.Itoa(position)}
}

// uncited reports the sources no citation cites.
func (c *checker) uncited() {
	for id, at := range c.sources {
		if !at.cited {
			c.ps = append(c.ps, c.ds.problemAt("sources", int(at.row), int(at.loc), "id",
				fmt.Sprintf("source %d is cited by no revision; Vigie keeps the sources that assessments cite", id)))
		}
	}
}

// assessmentKeys checks the keys of the assessments table and keeps them
// for the revisions to be compared with.
func (c *checker) assessmentKeys() {
	seen := keyIndex{}
	c.assessmentRows = map[[2]string]int{}
	for i, r := range c.ds.Assessments {
		c.country("assessments", i, "country", r.Country)
		if _, ok := c.indicators[r.Indicator]; !ok {
			c.add("assessments", i, "indicator", "unknown indicator %s", quote(r.Indicator))
		}
		if c.unique(seen, "assessments", i, "indicator", r.Country, r.Indicator) {
			c.assessmentRows[[2]string{r.Country, r.Indicator}] = i
		}
	}
}

// publishedState compares revision i with the row of the assessments
// table that names it, and reports a published revision whose assessment
// has no such row.
func (c *checker) publishedState(i int, rev Revision) {
	k := [2]string{rev.Country, rev.Indicator}
	row, ok := c.assessmentRows[k]
	if !ok {
		if rev.State == vigie.RevisionPublished && !c.reported[k] {
			c.reported[k] = true // once per assessment
			c.add("revisions", i, "state", "%s/%s has published revisions but no row in the assessments table saying which one is public", rev.Country, rev.Indicator)
		}
		return
	}
	r := c.ds.Assessments[row]
	if r.Revision != rev.Number {
		return
	}
	c.found[k] = true
	if rev.State != vigie.RevisionPublished {
		c.add("assessments", row, "revision", "revision %d is %s; only a published revision can be the published state", r.Revision, rev.State)
		return
	}
	at := c.ds.At("revisions", i+c.ds.base("revisions"), "")
	if r.Rating != rev.Rating {
		c.add("assessments", row, "rating", "%s is not the rating of revision %d (%s, %s)", quote(r.Rating), r.Revision, quote(rev.Rating), at)
	}
	if formatCell(&r.Value) != formatCell(&rev.Value) {
		c.add("assessments", row, "value", "%s is not the value of revision %d (%s, %s)", quote(formatCell(&r.Value)), r.Revision, quote(formatCell(&rev.Value)), at)
	}
	if r.AsOf != rev.AsOf {
		c.add("assessments", row, "as_of", "%s is not the as-of date of revision %d (%s, %s)", quote(r.AsOf), r.Revision, quote(rev.AsOf), at)
	}
	if !r.PublishedAt.Equal(rev.PublishedAt) {
		c.add("assessments", row, "published_at", "%s is not when revision %d was published (%s, %s)", formatCell(&r.PublishedAt),
			r.Revision, formatCell(&rev.PublishedAt), at)
	}
}

// assessments reports the rows of the assessments table whose revision
// the history lacks.
func (c *checker) assessments() {
	for i, r := range c.ds.Assessments {
		k := [2]string{r.Country, r.Indicator}
		if row, ok := c.assessmentRows[k]; ok && row == i && !c.found[k] {
			c.add("assessments", i, "revision", "no revision %d of %s/%s in the revisions table", r.Revision, r.Country, r.Indicator)
		}
	}
}

// revisionIndex is where each revision of a file is (its location, see
// Dataset.locate), by assessment and number: a few bytes a revision, so
// that the history need not be held to check what refers to it.
type revisionIndex map[[2]string]*numbered

type numbered struct {
	locs []int32       // by number, location + 1; 0 for none
	far  map[int]int32 // numbers far past the others
}

func (x revisionIndex) get(k revKey) (int, bool) {
	n := x[[2]string{k.country, k.indicator}]
	if n == nil {
		return 0, false
	}
	if k.number >= 0 && k.number < len(n.locs) && n.locs[k.number] != 0 {
		return int(n.locs[k.number]) - 1, true
	}
	loc, ok := n.far[k.number]
	return int(loc) - 1, ok
}

func (x revisionIndex) put(k revKey, loc int) {
	a := [2]string{k.country, k.indicator}
	n := x[a]
	if n == nil {
		n = &numbered{}
		x[a] = n
	}
	// Numbers run 1, 2, 3… per assessment; a number far past them (a
	// typing slip, or a hostile file) goes to far instead of a long list.
	if k.number >= 0 && k.number < 2*len(n.locs)+1024 {
		if k.number >= len(n.locs) {
			n.locs = append(n.locs, make([]int32, k.number+1-len(n.locs))...)
		}
		n.locs[k.number] = int32(loc + 1)
		return
	}
	if n.far == nil {
		n.far = map[int]int32{}
	}
	n.far[k.number] = int32(loc + 1)
}

// organisations checks the organisations ds holds.
func (c *checker) organisations() {
	for i, r := range c.ds.Organisations {
		if !isSlug(r.Slug) {
			c.add("organisations", i, "slug", "%s must be lower-case words joined by hyphens", quote(r.Slug))
		}
		c.unique(c.orgs, "organisations", i, "slug", r.Slug)
		o, err := r.domain()
		if err != nil {
			c.domain("organisations", i, err, nil)
		} else {
			c.domain("organisations", i, o.Validate(), nil)
		}
		if first, dup := c.orgNames.put(c.ds.locate("organisations", i), r.Country, vigie.Fold(strings.TrimSpace(r.Name))); dup {
			c.add("organisations", i, "name", "%s already has an organisation of this name (%s)", r.Country, c.ds.atLocation("organisations", first, "name"))
		}
	}
}

// checkContacts checks the contacts ds holds.
func (c *checker) checkContacts() {
	for i, r := range c.ds.Contacts {
		if owner, ok := c.orgs.get(r.Organisation); !ok {
			c.add("contacts", i, "organisation", "no organisation %s in the organisations table", quote(r.Organisation))
		} else {
			c.contactsOrder.next(owner)
		}
		if r.Position < 1 {
			c.add("contacts", i, "position", "positions are numbers from 1")
		}
		c.unique(c.contacts, "contacts", i, "position", r.Organisation, strconv.Itoa(r.Position))
		ct := vigie.Contact{Name: r.Name, Title: r.Title, Phone: r.Phone, Email: r.Email, Address: r.Address}
		c.domain("contacts", i, ct.Validate(), nil)
	}
}

func (r Organisation) domain() (vigie.Organisation, error) {
	founded, err := vigie.ParseAsOf(r.Founded)
	if err != nil {
		if ve, ok := err.(*vigie.Error); ok {
			ve.Field = "founded"
		}
	}
	return vigie.Organisation{Slug: r.Slug, Country: r.Country, Name: r.Name, Acronym: r.Acronym, Description: r.Description,
		Founded: founded, OfficeCity: r.OfficeCity, Regions: r.Regions, AreasOfWork: r.AreasOfWork, Website: r.Website}, err
}

// publications checks the publications ds holds.
func (c *checker) publications() {
	for i, r := range c.ds.Publications {
		if !isSlug(r.Slug) {
			c.add("publications", i, "slug", "%s must be lower-case words joined by hyphens", quote(r.Slug))
		}
		c.unique(c.pubs, "publications", i, "slug", r.Slug)
		c.domain("publications", i, r.domain().Validate(), map[string]string{"file": "file_sha256"})
	}
}

// publicationCountries checks the countries of publications ds holds.
func (c *checker) publicationCountries() {
	for i, r := range c.ds.PublicationCountries {
		if owner, ok := c.pubs.get(r.Publication); !ok {
			c.add("publication_countries", i, "publication", "no publication %s in the publications table", quote(r.Publication))
		} else {
			c.pubOrder.next(owner)
		}
		c.country("publication_countries", i, "country", r.Country)
		c.unique(c.pubCountries, "publication_countries", i, "country", r.Publication, r.Country)
	}
}

func (r Publication) domain() vigie.Publication {
	return vigie.Publication{Slug: r.Slug, Title: r.Title, Type: r.Type, Year: r.Year, Publishers: r.Publishers,
		Link: r.Link, Language: r.Language, File: vigie.FileRef{Hash: r.FileSHA256, Size: int64(r.FileSize)}}
}

// checkNews checks the news ds holds.
func (c *checker) checkNews() {
	for i, r := range c.ds.News {
		c.unique(c.news, "news", i, "slug", r.Slug)
		n, err := r.domain()
		if err != nil {
			c.add("news", i, "date", "%s is not a date: use YYYY-MM-DD", quote(r.Date))
		}
		c.domain("news", i, n.Validate(), nil)
		if r.Featured {
			if c.featured >= 0 {
				c.add("news", i, "featured", "only one story can be featured; %s is too", c.ds.atLocation("news", c.featured, "featured"))
			} else {
				c.featured, c.featuredSlug = c.ds.locate("news", i), r.Slug
			}
		}
	}
}

// checkNewsCountries checks the countries of news ds holds.
func (c *checker) checkNewsCountries() {
	for i, r := range c.ds.NewsCountries {
		if owner, ok := c.news.get(r.News); !ok {
			c.add("news_countries", i, "news", "no story %s in the news table", quote(r.News))
		} else {
			c.newsOrder.next(owner)
		}
		c.country("news_countries", i, "country", r.Country)
		c.unique(c.newsCountries, "news_countries", i, "country", r.News, r.Country)
	}
}

// checkTranslations checks the translations ds holds.
func (c *checker) checkTranslations() {
	for i, r := range c.ds.Translations {
		c.domain("translations", i, r.domain().Validate(), nil)
		c.unique(c.translations, "translations", i, "lang", r.Kind, r.Key, r.Field, r.Lang)
	}
}

func (r Translation) domain() vigie.Translation {
	return vigie.Translation{Kind: r.Kind, Key: r.Key, Field: r.Field, Lang: r.Lang, Text: r.Text, SourceVersion: r.SourceVersion}
}

func (r News) domain() (vigie.NewsItem, error) {
	n := vigie.NewsItem{Slug: r.Slug, Title: r.Title, Summary: r.Summary, Body: r.Body}
	if r.Date == "" {
		return n, nil
	}
	d, err := time.Parse(time.DateOnly, r.Date)
	n.Date = d
	return n, err
}
