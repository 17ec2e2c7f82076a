package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/caredesk/caredesk/internal/service"
)

func init() {
	register(command{name: "import cdr", summary: "import call detail records from a CSV file (see docs/telephony.md)", run: runImportCDR})
}

// runImportCDR records each row of a CDR file as the events of one call.
// Bad rows are listed as FILE:LINE: field: message and skipped; good rows
// are kept; the exit status is 1 when any row was bad. Importing the same
// file again changes nothing.
func runImportCDR(ctx context.Context, args []string, io stdio) int {
	fs := newFlags("import cdr", "[--db DSN] FILE.csv   (- reads standard input)\n\nColumns: "+
		strings.Join(service.CDRColumns, ","), io)
	db := dbFlag(fs)
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(io.err, "caredesk import cdr: name one CSV file (or - for standard input)")
		fs.Usage()
		return exitUsage
	}
	name := fs.Arg(0)
	in, closeIn, err := openCDRInput(name, io)
	if err != nil {
		fmt.Fprintf(io.err, "caredesk import cdr: %v\n", err)
		return exitFail
	}
	defer closeIn()
	svc, closeDB, err := openService(ctx, *db, nil)
	if err != nil {
		return fail(io, "import cdr", err)
	}
	defer closeDB()
	rep, err := svc.ImportCDR(cliContext(ctx), in)
	if err != nil {
		return fail(io, "import cdr", err)
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(io.err, "%s:%d: %s: %s\n", name, e.Line, e.Field, e.Message)
	}
	fmt.Fprintf(io.out, "%d rows: %d recorded, %d already imported, %d bad\n", rep.Rows, rep.Recorded, rep.Unchanged,
		rep.Rows-rep.Recorded-rep.Unchanged)
	if len(rep.Errors) > 0 {
		return exitFail
	}
	return exitOK
}

// openCDRInput opens a file, or standard input for "-".
func openCDRInput(name string, std stdio) (reader io.Reader, closeFn func(), err error) {
	if name == "-" {
		return std.in, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}
