package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/demo"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

func init() {
	register(command{name: "demo", summary: "load realistic demo data (customers, policies, cases, interactions)", run: runDemo})
}

func runDemo(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("demo", "[--db DSN] [--seed N] [--customers N] [--months N] [--force]", io)
	db := dbFlag(fs)
	seed := fs.Uint64("seed", 1, "random seed: the same seed always gives the same data")
	customers := fs.Int("customers", 200, "how many customers to create")
	months := fs.Int("months", 6, "how many months back the cases go")
	force := fs.Bool("force", false, "load even if the database already holds cases")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "demo", err)
	}
	defer closeDB()
	if !*force {
		if has, err := hasCases(ctx, svc); err != nil {
			return fail(io, "demo", err)
		} else if has {
			fmt.Fprintln(io.err, "caredesk demo: the database already holds cases; use --force to add demo data anyway")
			return exitFail
		}
	}
	if err := ensureAdmin(ctx, svc, io); err != nil {
		return fail(io, "demo", err)
	}
	sum, err := demo.Load(ctx, svc, demo.Options{Seed: *seed, Customers: *customers, Months: *months})
	if err != nil {
		return fail(io, "demo", err)
	}
	printDemoSummary(io, sum)
	return exitOK
}

func printDemoSummary(io stdio, sum *demo.Summary) {
	fmt.Fprintf(io.out, "demo data: %d teams, %d staff, %d customers, %d policies, %d cases, %d interactions\n",
		sum.Teams, sum.Users, sum.Customers, sum.Policies, sum.Cases, sum.Interactions)
	fmt.Fprintf(io.out, "demo staff (password %q):\n  %s\n", demo.StaffPassword, strings.Join(sum.StaffEmails, "\n  "))
}

// hasCases reports whether the database already holds any case.
func hasCases(ctx context.Context, svc *service.Service) (bool, error) {
	var has bool
	err := svc.Store().Read(ctx, func(tx *store.Tx) error {
		cases, _, err := tx.FindCases(care.NewContextWithActor(ctx, care.SystemActor("cli")), care.CaseFilter{Limit: 1})
		has = len(cases) > 0
		return err
	})
	return has, err
}

// ensureAdmin creates the first administrator on an empty database and
// prints the one-time password (unless CAREDESK_ADMIN_PASSWORD chose it).
func ensureAdmin(ctx context.Context, svc *service.Service, io stdio) error {
	email := envOr("CAREDESK_ADMIN_EMAIL", "admin@caredesk.local")
	created, shown, err := svc.EnsureAdmin(ctx, email, envOr("CAREDESK_ADMIN_PASSWORD", ""))
	if err != nil || !created {
		return err
	}
	if shown != "" {
		fmt.Fprintf(io.out, "created administrator %s with one-time password: %s\n", email, shown)
		fmt.Fprintln(io.out, "(it is shown only now; store it safely or set CAREDESK_ADMIN_PASSWORD before the first start)")
	} else {
		fmt.Fprintf(io.out, "created administrator %s with the password from CAREDESK_ADMIN_PASSWORD\n", email)
	}
	return nil
}
