package export

import "time"

// The schema below is the single description of the tables: the CSV
// files, their datapackage.json, the JSON document, the XLSX sheets and
// the XLSX README all follow from it.

// Column types, named as Frictionless Table Schema names them.
const (
	typeString   = "string"
	typeInteger  = "integer"
	typeBoolean  = "boolean"
	typeDatetime = "datetime"
	typeDate     = "date"
	typeArray    = "array" // a JSON array of strings in CSV and XLSX cells
)

// Column describes one column of a table.
type Column struct {
	Name        string
	Type        string // a Frictionless type: string, integer, boolean, datetime, date, array
	Required    bool
	Description string
}

// ForeignKey says that Fields refer to Ref of the table Resource.
type ForeignKey struct {
	Fields   []string
	Resource string
	Ref      []string
}

// Table describes one table of a dataset.
type Table struct {
	Name        string // file, sheet and JSON member name: "revisions"
	Title       string
	Description string
	Columns     []Column
	PrimaryKey  []string
	ForeignKeys []ForeignKey
}

// tableDef is a Table with access to its rows in a Dataset. field returns
// a pointer to the value of column j of row i: *string, *int (0 is
// empty), **int (nil is empty), *bool, *time.Time (zero is empty) or
// *[]string.
type tableDef interface {
	table() *Table
	count(ds *Dataset) int
	resize(ds *Dataset, n int)
	// add appends an empty row and returns its index; clear empties the
	// table, keeping its room for the next chunk.
	add(ds *Dataset) int
	clear(ds *Dataset)
	field(ds *Dataset, row, col int) any
}

type tableOf[T any] struct {
	Table
	rows   func(*Dataset) *[]T
	fields []func(*T) any
}

func (t *tableOf[T]) table() *Table             { return &t.Table }
func (t *tableOf[T]) count(ds *Dataset) int     { return len(*t.rows(ds)) }
func (t *tableOf[T]) resize(ds *Dataset, n int) { *t.rows(ds) = make([]T, n) }
func (t *tableOf[T]) add(ds *Dataset) int {
	var zero T
	rows := t.rows(ds)
	*rows = append(*rows, zero)
	return len(*rows) - 1
}
func (t *tableOf[T]) clear(ds *Dataset) {
	rows := t.rows(ds)
	clear(*rows)
	*rows = (*rows)[:0]
}
func (t *tableOf[T]) field(ds *Dataset, row, col int) any {
	return t.fields[col](&(*t.rows(ds))[row])
}

// col pairs a column's description with its field.
type col[T any] struct {
	Column
	field func(*T) any
}

func define[T any](t Table, rows func(*Dataset) *[]T, cols ...col[T]) *tableOf[T] {
	d := &tableOf[T]{Table: t, rows: rows}
	for _, c := range cols {
		d.Columns = append(d.Columns, c.Column)
		d.fields = append(d.fields, c.field)
	}
	return d
}

func str[T any](name string, required bool, desc string, f func(*T) *string) col[T] {
	return col[T]{Column{name, typeString, required, desc}, func(r *T) any { return f(r) }}
}

func integer[T any](name string, required bool, desc string, f func(*T) *int) col[T] {
	return col[T]{Column{name, typeInteger, required, desc}, func(r *T) any { return f(r) }}
}

func optInt[T any](name, desc string, f func(*T) **int) col[T] {
	return col[T]{Column{name, typeInteger, false, desc}, func(r *T) any { return f(r) }}
}

func boolean[T any](name, desc string, f func(*T) *bool) col[T] {
	return col[T]{Column{name, typeBoolean, true, desc}, func(r *T) any { return f(r) }}
}

func datetime[T any](name string, required bool, desc string, f func(*T) *time.Time) col[T] {
	return col[T]{Column{name, typeDatetime, required, desc}, func(r *T) any { return f(r) }}
}

func date[T any](name, desc string, f func(*T) *string) col[T] {
	return col[T]{Column{name, typeDate, false, desc}, func(r *T) any { return f(r) }}
}

func list[T any](name, desc string, f func(*T) *[]string) col[T] {
	return col[T]{Column{name, typeArray, false, desc}, func(r *T) any { return f(r) }}
}

func fk(fields []string, resource string, ref ...string) ForeignKey {
	if len(ref) == 0 {
		ref = fields
	}
	return ForeignKey{Fields: fields, Resource: resource, Ref: ref}
}

