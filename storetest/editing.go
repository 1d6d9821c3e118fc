package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

func editingTests() []namedTest {
	return []namedTest{
		{"DraftsStayPrivateUntilPublished", testDraftWorkflow},
		{"StaleBaseIsAConflict", testStaleBase},
		{"ConcurrentSavesOnOneBase", testConcurrentSavesOnOneBase},
		{"Users", testUsers},
		{"Tokens", testTokens},
		{"AuditLog", testAuditLog},
		{"MovementReports", testMovementReports},
	}
}

func addUser(t *testing.T, s vigie.Store, email string, role vigie.Role) vigie.User {
	t.Helper()
	u := vigie.User{Email: email, Role: role, CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if role == vigie.RoleMember {
		u.Countries = []string{"ML"}
	}
	update(t, s, func(tx vigie.Tx) error { return tx.InsertUser(ctx, &u) })
	return u
}

func testDraftWorkflow(t *testing.T, s vigie.Store) {
	researcher := addUser(t, s, "ana@example.org", vigie.RoleResearcher)
	reviewer := addUser(t, s, "rui@example.org", vigie.RoleReviewer)
	a := extraterritoriality()
	var rev vigie.Revision
	update(t, s, func(tx vigie.Tx) (err error) {
		rev, err = tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionSubmitted, Base: 0,
			Change: vigie.Change{AuthorID: researcher.ID, Author: researcher.Email, Reason: "new study"}})
		return err
	})
	if rev.Number != 1 || rev.State != vigie.RevisionSubmitted || rev.AuthorID != researcher.ID || !rev.PublishedAt.IsZero() {
		t.Fatalf("AddRevision = %+v", rev)
	}
	if pub, _ := s.Assessment(ctx, "ML", a.Indicator); pub.Revision != 0 {
		t.Errorf("a submitted draft is public: %+v", pub)
	}
	queue, err := s.RevisionsInState(ctx, vigie.RevisionSubmitted)
	if err != nil || len(queue) != 1 || len(queue[0].Content.Citations) != 3 {
		t.Fatalf("review queue = %+v, %v", queue, err)
	}
	latest, err := s.LatestRevision(ctx, "ML", a.Indicator)
	if err != nil || latest.Number != 1 {
		t.Errorf("LatestRevision = %+v, %v", latest, err)
	}

	// Returned with a comment: still private.
	update(t, s, func(tx vigie.Tx) error {
		_, err := tx.ReviewRevision(ctx, "ML", a.Indicator, 1, vigie.Review{State: vigie.RevisionReturned,
			ReviewerID: reviewer.ID, Reviewer: reviewer.Email, Comment: "cite the article"})
		return err
	})
	got, err := s.Revision(ctx, "ML", a.Indicator, 1)
	if err != nil || got.State != vigie.RevisionReturned || got.ReviewComment != "cite the article" || got.ReviewerID != reviewer.ID {
		t.Errorf("returned revision = %+v, %v", got, err)
	}
	if err := s.Update(ctx, func(tx vigie.Tx) error {
		_, err := tx.ReviewRevision(ctx, "ML", a.Indicator, 1, vigie.Review{State: vigie.RevisionPublished, Reviewer: "x"})
		return err
	}); vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("publishing a returned revision: err = %v, want conflict", err)
	}

	// Resubmitted on base 1, then published.
	a.Explanation += "\n\nArticle 22 applies."
	update(t, s, func(tx vigie.Tx) error {
		_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionSubmitted, Base: 1,
			Change: vigie.Change{AuthorID: researcher.ID, Author: researcher.Email}})
		return err
	})
	v0, _ := s.DataVersion(ctx)
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	update(t, s, func(tx vigie.Tx) error {
		_, err := tx.ReviewRevision(ctx, "ML", a.Indicator, 2, vigie.Review{State: vigie.RevisionPublished,
			ReviewerID: reviewer.ID, Reviewer: reviewer.Email, At: at})
		return err
	})
	pub, err := s.Assessment(ctx, "ML", a.Indicator)
	if err != nil || pub.Revision != 2 || !pub.SameContent(a) || !pub.UpdatedAt.Equal(at) {
		t.Errorf("published assessment = %+v, %v", pub, err)
	}
	if v1, _ := s.DataVersion(ctx); v1 <= v0 {
		t.Errorf("publishing did not move the data version")
	}
	if q, _ := s.RevisionsInState(ctx, vigie.RevisionSubmitted); len(q) != 0 {
		t.Errorf("queue after publishing = %+v", q)
	}
	revs, _ := s.Revisions(ctx, "ML", a.Indicator)
	if len(revs) != 2 || revs[0].State != vigie.RevisionPublished || !revs[0].PublishedAt.Equal(at) || revs[0].Base != 1 {
		t.Errorf("history = %+v", revs)
	}
}

