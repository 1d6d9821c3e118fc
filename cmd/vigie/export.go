package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/vigie-network/vigie/export"
	"golang.org/x/term"
)

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "export [--db PATH] [--format csv|json|xlsx] [--published] [--as-of DATE] [--edition NAME] [-o FILE|DIR]", stderr)
	db := dbFlag(fs)
	format := fs.String("format", "", "csv (a Frictionless data package), json or xlsx; default: from -o's extension, else json")
	out := fs.String("o", "", "output: a .json or .xlsx file, a .zip (CSV data package) or a directory (CSV data package); default standard output")
	published := fs.Bool("published", false, "only what the public sees: published revisions, without authors, reasons or review comments")
	asOf := fs.String("as-of", "", "export what was published at the end of this day (YYYY-MM-DD, UTC)")
	edition := fs.String("edition", "", "export the frozen edition NAME instead of the current data")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	f, err := exportFormat(*format, *out)
	if err != nil {
		return err
	}
	if *edition != "" && (*asOf != "" || *published) {
		return errors.New("--edition exports a frozen edition as it is; it does not combine with --as-of or --published")
	}
	toStdout := *out == "" || *out == "-"
	if toStdout && f != export.FormatJSON {
		if file, ok := stdout.(*os.File); ok && term.IsTerminal(int(file.Fd())) {
			return fmt.Errorf("%s is a binary format; write it to a file with -o", f)
		}
	}

	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()

	var ds export.Writable
	var meta export.Meta
	var count func(table string) int
	var frozen []byte // an edition's JSON, written as it was frozen
	if *edition != "" {
		e, err := store.Edition(ctx, *edition)
		if err != nil {
			return err
		}
		d, err := export.ReadEdition(e)
		if err != nil {
			return fmt.Errorf("edition %s: %w", e.Name, err)
		}
		ds, meta, count, frozen = d, d.Meta, d.Count, e.Snapshot
	} else {
		opts := export.Options{AsOf: *asOf}
		if *published {
			opts.Scope = export.ScopePublished
		}
		// The history streams through temporary files: memory stays flat
		// however long the record. The collector is asked to keep the heap
		// near what is live (GOMEMLIMIT, if set, says otherwise): garbage
		// from rows already written is most of it.
		defer softMemoryLimit(exportMemory)()
		s, err := export.NewStream(ctx, store, opts)
		if err != nil {
			return err
		}
		defer s.Close()
		ds, meta, count = s, s.Meta(), s.Count
	}

	progress := export.NewProgress(stderr)
	write := func(w io.Writer) error {
		if frozen != nil && f == export.FormatJSON {
			_, err := w.Write(frozen)
			return err
		}
		return export.Write(w, f, ds, progress)
	}
	switch {
	case toStdout:
		if err := write(stdout); err != nil {
			return err
		}
		return nil
	case f == export.FormatCSV && !strings.EqualFold(filepath.Ext(*out), ".zip"):
		if err := export.WriteCSVDir(*out, ds, progress); err != nil {
			return err
		}
	default:
		if err := writeFileAtomic(*out, write); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "exported %s to %s: %d assessment(s), %d revision(s), %d source(s), %d organisation(s), %d publication(s), %d news item(s)\n",
		describe(meta), *out, count("assessments"), count("revisions"), count("sources"), count("organisations"), count("publications"), count("news"))
	return nil
}

// exportMemory is the soft memory limit of a streaming export.
const exportMemory = 96 << 20

// softMemoryLimit asks the collector to keep the heap near n bytes, unless
// GOMEMLIMIT says otherwise, until the returned function puts the earlier
// limit back (the commands run in one process in tests).
func softMemoryLimit(n int64) (restore func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	old := debug.SetMemoryLimit(n)
	return func() { debug.SetMemoryLimit(old) }
}

// exportFormat decides the format from --format, or else from the
// output's name.
func exportFormat(format, out string) (string, error) {
	switch strings.ToLower(format) {
	case export.FormatCSV, export.FormatJSON, export.FormatXLSX:
		return strings.ToLower(format), nil
	case "":
	default:
		return "", fmt.Errorf("unknown --format %q: use csv, json or xlsx", format)
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".xlsx":
		return export.FormatXLSX, nil
	case ".zip", "":
		if out != "" && out != "-" {
			return export.FormatCSV, nil
		}
	}
	return export.FormatJSON, nil
}

func describe(ds export.Meta) string {
	switch {
	case ds.Edition != nil:
		return "the " + ds.Edition.Name + " edition"
	case ds.AsOf != "":
		return "the data as of " + ds.AsOf
	case ds.Scope == export.ScopePublished:
		return "the published data"
	}
	return "everything"
}

// writeFileAtomic writes to a temporary file beside path and renames it,
// so that a failed export never leaves half a file under the real name.
// A path that is not a regular file (/dev/null, a pipe, a terminal) is
// written to as it is, since a rename would put a file in its place;
// a symbolic link, at what it points to.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		return writeAndClose(f, write)
	}
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := writeAndClose(tmp, write); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeAndClose writes to f through a buffer and closes it.
func writeAndClose(f *os.File, write func(io.Writer) error) error {
	w := bufio.NewWriter(f)
	err := write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
