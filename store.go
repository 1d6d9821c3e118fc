package vigie

import (
	"context"
	"time"
)

// Store is where Vigie keeps its data. The SQLite store is the embedded
// default; every implementation passes the contract suite in storetest/.
//
// Reads outside Update see the last committed state. Update runs fn in one
// transaction: everything fn writes lands together, or nothing does if fn
// returns an error.
type Store interface {
	Reader
	Update(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Reader is what the public site and the API read.
type Reader interface {
	Indicators(ctx context.Context) ([]Indicator, error)
	Ratings(ctx context.Context) ([]Rating, error)

	// Assessment returns the published assessment, or Unassessed when none
	// was ever written. Unknown countries or indicators are ENOTFOUND.
	Assessment(ctx context.Context, country, indicator string) (Assessment, error)
	// Assessments lists published assessments that were written, filtered
	// by country and indicator when those are set.
	Assessments(ctx context.Context, f AssessmentFilter) ([]Assessment, error)
	// Revisions lists an assessment's revisions in every state, newest
	// first; the public history filters the published ones.
	Revisions(ctx context.Context, country, indicator string) ([]Revision, error)
	// PublishedHistory is a page of an assessment's public history: its
	// published revisions newest first (by PublishedAt, then Number),
	// limit of them from the offset-th, with their citations, and how many
	// were published in all. A page costs what it shows, however long the
	// history.
	PublishedHistory(ctx context.Context, country, indicator string, offset, limit int) (revs []Revision, total int, err error)
	// PublishedPosition is where revision number stands in the order of
	// PublishedHistory (0 for the newest); ok is false when it is not a
	// published revision.
	PublishedPosition(ctx context.Context, country, indicator string, number int) (position int, ok bool, err error)
	// LatestRevision is the newest revision in any state: the base a new
	// edit starts from. Its Number is 0 when nothing was ever written.
	LatestRevision(ctx context.Context, country, indicator string) (Revision, error)
	Revision(ctx context.Context, country, indicator string, number int) (Revision, error)
	// RevisionsInState lists revisions in one state across all
	// assessments, oldest first: the review queue reads "submitted".
	RevisionsInState(ctx context.Context, state string) ([]Revision, error)

	// AssessmentsAsOf is Assessments as the public saw them at the instant
	// at: for each assessment, the published revision with the greatest
	// PublishedAt not after at (on a tie, the higher Number). Assessments
	// first published after at are left out, as unwritten ones are.
	AssessmentsAsOf(ctx context.Context, at time.Time, f AssessmentFilter) ([]Assessment, error)
	// PublishedRevisions lists every revision that was ever published,
	// superseded ones included, oldest first by PublishedAt (then Number),
	// narrowed by f: the public history that timelines and /changes read.
	PublishedRevisions(ctx context.Context, f HistoryFilter) ([]Revision, error)
	// Search finds published content (see SearchKind) matching q, best
	// first. Input that has no terms (see SearchTerms) finds nothing and is
	// no error. The index follows every write in the same transaction.
	Search(ctx context.Context, q SearchQuery) ([]SearchHit, error)

	Sources(ctx context.Context) ([]Source, error)
	// SourcesByID finds the sources with these IDs, in the order of
	// Sources; an ID no source has is left out.
	SourcesByID(ctx context.Context, ids []int64) ([]Source, error)

	// The export's cursors call fn for every record in the order an
	// export file lists them, reading as they go, so that memory holds one
	// record at a time however large the table; fn must not use the store
	// while the cursor runs. EachSource visits the stored sources by key
	// (folded title, kind, year, status as of, compared byte by byte);
	// EachOrganisation the organisations with their contacts,
	// EachPublication the publications and EachNewsItem the news, by slug;
	// EachTranslation the translations by kind, key, field and language.
	// EachRevision visits every stored revision, in every state, by
	// country, indicator (by position, then key) and number, each with
	// its citations in order; a citation's Source holds only its ID
	// (EachSource reads the sources).
	EachRevision(ctx context.Context, fn func(Revision) error) error
	EachSource(ctx context.Context, fn func(Source) error) error
	EachOrganisation(ctx context.Context, fn func(Organisation) error) error
	EachPublication(ctx context.Context, fn func(Publication) error) error
	EachNewsItem(ctx context.Context, fn func(NewsItem) error) error
	EachTranslation(ctx context.Context, fn func(Translation) error) error

	// Organisations lists organisations by country, then name, narrowed
	// and paged by f.
	Organisations(ctx context.Context, f OrganisationFilter) ([]Organisation, error)
	// OrganisationNamed lists the organisations of a country whose name
	// is name ignoring case, accents and surrounding space (Fold), by ID:
	// one at most, as the domain keeps them. Stores keep the folded name
	// indexed, so that matching one name costs one look-up however many
	// organisations the country has.
	OrganisationNamed(ctx context.Context, country, name string) ([]OrganisationName, error)
	// OrganisationCounts is how many organisations each country has;
	// countries without any are left out. The directory reads it to know
	// which countries to offer and read, and how many it lists in all.
	OrganisationCounts(ctx context.Context) (map[string]int, error)
	// Organisation finds an organisation, with its contacts, by slug;
	// ENOTFOUND if none has it.
	Organisation(ctx context.Context, slug string) (Organisation, error)
	// Publications lists the library newest first (year descending, then
	// title, then ID), narrowed and paged by f.
	Publications(ctx context.Context, f PublicationFilter) ([]Publication, error)
	// PublicationFacets is what the library's filters offer: how many
	// publications it holds, their years and the countries they cover.
	PublicationFacets(ctx context.Context) (PublicationFacets, error)
	// Publication finds a publication by slug; ENOTFOUND if none has it.
	Publication(ctx context.Context, slug string) (Publication, error)
	// NewsItems lists news newest first (date, then ID, descending),
	// narrowed and paged by f.
	NewsItems(ctx context.Context, f NewsFilter) ([]NewsItem, error)
	NewsItem(ctx context.Context, slug string) (NewsItem, error)
	// OrganisationsBySlug, PublicationsBySlug and NewsItemsBySlug read
	// the records that have one of slugs, in no set order, each as the
	// look-up of its slug reads it: an import compares a batch of records
	// with the stored ones in one read.
	OrganisationsBySlug(ctx context.Context, slugs []string) ([]Organisation, error)
	PublicationsBySlug(ctx context.Context, slugs []string) ([]Publication, error)
	NewsItemsBySlug(ctx context.Context, slugs []string) ([]NewsItem, error)
	// FeaturedStory is the news item shown site-wide; ENOTFOUND if none.
	FeaturedStory(ctx context.Context) (NewsItem, error)

	User(ctx context.Context, id int64) (User, error)
	UserByEmail(ctx context.Context, email string) (User, error)
	Users(ctx context.Context) ([]User, error)
	Token(ctx context.Context, kind, hash string) (Token, error)
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	MovementReports(ctx context.Context, f ReportFilter) ([]MovementReport, error)
	MovementReport(ctx context.Context, id int64) (MovementReport, error)

	// DataVersion grows with every committed write, so that caches and
	// other processes can tell that the data changed.
	DataVersion(ctx context.Context) (int64, error)

	// Editions lists the published editions newest first, without their
	// snapshots; Edition returns one with its snapshot, or ENOTFOUND.
	Editions(ctx context.Context) ([]Edition, error)
	Edition(ctx context.Context, name string) (Edition, error)

	// Translations lists stored translations of content fields, narrowed
	// by f, ordered by kind, key, field and language. Whether one is
	// current is for the caller to tell (Translation.Current).
	Translations(ctx context.Context, f TranslationFilter) ([]Translation, error)

	// CitationFlags lists the citations that need a look, narrowed by f,
	// ordered by country, indicator, then the order they were flagged in.
	CitationFlags(ctx context.Context, f CitationFlagFilter) ([]CitationFlag, error)
}

// Tx is a write transaction. It reads its own writes.
type Tx interface {
	Reader

	// SaveAssessment publishes new content for an assessment as a new
	// revision. Content equal to what is published writes nothing and
	// returns the current revision with changed == false. Citations are
	// matched to existing sources (Source.SameRecord) or create them.
	SaveAssessment(ctx context.Context, a Assessment, c Change) (rev Revision, changed bool, err error)
	// InsertOrganisation stores a new organisation with its contacts and
	// sets o.ID; InsertPublication and InsertNewsItem do the same for
	// theirs. A slug another record has is an ECONFLICT error. Whether to
	// create, and with which slug, is the domain's decision (records.go).
	InsertOrganisation(ctx context.Context, o *Organisation) error
	InsertPublication(ctx context.Context, p *Publication) error
	InsertNewsItem(ctx context.Context, n *NewsItem) error
	// UpdateOrganisation rewrites the stored organisation with o.ID, and
	// replaces its contacts; UpdatePublication and UpdateNewsItem do the
	// same for theirs. No record with that ID is ENOTFOUND, a slug another
	// record has ECONFLICT.
	UpdateOrganisation(ctx context.Context, o Organisation) error
	UpdatePublication(ctx context.Context, p Publication) error
	UpdateNewsItem(ctx context.Context, n NewsItem) error
	// SetFeaturedStory records the slug of the featured story
	// (FeatureStory decides).
	SetFeaturedStory(ctx context.Context, slug string) error

	// AddRevision stores a draft or submitted revision. nr.Base must be the
	// number of the newest revision, or it returns a *ConflictError and
	// writes nothing: two editors on one base never overwrite each other.
	AddRevision(ctx context.Context, a Assessment, nr NewRevision) (Revision, error)
	// ReviewRevision publishes or returns a submitted revision.
	ReviewRevision(ctx context.Context, country, indicator string, number int, r Review) (Revision, error)

	// InsertUser stores a new user and sets its ID; UpdateUser rewrites
	// the user with u.ID. The service has checked the user and that no
	// other has the email; a store answers EmailTaken if one has all the
	// same (two writers at once).
	InsertUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u User) error
	SaveToken(ctx context.Context, t Token) error
	// DeleteTokens removes the token with hash, or when hash is empty all
	// of the user's tokens of that kind.
	DeleteTokens(ctx context.Context, kind string, userID int64, hash string) error
	AddAudit(ctx context.Context, e AuditEntry) error
	// SaveMovementReport files a new report (ID 0) or updates its state.
	SaveMovementReport(ctx context.Context, r *MovementReport) error

	// RestoreRevisions stores revisions exactly as an export gives them —
	// number, base, state, author, reason, created and published times,
	// reviewer, review comment and content — for imports that carry history
	// from one database to another; one call takes a whole file's, so
	// that stores can write in bulk. A Restore marked Current, which must
	// be published, becomes its assessment's published state. A stored
	// revision with the same country, indicator and number must say the
	// same (DiffRevision is empty), or it returns an ECONFLICT error naming
	// what differs: a restore never rewrites history. Every revision is
	// checked before any is written. written counts the revisions stored,
	// moved the published states that changed.
	RestoreRevisions(ctx context.Context, rs []Restore) (written, moved int, err error)
	// SaveIndicator creates an indicator, or updates the one with its key;
	// SaveRating does the same for a step of the rating scale. Keys never
	// change, since assessments and links use them.
	SaveIndicator(ctx context.Context, ind Indicator) (changed bool, err error)
	SaveRating(ctx context.Context, r Rating) (changed bool, err error)
	// SaveEdition stores a new edition. Editions never change: saving a
	// name that exists is an ECONFLICT error.
	SaveEdition(ctx context.Context, e Edition) error

	// SaveTranslation stores the translation of one field in one language,
	// keyed by kind, key, field and language, replacing the one stored.
	// Empty Text removes it. Saving what is stored (same text and source
	// version) writes nothing and returns changed == false.
	SaveTranslation(ctx context.Context, t Translation) (changed bool, err error)

	// SetCitationFlags replaces the "needs a look" flags of one assessment
	// with flags (none clears them); changed is false when they were
	// already those. Whether to flag or clear is the domain's decision
	// (FlagImportedCitations, Service.SaveDraft).
	SetCitationFlags(ctx context.Context, country, indicator string, flags []CitationFlag) (changed bool, err error)
}

// AssessmentFilter narrows Assessments; empty fields match everything.
type AssessmentFilter struct {
	Country   string
	Indicator string
	// RatingsOnly says the caller reads the key, rating, value, as-of
	// date, revision number and UpdatedAt only (a count, a list of
	// countries, what changed between two dates), so stores may leave the
	// rest empty (Explanation and Citations above all) and skip reading it.
	RatingsOnly bool
}

// OrganisationFilter narrows Organisations.
type OrganisationFilter struct {
	Country string
	// After, when its Name is set, starts the list after the organisation
	// with that country and name (keyset paging: a country's names are
	// unique, so the key is the order).
	After OrganisationKey
	// Backward reads the organisations before After (or from the end)
	// instead, nearest first: a previous page.
	Backward bool
	// Limit keeps the first Limit organisations (by country, then name),
	// with their contacts; 0 keeps all.
	Limit int
}

// OrganisationKey is an organisation's place in the order of
// Organisations.
type OrganisationKey struct {
	Country, Name string
}

// Key is o's place in the order of Organisations.
func (o Organisation) Key() OrganisationKey { return OrganisationKey{o.Country, o.Name} }

// PublicationFilter narrows Publications; empty fields match everything,
// set fields must all match.
type PublicationFilter struct {
	Country string // ISO alpha-2: publications covering this country
	Type    string // a publication type, e.g. PubLegalChecklist
	Year    int
	// Region is a UN M49 region or sub-region code ("002" Africa, "011"
	// Western Africa): publications covering at least one of its
	// countries (RegionCountries). An unknown code matches nothing.
	Region string
	// After, when its ID is set, starts the list after that publication's
	// place (keyset paging); Backward reads the publications before it
	// instead, nearest first (a previous page). Limit 0 keeps all.
	After    PublicationKey
	Backward bool
	Limit    int
}

// PublicationKey is a publication's place in the order of Publications:
// year descending, then title, then ID.
type PublicationKey struct {
	Year  int
	Title string
	ID    int64
}

// Key is p's place in the order of Publications.
func (p Publication) Key() PublicationKey { return PublicationKey{p.Year, p.Title, p.ID} }

// PublicationFacets is what the library holds, for its filters.
type PublicationFacets struct {
	Total     int
	Years     []int    // the years publications have (0 left out), newest first
	Countries []string // ISO codes some publication covers, in order
}

// NewsFilter narrows NewsItems; Limit 0 means all. After, when its ID is
// set, starts the list after that item's place (keyset paging, what pages
// read), or with Backward ends it there, nearest first (a previous page);
// Offset skips that many items of the ordered list.
type NewsFilter struct {
	Country  string
	After    NewsKey
	Backward bool
	Limit    int
	Offset   int
}

// NewsKey is a news item's place in the order of NewsItems: date, then
// ID, both descending.
type NewsKey struct {
	Date time.Time
	ID   int64
}

// Key is n's place in the order of NewsItems.
func (n NewsItem) Key() NewsKey { return NewsKey{n.Date, n.ID} }
