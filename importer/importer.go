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
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/export"
	"github.com/vigie-network/vigie/pageformat"
)

// Options change how Import runs.
type Options struct {
	// DryRun runs the whole import and reports what would change, then
	// rolls it back.
	DryRun bool
	// KeepGoing imports every file that reads, each in its own
	// transaction, and lists the files refused in Summary.Refused rather
	// than writing nothing: the way to migrate a whole site.
	KeepGoing bool
	// Author is recorded on every revision the import writes.
	Author string
	// Log receives one line per change; nil discards them.
	Log io.Writer
	// Progress shows long reads and writes on a terminal; nil shows nothing.
	Progress *export.Progress
}

// Summary counts what an import changed (or, in a dry run, would change).
type Summary struct {
	// Files counts the files imported; FilesUnchanged those of them that
	// changed nothing.
	Files, FilesUnchanged                          int
	Assessments, Organisations, Publications, News int
	// Citations counts the citations of the assessments written, and
	// NeedsLook those of them marked for a person to check.
	Citations, NeedsLook int
	Translations         int
	// Revisions counts revisions restored from Vigie's own exports.
	Revisions int
	Unchanged int
	// Refused lists, with KeepGoing, each file that was not imported and
	// why, its problems as file:line: what was expected.
	Refused []error
}

// Changed reports whether the import wrote (or would write) anything.
func (s Summary) Changed() bool {
	return s.Assessments+s.Organisations+s.Publications+s.News+s.Translations+s.Revisions > 0
}

func (s Summary) String() string {
	translations, revisions, refused, look := "", "", "", ""
	if s.Translations > 0 {
		translations = fmt.Sprintf(", %d translation(s)", s.Translations)
	}
	if s.Revisions > 0 {
		revisions = fmt.Sprintf(", %d revision(s) restored", s.Revisions)
	}
	if len(s.Refused) > 0 {
		refused = fmt.Sprintf(", %d refused", len(s.Refused))
	}
	if s.NeedsLook > 0 {
		look = fmt.Sprintf(" (%d marked \"needs a look\")", s.NeedsLook)
	}
	return fmt.Sprintf("%d file(s) (%d unchanged%s): %d assessment(s) with %d citation(s)%s, %d organisation(s), %d publication(s), %d news item(s)%s changed%s; %d record(s) unchanged",
		s.Files, s.FilesUnchanged, refused, s.Assessments, s.Citations, look, s.Organisations, s.Publications, s.News, translations, revisions, s.Unchanged)
}

var errDryRun = errors.New("dry run")

// pageExtensions are the files a folder of pages is read for; anything
// else there (the images and scripts a browser saves beside a page) is
// left alone.
var pageExtensions = []string{".txt", ".text", ".html", ".htm", ".xhtml", ".csv", ".json", ".xlsx"}

// ImportFiles reads the named files and imports them. A directory holding
// a datapackage.json is read as a data package (see
// export.ReadDataPackage); any other directory is read for the pages and
// exports in it and below it, in name order.
func ImportFiles(ctx context.Context, store vigie.Store, paths []string, opts Options) (Summary, error) {
	if len(paths) == 0 {
		return Summary{}, errors.New("no files to import")
	}
	var files []File
	var unreadable []error
	read := func(p string) {
		// Vigie's own exports are read where they are, a part at a time.
		if format, err := export.SniffFile(p); err == nil && format != "" {
			files = append(files, File{Name: p, Path: p, format: format})
			return
		}
		data, err := os.ReadFile(p)
		if err != nil {
			unreadable = append(unreadable, err)
			return
		}
		files = append(files, File{Name: p, Data: data})
	}
	for _, p := range paths {
		info, err := os.Stat(p)
		switch {
		case err != nil:
			unreadable = append(unreadable, err)
		case !info.IsDir():
			read(p)
		case isDataPackage(p):
			files = append(files, dirFile(p, os.DirFS(p)))
		default:
			names, err := pagesIn(p)
			if err != nil {
				return Summary{}, err
			}
			if len(names) == 0 {
				unreadable = append(unreadable, fmt.Errorf("%s: no pages in the folder (expected files ending in %s)", p, strings.Join(pageExtensions, ", ")))
			}
			for _, n := range names {
				read(n)
			}
		}
	}
	if len(unreadable) > 0 && !opts.KeepGoing {
		return Summary{}, errors.Join(unreadable...)
	}
	sum, err := Import(ctx, store, files, opts)
	sum.Refused = append(unreadable, sum.Refused...)
	return sum, err
}

