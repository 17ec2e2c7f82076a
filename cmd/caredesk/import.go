package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/caredesk/caredesk/internal/service"
)

func init() {
	register(command{name: "import interactions", summary: "import interaction history from a CSV file (see docs/import.md)",
		run: func(ctx context.Context, args []string, io stdio) int {
			return runImport(ctx, "interactions", service.InteractionColumns, args, io)
		}})
	register(command{name: "import surveys", summary: "import survey answers (CSAT, NPS, CES) from a CSV file (see docs/import.md)",
		run: func(ctx context.Context, args []string, io stdio) int {
			return runImport(ctx, "surveys", service.SurveyColumns, args, io)
		}})
}

// runImport imports one CSV file. Bad rows are listed as FILE:LINE: field:
// message; good rows are kept unless --all-or-nothing; the exit status is 1
// when any row was bad. Importing the same file again changes nothing.
func runImport(ctx context.Context, what string, columns []string, args []string, io stdio) int {
	name := "import " + what
	fs := newFlags(name, "[--db DSN] [--all-or-nothing] [--batch N] FILE.csv   (- reads standard input)\n\nColumns: "+
		strings.Join(columns, ","), io)
	db := dbFlag(fs)
	all := fs.Bool("all-or-nothing", false, "refuse the whole file when any row is bad (nothing is written)")
	batch := fs.Int("batch", 500, "rows per transaction")
	quiet := fs.Bool("quiet", false, "no progress output")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(io.err, "caredesk %s: name one CSV file (or - for standard input)\n", name)
		fs.Usage()
		return exitUsage
	}
	file := fs.Arg(0)
	in, closeIn, err := openCSV(file, io)
	if err != nil {
		fmt.Fprintf(io.err, "caredesk %s: %v\n", name, err)
		return exitFail
	}
	defer closeIn()
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, name, err)
	}
	defer closeDB()
	opt := service.ImportOptions{AllOrNothing: *all, BatchSize: *batch}
	var pr *progress
	if !*quiet {
		pr = newProgress(io.err, inputSize(in))
		opt.Progress = func(p service.ImportProgress) { pr.update(p.Rows, p.Bytes) }
	}
	imp := svc.ImportInteractions
	if what == "surveys" {
		imp = svc.ImportSurveys
	}
	rep, err := imp(cliContext(ctx), in, opt)
	pr.done()
	if err != nil {
		return fail(io, name, err)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(io.err, "%s:%d: %s: %s\n", file, e.Line, e.Field, e.Message)
	}
	bad := rep.Rows - rep.Imported - rep.Unchanged
	if rep.Refused {
		fmt.Fprintf(io.out, "%d rows: refused, %d bad; nothing was imported (--all-or-nothing)\n", rep.Rows, len(rep.Errors))
		return exitFail
	}
	fmt.Fprintf(io.out, "%d rows: %d imported, %d already imported, %d bad\n", rep.Rows, rep.Imported, rep.Unchanged, bad)
	if len(rep.Errors) > 0 {
		return exitFail
	}
	return exitOK
}

// inputSize returns the size of a regular file, or 0 when unknown.
func inputSize(r io.Reader) int64 {
	f, ok := r.(*os.File)
	if !ok {
		return 0
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return 0
	}
	return st.Size()
}

// progress draws a bar on a terminal and prints plain lines, at most one
// every few seconds, elsewhere (a log, a pipe).
type progress struct {
	w     io.Writer
	tty   bool
	total int64
	start time.Time
	last  time.Time
	rows  int
	drawn bool
	of    string // what total measures, for plain lines ("" means the file's bytes)
}

func newProgress(w io.Writer, total int64) *progress {
	now := time.Now()
	return &progress{w: w, tty: isTerminal(w), total: total, start: now, last: now}
}

func (p *progress) update(rows int, bytes int64) {
	if p == nil {
		return
	}
	p.rows = rows
	now := time.Now()
	if p.tty {
		if now.Sub(p.last) < 100*time.Millisecond {
			return
		}
		p.last, p.drawn = now, true
		fmt.Fprintf(p.w, "\r%s", p.bar(rows, bytes, now))
		return
	}
	if now.Sub(p.last) < 5*time.Second {
		return
	}
	p.last = now
	fmt.Fprintln(p.w, p.line(rows, bytes, now))
}

func (p *progress) bar(rows int, bytes int64, now time.Time) string {
	rate := float64(rows) / max(now.Sub(p.start).Seconds(), 0.001)
	if p.total <= 0 {
		return fmt.Sprintf("%d rows  %.0f rows/s", rows, rate)
	}
	frac := min(float64(bytes)/float64(p.total), 1)
	const width = 30
	n := int(frac * width)
	return fmt.Sprintf("[%s%s] %3.0f%%  %d rows  %.0f rows/s", strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100, rows, rate)
}

func (p *progress) line(rows int, bytes int64, now time.Time) string {
	if p.total > 0 {
		of := p.of
		if of == "" {
			of = "the file"
		}
		return fmt.Sprintf("progress: %d rows, %.0f%% of %s, %s", rows, 100*min(float64(bytes)/float64(p.total), 1),
			of, now.Sub(p.start).Round(time.Second))
	}
	return fmt.Sprintf("progress: %d rows, %s", rows, now.Sub(p.start).Round(time.Second))
}

// done ends the bar's line.
func (p *progress) done() {
	if p != nil && p.tty && p.drawn {
		fmt.Fprintln(p.w)
	}
}

// openCSV opens a file, or standard input for "-".
func openCSV(name string, std stdio) (io.Reader, func(), error) {
	if name == "-" {
		return std.in, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
