package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the cache: list queries built from filters
// have many shapes, and each prepared statement holds memory per connection.
const maxCachedStatements = 1000

// stmtCache keeps prepared statements for one SQLite handle. The pure-Go
// driver parses SQL on every call otherwise (a quarter of the CPU of a case
// creation). A query first seen inside a transaction cannot be prepared
// there (the write handle has one connection, which the transaction holds),
// so it is noted and prepared once the transaction has released it.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// bind returns q prepared and bound to tx, or nil (noting q for later).
func (c *stmtCache) bind(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	st := c.stmts[q]
	if st == nil && len(c.stmts)+len(c.pending) < maxCachedStatements {
		c.pending[q] = true
	}
	c.mu.Unlock()
	if st == nil {
		return nil
	}
	return tx.StmtContext(ctx, st)
}

// prepareNoted prepares the queries noted since the last call. It runs
// outside any transaction; a query that fails to prepare is simply left
// unprepared.
func (c *stmtCache) prepareNoted(ctx context.Context) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.pending) == 0 {
		c.mu.Unlock()
		return
	}
	todo := c.pending
	c.pending = map[string]bool{}
	c.mu.Unlock()
	for q := range todo {
		st, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if c.stmts[q] == nil {
			c.stmts[q] = st
			st = nil
		}
		c.mu.Unlock()
		if st != nil {
			st.Close() // another caller prepared it first
		}
	}
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.stmts {
		st.Close()
	}
	c.stmts = map[string]*sql.Stmt{}
}
