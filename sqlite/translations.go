package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	vigie "github.com/vigie-network/vigie"
)

func (c conn) Translations(ctx context.Context, f vigie.TranslationFilter) ([]vigie.Translation, error) {
	keys := ""
	if len(f.Keys) > 0 {
		b, err := json.Marshal(f.Keys)
		if err != nil {
			return nil, err
		}
		keys = string(b)
	}
	// Only the filters in use go into the SQL, so that a page asking for
	// its few keys reads them through the primary key (kind, key, …)
	// rather than scanning every translation ("?3 = '' OR …" defeats it).
	where := "true"
	if f.Kind != "" {
		where += " AND kind = ?1"
	}
	if f.Lang != "" {
		where += " AND lang = ?2"
	}
	if keys != "" {
		where += " AND key IN (SELECT value FROM json_each(?3))"
	}
	rows, err := c.q.QueryContext(ctx, `SELECT kind, key, field, lang, text, source_version, updated_at, updated_by
		FROM translations WHERE `+where+` ORDER BY kind, key, field, lang`, f.Kind, f.Lang, keys)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vigie.Translation
	for rows.Next() {
		var t vigie.Translation
		var at string
		if err := rows.Scan(&t.Kind, &t.Key, &t.Field, &t.Lang, &t.Text, &t.SourceVersion, &at, &t.UpdatedBy); err != nil {
			return nil, err
		}
		t.UpdatedAt = parseTime(at)
		out = append(out, t)
	}
	return out, rows.Err()
}

func (c conn) SaveTranslation(ctx context.Context, t vigie.Translation) (bool, error) {
	if err := t.Validate(); err != nil {
		return false, err
	}
	var text, version string
	err := c.q.QueryRowContext(ctx, `SELECT text, source_version FROM translations
		WHERE kind = ? AND key = ? AND field = ? AND lang = ?`, t.Kind, t.Key, t.Field, t.Lang).Scan(&text, &version)
	exists := err == nil
	if err != nil && err != sql.ErrNoRows {
		return false, err
	}
	switch {
	case t.Text == "" && !exists:
		return false, nil
	case t.Text == "":
		_, err = c.q.ExecContext(ctx, `DELETE FROM translations WHERE kind = ? AND key = ? AND field = ? AND lang = ?`,
			t.Kind, t.Key, t.Field, t.Lang)
	case exists && text == t.Text && version == t.SourceVersion:
		return false, nil
	default:
		_, err = c.q.ExecContext(ctx, `INSERT INTO translations (kind, key, field, lang, text, source_version, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, key, field, lang) DO UPDATE SET text = excluded.text,
			source_version = excluded.source_version, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			t.Kind, t.Key, t.Field, t.Lang, t.Text, t.SourceVersion, formatTime(t.UpdatedAt), t.UpdatedBy)
	}
	if err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

// seedTranslations gives a database without any translation the built-in
// French and Spanish texts of the default framework.
func seedTranslations(ctx context.Context, tx *sql.Tx) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM translations`).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, t := range vigie.DefaultTranslations() {
		if _, err := tx.ExecContext(ctx, `INSERT INTO translations (kind, key, field, lang, text, source_version, updated_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, t.Kind, t.Key, t.Field, t.Lang, t.Text, t.SourceVersion,
			formatTime(t.UpdatedAt), t.UpdatedBy); err != nil {
			return err
		}
	}
	return nil
}
