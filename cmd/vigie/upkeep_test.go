package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// fakeMerger has work for a given number of steps per round and fails
// when told to.
type fakeMerger struct {
	mu     sync.Mutex
	left   []int    // steps with work left, per round; a negative count fails once
	rounds chan int // receives each round's calls when it ends
	inStep int
	prunes int // calls of PruneSearchWords
}

func (f *fakeMerger) PruneSearchWords(ctx context.Context) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.prunes++
	return 0, nil
}

func (f *fakeMerger) pruned() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.prunes
}

func (f *fakeMerger) MergeSearchIndex(ctx context.Context, pages int) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inStep++
	if len(f.left) == 0 {
		f.report(f.inStep)
		f.inStep = 0
		return false, nil
	}
	if f.left[0] < 0 {
		f.left = f.left[1:]
		f.report(-f.inStep)
		f.inStep = 0
		return false, errors.New("database is locked")
	}
	if f.left[0] == 0 {
		f.left = f.left[1:]
		f.report(f.inStep)
		f.inStep = 0
		return false, nil
	}
	f.left[0]--
	return true, nil
}

// report tells the test how a round ended, never blocking the upkeep.
func (f *fakeMerger) report(steps int) {
	select {
	case f.rounds <- steps:
	default:
	}
}

func TestUpkeepMergesUntilDoneEachRoundAndStops(t *testing.T) {
	f := &fakeMerger{left: []int{3, -1, 0}, rounds: make(chan int, 10)}
	u := upkeep{first: time.Millisecond, every: 5 * time.Millisecond, pause: time.Millisecond, pages: 10}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		u.keepUp(ctx, f, slog.New(slog.NewTextHandler(io.Discard, nil)))
		close(done)
	}()
	// Round 1 merges until the store says it is done (3 steps with work,
	// then one that finds none); round 2 fails and is given up; round 3
	// comes anyway, so a failure does not end the upkeep.
	for i, want := range []int{4, -1, 1} {
		select {
		case got := <-f.rounds:
			if got != want {
				t.Errorf("round %d: %d steps, want %d", i+1, got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("round %d never came", i+1)
		}
	}
	// Only the first round merged anything: the words were pruned after
	// it, and not after the failed round or the one with nothing to do.
	// (Round 3 reports from its last merge step, before its prune would
	// run: wait for round 4, which has nothing to merge either.)
	select {
	case <-f.rounds:
	case <-time.After(5 * time.Second):
		t.Fatal("round 4 never came")
	}
	if n := f.pruned(); n != 1 {
		t.Errorf("the words were pruned %d times, want 1", n)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the upkeep did not stop with its context")
	}
}

// monthBuilder is a merger with nothing to merge that has months to
// build: the first call fails, the next rounds build one month a call.
type monthBuilder struct {
	fakeMerger
	calls, left int
	months      chan int // the months left after each call
}

func (b *monthBuilder) BuildMonthStates(ctx context.Context, now time.Time, limit int) (int, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	if b.calls == 1 {
		return 0, false, errors.New("database is locked")
	}
	if limit != 1 {
		return 0, false, errors.New("more than a month in one transaction")
	}
	if b.left == 0 {
		return 0, false, nil
	}
	b.left--
	b.months <- b.left
	return 1, b.left > 0, nil
}

func TestUpkeepBuildsMonthStatesAfterAFailure(t *testing.T) {
	b := &monthBuilder{fakeMerger: fakeMerger{rounds: make(chan int, 10)}, left: 3, months: make(chan int, 10)}
	u := upkeep{first: time.Millisecond, every: 5 * time.Millisecond, pause: time.Millisecond, pages: 10}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go u.keepUp(ctx, b, slog.New(slog.NewTextHandler(io.Discard, nil)))
	// Round 1's build fails; round 2 builds the three months one by one.
	for _, want := range []int{2, 1, 0} {
		select {
		case got := <-b.months:
			if got != want {
				t.Errorf("%d months left, want %d", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("the month leaving %d was never built", want)
		}
	}
}

// onlyBuilder is a store with month states and no search index to merge
// (PostgreSQL).
type onlyBuilder struct{ built chan struct{} }

func (b onlyBuilder) BuildMonthStates(ctx context.Context, now time.Time, limit int) (int, bool, error) {
	select {
	case b.built <- struct{}{}:
	default:
	}
	return 1, false, nil
}

func TestUpkeepBuildsMonthStatesWithoutASearchIndex(t *testing.T) {
	b := onlyBuilder{built: make(chan struct{}, 1)}
	u := upkeep{first: time.Millisecond, every: time.Hour, pause: time.Millisecond, pages: 10}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go u.keepUp(ctx, b, slog.New(slog.NewTextHandler(io.Discard, nil)))
	select {
	case <-b.built:
	case <-time.After(5 * time.Second):
		t.Fatal("the month states were never built")
	}
}
