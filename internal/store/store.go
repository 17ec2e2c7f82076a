// Package store holds all of caredesk's SQL: one portable dialect ($1…$n
// placeholders, no NOW(), times as Unix microseconds) that runs unchanged on
// SQLite and PostgreSQL. Dialect differences live only in store/sqlite and
// store/postgres. Driver errors become care errors here, so no caller sees
// a driver type.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store/postgres"
	"github.com/caredesk/caredesk/internal/store/sqlite"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Dialects.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Store is a handle on caredesk's database. It is safe for concurrent use.
type Store struct {
	dialect string
	write   *sql.DB // SQLite: one connection; PostgreSQL: the pool
	read    *sql.DB // SQLite: a read pool (WAL lets readers run beside the writer); PostgreSQL: the pool
	now     func() time.Time
	dsn     string
	path    string // SQLite: the database file

	writeStmts, readStmts *stmtCache // SQLite only: pgx caches statements itself
}

// Options configure Open.
type Options struct {
	Now func() time.Time // the clock; time.Now when nil. Tests inject a fixed one.
}

// ParseDSN splits a DSN into its dialect and the driver's connection string.
// A DSN is a file path, "sqlite:PATH", or a postgres:// (postgresql://) URL.
func ParseDSN(dsn string) (dialect, conn string, err error) {
	dsn = strings.TrimSpace(dsn)
	switch {
	case dsn == "":
		return "", "", care.Errorf(care.EINVALID, "no database named: give a file path, sqlite:PATH or postgres://…")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return Postgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		conn = strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
	case strings.Contains(dsn, "://"):
		return "", "", care.Errorf(care.EINVALID, "unsupported database %q: give a file path, sqlite:PATH or postgres://…", RedactDSN(dsn))
	default:
		conn = dsn
	}
	if conn == "" {
		return "", "", care.Errorf(care.EINVALID, "sqlite: needs a file path, such as sqlite:caredesk.db")
	}
	return SQLite, conn, nil
}

// Open opens (but does not migrate) the database named by dsn.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	dialect, conn, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	s := &Store{dialect: dialect, now: opts.Now, dsn: RedactDSN(dsn), path: conn}
	if s.now == nil {
		s.now = time.Now
	}
	switch dialect {
	case SQLite:
		s.write, s.read, err = sqlite.Open(ctx, conn)
		if err == nil {
			s.writeStmts, s.readStmts = newStmtCache(s.write), newStmtCache(s.read)
		}
	case Postgres:
		s.write, err = postgres.Open(ctx, conn)
		s.read = s.write
	}
	if err != nil {
		return nil, care.Errorf(care.EUNAVAILABLE, "cannot open database %s: %v", s.dsn, err)
	}
	return s, nil
}

// RedactDSN hides a password in a connection URL so it can be shown.
func RedactDSN(dsn string) string {
	if at := strings.LastIndex(dsn, "@"); at > 0 {
		if scheme := strings.Index(dsn, "://"); scheme > 0 && scheme < at {
			userinfo := dsn[scheme+3 : at]
			if user, _, ok := strings.Cut(userinfo, ":"); ok {
				return dsn[:scheme+3] + user + ":***" + dsn[at:]
			}
		}
	}
	return dsn
}

// Dialect returns SQLite or Postgres.
func (s *Store) Dialect() string { return s.dialect }

// Now returns the store's current time, truncated to the microsecond that
// the database keeps.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Close closes the database handles.
func (s *Store) Close() error {
	s.writeStmts.close()
	s.readStmts.close()
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// Ping checks that the database answers (for /readyz).
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return care.Errorf(care.EUNAVAILABLE, "database unreachable: %v", err)
	}
	return nil
}

// Stats returns the write pool's statistics (for /metrics).
func (s *Store) Stats() sql.DBStats { return s.write.Stats() }

// Migrate brings the schema up to date. On PostgreSQL a session advisory lock
// makes concurrent starts of several caredesk processes safe.
func (s *Store) Migrate(ctx context.Context) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	if s.dialect == SQLite {
		unlock, err := sqlite.LockMigrations(s.path)
		if err != nil {
			return err
		}
		defer unlock()
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// MigrationStatus lists each migration's version and whether it is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]string, error) {
	p, err := s.migrator()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(st))
	for i, m := range st {
		out[i] = fmt.Sprintf("%05d %s %s", m.Source.Version, m.State, m.Source.Path)
	}
	return out, nil
}

func (s *Store) migrator() (*goose.Provider, error) {
	var (
		fsys    fs.FS
		dialect goose.Dialect
		opts    []goose.ProviderOption
	)
	switch s.dialect {
	case SQLite:
		fsys, dialect = sqlite.Migrations(), goose.DialectSQLite3
	case Postgres:
		fsys, dialect = postgres.Migrations(), goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	opts = append(opts, goose.WithLogger(slogGoose{}))
	return goose.NewProvider(dialect, s.write, fsys, opts...)
}

type slogGoose struct{}

func (slogGoose) Printf(format string, v ...any) { slog.Debug(fmt.Sprintf(format, v...)) }
func (slogGoose) Fatalf(format string, v ...any) { slog.Error(fmt.Sprintf(format, v...)) }
