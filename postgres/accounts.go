package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
)

const userColumns = `id, email, name, role, countries, disabled, created_at, password_hash`

func scanUser(row pgx.Row) (vigie.User, error) {
	var u vigie.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Countries, &u.Disabled, &u.CreatedAt, &u.PasswordHash)
	u.Countries = strs(u.Countries)
	u.CreatedAt = u.CreatedAt.UTC()
	return u, err
}

func (c conn) User(ctx context.Context, id int64) (vigie.User, error) {
	u, err := scanUser(c.q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	if isNoRows(err) {
		return u, notFound("no user %d", id)
	}
	return u, err
}

func (c conn) UserByEmail(ctx context.Context, email string) (vigie.User, error) {
	u, err := scanUser(c.q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, vigie.NormaliseEmail(email)))
	if isNoRows(err) {
		return u, notFound("no user with the email %q", email)
	}
	return u, err
}

func (c conn) Users(ctx context.Context) ([]vigie.User, error) {
	rows, err := c.q.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	return collect(rows, err, scanUser)
}

func (c conn) InsertUser(ctx context.Context, u *vigie.User) error {
	err := c.q.QueryRow(ctx, `INSERT INTO users (email, name, role, countries, disabled, created_at, password_hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, u.Email, u.Name, string(u.Role), list(u.Countries),
		u.Disabled, toDB(u.CreatedAt), u.PasswordHash).Scan(&u.ID)
	if isUniqueViolation(err) {
		return vigie.EmailTaken(u.Email)
	}
	return err
}

func (c conn) UpdateUser(ctx context.Context, u vigie.User) error {
	tag, err := c.q.Exec(ctx, `UPDATE users SET email = $1, name = $2, role = $3, countries = $4, disabled = $5,
		password_hash = $6 WHERE id = $7`, u.Email, u.Name, string(u.Role), list(u.Countries), u.Disabled, u.PasswordHash, u.ID)
	if isUniqueViolation(err) {
		return vigie.EmailTaken(u.Email)
	}
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return notFound("no user %d", u.ID)
	}
	return nil
}

func (c conn) Token(ctx context.Context, kind, hash string) (vigie.Token, error) {
	var t vigie.Token
	var expires *time.Time
	err := c.q.QueryRow(ctx, `SELECT hash, kind, user_id, created_at, expires_at, addr FROM tokens
		WHERE kind = $1 AND hash = $2`, kind, hash).Scan(&t.Hash, &t.Kind, &t.UserID, &t.CreatedAt, &expires, &t.Addr)
	if isNoRows(err) {
		return t, notFound("no such %s token", kind)
	}
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), fromDB(expires)
	return t, err
}

func (c conn) SaveToken(ctx context.Context, t vigie.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	_, err := c.q.Exec(ctx, `INSERT INTO tokens (hash, kind, user_id, created_at, expires_at, addr) VALUES ($1, $2, $3, $4, $5, $6)`,
		t.Hash, t.Kind, t.UserID, toDB(t.CreatedAt), nullTime(t.ExpiresAt), t.Addr)
	return err
}

// DeleteTokens removes one token (hash set) or all of a user's tokens of a
// kind (hash empty).
func (c conn) DeleteTokens(ctx context.Context, kind string, userID int64, hash string) error {
	_, err := c.q.Exec(ctx, `DELETE FROM tokens WHERE kind = $1 AND ($2::text = '' OR hash = $2) AND ($3::bigint = 0 OR user_id = $3)`,
		kind, hash, userID)
	return err
}

func (c conn) AddAudit(ctx context.Context, e vigie.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := c.q.Exec(ctx, `INSERT INTO audit_log (at, user_id, actor, action, target, detail, addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, toDB(e.At), nullID(e.UserID), e.Actor, e.Action, e.Target, e.Detail, e.Addr)
	return err
}

func (c conn) AuditLog(ctx context.Context, f vigie.AuditFilter) ([]vigie.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := c.q.Query(ctx, `SELECT id, at, coalesce(user_id, 0), actor, action, target, detail, addr FROM audit_log
		WHERE ($1::bigint = 0 OR id < $1) ORDER BY id DESC LIMIT $2`, f.BeforeID, limit)
	return collect(rows, err, func(r pgx.Row) (vigie.AuditEntry, error) {
		var e vigie.AuditEntry
		err := r.Scan(&e.ID, &e.At, &e.UserID, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Addr)
		e.At = e.At.UTC()
		return e, err
	})
}

const reportColumns = `id, country, coalesce(indicator, ''), change, link, contact, created_at, addr, state`

func scanReport(row pgx.Row) (vigie.MovementReport, error) {
	var r vigie.MovementReport
	err := row.Scan(&r.ID, &r.Country, &r.Indicator, &r.Change, &r.Link, &r.Contact, &r.CreatedAt, &r.Addr, &r.State)
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

func (c conn) MovementReports(ctx context.Context, f vigie.ReportFilter) ([]vigie.MovementReport, error) {
	rows, err := c.q.Query(ctx, `SELECT `+reportColumns+` FROM movement_reports
		WHERE $1::text = '' OR state = $1 ORDER BY id DESC`, f.State)
	return collect(rows, err, scanReport)
}

func (c conn) MovementReport(ctx context.Context, id int64) (vigie.MovementReport, error) {
	r, err := scanReport(c.q.QueryRow(ctx, `SELECT `+reportColumns+` FROM movement_reports WHERE id = $1`, id))
	if isNoRows(err) {
		return r, notFound("no movement report %d", id)
	}
	return r, err
}

func (c conn) SaveMovementReport(ctx context.Context, r *vigie.MovementReport) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if r.State == "" {
		r.State = vigie.ReportOpen
	}
	var indicator any // NULL when the reader did not say
	if r.Indicator != "" {
		indicator = r.Indicator
	}
	if r.ID != 0 {
		_, err := c.q.Exec(ctx, `UPDATE movement_reports SET state = $1 WHERE id = $2`, r.State, r.ID)
		return err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	r.CreatedAt = toDB(r.CreatedAt)
	return c.q.QueryRow(ctx, `INSERT INTO movement_reports (country, indicator, change, link, contact, created_at, addr, state)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, r.Country, indicator, r.Change, r.Link, r.Contact,
		r.CreatedAt, r.Addr, r.State).Scan(&r.ID)
}
