package vigie

import "context"

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
	// LatestRevision is the newest revision in any state: the base a new
	// edit starts from. Its Number is 0 when nothing was ever written.
	LatestRevision(ctx context.Context, country, indicator string) (Revision, error)
	Revision(ctx context.Context, country, indicator string, number int) (Revision, error)
	// RevisionsInState lists revisions in one state across all
	// assessments, oldest first: the review queue reads "submitted".
	RevisionsInState(ctx context.Context, state string) ([]Revision, error)
	Sources(ctx context.Context) ([]Source, error)

	Organisations(ctx context.Context, f OrganisationFilter) ([]Organisation, error)
	Publications(ctx context.Context, f PublicationFilter) ([]Publication, error)
	NewsItems(ctx context.Context, f NewsFilter) ([]NewsItem, error)
	NewsItem(ctx context.Context, slug string) (NewsItem, error)
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
}

// Tx is a write transaction. It reads its own writes.
type Tx interface {
	Reader

	// SaveAssessment publishes new content for an assessment as a new
	// revision. Content equal to what is published writes nothing and
	// returns the current revision with changed == false. Citations are
	// matched to existing sources (Source.SameRecord) or create them.
	SaveAssessment(ctx context.Context, a Assessment, c Change) (rev Revision, changed bool, err error)
	// SaveOrganisation creates or updates an organisation, matched by ID or
	// else by country and name; its contacts are replaced.
	SaveOrganisation(ctx context.Context, o *Organisation) (changed bool, err error)
	// SavePublication creates or updates a publication, matched by ID or
	// else by slug.
	SavePublication(ctx context.Context, p *Publication) (changed bool, err error)
	// SaveNewsItem creates or updates a news item, matched by ID or slug.
	SaveNewsItem(ctx context.Context, n *NewsItem) (changed bool, err error)
	SetFeaturedStory(ctx context.Context, slug string) (changed bool, err error)

	// AddRevision stores a draft or submitted revision. nr.Base must be the
	// number of the newest revision, or it returns a *ConflictError and
	// writes nothing: two editors on one base never overwrite each other.
	AddRevision(ctx context.Context, a Assessment, nr NewRevision) (Revision, error)
	// ReviewRevision publishes or returns a submitted revision.
	ReviewRevision(ctx context.Context, country, indicator string, number int, r Review) (Revision, error)

	// SaveUser creates (ID 0) or updates a user; emails are unique.
	SaveUser(ctx context.Context, u *User) error
	SaveToken(ctx context.Context, t Token) error
	// DeleteTokens removes the token with hash, or when hash is empty all
	// of the user's tokens of that kind.
	DeleteTokens(ctx context.Context, kind string, userID int64, hash string) error
	AddAudit(ctx context.Context, e AuditEntry) error
	// SaveMovementReport files a new report (ID 0) or updates its state.
	SaveMovementReport(ctx context.Context, r *MovementReport) error
}

// AssessmentFilter narrows Assessments; empty fields match everything.
type AssessmentFilter struct {
	Country   string
	Indicator string
}

// OrganisationFilter narrows Organisations.
type OrganisationFilter struct {
	Country string
}

// PublicationFilter narrows Publications.
type PublicationFilter struct {
	Country string
}

// NewsFilter narrows NewsItems; Limit 0 means all.
type NewsFilter struct {
	Country string
	Limit   int
}
