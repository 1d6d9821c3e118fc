package main

import (
	"context"
	"fmt"
	"io"
	"os/user"

	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/importer"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "import [--db PATH] [--dry-run] [--keep-going] FILE…|FOLDER…", stderr)
	db := dbFlag(fs)
	dryRun := fs.Bool("dry-run", false, "show what would change, write nothing")
	keepGoing := fs.Bool("keep-going", false, "import every file that reads, each on its own, and list the files refused (exit status 1 if any)")
	author := fs.String("author", defaultAuthor(), "name recorded on the revisions this import writes")
	quiet := fs.Bool("q", false, "print only the summary")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	// Exports are read a chunk at a time: keep the heap near what is
	// live, as the export does (GOMEMLIMIT, if set, says otherwise).
	defer softMemoryLimit(exportMemory)()
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	opts := importer.Options{DryRun: *dryRun, KeepGoing: *keepGoing, Author: *author, Log: stdout, Progress: export.NewProgress(stderr)}
	if *quiet {
		opts.Log = nil
	}
	sum, err := importer.ImportFiles(ctx, store, fs.Args(), opts)
	if err != nil {
		return fmt.Errorf("nothing was imported:\n%w", err)
	}
	for _, e := range sum.Refused {
		fmt.Fprintf(stderr, "refused: %v\n", e)
	}
	switch {
	case *dryRun:
		fmt.Fprintf(stdout, "dry run, nothing written: %s\n", sum)
	case !sum.Changed() && len(sum.Refused) > 0:
		fmt.Fprintf(stdout, "nothing new imported: %s\n", sum)
	case !sum.Changed():
		fmt.Fprintf(stdout, "already up to date: %s\n", sum)
	default:
		fmt.Fprintf(stdout, "imported %s\n", sum)
	}
	if len(sum.Refused) > 0 {
		return fmt.Errorf("%d file(s) refused, listed above; the others were imported", len(sum.Refused))
	}
	return nil
}

func defaultAuthor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username + " (vigie import)"
	}
	return "vigie import"
}
