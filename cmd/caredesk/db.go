package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

// dbFlag adds the --db flag every database command shares.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", envOr("CAREDESK_DB", "caredesk.db"),
		"database: a file path, sqlite:PATH or postgres://… (env CAREDESK_DB)")
}

// openService opens and migrates the database and returns a service over it.
func openService(ctx context.Context, dsn string, log *slog.Logger) (*service.Service, func(), error) {
	st, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, nil, err
	}
	return service.New(st, log, service.Config{}), func() { st.Close() }, nil
}

// cliContext returns ctx carrying the operator actor: whoever can run the
// binary against the database already holds every right, and the audit
// trail records that the action came from the command line.
func cliContext(ctx context.Context) context.Context {
	return care.NewContextWithActor(ctx, care.Actor{Name: "cli", Role: "system", Source: "cli"})
}

// fail prints a command's error in a form an operator can act on and
// returns the exit status to use.
func fail(io stdio, cmd string, err error) int {
	fmt.Fprintf(io.err, "caredesk %s: %s\n", cmd, care.ErrorMessage(errOrInternal(err)))
	for _, f := range care.ErrorFields(err) {
		fmt.Fprintf(io.err, "  %s: %s\n", f.Field, f.Message)
	}
	if care.ErrorCode(err) == care.EINVALID {
		return exitUsage
	}
	return exitFail
}

// errOrInternal keeps an operator's view of internal errors: at the command
// line the detail helps, unlike in an API response.
func errOrInternal(err error) error {
	if care.ErrorCode(err) == care.EINTERNAL {
		return care.Errorf(care.EINTERNAL, "%v", err)
	}
	return err
}
