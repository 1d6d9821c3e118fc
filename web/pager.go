package web

import (
	"encoding/base32"
	"encoding/json"
	"net/http"
	"strings"
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
	Position int      `json:"p"` // items before the page
	Key      []string `json:"k"`
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
	b, err := cursorEncoding.DecodeString(strings.ToUpper(v))
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.List != list || len(c.Key) != keys || c.Position < 0 {
		s.badCursor(w, r)
		return c, false
	}
	return c, true
}

func (s *Server) badCursor(w http.ResponseWriter, r *http.Request) {
	s.badParam(w, r, "after", "%s", tr(r, "badparam.no_cursor"))
}

// listPager is the pager under a list: where the page stands and the
// links to the first and the next page (empty when there is none).
type listPager struct {
	From, To int // the items shown, counted from 1; To < From when none
	Total    int // the items of the list, when cheap to know; else 0
	First    string
	Next     string
	// FirstLabel and NextLabel are the links' messages, when not
	// pager.first and pager.next ("Newer stories", "Older stories").
	FirstLabel, NextLabel string
}

// newListPager places a page of n items after cur, linking to the next
// page when next is a key.
func newListPager(r *http.Request, cur listCursor, n int, next []string) listPager {
	p := listPager{From: cur.Position + 1, To: cur.Position + n}
	if r.URL.Query().Get("after") != "" {
		p.First = linkWith(r, "after", "")
	}
	if next != nil {
		p.Next = linkWith(r, "after", encodeCursor(listCursor{List: cur.List, Position: cur.Position + n, Key: next}))
	}
	return p
}
