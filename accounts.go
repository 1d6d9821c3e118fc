package vigie

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// How long secrets stay valid.
const (
	SessionLifetime     = 14 * 24 * time.Hour
	SetPasswordLifetime = 7 * 24 * time.Hour
)

// AddUser creates a user. With a password the account is ready; without
// one, it returns a one-time secret for a set-password link.
func (s *Service) AddUser(ctx context.Context, act Actor, u *User, password string) (setPasswordSecret string, err error) {
	if password != "" {
		if u.PasswordHash, err = HashPassword(password); err != nil {
			return "", err
		}
	}
	u.Email = NormaliseEmail(u.Email)
	if err := u.Validate(); err != nil {
		return "", err
	}
	if u.CreatedAt.IsZero() {
		u.CreatedAt = s.now()
	}
	err = s.write(ctx, act, ActManageUsers, "", func(tx Tx) (AuditEntry, error) {
		if _, err := tx.UserByEmail(ctx, u.Email); err == nil {
			return AuditEntry{}, EmailTaken(u.Email)
		} else if !IsNotFound(err) {
			return AuditEntry{}, err
		}
		if err := tx.InsertUser(ctx, u); err != nil {
			return AuditEntry{}, err
		}
		if password == "" {
			var hash string
			setPasswordSecret, hash = NewSecret()
			if err := tx.SaveToken(ctx, Token{Hash: hash, Kind: TokenReset, UserID: u.ID, CreatedAt: s.now(),
				ExpiresAt: s.now().Add(SetPasswordLifetime), Addr: act.Addr}); err != nil {
				return AuditEntry{}, err
			}
		}
		return AuditEntry{Action: "user.add", Target: "user:" + u.Email, Detail: "role " + string(u.Role)}, nil
	})
	return setPasswordSecret, err
}

// EmailTaken is the error for a new user whose email another user has.
func EmailTaken(email string) *Error {
	e := Errorf(ECONFLICT, "a user with the email %s already exists", email)
	e.Field = "email"
	return e
}

// DisableUser stops a user from signing in and ends their sessions and API
// tokens. The user stays, so the history keeps their name.
func (s *Service) DisableUser(ctx context.Context, act Actor, email string) error {
	return s.write(ctx, act, ActManageUsers, "", func(tx Tx) (AuditEntry, error) {
		u, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return AuditEntry{}, err
		}
		if u.Disabled {
			return AuditEntry{}, nil
		}
		u.Disabled = true
		if err := tx.UpdateUser(ctx, u); err != nil {
			return AuditEntry{}, err
		}
		for _, kind := range []string{TokenSession, TokenAPI, TokenReset} {
			if err := tx.DeleteTokens(ctx, kind, u.ID, ""); err != nil {
				return AuditEntry{}, err
			}
		}
		return AuditEntry{Action: "user.disable", Target: "user:" + u.Email}, nil
	})
}

// SetPasswordAndSignIn is SetPassword followed by a new session for the
// user. A set-password link always works: neither the sign-in backoff
// nor a guesser's failures stand in its way, and the failures recorded
// against the account are forgotten.
func (s *Service) SetPasswordAndSignIn(ctx context.Context, secret, password, addr string) (session string, u User, err error) {
	if u, err = s.SetPassword(ctx, secret, password, addr); err != nil {
		return "", u, err
	}
	s.limits.loginPerPair.ResetPrefix(loginPairKey(u.Email, ""))
	session, err = s.openSession(ctx, u, addr, s.now())
	return session, u, err
}

// SetPassword uses a one-time set-password secret. Other sessions of the
// user end, in case the old password leaked.
func (s *Service) SetPassword(ctx context.Context, secret, password, addr string) (User, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.Store.Update(ctx, func(tx Tx) error {
		tok, err := tx.Token(ctx, TokenReset, HashSecret(secret))
		if err != nil || tok.Expired(s.now()) {
			return Errorf(EUNAUTHORIZED, "this link has expired or was already used; ask an admin for a new one")
		}
		if u, err = tx.User(ctx, tok.UserID); err != nil {
			return err
		}
		if u.Disabled {
			return Errorf(EFORBIDDEN, "this account is disabled")
		}
		u.PasswordHash = hash
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.DeleteTokens(ctx, TokenReset, u.ID, ""); err != nil {
			return err
		}
		if err := tx.DeleteTokens(ctx, TokenSession, u.ID, ""); err != nil {
			return err
		}
		return tx.AddAudit(ctx, AuditEntry{At: s.now(), UserID: u.ID, Actor: u.DisplayName(), Action: "user.set-password",
			Target: "user:" + u.Email, Addr: addr})
	})
	return u, err
}