func isDataPackage(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "datapackage.json"))
	return err == nil
}

// pagesIn lists the files of a folder of pages, hidden ones and the
// "_files" folders browsers save beside pages left out.
func pagesIn(dir string) ([]string, error) {
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if path != dir && (strings.HasPrefix(name, ".") || d.IsDir() && strings.HasSuffix(name, "_files")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && slices.Contains(pageExtensions, strings.ToLower(filepath.Ext(name))) {
			names = append(names, path)
		}
		return nil
	})
	return names, err
}

// File is one input: its name (used in messages) and its bytes. Vigie's
// own exports are told from reference pages by name and content.
type File struct {
	Name string
	Data []byte
	// Path is an export read from disk instead of Data, in format.
	Path   string
	format string
	// FS holds a data package directory instead of Data.
	FS fs.FS
}

// Import parses every file, then writes them. Without KeepGoing it is all
// or nothing: on any error nothing is written, and the error lists every
// problem found, each as file:line: reason. With KeepGoing each file that
// reads is written in its own transaction and the others are listed in
// Summary.Refused.
func Import(ctx context.Context, store vigie.Store, files []File, opts Options) (Summary, error) {
	if opts.Author == "" {
		opts.Author = "vigie import"
	}
	logging := opts.Log != nil
	if !logging {
		opts.Log = io.Discard
	}
	vocab, err := vocabulary(ctx, store)
	if err != nil {
		return Summary{}, err
	}
	known, err := storedSources(ctx, store)
	if err != nil {
		return Summary{}, err
	}
	var inputs []input
	var problems []error
	// One file shows its own rows (a large export); several show one bar
	// of files, each file's own steps hidden under it.
	perFile, inner := opts.Progress, (*export.Progress)(nil)
	if len(files) == 1 {
		perFile, inner = nil, opts.Progress
	}
	perFile.Start("reading", len(files))
	for _, f := range files {
		in, err := readInput(f, vocab, known, inner)
		perFile.Add(1)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		inputs = append(inputs, in)
	}
	perFile.Finish()
	defer func() {
		for _, in := range inputs {
			if in.set != nil {
				in.set.o.Close()
			}
		}
	}()

	var sum Summary
	if !opts.KeepGoing {
		if len(problems) > 0 {
			return Summary{}, errors.Join(problems...)
		}
		err = store.Update(ctx, func(tx vigie.Tx) error {
			sum = Summary{}
			return writeAll(ctx, tx, inputs, opts, &sum)
		})
		if errors.Is(err, errDryRun) {
			err = nil
		}
		return sum, err
	}

	sum.Refused = problems
	oneOpts := opts
	if len(inputs) > 1 {
		oneOpts.Progress = nil
	}
	// Lines of the log would run into a bar drawn on the same terminal:
	// when there is a log, it shows the progress of the writing itself.
	writing := perFile
	if logging {
		writing = nil
	}
	writing.Start("writing", len(inputs))
	var featured []*page
	for _, in := range inputs {
		var one Summary
		err := store.Update(ctx, func(tx vigie.Tx) error {
			one = Summary{}
			return writeAll(ctx, tx, []input{in}, oneOpts, &one)
		})
		writing.Add(1)
		if err != nil && !errors.Is(err, errDryRun) {
			sum.Refused = append(sum.Refused, fmt.Errorf("%s: %w", in.name(), err))
			continue
		}
		sum.add(one)
		if in.page != nil && in.page.featured != nil {
			featured = append(featured, in.page)
		}
	}
	writing.Finish()
	// The featured story is site-wide: the last imported page that names
	// one wins, set once after every page so that importing the same
	// pages again changes nothing.
	// A dry run wrote no page, so there is no story to point at yet.
	if len(featured) > 0 && !opts.DryRun {
		last := featured[len(featured)-1]
		err := store.Update(ctx, func(tx vigie.Tx) error {
			return setFeatured(ctx, tx, last.featured, opts.Log, &sum)
		})
		if err != nil {
			sum.Refused = append(sum.Refused, fmt.Errorf("%s: featured story: %w", last.file, err))
		}
	}
	return sum, nil
}

