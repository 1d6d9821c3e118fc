package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
)

func (c conn) Translations(ctx context.Context, f vigie.TranslationFilter) ([]vigie.Translation, error) {
	// Only the filters in use go into the SQL, so that a page asking for
	// its few keys reads them through the primary key.
	where, args := "true", []any{}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where += fmt.Sprintf(" AND kind = $%d", len(args))
	}
	if f.Lang != "" {
		args = append(args, f.Lang)
		where += fmt.Sprintf(" AND lang = $%d", len(args))
	}
	if len(f.Keys) > 0 {
		args = append(args, f.Keys)
		where += fmt.Sprintf(" AND key = ANY($%d::text[])", len(args))
	}
	rows, err := c.q.Query(ctx, `SELECT kind, key, field, lang, text, source_version, updated_at, updated_by
		FROM translations WHERE `+where+`
		ORDER BY kind COLLATE "C", key COLLATE "C", field COLLATE "C", lang COLLATE "C"`, args...)
	return collect(rows, err, func(r pgx.Row) (vigie.Translation, error) {
		var t vigie.Translation
		var at *time.Time
		err := r.Scan(&t.Kind, &t.Key, &t.Field, &t.Lang, &t.Text, &t.SourceVersion, &at, &t.UpdatedBy)
		t.UpdatedAt = fromDB(at)
		return t, err
	})
}

func (c conn) SaveTranslation(ctx context.Context, t vigie.Translation) (bool, error) {
	if err := t.Validate(); err != nil {
		return false, err
	}
	var text, version string
	err := c.q.QueryRow(ctx, `SELECT text, source_version FROM translations
		WHERE kind = $1 AND key = $2 AND field = $3 AND lang = $4`, t.Kind, t.Key, t.Field, t.Lang).Scan(&text, &version)
	exists := err == nil
	if err != nil && !isNoRows(err) {
		return false, err
	}
	switch {
	case t.Text == "" && !exists:
		return false, nil
	case t.Text == "":
		_, err = c.q.Exec(ctx, `DELETE FROM translations WHERE kind = $1 AND key = $2 AND field = $3 AND lang = $4`,
			t.Kind, t.Key, t.Field, t.Lang)
	case exists && text == t.Text && version == t.SourceVersion:
		return false, nil
	default:
		_, err = c.q.Exec(ctx, `INSERT INTO translations (kind, key, field, lang, text, source_version, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (kind, key, field, lang) DO UPDATE SET text = excluded.text,
			source_version = excluded.source_version, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			t.Kind, t.Key, t.Field, t.Lang, t.Text, t.SourceVersion, nullTime(toDBOrZero(t.UpdatedAt)), t.UpdatedBy)
	}
	if err != nil {
		return false, err
	}
	c.markChanged()
	return true, nil
}

func toDBOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return toDB(t)
}

// seedTranslations gives a database without any translation the built-in
// French and Spanish texts of the default framework.
func seedTranslations(ctx context.Context, tx pgx.Tx) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM translations`).Scan(&n); err != nil || n > 0 {
		return err
	}
	for _, t := range vigie.DefaultTranslations() {
		if _, err := tx.Exec(ctx, `INSERT INTO translations (kind, key, field, lang, text, source_version, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.Kind, t.Key, t.Field, t.Lang, t.Text, t.SourceVersion, t.UpdatedBy); err != nil {
			return err
		}
	}
	return nil
}
