package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

func init() {
	register(command{name: "report", summary: "complaints reports over a period as CSV or JSON: " +
		strings.Join(service.ReportNames(), ", ") + " (see docs/complaints.md)", run: runReport})
}

// runReport prints the same report as GET /api/v1/reports/{name}, from the
// same code.
func runReport(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("report", "NAME [--db DSN] --from DATE --to DATE [--format csv|json]", io)
	db := dbFlag(fs)
	from := fs.String("from", "", "first day, YYYY-MM-DD")
	to := fs.String("to", "", "last day, YYYY-MM-DD, inclusive")
	format := fs.String("format", "csv", "csv or json")
	name := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	if name == "" {
		fmt.Fprintf(io.err, "caredesk report: name a report: %s\n", strings.Join(service.ReportNames(), ", "))
		return exitUsage
	}
	if *format != "json" && *format != "csv" {
		fmt.Fprintf(io.err, "caredesk report: --format must be csv or json, not %q\n", *format)
		return exitUsage
	}
	f, t, err := care.ParsePeriod(*from, *to)
	if err != nil {
		return fail(io, "report", err)
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "report", err)
	}
	defer closeDB()
	rep, err := svc.ComplaintReport(cliContext(ctx), name, f, t)
	if err != nil {
		return fail(io, "report", err)
	}
	if *format == "csv" {
		err = rep.WriteCSV(io.out)
	} else {
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	}
	if err != nil {
		return fail(io, "report", err)
	}
	return exitOK
}
