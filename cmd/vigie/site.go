package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/files"
	"github.com/vigie-network/vigie/web"
	"golang.org/x/term"
)

// siteMemoryLimit is the soft memory limit of `vigie site`.
const siteMemoryLimit = 300 << 20

// runSite writes the public site, in every language, as static files with
// relative links: for static hosting or a USB stick (issue #6).
func runSite(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("site", "site -o DIR [--update] [--db PATH] [--files DIR]", stderr)
	out := fs.String("o", "", "folder to write the site into; it must be empty or not exist, unless --update")
	update := fs.Bool("update", false, "bring an earlier copy in DIR up to date: rewrite what changed, remove what went")
	db := dbFlag(fs)
	filesDir := filesFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	site := web.New(vigie.NewService(store), nil)
	if dir := filesFolder(*filesDir, *db); dir != "" {
		if _, err := os.Stat(dir); err == nil {
			site.WithFiles(files.New(dir))
		}
	}

	// Progress on a terminal only: a pipe or a log gets the summary alone.
	var progress func(done, known int)
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		last := time.Time{}
		progress = func(done, known int) {
			if now := time.Now(); now.Sub(last) > 100*time.Millisecond || done == known {
				last = now
				fmt.Fprintf(stderr, "\rWriting the site: %d of %d files found so far", done, known)
			}
		}
	}
	// What the crawl keeps is bounded (web/site_reader.go); a soft limit
	// makes the collector work near it rather than let the heap double
	// between collections: measured on the synthetic data, peak RSS
	// 457 MB at 1× and 620 MB at 10× without, 389 and 425 MB with. An
	// explicit GOMEMLIMIT wins.
	defer softMemoryLimit(siteMemoryLimit)()
	start := time.Now()
	write := site.WriteSite
	if *update {
		write = site.UpdateSite
	}
	stats, err := write(ctx, *out, progress)
	if progress != nil {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return err
	}
	if *update {
		fmt.Fprintf(stdout, "Updated %s: %d pages and %d other files (%.1f MB), %d unchanged, %d removed, in %v.\n",
			*out, stats.Pages, stats.Files, float64(stats.Bytes)/1e6, stats.Unchanged, stats.Removed, time.Since(start).Round(10*time.Millisecond))
	} else {
		fmt.Fprintf(stdout, "Wrote %d pages and %d other files (%.1f MB) to %s in %v. Open %s/index.html in a browser.\n",
			stats.Pages, stats.Files, float64(stats.Bytes)/1e6, *out, time.Since(start).Round(10*time.Millisecond), *out)
	}
	if len(stats.Broken) > 0 {
		fmt.Fprintf(stderr, "vigie site: %d links lead to no page, the first %q\n", len(stats.Broken), stats.Broken[0])
	}
	return nil
}
