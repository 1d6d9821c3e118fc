// Command vigie runs the Vigie web site and its maintenance commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/files"
	"github.com/vigie-network/vigie/postgres"
	"github.com/vigie-network/vigie/sqlite"
)

const usage = `Vigie monitors, country by country, how laws protect children from sexual exploitation.

Usage:
  vigie serve   [--addr 127.0.0.1:8080] [--db PATH] [--demo]   run the web site
  vigie import  [--db PATH] [--dry-run] [--keep-going] PATH…   import pages (files, folders) and Vigie's exports
  vigie export  [--db PATH] [--format csv|json|xlsx] [-o FILE]  export the whole dataset
  vigie edition publish|list …                                 citable, frozen editions of the published data
  vigie user    add|list|disable …                             manage editors' accounts
  vigie token   create EMAIL [--db PATH]                       print a new API token
  vigie site    -o DIR [--update] [--db PATH]                  the public site as static files, for offline use
  vigie backup  [--db PATH] FILE                               consistent copy of a live database
  vigie restore [--db PATH] [--force] FILE                     put a backup back
  vigie files   prune [--db PATH] [--delete]                   list (or remove) uploaded PDFs nothing uses
  vigie version                                                print the version

Environment: VIGIE_DB stands for --db, VIGIE_ADDR for --addr.
Run "vigie COMMAND --help" for a command's flags.
`

// commands maps each subcommand to its implementation.
var commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) error{
	"serve":   runServe,
	"import":  runImport,
	"version": runVersion,
	"user":    runUser,
	"backup":  runBackup,
	"restore": runRestore,
	"export":  runExport,
	"edition": runEdition,
	"token":   runToken,
	"site":    runSite,
	"files":   runFiles,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: tests call it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "vigie: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	err := cmd(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintf(stderr, "vigie %s: %v\n", args[0], err)
	return 1
}

// errUsage means the flag package has already explained the mistake.
var errUsage = errors.New("usage")

// newFlagSet makes a subcommand's flag set that writes its help to stderr.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: vigie %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	return nil
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// dbFlag declares the --db flag every data command shares.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", envOr("VIGIE_DB", "vigie.db"), "SQLite database file, created on first use, or a postgres:// URL (env VIGIE_DB)")
}

// filesFlag is the --files flag of the commands that read uploaded PDFs.
func filesFlag(fs *flag.FlagSet) *string {
	return fs.String("files", envOr("VIGIE_FILES", ""), "folder of uploaded PDFs; default: beside a SQLite database, DB-files (env VIGIE_FILES)")
}

// filesFolder is the folder --files named, or by default the one beside
// a SQLite database; "" for a database server without --files.
func filesFolder(flagged, db string) string {
	if flagged == "" && !strings.Contains(db, "://") {
		return files.BesideDatabase(db)
	}
	return flagged
}

// openStore opens the store that dsn names.
func openStore(ctx context.Context, dsn string) (vigie.Store, error) {
	if isPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}