func testStaleBase(t *testing.T, s vigie.Store) {
	a := extraterritoriality()
	update(t, s, func(tx vigie.Tx) error {
		_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionDraft, Base: 0, Change: vigie.Change{Author: "first"}})
		return err
	})
	b := a
	b.Explanation = "my own text"
	err := s.Update(ctx, func(tx vigie.Tx) error {
		_, err := tx.AddRevision(ctx, b, vigie.NewRevision{State: vigie.RevisionDraft, Base: 0, Change: vigie.Change{Author: "second"}})
		return err
	})
	var conflict *vigie.ConflictError
	if !errors.As(err, &conflict) || conflict.Current.Number != 1 || conflict.Current.Author != "first" ||
		conflict.Current.Content.Explanation != a.Explanation {
		t.Fatalf("stale save: err = %#v, want a conflict showing revision 1 by first", err)
	}
	if revs, _ := s.Revisions(ctx, "ML", a.Indicator); len(revs) != 1 {
		t.Errorf("the stale save wrote: %d revisions", len(revs))
	}
}

func testConcurrentSavesOnOneBase(t *testing.T, s vigie.Store) {
	const editors = 10
	var wg sync.WaitGroup
	results := make(chan error, editors)
	for i := range editors {
		wg.Go(func() {
			results <- s.Update(ctx, func(tx vigie.Tx) error {
				a := extraterritoriality()
				a.Explanation = fmt.Sprintf("editor %d", i)
				_, err := tx.AddRevision(ctx, a, vigie.NewRevision{State: vigie.RevisionDraft, Base: 0,
					Change: vigie.Change{Author: fmt.Sprint("editor ", i)}})
				return err
			})
		})
	}
	wg.Wait()
	close(results)
	wins, conflicts := 0, 0
	for err := range results {
		var c *vigie.ConflictError
		switch {
		case err == nil:
			wins++
		case errors.As(err, &c):
			conflicts++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if wins != 1 || conflicts != editors-1 {
		t.Errorf("%d wins and %d conflicts, want 1 and %d", wins, conflicts, editors-1)
	}
	if revs, _ := s.Revisions(ctx, "ML", "extraterritoriality-extradition"); len(revs) != 1 {
		t.Errorf("got %d revisions, want 1", len(revs))
	}
}

func testUsers(t *testing.T, s vigie.Store) {
	u := vigie.User{Email: "ana@example.org", Name: "Ana", Role: vigie.RoleMember, Countries: []string{"ML", "SN"},
		CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	update(t, s, func(tx vigie.Tx) error { return tx.InsertUser(ctx, &u) })
	if u.ID == 0 {
		t.Fatalf("inserted user = %+v", u)
	}
	// The service checks the email first; the store still refuses a
	// second user with it (two writers at once), as a conflict.
	dup := vigie.User{Email: "ana@example.org", Role: vigie.RoleAdmin, CreatedAt: u.CreatedAt}
	if err := s.Update(ctx, func(tx vigie.Tx) error { return tx.InsertUser(ctx, &dup) }); vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("duplicate email: err = %v, want conflict", err)
	}
	other := vigie.User{Email: "rui@example.org", Role: vigie.RoleAdmin, CreatedAt: u.CreatedAt}
	update(t, s, func(tx vigie.Tx) error { return tx.InsertUser(ctx, &other) })
	other.Email = u.Email
	if err := s.Update(ctx, func(tx vigie.Tx) error { return tx.UpdateUser(ctx, other) }); vigie.ErrorCode(err) != vigie.ECONFLICT {
		t.Errorf("update to a taken email: err = %v, want conflict", err)
	}
	if err := s.Update(ctx, func(tx vigie.Tx) error { return tx.UpdateUser(ctx, vigie.User{ID: 9999, Email: "x@example.org"}) }); !vigie.IsNotFound(err) {
		t.Errorf("update of a missing user: err = %v, want not found", err)
	}
	u.Disabled, u.PasswordHash = true, "$argon2id$v=19$m=65536,t=1,p=2$c2FsdA$aGFzaA"
	update(t, s, func(tx vigie.Tx) error { return tx.UpdateUser(ctx, u) })
	got, err := s.UserByEmail(ctx, "ANA@example.org")
	if err != nil || !got.Disabled || got.PasswordHash != u.PasswordHash || len(got.Countries) != 2 || got.Name != "Ana" {
		t.Errorf("UserByEmail = %+v, %v", got, err)
	}
	if byID, err := s.User(ctx, u.ID); err != nil || byID.Email != u.Email {
		t.Errorf("User(%d) = %+v, %v", u.ID, byID, err)
	}
	if _, err := s.UserByEmail(ctx, "nobody@example.org"); !vigie.IsNotFound(err) {
		t.Errorf("missing user: err = %v", err)
	}
	if byID, _ := s.User(ctx, u.ID); !byID.CreatedAt.Equal(u.CreatedAt) {
		t.Errorf("created at %v, want %v", byID.CreatedAt, u.CreatedAt)
	}
	if all, _ := s.Users(ctx); len(all) != 2 {
		t.Errorf("Users = %+v", all)
	}
}

func testTokens(t *testing.T, s vigie.Store) {
	u := addUser(t, s, "ana@example.org", vigie.RoleAdmin)
	_, h1 := vigie.NewSecret()
	_, h2 := vigie.NewSecret()
	exp := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	update(t, s, func(tx vigie.Tx) error {
		if err := tx.SaveToken(ctx, vigie.Token{Hash: h1, Kind: vigie.TokenSession, UserID: u.ID, ExpiresAt: exp, Addr: "127.0.0.1"}); err != nil {
			return err
		}
		return tx.SaveToken(ctx, vigie.Token{Hash: h2, Kind: vigie.TokenSession, UserID: u.ID})
	})
	tok, err := s.Token(ctx, vigie.TokenSession, h1)
	if err != nil || tok.UserID != u.ID || !tok.ExpiresAt.Equal(exp) || tok.Addr != "127.0.0.1" {
		t.Errorf("Token = %+v, %v", tok, err)
	}
	if _, err := s.Token(ctx, vigie.TokenAPI, h1); !vigie.IsNotFound(err) {
		t.Errorf("a session token answered as an API token: %v", err)
	}
	update(t, s, func(tx vigie.Tx) error { return tx.DeleteTokens(ctx, vigie.TokenSession, 0, h1) })
	if _, err := s.Token(ctx, vigie.TokenSession, h1); !vigie.IsNotFound(err) {
		t.Errorf("deleted token still there: %v", err)
	}
	if _, err := s.Token(ctx, vigie.TokenSession, h2); err != nil {
		t.Errorf("deleting one token removed another: %v", err)
	}
	update(t, s, func(tx vigie.Tx) error { return tx.DeleteTokens(ctx, vigie.TokenSession, u.ID, "") })
	if _, err := s.Token(ctx, vigie.TokenSession, h2); !vigie.IsNotFound(err) {
		t.Errorf("user's tokens not all deleted: %v", err)
	}
}

func testAuditLog(t *testing.T, s vigie.Store) {
	u := addUser(t, s, "ana@example.org", vigie.RoleAdmin)
	update(t, s, func(tx vigie.Tx) error {
		for i := range 5 {
			if err := tx.AddAudit(ctx, vigie.AuditEntry{UserID: u.ID, Actor: u.Email, Action: "assessment.save",
				Target: fmt.Sprintf("ML/age-of-consent#%d", i+1), Addr: "192.0.2.1"}); err != nil {
				return err
			}
		}
		return tx.AddAudit(ctx, vigie.AuditEntry{Actor: "vigie import", Action: "import", Addr: "cli"})
	})
	page1, err := s.AuditLog(ctx, vigie.AuditFilter{Limit: 4})
	if err != nil || len(page1) != 4 || page1[0].Action != "import" || page1[1].Target != "ML/age-of-consent#5" || page1[1].UserID != u.ID {
		t.Fatalf("AuditLog page 1 = %+v, %v", page1, err)
	}
	page2, _ := s.AuditLog(ctx, vigie.AuditFilter{Limit: 4, BeforeID: page1[3].ID})
	if len(page2) != 2 || page2[1].Target != "ML/age-of-consent#1" || page2[1].At.IsZero() {
		t.Errorf("AuditLog page 2 = %+v", page2)
	}
}

func testMovementReports(t *testing.T, s vigie.Store) {
	r := vigie.MovementReport{Country: "ML", Indicator: "age-of-consent", Change: "A new law raises the age.",
		Link: "https://example.org/law", Addr: "192.0.2.7"}
	update(t, s, func(tx vigie.Tx) error { return tx.SaveMovementReport(ctx, &r) })
	other := vigie.MovementReport{Country: "SN", Change: "Something moved."}
	update(t, s, func(tx vigie.Tx) error { return tx.SaveMovementReport(ctx, &other) })
	open, err := s.MovementReports(ctx, vigie.ReportFilter{State: vigie.ReportOpen})
	if err != nil || len(open) != 2 || open[0].ID != other.ID || open[1].Indicator != "age-of-consent" {
		t.Fatalf("open reports = %+v, %v", open, err)
	}
	r.State = vigie.ReportDrafted
	update(t, s, func(tx vigie.Tx) error { return tx.SaveMovementReport(ctx, &r) })
	if got, _ := s.MovementReport(ctx, r.ID); got.State != vigie.ReportDrafted || got.Addr != "192.0.2.7" {
		t.Errorf("report after triage = %+v", got)
	}
	if open, _ = s.MovementReports(ctx, vigie.ReportFilter{State: vigie.ReportOpen}); len(open) != 1 {
		t.Errorf("open reports after triage = %+v", open)
	}
	empty := vigie.MovementReport{Country: "ML", Change: "  "}
	if err := s.Update(ctx, func(tx vigie.Tx) error { return tx.SaveMovementReport(ctx, &empty) }); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("empty report: err = %v", err)
	}
}