// input is one file read and checked: a page or a dataset.
type input struct {
	page *page
	set  *dataset
}

func (in input) name() string {
	if in.page != nil {
		return in.page.file
	}
	return in.set.file
}

func readInput(f File, vocab pageformat.Vocabulary, known knownSources, p *export.Progress) (input, error) {
	if isDataset(f) {
		d, err := readDataset(f, p)
		return input{set: d}, err
	}
	pg, err := readPage(f, vocab, known)
	return input{page: pg}, err
}

// writeAll writes inputs in one transaction; with several pages the last
// featured story named wins.
func writeAll(ctx context.Context, tx vigie.Tx, inputs []input, opts Options, sum *Summary) error {
	var sets []*dataset
	for _, in := range inputs {
		if in.set != nil {
			sets = append(sets, in.set)
		}
	}
	merges, err := planDatasets(ctx, tx, sets, opts.Author)
	if err != nil {
		return err
	}
	var featured *vigie.NewsItem
	for _, in := range inputs {
		if in.page == nil {
			continue
		}
		before := *sum
		if err := in.page.apply(ctx, tx, opts.Author, opts.Log, sum); err != nil {
			return err
		}
		sum.fileDone(before)
		if in.page.featured != nil {
			featured = in.page.featured
		}
	}
	if featured != nil && !opts.KeepGoing {
		if err := setFeatured(ctx, tx, featured, opts.Log, sum); err != nil {
			return err
		}
	}
	// Every file is compared in full, so that the conflicts of all are
	// listed at once; the first one's makes the transaction write nothing.
	var conflicts []error
	for _, m := range merges {
		before := *sum
		err := m.apply(ctx, tx, opts.Author, opts.Log, sum, opts.Progress)
		var ps export.Problems
		if errors.As(err, &ps) {
			conflicts = append(conflicts, err)
			continue
		}
		if err != nil {
			return err
		}
		sum.fileDone(before)
	}
	if len(conflicts) > 0 {
		return errors.Join(conflicts...)
	}
	if opts.DryRun {
		return errDryRun
	}
	return nil
}

// fileDone counts one more file, and whether it changed anything since
// before.
func (s *Summary) fileDone(before Summary) {
	s.Files++
	delta := *s
	delta.Assessments -= before.Assessments
	delta.Organisations -= before.Organisations
	delta.Publications -= before.Publications
	delta.News -= before.News
	delta.Translations -= before.Translations
	delta.Revisions -= before.Revisions
	if !delta.Changed() {
		s.FilesUnchanged++
	}
}

func (s *Summary) add(o Summary) {
	s.Files += o.Files
	s.FilesUnchanged += o.FilesUnchanged
	s.Assessments += o.Assessments
	s.Organisations += o.Organisations
	s.Publications += o.Publications
	s.News += o.News
	s.Citations += o.Citations
	s.NeedsLook += o.NeedsLook
	s.Translations += o.Translations
	s.Revisions += o.Revisions
	s.Unchanged += o.Unchanged
}

func setFeatured(ctx context.Context, tx vigie.Tx, featured *vigie.NewsItem, log io.Writer, sum *Summary) error {
	changed, err := vigie.FeatureStory(ctx, tx, featured.Slug)
	if err != nil {
		return err
	}
	if changed {
		sum.News++
		fmt.Fprintf(log, "featured story is now %q\n", featured.Title)
	}
	return nil
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
