package web

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// The history of one assessment. The public sees every published change
// with its date and a diff against the version it replaced; editors also
// see drafts, submitted and returned revisions, their authors and reasons,
// and researchers can revert to an earlier published revision (as a new
// revision, which is reviewed like any other).

type historyPage struct {
	editorChrome
	Country   countryLink
	Indicator indicatorSummary
	Current   ratingView
	Value     string
	AsOf      string
	Published int // the revision the public sees; 0 if none
	Latest    int // the newest revision in any state: the base of a revert
	Editor    bool
	CanEdit   bool
	Entries   []historyEntry
	Message   string
	Failed    bool
	// Long histories come in pages, newest first.
	Page, Pages  int
	Newer, Older string // addresses of the next pages; empty at either end
}

// historyPageSize is how many revisions a page of history shows: an
// assessment revised for years would otherwise be one page of hundreds of
// diffs, too heavy for a phone.
const historyPageSize = 20

// historyShownWhole is how long two texts shown replaced may be for the
// diff to repeat them; the page has each revision's full text anyway.
const historyShownWhole = 16 << 10

// historyDiffBudget bounds the time a page of history spends comparing
// texts (diff.go).
const historyDiffBudget = 300 * time.Millisecond

// historyPageAsked is the page of history that q asks for: ?rev=N is
// the page holding revision N (position says where N stands in the
// display order, if it is listed), as timelines link it, and ?page=K the
// K-th page. ok is false for a page that cannot exist; one past the end
// is for the caller to find.
func historyPageAsked(q url.Values, position func(number int) (int, bool, error)) (page int, ok bool, err error) {
	if n, err := strconv.Atoi(q.Get("rev")); err == nil {
		i, listed, err := position(n)
		if err != nil || !listed {
			return 1, true, err
		}
		return i/historyPageSize + 1, true, nil
	}
	if !q.Has("page") {
		return 1, true, nil
	}
	p, err := strconv.Atoi(q.Get("page"))
	return p, err == nil && p >= 1, nil
}

// historyPages is how many pages total revisions fill.
func historyPages(total int) int { return max(1, (total+historyPageSize-1)/historyPageSize) }

// revisionLink is the address of revision n in an assessment's history.
func revisionLink(history string, n int) string {
	return history + "?rev=" + strconv.Itoa(n) + "#rev-" + strconv.Itoa(n)
}

type historyEntry struct {
	Anchor        string
	Number        int
	State         string
	PublishedAt   dateTimeView
	CreatedAt     dateTimeView
	Author        string // editors only, like the three below
	Reason        string
	Reviewer      string
	ReviewComment string
	ComparedWith  int // the revision the diff starts from; 0: the unassessed state
	Diff          revisionDiff
	Text          template.HTML // the explanation as published
	Current       bool
	CanRevert     bool
}

func historyPath(c vigie.Country, key string) string {
	return "/countries/" + c.Slug + "/" + key + "/history"
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	c, ind, ok := s.assessmentTarget(w, r)
	if !ok {
		return
	}
	msg := ""
	if n, err := strconv.Atoi(r.URL.Query().Get("reverted")); err == nil {
		msg = tr(r, "revert.done", "Number", strconv.Itoa(n))
	}
	s.renderHistory(w, r, c, ind, http.StatusOK, msg)
}

