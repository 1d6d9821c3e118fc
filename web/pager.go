package web

import (
	"encoding/base32"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"
)

// The public lists (directory, library, newsroom, /changes) show a page
// at a time; each links to the next with ?after=CURSOR, keeping the other
// parameters. A cursor names its list, the position of the next page's
// first item (for "showing 51–100", and cheap to carry) and the sort key
// of the last item shown, from which the store reads on. It is base32 in
// lower case so that the offline copy, which names files after the
// query in lower case, tells cursors apart.
var cursorEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

type listCursor struct {
	List     string   `json:"l"`
	Position int      `json:"p"` // items before the page (Back: before the key's item)
	Key      []string `json:"k"`
	Back     bool     `json:"b,omitempty"` // the page ends just before the key's item
}

func encodeCursor(c listCursor) string {
	b, _ := json.Marshal(c)
	return strings.ToLower(cursorEncoding.EncodeToString(b))
}

// readCursor reads ?after= for list: ok is false (and the 400 page
// written) when it is there but not a cursor of that list with keys
// fields. No parameter is the first page.
func (s *Server) readCursor(w http.ResponseWriter, r *http.Request, list string, keys int) (c listCursor, ok bool) {
	v := r.URL.Query().Get("after")
	if v == "" {
		return listCursor{List: list}, true
	}
	if len(v) > maxCursor {
		s.badCursor(w, r)
		return c, false
	}
	b, err := cursorEncoding.DecodeString(strings.ToUpper(v))
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.List != list || len(c.Key) != keys || c.Position < 0 || !storableKey(c.Key) {
		s.badCursor(w, r)
		return c, false
	}
	return c, true
}

// maxCursor bounds a cursor's length: the ones pages give out hold a
// sort key of a few fields, far shorter.
const maxCursor = 1024

// storableKey reports whether a cursor's key can go to the store as
// text: valid UTF-8 without NUL (PostgreSQL refuses NUL in text).
func storableKey(key []string) bool {
	for _, k := range key {
		if !utf8.ValidString(k) || strings.IndexByte(k, 0) >= 0 {
			return false
		}
	}
	return true
}

func (s *Server) badCursor(w http.ResponseWriter, r *http.Request) {
	s.badParam(w, r, "after", "%s", tr(r, "badparam.no_cursor"))
}

// listPager is the pager under a list: where the page stands and the
// links to the first, the previous and the next page (empty when there is
// none).
type listPager struct {
	From, To          int // the items shown, counted from 1; To < From when none
	Total             int // the items of the list, when cheap to know; else 0
	First, Prev, Next string
	// The links' messages, when not pager.first, pager.previous and
	// pager.next ("Newest stories", "Newer stories", "Older stories").
	FirstLabel, PrevLabel, NextLabel string
}

// newListPager places a page of n items of list that starts after start
// items; prev and next are the keys of its first and last items when a
// page lies before or after it.
func newListPager(r *http.Request, list string, start, n, size int, prev, next []string) listPager {
	p := listPager{From: start + 1, To: start + n}
	switch {
	case prev != nil && start <= size: // the first page, at its own address
		p.Prev = linkWith(r, "after", "")
	case prev != nil:
		p.Prev = linkWith(r, "after", encodeCursor(listCursor{List: list, Position: start, Key: prev, Back: true}))
	}
	if (prev != nil && start > size) || (n == 0 && r.URL.Query().Get("after") != "") {
		p.First = linkWith(r, "after", "")
	}
	if next != nil {
		p.Next = linkWith(r, "after", encodeCursor(listCursor{List: list, Position: start + n, Key: next}))
	}
	return p
}

// pageOf makes a page of a store read of up to size+1 items after cur's
// key (before it, nearest first, when cur.Back): the items in the list's
// order, how many come before them, and whether pages lie before and
// after.
func pageOf[T any](items []T, size int, cur listCursor) (page []T, start int, hasPrev, hasNext bool) {
	more := len(items) > size
	if more {
		items = items[:size]
	}
	if !cur.Back {
		return items, cur.Position, cur.Key != nil, more
	}
	slices.Reverse(items)
	if start = cur.Position - len(items); !more || start < 0 {
		start = 0
	}
	return items, start, more, len(items) > 0
}

// pageKeys are the cursor keys of a page's first and last items, nil
// where no page lies that way.
func pageKeys[T any](items []T, hasPrev, hasNext bool, key func(T) []string) (prev, next []string) {
	if len(items) == 0 {
		return nil, nil
	}
	if hasPrev {
		prev = key(items[0])
	}
	if hasNext {
		next = key(items[len(items)-1])
	}
	return prev, next
}
