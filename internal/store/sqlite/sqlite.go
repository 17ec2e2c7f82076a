// Package sqlite opens caredesk's embedded SQLite database: a pure-Go driver
// (no cgo), WAL journal, a busy timeout, one write connection (SQLite allows
// one writer at a time; queuing writers in Go is cheaper than letting them
// spin on SQLITE_BUSY) and a small pool of read connections.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations returns the numbered migration files for SQLite.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		panic(err)
	}
	return sub
}

// Open opens the database file at path, creating it and its directory when
// missing, and returns a write handle (one connection) and a read handle.
func Open(ctx context.Context, path string) (write, read *sql.DB, err error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	q := url.Values{}
	for _, p := range []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	// Write transactions take the write lock at BEGIN, so a transaction that
	// reads first never fails later on lock upgrade.
	wq := url.Values{}
	for k, v := range q {
		wq[k] = v
	}
	wq.Set("_txlock", "immediate")
	write, err = sql.Open("sqlite", "file:"+path+"?"+wq.Encode())
	if err != nil {
		return nil, nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)
	// Switching a new file to WAL needs an exclusive lock that SQLite does
	// not wait for, so two processes opening one new file at once could get
	// SQLITE_BUSY; the same advisory lock as migrations orders them.
	unlock, err := LockMigrations(path)
	if err != nil {
		write.Close()
		return nil, nil, err
	}
	err = write.PingContext(ctx)
	unlock()
	if err != nil {
		write.Close()
		return nil, nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	read, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		write.Close()
		return nil, nil, err
	}
	n := max(2, runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	read.SetConnMaxIdleTime(0)
	return write, read, nil
}

// IsUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY failure.
func IsUniqueViolation(err error) bool {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsForeignKeyViolation reports whether err is a FOREIGN KEY failure.
func IsForeignKeyViolation(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}
