package vigie

import (
	"strings"
	"sync"
	"time"
)

// Limiter counts events per key in a sliding window, to slow down password
// guessing and spam. It lives in memory: each server process keeps its own
// counts, which still bounds an attacker to a small multiple of the limit.
type Limiter struct {
	Max    int
	Window time.Duration

	mu     sync.Mutex
	events map[string][]time.Time
}

// NewLimiter allows max events per key in each window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, events: map[string][]time.Time{}}
}

// Blocked reports whether key has used up its events, and when the
// oldest one leaves the window.
func (l *Limiter) Blocked(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.prune(key, now)
	if len(recent) < l.Max {
		return false, 0
	}
	return true, recent[0].Add(l.Window).Sub(now)
}

// Add records an event for key.
func (l *Limiter) Add(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events[key] = append(l.prune(key, now), now)
	if len(l.events) > 100_000 { // keep memory bounded under a flood of keys
		for k := range l.events {
			l.prune(k, now)
		}
	}
}

// Reset forgets key, e.g. after a successful sign-in.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.events, key)
}

func (l *Limiter) prune(key string, now time.Time) []time.Time {
	list := l.events[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= l.Window {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(l.events, key)
		return nil
	}
	l.events[key] = list
	return list
}

// Backoff slows down repeated failures of one key without locking it: the
// first Free failures cost nothing, and each one after makes the key wait
// Base·2^(n−Free), at most Max, from its last failure. A key is forgotten
// after a day without failures, or at once by Reset. Keyed by account and
// client address, it slows a guesser down while the account's owner,
// elsewhere, signs in as usual. It lives in memory, like Limiter.
type Backoff struct {
	Free      int
	Base, Max time.Duration

	mu   sync.Mutex
	keys map[string]backoffState
}

type backoffState struct {
	failures int
	last     time.Time
}

// backoffMemory is how long a key's failures are remembered.
const backoffMemory = 24 * time.Hour

// NewBackoff allows free failures per key, then waits from base doubling
// up to max.
func NewBackoff(free int, base, max time.Duration) *Backoff {
	return &Backoff{Free: free, Base: base, Max: max, keys: map[string]backoffState{}}
}

// Wait is how long key must still wait before its next try; 0 when it may
// try now.
func (b *Backoff) Wait(key string, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	st, ok := b.keys[key]
	if !ok {
		return 0
	}
	if now.Sub(st.last) >= backoffMemory {
		delete(b.keys, key)
		return 0
	}
	return max(0, st.last.Add(b.delay(st.failures)).Sub(now))
}

// delay is the wait after n failures.
func (b *Backoff) delay(n int) time.Duration {
	if n < b.Free {
		return 0
	}
	d := b.Base
	for i := b.Free; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Fail records a failure of key.
func (b *Backoff) Fail(key string, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.keys[key]
	if now.Sub(st.last) >= backoffMemory {
		st.failures = 0
	}
	st.failures++
	st.last = now
	b.keys[key] = st
	if len(b.keys) > 100_000 { // a flood of keys: keep only those still waiting
		for k, s := range b.keys {
			if now.Sub(s.last) >= b.delay(s.failures) {
				delete(b.keys, k)
			}
		}
	}
}

// Reset forgets key, e.g. after a successful sign-in.
func (b *Backoff) Reset(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.keys, key)
}

// ResetPrefix forgets every key that starts with prefix, e.g. all the
// addresses an account was guessed from once its owner chose a new
// password.
func (b *Backoff) ResetPrefix(prefix string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k := range b.keys {
		if strings.HasPrefix(k, prefix) {
			delete(b.keys, k)
		}
	}
}
