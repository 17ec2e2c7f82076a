// Command caredesk is the one binary of caredesk: it serves the API, the web
// UI and the portal, and carries the operator commands (migrate, user, token,
// audit, demo, clock, …). Run "caredesk help" for the list.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit statuses shared by every subcommand.
const (
	exitOK    = 0
	exitFail  = 1 // the command ran and failed (for example a broken audit chain)
	exitUsage = 2 // the command line is wrong
)

// stdio is what a subcommand reads and writes, so tests can run commands
// in-process with buffers.
type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

// command is one subcommand. Each lives in its own file and registers itself
// in init, so adding a command touches no shared table.
type command struct {
	name    string // "serve", or "user add" for a nested command
	summary string // one line for "caredesk help"
	run     func(ctx context.Context, args []string, io stdio) int
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("caredesk: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr})
	stop()
	os.Exit(code)
}

// run dispatches args to a subcommand. Nested commands ("user add") are
// matched on their first two words before their first word alone.
func run(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			return helpFor(strings.Join(args[1:], " "), io)
		}
		usage(io.out)
		return exitOK
	}
	if len(args) >= 2 {
		if c, ok := commands[args[0]+" "+args[1]]; ok {
			return c.run(ctx, args[2:], io)
		}
	}
	if c, ok := commands[args[0]]; ok {
		return c.run(ctx, args[1:], io)
	}
	var subs []string
	for name := range commands {
		if strings.HasPrefix(name, args[0]+" ") {
			subs = append(subs, strings.TrimPrefix(name, args[0]+" "))
		}
	}
	if len(subs) > 0 {
		sort.Strings(subs)
		fmt.Fprintf(io.err, "caredesk %s: name a subcommand: %s\n", args[0], strings.Join(subs, ", "))
		return exitUsage
	}
	fmt.Fprintf(io.err, "caredesk: unknown command %q; run \"caredesk help\" for the list\n", args[0])
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "caredesk: customer care for insurers (API, staff UI, policyholder portal).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: caredesk COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-22s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run \"caredesk COMMAND -h\" for a command's flags.")
}

func helpFor(name string, io stdio) int {
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(io.err, "caredesk help: unknown command %q\n", name)
		return exitUsage
	}
	return c.run(context.Background(), []string{"-h"}, io)
}

// newFlags returns a flag set for a subcommand that writes its usage to
// io.err and reports errors instead of exiting.
func newFlags(name, synopsis string, io stdio) *flag.FlagSet {
	fs := flag.NewFlagSet("caredesk "+name, flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() {
		fmt.Fprintf(io.err, "Usage: caredesk %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and returns the exit code to use when parsing did
// not succeed (-1 means carry on). -h prints usage and exits 0.
func parseFlags(fs *flag.FlagSet, args []string) int {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	return -1
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}
