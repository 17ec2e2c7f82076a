package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/demo"
	"github.com/caredesk/caredesk/internal/service"
	"github.com/caredesk/caredesk/internal/store"
)

func init() {
	register(command{name: "demo", summary: "load realistic demo data (customers, policies, cases, interactions)", run: runDemo})
}

func runDemo(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("demo", "[--db DSN] [--seed N] [--customers N] [--months N] [--interactions N] [--force] [--quiet]\n\n"+
		"Without --interactions: a small desk (200 customers, six months), every record through the service.\n"+
		"With --interactions N: a contact centre's history of about N interactions over --months (default 24),\n"+
		"with seasonality, channel mix, queues and abandons, surveys and complaints, written in bulk.", io)
	db := dbFlag(fs)
	seed := fs.Uint64("seed", 1, "random seed: the same seed always gives the same data")
	customers := fs.Int("customers", 0, "how many customers to create (default 200; with --interactions, one per 25 interactions)")
	months := fs.Int("months", 0, "how many months back the history goes (default 6; with --interactions, 24)")
	interactions := fs.Int("interactions", 0, "generate a history of about this many interactions, in bulk (e.g. 10000000)")
	force := fs.Bool("force", false, "load even if the database already holds cases")
	quiet := fs.Bool("quiet", false, "no progress output")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *interactions < 0 || *customers < 0 || *months < 0 || *months > 120 {
		fmt.Fprintln(io.err, "caredesk demo: --interactions and --customers must not be negative, --months must be from 1 to 120")
		return exitUsage
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
	opts := demo.Options{Seed: *seed, Customers: *customers, Months: *months, Interactions: *interactions}
	var pr *progress
	if !*quiet && *interactions > 0 {
		pr = newProgress(io.err, int64(*interactions))
		pr.of = "the interactions"
		opts.Progress = func(p demo.Progress) { pr.update(p.Interactions, int64(p.Interactions)) }
	}
	start := time.Now()
	sum, err := demo.Load(ctx, svc, opts)
	pr.done()
	if err != nil {
		return fail(io, "demo", err)
	}
	printDemoSummary(io, sum)
	if *interactions > 0 {
		took := time.Since(start)
		fmt.Fprintf(io.out, "took %s: %.0f interactions/s\n", took.Round(time.Second), float64(sum.Interactions)/took.Seconds())
	}
	return exitOK
}

func printDemoSummary(io stdio, sum *demo.Summary) {
	extra := ""
	if sum.Surveys > 0 {
		extra += fmt.Sprintf(", %d survey answers", sum.Surveys)
	}
	if sum.Complaints > 0 {
		extra += fmt.Sprintf(", %d complaints taken through their lifecycle", sum.Complaints)
	}
	fmt.Fprintf(io.out, "demo data: %d teams, %d staff, %d customers, %d policies, %d cases, %d interactions%s\n",
		sum.Teams, sum.Users, sum.Customers, sum.Policies, sum.Cases, sum.Interactions, extra)
	fmt.Fprintf(io.out, "demo staff (password %q):\n  %s\n", demo.StaffPassword, strings.Join(sum.StaffEmails, "\n  "))
	if n := sum.Users - len(sum.StaffEmails); n > 0 {
		fmt.Fprintf(io.out, "  and %d more agents and handlers (same password)\n", n)
	}
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
