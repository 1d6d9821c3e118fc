package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/files"
	"github.com/vigie-network/vigie/sqlite"
)

// "vigie files prune" lists, then removes, the uploads nothing refers to,
// and keeps the one a publication uses, the one an edition still cites
// and a fresh upload whose form may not be saved yet.
func TestFilesPrune(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	folder := files.New(files.BesideDatabase(db))
	pdf := func(text string) vigie.FileRef {
		t.Helper()
		ref, err := folder.SavePDF(strings.NewReader("%PDF-1.4\n" + text + "\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		return ref
	}
	used, cited, orphan, fresh := pdf("current report"), pdf("report of the 2026 edition"), pdf("replaced draft"), pdf("just uploaded")

	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	save := func(ref vigie.FileRef) {
		t.Helper()
		if err := st.Update(ctx, func(tx vigie.Tx) error {
			_, err := vigie.MergePublication(ctx, tx, &vigie.Publication{Slug: "report", Title: "Report", Type: vigie.PubResearch, Year: 2026, File: ref})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	save(cited)
	st.Close()
	if code, out, stderr := runCLI(t, "edition", "publish", "--db", db, "2026"); code != 0 {
		t.Fatalf("edition: %s%s", out, stderr)
	}
	if st, err = sqlite.Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	save(used)
	st.Close()
	old := time.Now().Add(-48 * time.Hour)
	for _, ref := range []vigie.FileRef{used, cited, orphan} {
		if err := os.Chtimes(filepath.Join(folder.Dir(), ref.Hash+".pdf"), old, old); err != nil {
			t.Fatal(err)
		}
	}

	code, out, stderr := runCLI(t, "files", "prune", "--db", db)
	if code != 0 || !strings.Contains(out, orphan.Hash) || strings.Count(out, ".pdf\t") != 1 ||
		!strings.Contains(out, "1 of 4 files") || !strings.Contains(out, "1 more are younger") || !strings.Contains(out, "--delete") {
		t.Fatalf("prune: exit %d\n%s%s", code, out, stderr)
	}
	if list, _ := folder.List(); len(list) != 4 {
		t.Fatalf("listing removed files: %d left", len(list))
	}
	if code, out, stderr = runCLI(t, "files", "prune", "--db", db, "--delete"); code != 0 || !strings.Contains(out, "removed") {
		t.Fatalf("prune --delete: exit %d\n%s%s", code, out, stderr)
	}
	list, err := folder.List()
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, f := range list {
		left = append(left, f.Hash)
	}
	for _, ref := range []vigie.FileRef{used, cited, fresh} {
		if !strings.Contains(strings.Join(left, " "), ref.Hash) {
			t.Errorf("%s was removed", ref.Hash)
		}
	}
	if strings.Contains(strings.Join(left, " "), orphan.Hash) {
		t.Error("the unused file is still there")
	}
	if code, _, stderr := runCLI(t, "files", "tidy", "--db", db); code != 2 && code != 1 || !strings.Contains(stderr, "prune") {
		t.Errorf("unknown subcommand: exit %d %s", code, stderr)
	}
}
