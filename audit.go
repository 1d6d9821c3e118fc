package vigie

import "time"

// AuditEntry records one write: who did what to which record, from where.
// The audit log is for admins; the public history is the revisions.
type AuditEntry struct {
	ID     int64
	At     time.Time
	UserID int64  // 0 for the command line
	Actor  string // the user's name or email, or the command
	Action string // e.g. "assessment.publish", "user.add"
	Target string // e.g. "ML/age-of-consent#4", "user:ana@example.org"
	Detail string
	Addr   string // the client address, or "cli"
}

// AuditFilter pages through the log, newest first.
type AuditFilter struct {
	BeforeID int64 // 0: from the newest
	Limit    int
}