func keys(k ...string) []string { return k }

const (
	asOfDesc   = "The date of the law or facts described, at its known precision: YYYY, YYYY-MM or YYYY-MM-DD; empty when unknown."
	timeDesc   = " (UTC, RFC 3339)"
	countryFK  = "ISO 3166-1 alpha-2 code of the country (countries.iso2)."
	ratingDesc = "Rating key (ratings.key)."
)

// tables lists the tables in the order files, sheets and JSON members
// appear: what others refer to comes first.
var tables = []tableDef{
	define(Table{Name: "ratings", Title: "Rating scale",
		Description: "The steps of the rating scale an assessment chooses from.", PrimaryKey: keys("key")},
		func(ds *Dataset) *[]Rating { return &ds.Ratings },
		str("key", true, "Stable identifier, e.g. yes, no-data, not-yet-assessed.", func(r *Rating) *string { return &r.Key }),
		str("label", true, "Name shown to readers.", func(r *Rating) *string { return &r.Label }),
		str("meaning", false, "What the rating means.", func(r *Rating) *string { return &r.Meaning }),
		boolean("assessed", "false only for the state of an indicator nobody has assessed yet.", func(r *Rating) *bool { return &r.Assessed }),
		integer("position", true, "Order on the scale, from 1.", func(r *Rating) *int { return &r.Position }),
	),
	define(Table{Name: "indicators", Title: "Indicators",
		Description: "The monitoring framework: one question asked of every country.", PrimaryKey: keys("key")},
		func(ds *Dataset) *[]Indicator { return &ds.Indicators },
		str("key", true, "Stable identifier, e.g. age-of-consent.", func(r *Indicator) *string { return &r.Key }),
		str("name", true, "Name shown to readers.", func(r *Indicator) *string { return &r.Name }),
		str("rationale", false, "Why the indicator matters and how it is assessed.", func(r *Indicator) *string { return &r.Rationale }),
		str("value_kind", false, "The structured value an assessment may carry beside its rating: empty for none, years for an age.", func(r *Indicator) *string { return &r.ValueKind }),
		integer("position", true, "Order on a country page, from 1.", func(r *Indicator) *int { return &r.Position }),
	),
	define(Table{Name: "countries", Title: "Countries",
		Description: "All ISO 3166-1 countries and territories with their UN M49 regions. Informational on import: Vigie knows the countries itself.",
		PrimaryKey:  keys("iso2")},
		func(ds *Dataset) *[]Country { return &ds.Countries },
		str("iso2", true, "ISO 3166-1 alpha-2 code, e.g. ML.", func(r *Country) *string { return &r.ISO2 }),
		str("iso3", false, "ISO 3166-1 alpha-3 code, e.g. MLI.", func(r *Country) *string { return &r.ISO3 }),
		str("numeric", false, "ISO 3166-1 numeric code, e.g. 466.", func(r *Country) *string { return &r.Numeric }),
		str("slug", false, "The country's address on the site: /countries/{slug}.", func(r *Country) *string { return &r.Slug }),
		str("name_en", false, "Short name in English.", func(r *Country) *string { return &r.NameEN }),
		str("name_fr", false, "Short name in French.", func(r *Country) *string { return &r.NameFR }),
		str("name_es", false, "Short name in Spanish.", func(r *Country) *string { return &r.NameES }),
		str("region_code", false, "UN M49 code of the region, e.g. 002 (Africa); empty for none.", func(r *Country) *string { return &r.RegionCode }),
		str("region_name", false, "English name of the region.", func(r *Country) *string { return &r.RegionName }),
		str("subregion_code", false, "UN M49 code of the sub-region, e.g. 011 (Western Africa); empty for none.", func(r *Country) *string { return &r.SubRegionCode }),
		str("subregion_name", false, "English name of the sub-region.", func(r *Country) *string { return &r.SubRegionName }),
	),
	define(Table{Name: "sources", Title: "Sources",
		Description: "Laws and publications that assessments cite. A source cited by several assessments is one row.",
		PrimaryKey:  keys("id")},
		func(ds *Dataset) *[]Source { return &ds.Sources },
		integer("id", true, "Number of the source in this file (not a database identifier), from 1.", func(r *Source) *int { return &r.ID }),
		str("kind", true, "law or publication.", func(r *Source) *string { return &r.Kind }),
		str("title", true, "Title, e.g. Penal Code of Mali.", func(r *Source) *string { return &r.Title }),
		str("identifier", false, "For laws: the official number, e.g. Law nº 2012-023.", func(r *Source) *string { return &r.Identifier }),
		str("publisher", false, "For publications: who published it.", func(r *Source) *string { return &r.Publisher }),
		integer("year", false, "Year enacted or published; empty when unknown.", func(r *Source) *int { return &r.Year }),
		integer("status_as_of", false, "For laws: year of the consolidated text consulted; empty when unknown.", func(r *Source) *int { return &r.StatusAsOf }),
		str("link", false, "Address of the text (http or https).", func(r *Source) *string { return &r.Link }),
	),
	define(Table{Name: "assessments", Title: "Assessments",
		Description: "The published state of each country × indicator that was ever assessed; all others are not-yet-assessed. " +
			"rating, value, as_of and published_at repeat the published revision's, for convenience.",
		PrimaryKey: keys("country", "indicator"),
		ForeignKeys: []ForeignKey{fk(keys("country"), "countries", "iso2"), fk(keys("indicator"), "indicators", "key"),
			fk(keys("country", "indicator", "revision"), "revisions", "country", "indicator", "number"),
			fk(keys("rating"), "ratings", "key")}},
		func(ds *Dataset) *[]Assessment { return &ds.Assessments },
		str("country", true, countryFK, func(r *Assessment) *string { return &r.Country }),
		str("indicator", true, "Indicator key (indicators.key).", func(r *Assessment) *string { return &r.Indicator }),
		integer("revision", true, "Number of the published revision (revisions.number).", func(r *Assessment) *int { return &r.Revision }),
		str("rating", true, ratingDesc, func(r *Assessment) *string { return &r.Rating }),
		optInt("value", "The structured value, e.g. the age of consent in years; empty when none.", func(r *Assessment) **int { return &r.Value }),
		str("as_of", false, asOfDesc, func(r *Assessment) *string { return &r.AsOf }),
		datetime("published_at", true, "When the revision became public"+timeDesc+".", func(r *Assessment) *time.Time { return &r.PublishedAt }),
	),
	define(Table{Name: "revisions", Title: "Revisions",
		Description: "Every stored version of every assessment, with its full content: the history.",
		PrimaryKey:  keys("country", "indicator", "number"),
		ForeignKeys: []ForeignKey{fk(keys("country"), "countries", "iso2"), fk(keys("indicator"), "indicators", "key"),
			fk(keys("rating"), "ratings", "key")}},
		func(ds *Dataset) *[]Revision { return &ds.Revisions },
		str("country", true, countryFK, func(r *Revision) *string { return &r.Country }),
		str("indicator", true, "Indicator key (indicators.key).", func(r *Revision) *string { return &r.Indicator }),
		integer("number", true, "1, 2, 3… per assessment, drafts included.", func(r *Revision) *int { return &r.Number }),
		integer("base", false, "The revision its author started from; empty for the first.", func(r *Revision) *int { return &r.Base }),
		str("state", true, "draft, submitted (waiting for review), returned (sent back to its author) or published.", func(r *Revision) *string { return &r.State }),
		str("author", false, "Who wrote it; empty in published-only exports.", func(r *Revision) *string { return &r.Author }),
		str("reason", false, "Why, in the author's words; empty in published-only exports.", func(r *Revision) *string { return &r.Reason }),
		datetime("created_at", true, "When it was written"+timeDesc+".", func(r *Revision) *time.Time { return &r.CreatedAt }),
		datetime("published_at", false, "When it became public"+timeDesc+"; empty unless published.", func(r *Revision) *time.Time { return &r.PublishedAt }),
		str("reviewer", false, "Who published or returned it; empty in published-only exports.", func(r *Revision) *string { return &r.Reviewer }),
		str("review_comment", false, "What the reviewer said; empty in published-only exports.", func(r *Revision) *string { return &r.ReviewComment }),
		str("rating", true, ratingDesc, func(r *Revision) *string { return &r.Rating }),
		optInt("value", "The structured value, e.g. the age of consent in years; empty when none.", func(r *Revision) **int { return &r.Value }),
		str("as_of", false, asOfDesc, func(r *Revision) *string { return &r.AsOf }),
		str("explanation", false, "The explanation, in Markdown, as written.", func(r *Revision) *string { return &r.Explanation }),
	),
	define(Table{Name: "citations", Title: "Citations",
		Description: "The sources each revision cites, in order, with the articles cited.",
		PrimaryKey:  keys("country", "indicator", "revision", "position"),
		ForeignKeys: []ForeignKey{fk(keys("country", "indicator", "revision"), "revisions", "country", "indicator", "number"),
			fk(keys("source"), "sources", "id")}},
		func(ds *Dataset) *[]Citation { return &ds.Citations },
		str("country", true, countryFK, func(r *Citation) *string { return &r.Country }),
		str("indicator", true, "Indicator key.", func(r *Citation) *string { return &r.Indicator }),
		integer("revision", true, "Revision number (revisions.number).", func(r *Citation) *int { return &r.Revision }),
		integer("position", true, "Order of the citation in the revision, from 1.", func(r *Citation) *int { return &r.Position }),
		integer("source", true, "The source cited (sources.id).", func(r *Citation) *int { return &r.Source }),
		str("articles", false, "The articles cited, e.g. Art. 16, 17; empty when the whole text is.", func(r *Citation) *string { return &r.Articles }),
	),
	define(Table{Name: "organisations", Title: "Member organisations",
		Description: "The network's member organisations, by country.", PrimaryKey: keys("slug"),
		ForeignKeys: []ForeignKey{fk(keys("country"), "countries", "iso2")}},
		func(ds *Dataset) *[]Organisation { return &ds.Organisations },
		str("slug", true, "Stable identifier, used in addresses.", func(r *Organisation) *string { return &r.Slug }),
		str("country", true, countryFK, func(r *Organisation) *string { return &r.Country }),
		str("name", true, "Full name.", func(r *Organisation) *string { return &r.Name }),
		str("acronym", false, "Acronym, e.g. ACESEM.", func(r *Organisation) *string { return &r.Acronym }),
		str("description", false, "Description, as the organisation wrote it.", func(r *Organisation) *string { return &r.Description }),
		str("founded", false, "When it was founded: YYYY, YYYY-MM or YYYY-MM-DD.", func(r *Organisation) *string { return &r.Founded }),
		str("office_city", false, "City of its office.", func(r *Organisation) *string { return &r.OfficeCity }),
		list("regions", "Regions of the country it works in.", func(r *Organisation) *[]string { return &r.Regions }),
		list("areas_of_work", "Areas of work, e.g. prevention, protection.", func(r *Organisation) *[]string { return &r.AreasOfWork }),
		str("website", false, "Web site (http or https).", func(r *Organisation) *string { return &r.Website }),
	),
	define(Table{Name: "contacts", Title: "Contacts",
		Description: "People to reach at each organisation, in order.", PrimaryKey: keys("organisation", "position"),
		ForeignKeys: []ForeignKey{fk(keys("organisation"), "organisations", "slug")}},
		func(ds *Dataset) *[]Contact { return &ds.Contacts },
		str("organisation", true, "The organisation (organisations.slug).", func(r *Contact) *string { return &r.Organisation }),
		integer("position", true, "Order of the contact, from 1.", func(r *Contact) *int { return &r.Position }),
		str("name", true, "Name.", func(r *Contact) *string { return &r.Name }),
		str("title", false, "Title or role.", func(r *Contact) *string { return &r.Title }),
		str("phone", false, "Phone in E.164 form, e.g. +22377084023.", func(r *Contact) *string { return &r.Phone }),
		str("email", false, "Email address.", func(r *Contact) *string { return &r.Email }),
		str("address", false, "Postal address.", func(r *Contact) *string { return &r.Address }),
	),
	define(Table{Name: "publications", Title: "Publications",
		Description: "The reports library.", PrimaryKey: keys("slug")},
		func(ds *Dataset) *[]Publication { return &ds.Publications },
		str("slug", true, "Stable identifier, used in addresses.", func(r *Publication) *string { return &r.Slug }),
		str("title", true, "Title.", func(r *Publication) *string { return &r.Title }),
		str("type", true, "country-monitoring-report, legal-checklist, regional-overview, research or other.", func(r *Publication) *string { return &r.Type }),
		integer("year", false, "Year published; empty when unknown.", func(r *Publication) *int { return &r.Year }),
		list("publishers", "Who published it.", func(r *Publication) *[]string { return &r.Publishers }),
		str("link", false, "Where to read it (http or https).", func(r *Publication) *string { return &r.Link }),
		str("language", false, "Language, as a BCP 47 tag, e.g. en.", func(r *Publication) *string { return &r.Language }),
		str("file_sha256", false, "SHA-256 of the uploaded PDF, if any; the file itself is not in the export.", func(r *Publication) *string { return &r.FileSHA256 }),
		integer("file_size", false, "Size of the uploaded PDF in bytes.", func(r *Publication) *int { return &r.FileSize }),
	),
	define(Table{Name: "publication_countries", Title: "Countries of publications",
		Description: "The countries each publication covers.", PrimaryKey: keys("publication", "country"),
		ForeignKeys: []ForeignKey{fk(keys("publication"), "publications", "slug"), fk(keys("country"), "countries", "iso2")}},
		func(ds *Dataset) *[]PublicationCountry { return &ds.PublicationCountries },
		str("publication", true, "The publication (publications.slug).", func(r *PublicationCountry) *string { return &r.Publication }),
		str("country", true, countryFK, func(r *PublicationCountry) *string { return &r.Country }),
	),
	define(Table{Name: "news", Title: "News",
		Description: "Dated stories.", PrimaryKey: keys("slug")},
		func(ds *Dataset) *[]News { return &ds.News },
		str("slug", true, "Stable identifier: /news/{slug}.", func(r *News) *string { return &r.Slug }),
		str("title", true, "Headline.", func(r *News) *string { return &r.Title }),
		date("date", "Date of the story, YYYY-MM-DD.", func(r *News) *string { return &r.Date }),
		str("summary", false, "One-paragraph summary.", func(r *News) *string { return &r.Summary }),
		str("body", false, "The story, in Markdown.", func(r *News) *string { return &r.Body }),
		boolean("featured", "true for the one story shown across the site.", func(r *News) *bool { return &r.Featured }),
	),
	define(Table{Name: "news_countries", Title: "Countries of news",
		Description: "The countries each story concerns.", PrimaryKey: keys("news", "country"),
		ForeignKeys: []ForeignKey{fk(keys("news"), "news", "slug"), fk(keys("country"), "countries", "iso2")}},
		func(ds *Dataset) *[]NewsCountry { return &ds.NewsCountries },
		str("news", true, "The story (news.slug).", func(r *NewsCountry) *string { return &r.News }),
		str("country", true, countryFK, func(r *NewsCountry) *string { return &r.Country }),
	),
	define(Table{Name: "translations", Title: "Translations",
		Description: "Content in French and Spanish, entered by editors field by field. Readers see a translation while the English it translated is unchanged (source_version).",
		PrimaryKey:  keys("kind", "key", "field", "lang")},
		func(ds *Dataset) *[]Translation { return &ds.Translations },
		str("kind", true, "What is translated: indicator, rating, assessment, organisation or news.", func(r *Translation) *string { return &r.Kind }),
		str("key", true, "Which one: an indicator or rating key, COUNTRY/indicator for an assessment, a slug for the others.", func(r *Translation) *string { return &r.Key }),
		str("field", true, "The field translated, e.g. name, rationale, explanation, description, title, summary, body.", func(r *Translation) *string { return &r.Field }),
		str("lang", true, "The language: fr or es.", func(r *Translation) *string { return &r.Lang }),
		str("text", true, "The translated text (Markdown where the English is).", func(r *Translation) *string { return &r.Text }),
		str("source_version", true, "The version of the English text translated (a digest of it).", func(r *Translation) *string { return &r.SourceVersion }),
	),
}

// Tables describes the tables of a dataset, in file order.
func Tables() []Table {
	out := make([]Table, len(tables))
	for i, t := range tables {
		out[i] = *t.table()
	}
	return out
}

func tableNamed(name string) tableDef {
	for _, t := range tables {
		if t.table().Name == name {
			return t
		}
	}
	return nil
}

// Rows counts the rows of every table, for progress bars.
func (ds *Dataset) Rows() int {
	n := 0
	for _, t := range tables {
		n += t.count(ds)
	}
	return n
}
