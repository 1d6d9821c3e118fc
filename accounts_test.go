package vigie_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/sqlite"
)

// Finding 9 of issue 13: a disabled account with a wrong password
// answered "disabled", telling outsiders which accounts exist.
func TestLoginAnswersAlikeForUnknownDisabledAndWrong(t *testing.T) {
	svc := newService(t)
	addUser(t, svc, "ana@example.org", vigie.RoleResearcher)
	addUser(t, svc, "gone@example.org", vigie.RoleResearcher)
	if err := svc.DisableUser(ctx, cli, "gone@example.org"); err != nil {
		t.Fatal(err)
	}
	pending := vigie.User{Email: "new@example.org", Role: vigie.RoleReviewer}
	if _, err := svc.AddUser(ctx, cli, &pending, ""); err != nil {
		t.Fatal(err)
	}
	var answers []string
	for i, email := range []string{"nobody@example.org", "gone@example.org", "ana@example.org", "new@example.org"} {
		_, _, err := svc.Login(ctx, email, "not the password", fmt.Sprint("192.0.2.", i))
		answers = append(answers, fmt.Sprintf("%s: %v", vigie.ErrorCode(err), err))
	}
	for i, a := range answers {
		if a != answers[0] || !strings.HasPrefix(a, vigie.EUNAUTHORIZED+":") {
			t.Errorf("answer %d = %q, want %q for every one", i, a, answers[0])
		}
	}
	// Whoever knows a disabled account's password may learn it is disabled.
	if _, _, err := svc.Login(ctx, "gone@example.org", "correct horse battery", "192.0.2.9"); vigie.ErrorCode(err) != vigie.EFORBIDDEN {
		t.Errorf("disabled account, right password: %v", err)
	}
}

// clock is a settable time for the sign-in backoff.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// Finding 9 of issue 13: five wrong passwords from anywhere locked the
// account for everyone, its owner included.
func TestLoginBackoffSlowsTheGuesserNotTheOwner(t *testing.T) {
	svc := newService(t)
	c := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	svc.Now = c.Now
	addUser(t, svc, "ana@example.org", vigie.RoleResearcher)
	const guesser, owner = "203.0.113.66", "192.0.2.10"
	for i := range 5 {
		if _, _, err := svc.Login(ctx, "ana@example.org", "wrong password!", guesser); vigie.ErrorCode(err) != vigie.EUNAUTHORIZED {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", guesser)
	if vigie.ErrorCode(err) != vigie.ERATELIMIT || !strings.Contains(err.Error(), "try again in 1 minute") {
		t.Errorf("sixth attempt from the same address: %v, want a wait", err)
	}
	if _, _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", owner); err != nil {
		t.Errorf("the owner, from elsewhere, was locked out: %v", err)
	}
	// Each further failure doubles the guesser's wait.
	waits := []time.Duration{}
	for range 4 {
		wait := time.Duration(0)
		for {
			if _, _, err := svc.Login(ctx, "ana@example.org", "wrong password!", guesser); vigie.ErrorCode(err) == vigie.EUNAUTHORIZED {
				break
			}
			c.now = c.now.Add(500 * time.Millisecond)
			wait += 500 * time.Millisecond
		}
		waits = append(waits, wait)
	}
	if fmt.Sprint(waits) != "[1s 2s 4s 8s]" {
		t.Errorf("waits between failures = %v, want [1s 2s 4s 8s]", waits)
	}
	// The right password from the guesser's address, once the wait is
	// over, resets that address's count.
	c.now = c.now.Add(16 * time.Second)
	if _, _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", guesser); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Login(ctx, "ana@example.org", "wrong password!", guesser); vigie.ErrorCode(err) != vigie.EUNAUTHORIZED {
		t.Errorf("after a sign-in, the count went on: %v", err)
	}
}

func TestOneAddressGuessingManyAccountsIsSlowedDown(t *testing.T) {
	svc := newService(t)
	c := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	svc.Now = c.Now
	addUser(t, svc, "ana@example.org", vigie.RoleResearcher)
	for i := range 20 {
		if _, _, err := svc.Login(ctx, fmt.Sprintf("user%d@example.org", i), "wrong password!", "203.0.113.66"); vigie.ErrorCode(err) != vigie.EUNAUTHORIZED {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", "203.0.113.66"); vigie.ErrorCode(err) != vigie.ERATELIMIT {
		t.Errorf("the 21st account from one address: %v, want a wait", err)
	}
	if _, _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", "192.0.2.10"); err != nil {
		t.Errorf("another address: %v", err)
	}
}

