package vigie

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// Token kinds. A session token sits in a cookie; a reset token in a
// one-time set-password link; an API token in an Authorization header.
const (
	TokenSession = "session"
	TokenReset   = "reset"
	TokenAPI     = "api"
)

// Token is a secret that stands for a user. Only its hash is stored, so a
// copy of the database does not let anyone sign in.
type Token struct {
	Hash      string
	Kind      string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time // zero: never
	Addr      string    // where it was created from
}

// Expired reports whether the token is no longer valid at now.
func (t Token) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// NewSecret returns a random secret to hand to the user and the hash to
// store for it.
func NewSecret() (secret, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	secret = base64.RawURLEncoding.EncodeToString(b)
	return secret, HashSecret(secret)
}

// HashSecret is the stored form of a secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
