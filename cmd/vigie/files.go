package main

import (
	"context"
	"fmt"
	"io"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/files"
)

// runFiles maintains the folder of uploaded PDFs. "prune" finds the files
// that no publication and no edition refers to any more (a PDF replaced by
// a newer one, a publication's file removed) and, with --delete, removes
// them. Files younger than --min-age are kept: an editor's upload is
// stored a moment before the form that refers to it is saved.
func runFiles(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("files", "files prune [--db PATH] [--files DIR] [--min-age 24h] [--delete]", stderr)
	db := dbFlag(fs)
	filesDir := filesFlag(fs)
	minAge := fs.Duration("min-age", 24*time.Hour, "keep unused files younger than this")
	remove := fs.Bool("delete", false, "remove the unused files (without it, only list them)")
	if len(args) == 0 || args[0] != "prune" {
		fs.Usage()
		return errUsage
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	dir := filesFolder(*filesDir, *db)
	if dir == "" {
		return fmt.Errorf("give --files DIR: the folder every server of this PostgreSQL database shares")
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	used, err := usedFiles(ctx, store)
	if err != nil {
		return err
	}
	folder := files.New(dir)
	stored, err := folder.List()
	if err != nil {
		return err
	}
	var unused []files.Stored
	var size int64
	young := 0
	for _, f := range stored {
		switch {
		case used[f.Hash]:
		case time.Since(f.ModTime) < *minAge:
			young++
		default:
			unused = append(unused, f)
			size += f.Size
		}
	}
	for _, f := range unused {
		fmt.Fprintf(stdout, "%s.pdf\t%.1f MB\tstored %s\n", f.Hash, float64(f.Size)/1e6, f.ModTime.UTC().Format(time.DateOnly))
	}
	summary := fmt.Sprintf("%d of %d files in %s (%.1f MB) are used by no publication or edition", len(unused), len(stored), dir, float64(size)/1e6)
	if young > 0 {
		summary += fmt.Sprintf("; %d more are younger than %v and kept", young, *minAge)
	}
	if !*remove || len(unused) == 0 {
		if len(unused) > 0 {
			summary += "; run with --delete to remove them"
		}
		fmt.Fprintln(stdout, summary+".")
		return nil
	}
	for _, f := range unused {
		if err := folder.Remove(f.Hash); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, summary+": removed.")
	return nil
}

// usedFiles are the hashes of the PDFs that publications refer to, now or
// in a published edition, whose snapshot a reader may still cite.
func usedFiles(ctx context.Context, store vigie.Store) (map[string]bool, error) {
	used := map[string]bool{}
	pubs, err := store.Publications(ctx, vigie.PublicationFilter{})
	if err != nil {
		return nil, err
	}
	for _, p := range pubs {
		if !p.File.IsZero() {
			used[p.File.Hash] = true
		}
	}
	editions, err := store.Editions(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range editions {
		full, err := store.Edition(ctx, e.Name)
		if err != nil {
			return nil, err
		}
		ds, err := export.ReadJSON(e.Name+".json", full.Snapshot, nil)
		if err != nil {
			return nil, fmt.Errorf("edition %s: %w", e.Name, err)
		}
		for _, p := range ds.Publications {
			if p.FileSHA256 != "" {
				used[p.FileSHA256] = true
			}
		}
	}
	return used, nil
}
