package sqlite

import (
	"context"
	"time"

	vigie "github.com/vigie-network/vigie"
)

const userColumns = `id, email, name, role, countries, disabled, created_at, password_hash`

func scanUser(row interface{ Scan(...any) error }) (vigie.User, error) {
	var u vigie.User
	var countries, created string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &countries, &u.Disabled, &created, &u.PasswordHash)
	u.Countries = jsonStrings(countries)
	u.CreatedAt = parseTime(created)
	return u, err
}

func (c conn) User(ctx context.Context, id int64) (vigie.User, error) {
	u, err := scanUser(c.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	if isNoRows(err) {
		return u, notFound("no user %d", id)
	}
	return u, err
}

func (c conn) UserByEmail(ctx context.Context, email string) (vigie.User, error) {
	u, err := scanUser(c.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, vigie.NormaliseEmail(email)))
	if isNoRows(err) {
		return u, notFound("no user with the email %q", email)
	}
	return u, err
}

func (c conn) Users(ctx context.Context) ([]vigie.User, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func (c conn) InsertUser(ctx context.Context, u *vigie.User) error {
	res, err := c.q.ExecContext(ctx, `INSERT INTO users (email, name, role, countries, disabled, created_at, password_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, u.Role, toJSON(u.Countries), u.Disabled, formatTime(u.CreatedAt), u.PasswordHash)
	if isUniqueViolation(err) {
		return vigie.EmailTaken(u.Email)
	}
	if err != nil {
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

func (c conn) UpdateUser(ctx context.Context, u vigie.User) error {
	res, err := c.q.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, role = ?, countries = ?, disabled = ?,
		password_hash = ? WHERE id = ?`, u.Email, u.Name, u.Role, toJSON(u.Countries), u.Disabled, u.PasswordHash, u.ID)
	if isUniqueViolation(err) {
		return vigie.EmailTaken(u.Email)
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no user %d", u.ID)
	}
	return nil
}

func (c conn) Token(ctx context.Context, kind, hash string) (vigie.Token, error) {
	var t vigie.Token
	var created, expires string
	err := c.q.QueryRowContext(ctx, `SELECT hash, kind, user_id, created_at, expires_at, addr FROM tokens
		WHERE kind = ? AND hash = ?`, kind, hash).Scan(&t.Hash, &t.Kind, &t.UserID, &created, &expires, &t.Addr)
	if isNoRows(err) {
		return t, notFound("no such %s token", kind)
	}
	t.CreatedAt, t.ExpiresAt = parseTime(created), parseTime(expires)
	return t, err
}

func (c conn) SaveToken(ctx context.Context, t vigie.Token) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = time.Now()
	}
	_, err := c.q.ExecContext(ctx, `INSERT INTO tokens (hash, kind, user_id, created_at, expires_at, addr) VALUES (?, ?, ?, ?, ?, ?)`,
		t.Hash, t.Kind, t.UserID, formatTime(t.CreatedAt), formatTime(t.ExpiresAt), t.Addr)
	return err
}

// DeleteTokens removes one token (hash set) or all of a user's tokens of a
// kind (hash empty).
func (c conn) DeleteTokens(ctx context.Context, kind string, userID int64, hash string) error {
	_, err := c.q.ExecContext(ctx, `DELETE FROM tokens WHERE kind = ? AND (?2 = '' OR hash = ?2) AND (?3 = 0 OR user_id = ?3)`,
		kind, hash, userID)
	return err
}

func (c conn) AddAudit(ctx context.Context, e vigie.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := c.q.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, actor, action, target, detail, addr)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, formatTime(e.At), nullID(e.UserID), e.Actor, e.Action, e.Target, e.Detail, e.Addr)
	return err
}

func (c conn) AuditLog(ctx context.Context, f vigie.AuditFilter) ([]vigie.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	rows, err := c.q.QueryContext(ctx, `SELECT id, at, coalesce(user_id, 0), actor, action, target, detail, addr FROM audit_log
		WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2`, f.BeforeID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.AuditEntry
	for rows.Next() {
		var e vigie.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.Addr); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

const reportColumns = `id, country, coalesce(indicator, ''), change, link, contact, created_at, addr, state`

func scanReport(row interface{ Scan(...any) error }) (vigie.MovementReport, error) {
	var r vigie.MovementReport
	var created string
	err := row.Scan(&r.ID, &r.Country, &r.Indicator, &r.Change, &r.Link, &r.Contact, &created, &r.Addr, &r.State)
	r.CreatedAt = parseTime(created)
	return r, err
}

func (c conn) MovementReports(ctx context.Context, f vigie.ReportFilter) ([]vigie.MovementReport, error) {
	rows, err := c.q.QueryContext(ctx, `SELECT `+reportColumns+` FROM movement_reports
		WHERE ?1 = '' OR state = ?1 ORDER BY id DESC`, f.State)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.MovementReport
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (c conn) MovementReport(ctx context.Context, id int64) (vigie.MovementReport, error) {
	r, err := scanReport(c.q.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM movement_reports WHERE id = ?`, id))
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
	var indicator any
	if r.Indicator != "" {
		indicator = r.Indicator
	}
	if r.ID != 0 {
		_, err := c.q.ExecContext(ctx, `UPDATE movement_reports SET state = ? WHERE id = ?`, r.State, r.ID)
		return err
	}
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now().UTC()
	}
	res, err := c.q.ExecContext(ctx, `INSERT INTO movement_reports (country, indicator, change, link, contact, created_at, addr, state)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Country, indicator, r.Change, r.Link, r.Contact, formatTime(r.CreatedAt), r.Addr, r.State)
	if err != nil {
		return err
	}
	r.ID, err = res.LastInsertId()
	return err
}
