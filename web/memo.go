package web

import (
	"hash/maphash"
	"sync"
)

// memo remembers what a pure function of a text returned, keyed by the
// text's hash and length. Rendering Markdown is such a function, and the
// slowest part of a page after the store: with every indicator assessed,
// a country page renders nine explanations and an indicator page reads
// 249. A remembered result is never stale, since edited text is a new key,
// so pages still show what the store holds at each request.
//
// The memo is bounded: when full it starts over, which is simpler than an
// LRU and costs one round of renders.
type memo[V any] struct {
	seed maphash.Seed
	max  int
	mu   sync.RWMutex
	m    map[memoKey]V
}

type memoKey struct {
	hash uint64
	size int
}

func newMemo[V any](max int) *memo[V] {
	return &memo[V]{seed: maphash.MakeSeed(), max: max, m: make(map[memoKey]V)}
}

// lookup returns what was remembered for text, if anything.
func (c *memo[V]) lookup(text string) (V, bool) {
	k := memoKey{maphash.String(c.seed, text), len(text)}
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

// put remembers v for text.
func (c *memo[V]) put(text string, v V) {
	k := memoKey{maphash.String(c.seed, text), len(text)}
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = v
	c.mu.Unlock()
}

// get returns f(text), computing it only when text is new.
func (c *memo[V]) get(text string, f func(string) V) V {
	k := memoKey{maphash.String(c.seed, text), len(text)}
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = f(text)
	c.mu.Lock()
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = v
	c.mu.Unlock()
	return v
}
