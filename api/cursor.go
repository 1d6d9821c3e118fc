package api

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// Lists come in pages of ?limit= items (default 100, at most 500). The
// response's "next" link, repeated in a Link header, carries an opaque
// cursor: the sort key of the last item given, so that a page starts
// where the previous one ended even if items were added in between.
const (
	defaultLimit = 100
	maxLimit     = 500
)

type pageRequest struct {
	list  string // which list the cursor belongs to
	limit int
	after string // sort key of the last item already given; "" for the first page
}

type page[T any] struct {
	Items []T     `json:"items"`
	Next  *string `json:"next"` // null on the last page
}

// maxCursor bounds a cursor's length: the ones given out are a sort key
// of a few fields, far shorter.
const maxCursor = 1024

// pagingParams are the query parameters every list takes.
var pagingParams = []string{"limit", "cursor"}

func parsePage(r *http.Request, list string) (pageRequest, error) {
	p := pageRequest{list: list, limit: defaultLimit}
	q := r.URL.Query()
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxLimit {
			return p, vigie.FieldError("limit", "must be a whole number from 1 to %d, not %q", maxLimit, v)
		}
		p.limit = n
	}
	if v := q.Get("cursor"); v != "" {
		if len(v) > maxCursor {
			return p, vigie.FieldError("cursor", "is not a cursor this API gave out; start again without it")
		}
		raw, err := base64.RawURLEncoding.DecodeString(v)
		name, after, ok := strings.Cut(string(raw), "\n")
		if err != nil || !ok || after == "" {
			return p, vigie.FieldError("cursor", "is not a cursor this API gave out; start again without it")
		}
		if name != list {
			return p, vigie.FieldError("cursor", "belongs to the %s list, not to %s", name, list)
		}
		p.after = after
	}
	return p, nil
}

func encodeCursor(list, key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(list + "\n" + key))
}

// cut returns the page of items, which must be sorted by key(i), and the
// address of the next page (nil on the last one). It sets the Link header.
func cut[T any](w http.ResponseWriter, r *http.Request, p pageRequest, items []T, key func(i int) string) page[T] {
	start := 0
	if p.after != "" {
		start = sort.Search(len(items), func(i int) bool { return key(i) > p.after })
	}
	end := min(start+p.limit, len(items))
	out := page[T]{Items: items[start:end]}
	if out.Items == nil {
		out.Items = []T{}
	}
	if end < len(items) {
		q := r.URL.Query()
		q.Set("cursor", encodeCursor(p.list, key(end-1)))
		q.Set("limit", strconv.Itoa(p.limit))
		next := r.URL.Path + "?" + q.Encode()
		out.Next = &next
		w.Header().Set("Link", "<"+next+`>; rel="next"`)
	}
	return out
}

// pageFrom is cut for a list the store read a page of: items holds up to
// p.limit+1 items from just after the cursor, the one past the page
// telling whether a next page exists.
func pageFrom[T any](w http.ResponseWriter, r *http.Request, p pageRequest, items []T, key func(T) string) page[T] {
	out := page[T]{Items: items[:min(p.limit, len(items))]}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) > p.limit {
		q := r.URL.Query()
		q.Set("cursor", encodeCursor(p.list, key(items[p.limit-1])))
		q.Set("limit", strconv.Itoa(p.limit))
		next := r.URL.Path + "?" + q.Encode()
		out.Next = &next
		w.Header().Set("Link", "<"+next+`>; rel="next"`)
	}
	return out
}
