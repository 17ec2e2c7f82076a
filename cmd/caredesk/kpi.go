package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/store"
)

func init() {
	register(command{name: "kpi", summary: "KPIs per day, week or month from the rollups, as JSON or CSV (see docs/kpis.md)", run: runKPI})
	register(command{name: "kpi rebuild", summary: "recompute the KPI rollups from the raw records (after changing time zone or thresholds)",
		run: runKPIRebuild})
}

// runKPI prints the same report as GET /api/v1/kpis, from the same code.
func runKPI(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("kpi", "[--db DSN] --from DATE --to DATE [--by day|week|month] [--format json|csv] [slice flags]", io)
	db := dbFlag(fs)
	from := fs.String("from", "", "first date, YYYY-MM-DD, in the rollups' time zone")
	to := fs.String("to", "", "last date, YYYY-MM-DD, inclusive")
	by := fs.String("by", "day", "period: day, week (ISO, from Monday) or month")
	format := fs.String("format", "json", "json or csv")
	channel := fs.String("channel", "", "only this channel")
	team := fs.String("team", "", "only this team id (0: no team)")
	agent := fs.String("agent", "", "only this agent, by id or email")
	caseType := fs.String("case-type", "", "only this case type")
	product := fs.String("product", "", "only this policy line")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if *format != "json" && *format != "csv" {
		fmt.Fprintf(io.err, "caredesk kpi: --format must be json or csv, not %q\n", *format)
		return exitUsage
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "kpi", err)
	}
	defer closeDB()
	vals := map[string]string{"from": *from, "to": *to, "by": *by, "channel": *channel, "team": *team, "agent": *agent,
		"case_type": *caseType, "product": *product}
	figs, err := svc.KPIs(cliContext(ctx), httpapi.KPIRequestFromQuery(func(k string) string { return vals[k] }))
	if err != nil {
		return failKPI(io, err)
	}
	rep := httpapi.NewKPIReport(figs)
	if *format == "csv" {
		err = rep.WriteCSV(io.out)
	} else {
		enc := json.NewEncoder(io.out)
		enc.SetIndent("", "  ")
		err = enc.Encode(rep)
	}
	if err != nil {
		return fail(io, "kpi", err)
	}
	return exitOK
}

// failKPI names the flag behind a bad field (case_type is --case-type).
func failKPI(io stdio, err error) int {
	if fields := care.ErrorFields(err); fields != nil {
		fmt.Fprintf(io.err, "caredesk kpi: %s\n", care.ErrorMessage(err))
		for _, f := range fields {
			fmt.Fprintf(io.err, "  --%s: %s\n", strings.ReplaceAll(f.Field, "_", "-"), f.Message)
		}
		return exitUsage
	}
	return fail(io, "kpi", err)
}

func runKPIRebuild(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("kpi rebuild", "[--db DSN] [--tz ZONE] [--short-abandon D] [--service-level CH=D,…] [--default-service-level D] [--repeat-days N] [--calendar REGION]", io)
	db := dbFlag(fs)
	tz := fs.String("tz", "", "IANA time zone the days are counted in (stored; default Europe/London)")
	short := fs.Duration("short-abandon", 0, "abandons after a shorter wait are left out of the rates (default 5s; negative counts all)")
	levels := fs.String("service-level", "", "answer thresholds per channel, e.g. phone=20s,chat=60s")
	defLevel := fs.Duration("default-service-level", 0, "threshold of other channels (default 20s)")
	repeat := fs.Int("repeat-days", 0, "FCR window in calendar days (default 7)")
	cal := fs.String("calendar", "", "calendar region business hours are counted on (stored; default the firm's calendar)")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "kpi rebuild", err)
	}
	defer closeDB()
	cctx := cliContext(ctx)
	set, err := svc.KPISettings(cctx)
	if err != nil {
		return fail(io, "kpi rebuild", err)
	}
	changed := false
	var bad error
	fs.Visit(func(f *flag.Flag) {
		changed = true
		switch f.Name {
		case "tz":
			set.TimeZone = *tz
		case "short-abandon":
			set.ShortAbandonMillis = short.Milliseconds()
			if *short < 0 {
				set.ShortAbandonMillis = -1
			}
		case "default-service-level":
			set.DefaultServiceLevel = defLevel.Milliseconds()
		case "repeat-days":
			set.RepeatDays = *repeat
		case "calendar":
			set.Calendar = *cal
		case "service-level":
			set.ServiceLevelMillis, bad = parseLevels(*levels)
		case "db":
			changed = false
		}
	})
	if bad != nil {
		return fail(io, "kpi rebuild", bad)
	}
	var arg *store.KPISettings
	if changed {
		arg = &set
	}
	pr := newProgress(io.err, 0)
	rep, err := svc.RebuildKPIs(cctx, arg, func(stage string, n int) {
		if pr.tty {
			fmt.Fprintf(io.err, "\r%s: %d   ", stage, n)
			pr.drawn = true
		}
	})
	pr.done()
	if err != nil {
		return fail(io, "kpi rebuild", err)
	}
	if set, err = svc.KPISettings(cctx); err != nil {
		return fail(io, "kpi rebuild", err)
	}
	fmt.Fprintf(io.out, "rebuilt %d cells from %d interactions, %d cases, %d surveys (time zone %s, business hours of %s)\n",
		rep.Cells, rep.Interactions, rep.Cases, rep.Surveys, set.TimeZone, set.BusinessCalendar())
	return exitOK
}

// parseLevels reads "phone=20s,chat=60s".
func parseLevels(v string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, part := range strings.Split(v, ",") {
		ch, d, ok := strings.Cut(strings.TrimSpace(part), "=")
		dur, err := time.ParseDuration(strings.TrimSpace(d))
		if !ok || err != nil || dur <= 0 {
			return nil, care.Invalid("service-level", "%q must be CHANNEL=DURATION, e.g. phone=20s", part)
		}
		out[strings.TrimSpace(ch)] = dur.Milliseconds()
	}
	return out, nil
}
