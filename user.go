package vigie

import (
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Role is what a user may do. Roles are fixed in code because the rules
// that go with them are.
type Role string

const (
	RoleAdmin      Role = "admin"      // everything, including users and the framework
	RoleResearcher Role = "researcher" // drafts assessments, sources, publications, news
	RoleReviewer   Role = "reviewer"   // publishes or returns other people's drafts
	RoleMember     Role = "member"     // keeps their own countries' organisations, contacts and news
)

// Roles lists the roles in the order forms show them.
var Roles = []Role{RoleAdmin, RoleResearcher, RoleReviewer, RoleMember}

// User is a person who can sign in. Users are disabled, never deleted, so
// that the history keeps their names.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      Role
	Countries []string // ISO alpha-2; the countries a member speaks for
	Disabled  bool
	CreatedAt time.Time
	// PasswordHash is an argon2id hash in PHC form; empty until the user
	// sets a password through their one-time link.
	PasswordHash string
}

// DisplayName is the name, or the email when no name was given.
func (u User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// NormaliseEmail lower-cases and trims an address so that one person has
// one account however they type it.
func NormaliseEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks a user before it is stored.
func (u User) Validate() error {
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || u.Email != NormaliseEmail(u.Email) {
		return FieldError("email", "%q is not an email address", u.Email)
	}
	if err := checkLine("name", u.Name); err != nil {
		return err
	}
	if !slices.Contains(Roles, u.Role) {
		return FieldError("role", "must be one of admin, researcher, reviewer, member, not %q", u.Role)
	}
	for _, c := range u.Countries {
		if _, ok := CountryByISO2(c); !ok {
			return FieldError("country", "unknown country code %q", c)
		}
	}
	if u.Role == RoleMember && len(u.Countries) == 0 {
		return FieldError("country", "a member needs at least one country (--country ISO2)")
	}
	return nil
}

// CoversCountry reports whether a member speaks for the country.
func (u User) CoversCountry(iso2 string) bool {
	return slices.Contains(u.Countries, strings.ToUpper(iso2))
}
