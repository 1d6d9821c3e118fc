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

// monthStateBuilder is a store that keeps each past month's final
// published state ready for the changes page (SQLite's month_states):
// months end, and writes dated in the past take their months out.
type monthStateBuilder interface {
	BuildMonthStates(ctx context.Context, now time.Time, limit int) (built int, more bool, err error)
}

// upkeep is when and how much the server looks after its store: a round
// soon after it starts and then every so often, each in steps short
// enough (~200 pages of search index merged, or one month's states
// built: a few tens of milliseconds) that an editor's save waits at most
// one of them.
type upkeep struct {
	first, every, pause time.Duration
	pages               int
}

var serveUpkeep = upkeep{first: 2 * time.Second, every: 10 * time.Minute, pause: 50 * time.Millisecond, pages: 200}

// keepUp runs rounds until ctx ends: the search index merged, its words
// pruned, the month states built, as far as the store needs each. A
// round that fails is logged and the next one tries again.
func (u upkeep) keepUp(ctx context.Context, store any, logger *slog.Logger) {
	wait := time.NewTimer(u.first)
	defer wait.Stop()
	for round := 1; ; round++ {
		select {
		case <-ctx.Done():
			return
		case <-wait.C:
		}
		if m, ok := store.(searchMerger); ok {
			if !u.mergeSearchIndex(ctx, m, round, logger) {
				return
			}
		}
		if b, ok := store.(monthStateBuilder); ok {
			u.buildMonthStates(ctx, b, logger)
		}
		wait.Reset(u.every)
	}
}

// mergeSearchIndex merges in steps until the store reports nothing left,
// then prunes the search words when the merge found work or on the first
// round. It returns false when ctx ended.
func (u upkeep) mergeSearchIndex(ctx context.Context, m searchMerger, round int, logger *slog.Logger) bool {
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
			return false
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
	return true
}

// buildMonthStates builds the months missing, one per write transaction
// (10–60 ms on the synthetic record), resting between them at least
// three times as long as the last one took, so that a first build after
// an upgrade or a backdated import takes at most a quarter of a core from
// the readers and never keeps an editor's save waiting long.
func (u upkeep) buildMonthStates(ctx context.Context, b monthStateBuilder, logger *slog.Logger) {
	start, total := time.Now(), 0
	for {
		step := time.Now()
		built, more, err := b.BuildMonthStates(ctx, time.Now(), 1)
		total += built
		if err != nil {
			if ctx.Err() == nil {
				logger.Warn("building the month states", "err", err)
			}
			break
		}
		if !more {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(max(u.pause, 3*time.Since(step))):
		}
	}
	if total > 0 {
		logger.Info("built the month states", "months", total, "took", time.Since(start).Round(time.Millisecond))
	}
}
