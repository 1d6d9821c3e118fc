// Package importer loads files into a store, all or nothing: every file is
// parsed and checked before anything is written, and everything is written
// in one transaction.
package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/pageformat"
)

// Options change how Import runs.
type Options struct {
	// DryRun runs the whole import and reports what would change, then
	// rolls it back.
	DryRun bool
	// Author is recorded on every revision the import writes.
	Author string
	// Log receives one line per change; nil discards them.
	Log io.Writer
	// Progress shows long reads and writes of exports; nil shows nothing.
	Progress *export.Progress
}

// Summary counts what an import changed (or, in a dry run, would change).
type Summary struct {
	Files                                          int
	Assessments, Organisations, Publications, News int
	Translations                                   int
	// Revisions counts revisions restored from Vigie's own exports.
	Revisions int
	Unchanged int
}

// Changed reports whether the import wrote (or would write) anything.
func (s Summary) Changed() bool {
	return s.Assessments+s.Organisations+s.Publications+s.News+s.Translations+s.Revisions > 0
}

func (s Summary) String() string {
	translations, revisions := "", ""
	if s.Translations > 0 {
		translations = fmt.Sprintf(", %d translation(s)", s.Translations)
	}
	if s.Revisions > 0 {
		revisions = fmt.Sprintf(", %d revision(s) restored", s.Revisions)
	}
	return fmt.Sprintf("%d file(s): %d assessment(s), %d organisation(s), %d publication(s), %d news item(s)%s changed%s; %d record(s) unchanged",
		s.Files, s.Assessments, s.Organisations, s.Publications, s.News, translations, revisions, s.Unchanged)
}

var errDryRun = errors.New("dry run")

// ImportFiles reads the named files and imports them. A directory is read
// as a data package (see export.ReadDataPackage).
func ImportFiles(ctx context.Context, store vigie.Store, paths []string, opts Options) (Summary, error) {
	if len(paths) == 0 {
		return Summary{}, errors.New("no files to import")
	}
	files := make([]File, 0, len(paths))
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			files = append(files, dirFile(p, os.DirFS(p)))
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return Summary{}, err
		}
		files = append(files, File{Name: p, Data: data})
	}
	return Import(ctx, store, files, opts)
}

// File is one input: its name (used in messages) and its bytes. Vigie's
// own exports are told from reference pages by name and content.
type File struct {
	Name string
	Data []byte
	// FS holds a data package directory instead of Data.
	FS fs.FS
}

// Import parses every file, then writes them all in one transaction. On
// any error nothing is written; the error lists every problem found, each
// as file:line: reason.
func Import(ctx context.Context, store vigie.Store, files []File, opts Options) (Summary, error) {
	if opts.Author == "" {
		opts.Author = "vigie import"
	}
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	vocab, err := vocabulary(ctx, store)
	if err != nil {
		return Summary{}, err
	}
	var pages []*page
	var sets []*dataset
	var problems []error
	for _, f := range files {
		if isDataset(f) {
			d, err := readDataset(f, opts.Progress)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			sets = append(sets, d)
			continue
		}
		p, err := readPage(f, vocab)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		pages = append(pages, p)
	}
	if len(problems) > 0 {
		return Summary{}, errors.Join(problems...)
	}

	var sum Summary
	err = store.Update(ctx, func(tx vigie.Tx) error {
		sum = Summary{}
		merges, err := planDatasets(ctx, tx, sets, opts.Author)
		if err != nil {
			return err
		}
		var featured *vigie.NewsItem
		for _, p := range pages {
			if err := p.apply(ctx, tx, opts.Author, log, &sum); err != nil {
				return err
			}
			if p.featured != nil {
				featured = p.featured
			}
			sum.Files++
		}
		// The featured story is site-wide: the last page that names one wins,
		// once, so that importing the same pages again changes nothing.
		if featured != nil {
			changed, err := tx.SetFeaturedStory(ctx, featured.Slug)
			if err != nil {
				return err
			}
			if changed {
				sum.News++
				fmt.Fprintf(log, "featured story is now %q\n", featured.Title)
			}
		}
		for _, m := range merges {
			if err := m.apply(ctx, tx, opts.Author, log, &sum, opts.Progress); err != nil {
				return err
			}
			sum.Files++
		}
		if opts.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return sum, err
}

func vocabulary(ctx context.Context, r vigie.Reader) (pageformat.Vocabulary, error) {
	inds, err := r.Indicators(ctx)
	if err != nil {
		return pageformat.Vocabulary{}, err
	}
	ratings, err := r.Ratings(ctx)
	if err != nil {
		return pageformat.Vocabulary{}, err
	}
	return pageformat.Vocabulary{Indicators: inds, Ratings: ratings}, nil
}

func base(name string) string { return filepath.Base(name) }
