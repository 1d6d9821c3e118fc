package vigie_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

var ctx = context.Background()

func newService(t *testing.T) *vigie.Service {
	t.Helper()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "vigie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return vigie.NewService(s)
}

var cli = vigie.CommandLine("test")

func addUser(t *testing.T, svc *vigie.Service, email string, role vigie.Role, countries ...string) vigie.Actor {
	t.Helper()
	u := vigie.User{Email: email, Role: role, Countries: countries}
	if _, err := svc.AddUser(ctx, cli, &u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	return vigie.Actor{User: &u, Addr: "192.0.2.1"}
}

func draft(rating string) vigie.Assessment {
	return vigie.Assessment{Country: "ML", Indicator: "sec-police-unit", Rating: rating, Explanation: "A unit exists."}
}

func TestNobodyPublishesTheirOwnDraft(t *testing.T) {
	svc := newService(t)
	researcher := addUser(t, svc, "ana@example.org", vigie.RoleResearcher)
	admin := addUser(t, svc, "boss@example.org", vigie.RoleAdmin)
	reviewer := addUser(t, svc, "rui@example.org", vigie.RoleReviewer)

	rev, err := svc.SaveDraft(ctx, researcher, draft(vigie.RatingYes), 0, "new study", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, researcher, "ML", "sec-police-unit", rev.Number, ""); vigie.ErrorCode(err) != vigie.EFORBIDDEN {
		t.Errorf("a researcher published: %v", err)
	}
	// An admin may review, but not their own work.
	own, err := svc.SaveDraft(ctx, admin, draft(vigie.RatingNo), rev.Number, "correction", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, admin, "ML", "sec-police-unit", own.Number, ""); vigie.ErrorCode(err) != vigie.EFORBIDDEN {
		t.Errorf("an admin published their own draft: %v", err)
	}
	if a, _ := svc.Store.Assessment(ctx, "ML", "sec-police-unit"); a.Revision != 0 {
		t.Fatalf("a draft is public before review: %+v", a)
	}
	if _, err := svc.Publish(ctx, reviewer, "ML", "sec-police-unit", own.Number, "checked"); err != nil {
		t.Fatalf("reviewer could not publish: %v", err)
	}
	if a, _ := svc.Store.Assessment(ctx, "ML", "sec-police-unit"); a.Revision != own.Number || a.Rating != vigie.RatingNo {
		t.Errorf("after publishing, the public sees %+v", a)
	}
	if _, err := svc.Return(ctx, reviewer, "ML", "sec-police-unit", rev.Number, ""); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("returning without a comment: %v", err)
	}
	log, _ := svc.Store.AuditLog(ctx, vigie.AuditFilter{})
	if len(log) == 0 || log[0].Action != "assessment.published" || log[0].Actor != "rui@example.org" || log[0].Addr != "192.0.2.1" {
		t.Errorf("audit log top = %+v", log)
	}
}

func TestConcurrentDraftsOnOneBaseOneWins(t *testing.T) {
	svc := newService(t)
	researcher := addUser(t, svc, "ana@example.org", vigie.RoleResearcher)
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			a := draft(vigie.RatingPartial)
			a.Explanation = fmt.Sprintf("text %d", i)
			_, errs[i] = svc.SaveDraft(ctx, researcher, a, 0, "", false)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		var c *vigie.ConflictError
		switch {
		case err == nil:
			wins++
		case !errors.As(err, &c):
			t.Errorf("unexpected error %v", err)
		case c.Current.Number != 1:
			t.Errorf("conflict shows revision %d, want 1", c.Current.Number)
		}
	}
	if wins != 1 {
		t.Errorf("%d saves won, want exactly 1", wins)
	}
}