// renderHistory shows the history; a status other than 200 marks msg as a
// failure.
func (s *Server) renderHistory(w http.ResponseWriter, r *http.Request, c vigie.Country, ind vigie.Indicator, status int, msg string) {
	ctx := r.Context()
	u := userFrom(ctx)
	// An assessment whose history was costly to show is known: when no
	// slot is free, say so before reading its long texts again.
	costlyKey := c.ISO2 + "/" + ind.Key
	_, knownCostly := s.costlyHistories.Load(costlyKey)
	if knownCostly {
		release, ok := s.takeCostlyPage(w, r, costlyPageBytes+1)
		if !ok {
			return
		}
		defer release()
	}
	published, err := s.store.Assessment(ctx, c.ISO2, ind.Key)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ratings, err := s.store.Ratings(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sc := newScale(ratings)
	page := historyPage{
		editorChrome: chrome(u),
		Country:      countryLink{Slug: c.Slug, Name: c.Name(langOf(ctx))},
		Indicator:    indicatorSummary{Key: ind.Key, Name: ind.Name},
		Current:      sc.view(published.Rating), Value: formatValueIn(langOf(ctx), ind.ValueKind, published.Value),
		AsOf: asOfIn(langOf(ctx), published.AsOf), Published: published.Revision,
		Editor:  u.Can(vigie.ActViewDrafts, c.ISO2),
		CanEdit: u.Can(vigie.ActDraftAssessment, c.ISO2),
		Message: msg, Failed: status != http.StatusOK,
	}
	// Each published revision is compared with the one published before
	// it, in the order they were published; unpublished work (shown to
	// editors) with what its author started from.
	before := map[int]vigie.Revision{} // published revision → the one it replaced
	byNumber := map[int]vigie.Revision{}
	var shown []vigie.Revision
	q := r.URL.Query()
	if page.Editor || page.CanEdit {
		w.Header().Set("Cache-Control", "no-store")
		// Editors see every revision, newest first, from the whole history.
		revs, err := s.store.Revisions(ctx, c.ISO2, ind.Key)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(revs) > 0 {
			page.Latest = revs[0].Number
		}
		var pubs []vigie.Revision
		for _, rev := range revs {
			byNumber[rev.Number] = rev
			if rev.State == vigie.RevisionPublished {
				pubs = append(pubs, rev)
			}
		}
		slices.SortStableFunc(pubs, func(a, b vigie.Revision) int {
			return cmp.Or(a.PublishedAt.Compare(b.PublishedAt), cmp.Compare(a.Number, b.Number))
		})
		for i := 1; i < len(pubs); i++ {
			before[pubs[i].Number] = pubs[i-1]
		}
		n, ok, _ := historyPageAsked(q, func(number int) (int, bool, error) {
			i := slices.IndexFunc(revs, func(r vigie.Revision) bool { return r.Number == number })
			return i, i >= 0, nil
		})
		page.Page, page.Pages = n, historyPages(len(revs))
		if !ok || n > page.Pages {
			s.notFound(w, r)
			return
		}
		from := (n - 1) * historyPageSize
		shown = revs[from:min(len(revs), from+historyPageSize)]
	} else {
		// The public reads one page of the published revisions, and the
		// one published before the page's oldest, to compare it with.
		n, ok, err := historyPageAsked(q, func(number int) (int, bool, error) {
			return s.store.PublishedPosition(ctx, c.ISO2, ind.Key, number)
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			s.notFound(w, r)
			return
		}
		revs, total, err := s.store.PublishedHistory(ctx, c.ISO2, ind.Key, (n-1)*historyPageSize, historyPageSize+1)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page.Page, page.Pages = n, historyPages(total)
		if n > page.Pages {
			s.notFound(w, r)
			return
		}
		for i := 0; i+1 < len(revs); i++ {
			before[revs[i].Number] = revs[i+1]
		}
		shown = revs[:min(len(revs), historyPageSize)]
	}
	unassessed := vigie.Unassessed(c.ISO2, ind.Key)
	// A page of twenty long revisions must not hold a processor for long:
	// past the page's budget, texts are shown replaced.
	stop := time.Now().Add(historyDiffBudget)
	busy := false

	entry := func(rev vigie.Revision) historyEntry {
		e := historyEntry{Anchor: "rev-" + strconv.Itoa(rev.Number), Number: rev.Number, State: rev.State,
			PublishedAt: newDateTime(rev.PublishedAt), CreatedAt: newDateTime(rev.CreatedAt),
			Text: s.explanation.HTML(rev.Content.Explanation), Current: rev.Number == published.Revision}
		old := unassessed
		if rev.State == vigie.RevisionPublished {
			if prev, ok := before[rev.Number]; ok {
				old, e.ComparedWith = prev.Content, prev.Number
			}
		} else if base, ok := byNumber[rev.Base]; ok {
			// Unpublished work is compared with what its author started from.
			old, e.ComparedWith = base.Content, base.Number
		}
		e.Diff = diffAssessmentsBy(old, rev.Content, ind.ValueKind, sc, stop)
		if e.Diff.TextReplaced == replacedBusy {
			busy = true
		}
		if e.Diff.TextReplaced != "" && len(old.Explanation)+len(rev.Content.Explanation) > historyShownWhole {
			// Each revision's full text is on the page already: a long
			// replaced text is not repeated in the diff.
			e.Diff.Text = nil
		}
		if page.Editor || page.CanEdit {
			e.Author, e.Reason, e.Reviewer, e.ReviewComment = rev.Author, rev.Reason, rev.Reviewer, rev.ReviewComment
		}
		e.CanRevert = page.CanEdit && rev.State == vigie.RevisionPublished && !e.Current
		return e
	}
	here := historyPath(c, ind.Key)
	if page.Page > 1 {
		page.Newer = here + "?page=" + strconv.Itoa(page.Page-1)
	}
	if page.Page < page.Pages {
		page.Older = here + "?page=" + strconv.Itoa(page.Page+1)
	}
	// The texts this page shows: each revision and the one it is compared with.
	textBytes := 0
	for _, rev := range shown {
		textBytes += 2 * len(rev.Content.Explanation)
	}
	if textBytes > costlyPageBytes && !knownCostly {
		s.costlyHistories.Store(costlyKey, true)
		release, ok := s.takeCostlyPage(w, r, textBytes)
		if !ok {
			return
		}
		defer release()
	}
	for _, rev := range shown {
		page.Entries = append(page.Entries, entry(rev))
	}
	if busy {
		// Texts left uncompared for want of time: this page is not the
		// one to keep in the page cache.
		w.Header().Set("Cache-Control", "no-store")
	}
	s.render(w, r, status, "history", layout{Title: tr(r, "history.title", "Indicator", ind.Name, "Country", page.Country.Name), Page: page})
}
