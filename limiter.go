package vigie

import (
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
