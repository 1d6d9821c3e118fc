package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// cachedDB answers queries outside transactions with statements prepared
// once and kept: parsing the SQL was the largest cost of a page read.
// database/sql re-prepares a statement on each pooled connection as needed.
type cachedDB struct {
	db    *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// maxCachedStatements bounds the cache: the store's queries are a few
// hundred texts, and a text past the bound (a caller that writes values
// into its SQL) is prepared for its one use only, so that no series of
// requests can grow the cache without end.
const maxCachedStatements = 1024

func newCachedDB(db *sql.DB) *cachedDB {
	return &cachedDB{db: db, stmts: map[string]*sql.Stmt{}}
}

func (c *cachedDB) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	st := c.stmts[query]
	c.mu.RUnlock()
	if st != nil {
		return st, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st = c.stmts[query]; st != nil {
		return st, nil
	}
	if len(c.stmts) >= maxCachedStatements {
		return nil, nil // not kept: the caller runs it on the pool
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

func (c *cachedDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.db.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (c *cachedDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return c.db.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

func (c *cachedDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := c.stmt(ctx, query)
	if err != nil || st == nil {
		// Not kept, or the error to see from Scan, as with db.QueryRowContext.
		return c.db.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *cachedDB) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = nil
}