func TestASetPasswordLinkWorksWhateverTheBackoff(t *testing.T) {
	svc := newService(t)
	c := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	svc.Now = c.Now
	u := vigie.User{Email: "new@example.org", Role: vigie.RoleReviewer}
	secret, err := svc.AddUser(ctx, cli, &u, "")
	if err != nil {
		t.Fatal(err)
	}
	const addr = "192.0.2.10"
	for range 8 {
		svc.Login(ctx, u.Email, "wrong password!", addr)
	}
	if _, _, err := svc.Login(ctx, u.Email, "a long enough passphrase", addr); vigie.ErrorCode(err) != vigie.ERATELIMIT {
		t.Fatalf("after 8 failures: %v", err)
	}
	session, got, err := svc.SetPasswordAndSignIn(ctx, secret, "a long enough passphrase", addr)
	if err != nil || session == "" || got.ID != u.ID {
		t.Fatalf("set-password link: %q %+v %v", session, got, err)
	}
	if who, err := svc.UserFor(ctx, vigie.TokenSession, session); err != nil || who.ID != u.ID {
		t.Errorf("the link's session: %+v %v", who, err)
	}
	// The failures against the account are forgotten with its new password.
	if _, _, err := svc.Login(ctx, u.Email, "a long enough passphrase", addr); err != nil {
		t.Errorf("sign-in after choosing a password: %v", err)
	}
}

// BenchmarkLogin compares a sign-in's cost for an existing account and an
// unknown one: they must be alike, or timing tells which accounts exist.
func BenchmarkLogin(b *testing.B) {
	st, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "vigie.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	svc := vigie.NewService(st)
	u := vigie.User{Email: "ana@example.org", Role: vigie.RoleResearcher}
	if _, err := svc.AddUser(ctx, cli, &u, "correct horse battery"); err != nil {
		b.Fatal(err)
	}
	for _, email := range []string{"ana@example.org", "nobody@example.org"} {
		b.Run(strings.Split(email, "@")[0], func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				svc.Login(ctx, email, "wrong password!", fmt.Sprint("addr", i)) // a new address each time: no backoff
			}
		})
	}
}

func TestLoginWithAnAddressNoStoreTakesIsAWrongPassword(t *testing.T) {
	svc := newService(t)
	for _, email := range []string{"ana\x00@example.org", "\xff\xfe@example.org", strings.Repeat("a", 400) + "@example.org"} {
		if _, _, err := svc.Login(ctx, email, "not the password", "192.0.2.1"); vigie.ErrorCode(err) != vigie.EUNAUTHORIZED {
			t.Errorf("%q: %v", email, err)
		}
	}
}

// The service, not the store, decides whether a new user may be added:
// the email is normalised and checked, and a taken one is a conflict on
// the email field, whatever its case or spaces. Nothing is written then.
func TestAddUserDecidesTheEmail(t *testing.T) {
	svc := newService(t)
	u := vigie.User{Email: " Ana@Example.org ", Name: "Ana", Role: vigie.RoleMember, Countries: []string{"ML"}}
	if _, err := svc.AddUser(ctx, cli, &u, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if u.Email != "ana@example.org" || u.CreatedAt.IsZero() || u.ID == 0 {
		t.Fatalf("added user = %+v", u)
	}
	for _, email := range []string{"ana@example.org", "ANA@EXAMPLE.ORG", "  ana@example.org"} {
		dup := vigie.User{Email: email, Role: vigie.RoleAdmin}
		_, err := svc.AddUser(ctx, cli, &dup, "")
		var ve *vigie.Error
		if !errors.As(err, &ve) || ve.Code != vigie.ECONFLICT || ve.Field != "email" {
			t.Errorf("second user %q: %v, want a conflict on the email", email, err)
		}
	}
	bad := vigie.User{Email: "not-an-email", Role: vigie.RoleAdmin}
	if _, err := svc.AddUser(ctx, cli, &bad, ""); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("bad email: %v, want invalid", err)
	}
	if all, _ := svc.Store.Users(ctx); len(all) != 1 {
		t.Errorf("%d users stored, want 1", len(all))
	}
}
