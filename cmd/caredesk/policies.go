package main

import (
	"context"
	"fmt"
)

func init() {
	register(command{name: "policies remind", summary: "run one pass of the policy job now: renewal reminders into the outbox, lapses, missed instalments",
		run: runPoliciesRemind})
}

// runPoliciesRemind runs the pass the server's job runner makes every few
// seconds, for operators (after a restore, or from cron when no server
// runs jobs). Reminders are queued in the outbox; a running server sends
// them. Safe to run beside servers: each reminder goes out once.
func runPoliciesRemind(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("policies remind", "[--db DSN] [--batch N]", io)
	db := dbFlag(fs)
	batch := fs.Int("batch", 200, "rows handled per transaction batch")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *batch < 1 {
		fmt.Fprintf(io.err, "caredesk policies remind: --batch must be at least 1\n")
		return exitUsage
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "policies remind", err)
	}
	defer closeDB()
	rep, err := svc.RemindPolicies(ctx, *batch)
	if err != nil {
		return fail(io, "policies remind", err)
	}
	fmt.Fprintf(io.out, "renewals opened: %d\nreminders sent: %d\npolicies lapsed: %d\nsequences stopped: %d\ninstalments missed: %d\n",
		rep.Opened, rep.Sent, rep.Lapsed, rep.Stopped, rep.Missed)
	return exitOK
}