func TestRevertIsANewReviewedRevision(t *testing.T) {
	svc := newService(t)
	researcher := addUser(t, svc, "ana@example.org", vigie.RoleResearcher)
	reviewer := addUser(t, svc, "rui@example.org", vigie.RoleReviewer)
	first, _ := svc.SaveDraft(ctx, researcher, draft(vigie.RatingYes), 0, "", true)
	svc.Publish(ctx, reviewer, "ML", "sec-police-unit", first.Number, "")
	second, _ := svc.SaveDraft(ctx, researcher, draft(vigie.RatingNo), first.Number, "", true)
	svc.Publish(ctx, reviewer, "ML", "sec-police-unit", second.Number, "")
	back, err := svc.Revert(ctx, researcher, "ML", "sec-police-unit", first.Number, second.Number, "")
	if err != nil {
		t.Fatal(err)
	}
	if back.Number != 3 || back.State != vigie.RevisionSubmitted || back.Content.Rating != vigie.RatingYes ||
		!strings.Contains(back.Reason, "revert to revision 1") {
		t.Errorf("revert = %+v", back)
	}
}

func TestAccountsAndSessions(t *testing.T) {
	svc := newService(t)
	u := vigie.User{Email: "new@example.org", Role: vigie.RoleReviewer}
	secret, err := svc.AddUser(ctx, cli, &u, "")
	if err != nil || secret == "" {
		t.Fatalf("AddUser without password: %q, %v", secret, err)
	}
	if _, _, err := svc.Login(ctx, u.Email, "anything at all", "a"); vigie.ErrorCode(err) != vigie.EUNAUTHORIZED {
		t.Errorf("login before a password is set: %v", err)
	}
	if _, err := svc.SetPassword(ctx, secret, "short", "a"); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("short password accepted: %v", err)
	}
	if _, err := svc.SetPassword(ctx, secret, "a long enough passphrase", "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetPassword(ctx, secret, "another long passphrase", "a"); vigie.ErrorCode(err) != vigie.EUNAUTHORIZED {
		t.Errorf("the set-password link worked twice: %v", err)
	}
	session, got, err := svc.Login(ctx, "NEW@example.org ", "a long enough passphrase", "a")
	if err != nil || got.ID != u.ID {
		t.Fatalf("login: %+v, %v", got, err)
	}
	if who, err := svc.UserFor(ctx, vigie.TokenSession, session); err != nil || who.Email != u.Email {
		t.Errorf("session user = %+v, %v", who, err)
	}
	if _, err := svc.UserFor(ctx, vigie.TokenAPI, session); err == nil {
		t.Error("a session secret worked as an API token")
	}
	if err := svc.DisableUser(ctx, cli, u.Email); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UserFor(ctx, vigie.TokenSession, session); err == nil {
		t.Error("a disabled user's session still works")
	}
	if _, _, err := svc.Login(ctx, u.Email, "a long enough passphrase", "a"); vigie.ErrorCode(err) != vigie.EFORBIDDEN {
		t.Errorf("a disabled user signed in: %v", err)
	}
	if users, _ := svc.Store.Users(ctx); len(users) != 1 || !users[0].Disabled {
		t.Errorf("disabling deleted the user: %+v", users)
	}
}

func TestMovementReportsAreLimited(t *testing.T) {
	svc := newService(t)
	for i := range 5 {
		r := vigie.MovementReport{Country: "ML", Change: fmt.Sprint("change ", i)}
		if err := svc.FileMovementReport(ctx, &r, "192.0.2.9"); err != nil {
			t.Fatal(err)
		}
	}
	r := vigie.MovementReport{Country: "ML", Change: "one more"}
	if err := svc.FileMovementReport(ctx, &r, "192.0.2.9"); vigie.ErrorCode(err) != vigie.ERATELIMIT {
		t.Errorf("sixth report in an hour: %v", err)
	}
	if list, _ := svc.Store.MovementReports(ctx, vigie.ReportFilter{}); len(list) != 5 || list[0].Addr != "192.0.2.9" {
		t.Errorf("reports = %+v", list)
	}
}
