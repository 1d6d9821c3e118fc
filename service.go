package vigie

import (
	"context"
	"time"
)

// Service applies Vigie's editing rules — who may do what, a second person
// reviews before anything is public, no lost updates, and an audit entry
// for every write — the same way for the web forms, the API and the
// command line.
type Service struct {
	Store Store
	Now   func() time.Time // nil: time.Now

	limits limits
}

// limits slow down password guessing and report spam.
type limits struct {
	loginPerPair    *Backoff // failed sign-ins per account and client address
	loginPerAddress *Backoff // failed sign-ins per client address, whatever the account
	reportsPerAddr  *Limiter // movement reports per client address
}

// NewService returns a service on store with the default limits.
func NewService(store Store) *Service {
	return &Service{Store: store, limits: limits{
		loginPerPair:    NewBackoff(5, time.Second, 15*time.Minute),
		loginPerAddress: NewBackoff(20, time.Second, 15*time.Minute),
		reportsPerAddr:  NewLimiter(5, time.Hour),
	}}
}

// Actor is who asks for a change and from where.
type Actor struct {
	User *User // nil when nobody is signed in
	Addr string
}

// CommandLine is the actor of commands run on the server itself, which
// only people with shell access can run.
func CommandLine(name string) Actor {
	return Actor{User: &User{Role: RoleAdmin, Name: name}, Addr: "cli"}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// write runs fn in a transaction after checking that the actor may do act,
// and records fn's audit entry with it.
func (s *Service) write(ctx context.Context, act Actor, action Action, country string, fn func(Tx) (AuditEntry, error)) error {
	if err := Authorize(act.User, action, country); err != nil {
		return err
	}
	return s.Store.Update(ctx, func(tx Tx) error {
		entry, err := fn(tx)
		if err != nil {
			return err
		}
		if entry.Action == "" {
			return nil // nothing changed
		}
		entry.At = s.now()
		entry.UserID = act.User.ID
		entry.Actor = act.User.DisplayName()
		entry.Addr = act.Addr
		return tx.AddAudit(ctx, entry)
	})
}

func (a Actor) change(reason string, at time.Time) Change {
	return Change{AuthorID: a.User.ID, Author: a.User.DisplayName(), Reason: reason, At: at}
}
