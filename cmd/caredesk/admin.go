package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

func init() {
	register(command{name: "migrate", summary: "create or upgrade the database schema", run: runMigrate})
	register(command{name: "user add", summary: "add a member of staff (password from stdin, or generated)", run: runUserAdd})
	register(command{name: "token create", summary: "print a new API token for a user, alone on one line", run: runTokenCreate})
	register(command{name: "token revoke", summary: "revoke an API token by id, at once", run: runTokenRevoke})
	register(command{name: "token list", summary: "list a user's API tokens (never their secrets)", run: runTokenList})
	register(command{name: "audit verify", summary: "check the audit trail's hash chain; exit 1 naming the first bad entry", run: runAuditVerify})
}

func runMigrate(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("migrate", "[--db DSN]", io)
	db := dbFlag(fs)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	st, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return fail(io, "migrate", err)
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return fail(io, "migrate", err)
	}
	status, err := st.MigrationStatus(ctx)
	if err != nil {
		return fail(io, "migrate", err)
	}
	for _, line := range status {
		fmt.Fprintln(io.out, line)
	}
	return exitOK
}

func runUserAdd(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("user add", "--email E --name N --role ROLE [--team-id ID] [--db DSN]", io)
	db := dbFlag(fs)
	email := fs.String("email", "", "sign-in email (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", "", "one of: "+strings.Join(care.RoleNames(), ", "))
	team := fs.Int64("team-id", 0, "team id")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	// A password piped in on stdin is used; at a terminal (or with empty
	// input) one is generated, so a password never has to be typed visibly.
	password := ""
	if !isTerminal(io.in) {
		line, _ := bufio.NewReader(io.in).ReadString('\n')
		password = strings.TrimRight(line, "\r\n")
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "user add", err)
	}
	defer closeDB()
	u := &care.User{Email: *email, Name: *name, Role: *role, TeamID: *team}
	shown, err := svc.CreateUser(cliContext(ctx), u, password)
	if err != nil {
		return fail(io, "user add", err)
	}
	fmt.Fprintf(io.out, "created user %d %s (%s)\n", u.ID, u.Email, u.Role)
	if shown != "" {
		fmt.Fprintf(io.out, "password (shown once): %s\n", shown)
	}
	return exitOK
}

func runTokenCreate(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("token create", "--email E [--name LABEL] [--db DSN]", io)
	db := dbFlag(fs)
	email := fs.String("email", "", "the user the token acts as (required)")
	name := fs.String("name", "cli", "a label to recognise the token by")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *email == "" {
		fmt.Fprintln(io.err, "caredesk token create: --email is required")
		return exitUsage
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "token create", err)
	}
	defer closeDB()
	cctx := cliContext(ctx)
	u, err := svc.FindUserByEmail(cctx, *email)
	if err != nil {
		return fail(io, "token create", err)
	}
	secret, _, err := svc.CreateToken(cctx, u.ID, *name)
	if err != nil {
		return fail(io, "token create", err)
	}
	fmt.Fprintln(io.out, secret)
	return exitOK
}

func runTokenRevoke(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("token revoke", "--id N [--db DSN]", io)
	db := dbFlag(fs)
	id := fs.Int64("id", 0, "the token's id (see caredesk token list)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *id <= 0 {
		fmt.Fprintln(io.err, "caredesk token revoke: --id is required")
		return exitUsage
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "token revoke", err)
	}
	defer closeDB()
	t, err := svc.RevokeToken(cliContext(ctx), *id)
	if err != nil {
		return fail(io, "token revoke", err)
	}
	fmt.Fprintf(io.out, "revoked token %d (%s, %s…)\n", t.ID, t.Name, t.Prefix)
	return exitOK
}

func runTokenList(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("token list", "--email E [--db DSN]", io)
	db := dbFlag(fs)
	email := fs.String("email", "", "whose tokens (required)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *email == "" {
		fmt.Fprintln(io.err, "caredesk token list: --email is required")
		return exitUsage
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "token list", err)
	}
	defer closeDB()
	cctx := cliContext(ctx)
	u, err := svc.FindUserByEmail(cctx, *email)
	if err != nil {
		return fail(io, "token list", err)
	}
	toks, err := svc.FindTokens(cctx, u.ID)
	if err != nil {
		return fail(io, "token list", err)
	}
	for _, t := range toks {
		state := "live"
		if !t.RevokedAt.IsZero() {
			state = "revoked " + t.RevokedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(io.out, "%d\t%s…\t%s\t%s\n", t.ID, t.Prefix, t.Name, state)
	}
	return exitOK
}

func runAuditVerify(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("audit verify", "[--db DSN]", io)
	db := dbFlag(fs)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	st, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return fail(io, "audit verify", err)
	}
	defer st.Close()
	brk, n, err := st.VerifyAudit(ctx)
	if err != nil {
		return fail(io, "audit verify", err)
	}
	if brk != nil {
		fmt.Fprintf(io.err, "caredesk audit verify: BROKEN after %d good entries: %s\n", brk.Seq-1, brk)
		return exitFail
	}
	fmt.Fprintf(io.out, "audit chain intact: %d entries\n", n)
	return exitOK
}

// isTerminal reports whether r is an interactive terminal.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
