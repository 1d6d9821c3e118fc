package main

import (
	"context"
	"log/slog"
	"time"
)

// searchMerger is a store whose full-text index needs merging from time
// to time (SQLite's FTS5; PostgreSQL's indexes look after themselves).
type searchMerger interface {
	MergeSearchIndex(ctx context.Context, pages int) (more bool, err error)
}

// searchWordPruner is a store that keeps a list of the index's words
// beside it (SQLite's search_words), from which words no document holds
// any more are taken out now and then.
type searchWordPruner interface {
	PruneSearchWords(ctx context.Context) (removed int, err error)
}

// upkeep is when and how much the server merges the search index: a
// round soon after it starts and then every so often, each in steps
// short enough (~200 pages, a few tens of milliseconds) that an editor's
// save waits at most one of them.
type upkeep struct {
	first, every, pause time.Duration
	pages               int
}

var serveUpkeep = upkeep{first: 2 * time.Second, every: 10 * time.Minute, pause: 50 * time.Millisecond, pages: 200}

// keepSearchIndexMerged runs rounds of merging until ctx ends. A round
// that fails is logged and the next one tries again.
func (u upkeep) keepSearchIndexMerged(ctx context.Context, m searchMerger, logger *slog.Logger) {
	wait := time.NewTimer(u.first)
	defer wait.Stop()
	for round := 1; ; round++ {
		select {
		case <-ctx.Done():
			return
		case <-wait.C:
		}
		start, steps, failed := time.Now(), 0, false
		for {
			more, err := m.MergeSearchIndex(ctx, u.pages)
			if err != nil {
				if ctx.Err() == nil {
					logger.Warn("merging the search index", "err", err)
				}
				failed = true
				break
			}
			steps++
			if !more {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(u.pause):
			}
		}
		if steps > 1 {
			logger.Info("merged the search index", "steps", steps, "took", time.Since(start).Round(time.Millisecond))
		}
		// Words go stale only when documents change, and changes leave
		// segments to merge: prune after such a round, and once at start.
		if p, ok := m.(searchWordPruner); ok && !failed && (round == 1 || steps > 1) {
			start := time.Now()
			removed, err := p.PruneSearchWords(ctx)
			switch {
			case err != nil && ctx.Err() == nil:
				logger.Warn("pruning the search words", "err", err)
			case removed > 0:
				logger.Info("pruned the search words", "removed", removed, "took", time.Since(start).Round(time.Millisecond))
			}
		}
		wait.Reset(u.every)
	}
}