// Login checks an email and password and opens a session, returning its
// secret for the cookie.
//
// An outsider must not learn which accounts exist: an unknown email, a
// disabled account and a wrong password get the same answer after the same
// work (an unknown account's password is checked against a dummy hash).
// Only someone who gives a disabled account's right password is told it is
// disabled.
//
// Failures slow down the pair of account and client address, not the
// account: a guesser waits longer after each failure while the owner,
// from elsewhere, signs in as usual. An address that fails on many
// accounts is slowed down too.
func (s *Service) Login(ctx context.Context, email, password, addr string) (secret string, u User, err error) {
	now := s.now()
	email = NormaliseEmail(email)
	pair := loginPairKey(email, addr)
	if wait := max(s.limits.loginPerPair.Wait(pair, now), s.limits.loginPerAddress.Wait(addr, now)); wait > 0 {
		return "", User{}, Errorf(ERATELIMIT, "too many failed sign-ins; try again in %d minute(s)", int(math.Ceil(wait.Minutes())))
	}
	// No account has an address a store could not hold; a store may not
	// even take it.
	storable := len(email) <= 320 && utf8.ValidString(email) && !strings.ContainsRune(email, 0)
	if storable {
		u, err = s.Store.UserByEmail(ctx, email)
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return "", User{}, err
		}
	}
	known := storable && err == nil && u.PasswordHash != ""
	hash := u.PasswordHash
	if !known {
		hash = dummyHash()
	}
	if !CheckPassword(hash, password) || !known {
		s.limits.loginPerPair.Fail(pair, now)
		s.limits.loginPerAddress.Fail(addr, now)
		return "", User{}, Errorf(EUNAUTHORIZED, "the email or the password is wrong")
	}
	s.limits.loginPerPair.Reset(pair)
	if u.Disabled {
		return "", User{}, Errorf(EFORBIDDEN, "this account is disabled")
	}
	secret, err = s.openSession(ctx, u, addr, now)
	return secret, u, err
}

// loginPairKey keys the sign-in backoff; an email holds no NUL byte.
func loginPairKey(email, addr string) string { return email + "\x00" + addr }

// openSession stores a new session for u and audits the sign-in.
func (s *Service) openSession(ctx context.Context, u User, addr string, now time.Time) (string, error) {
	secret, hash := NewSecret()
	err := s.Store.Update(ctx, func(tx Tx) error {
		if err := tx.SaveToken(ctx, Token{Hash: hash, Kind: TokenSession, UserID: u.ID, CreatedAt: now,
			ExpiresAt: now.Add(SessionLifetime), Addr: addr}); err != nil {
			return err
		}
		return tx.AddAudit(ctx, AuditEntry{At: now, UserID: u.ID, Actor: u.DisplayName(), Action: "session.login",
			Target: "user:" + u.Email, Addr: addr})
	})
	return secret, err
}

// Logout ends the session of secret.
func (s *Service) Logout(ctx context.Context, secret string) error {
	return s.Store.Update(ctx, func(tx Tx) error {
		return tx.DeleteTokens(ctx, TokenSession, 0, HashSecret(secret))
	})
}

// UserFor returns the user a session or API secret stands for.
func (s *Service) UserFor(ctx context.Context, kind, secret string) (User, error) {
	tok, err := s.Store.Token(ctx, kind, HashSecret(secret))
	if err != nil || tok.Expired(s.now()) {
		return User{}, Errorf(EUNAUTHORIZED, "please sign in again")
	}
	u, err := s.Store.User(ctx, tok.UserID)
	if err != nil {
		return User{}, err
	}
	if u.Disabled {
		return User{}, Errorf(EFORBIDDEN, "this account is disabled")
	}
	return u, nil
}

// CreateAPIToken makes a bearer token for the user with that email.
func (s *Service) CreateAPIToken(ctx context.Context, act Actor, email string) (string, error) {
	secret, hash := NewSecret()
	err := s.write(ctx, act, ActManageUsers, "", func(tx Tx) (AuditEntry, error) {
		u, err := tx.UserByEmail(ctx, email)
		if err != nil {
			return AuditEntry{}, err
		}
		if u.Disabled {
			return AuditEntry{}, Errorf(EFORBIDDEN, "%s is disabled", u.Email)
		}
		if err := tx.SaveToken(ctx, Token{Hash: hash, Kind: TokenAPI, UserID: u.ID, CreatedAt: s.now(), Addr: act.Addr}); err != nil {
			return AuditEntry{}, err
		}
		return AuditEntry{Action: "token.create", Target: "user:" + u.Email, Detail: fmt.Sprintf("token %.8s…", hash)}, nil
	})
	return secret, err
}
