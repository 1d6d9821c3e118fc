package web

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// siteReader is the store as `vigie site` reads it: every answer is kept
// for the length of the crawl. The copy shows one moment of the data, and
// its pages ask the same questions many times over: every directory page
// reads the whole network, and each country is written in three
// languages from the same rows. Writes pass through untouched. The
// history grows with the years and the copy's memory must not: its
// answers are kept up to a number of revisions (siteHistoryRows), and
// read again from the store past that.
type siteReader struct {
	vigie.Store
	answers     sync.Map     // answerKey → *answer
	answerRows  atomic.Int64 // rows kept in answers
	answersFull atomic.Bool  // maxRows reached: new answers are not kept
	maxRows     int64        // siteAnswerRows

	history     sync.Map     // historyKey → []vigie.Revision
	historyRows atomic.Int64 // revisions kept in history
}

// siteHistoryRows is how many revisions of the history the copy keeps in
// all: every answer of the synthetic dataset's 1× (about 30 MB), a small
// part of a longer record's.
const siteHistoryRows = 200_000

// siteAnswerRows is how many rows (assessments, organisations, news
// items…) the other answers keep in all: every answer of the synthetic
// dataset's 1×, a part of a larger network's, whose lists past it are
// read again from the store when a page asks.
const siteAnswerRows = 60_000

// historyKey is a HistoryFilter made comparable: its At list as text.
type historyKey struct {
	country, indicator string
	from, until        time.Time
	changes            bool
	newest, limit      int
	at                 string
}

func (r *siteReader) PublishedRevisions(ctx context.Context, f vigie.HistoryFilter) ([]vigie.Revision, error) {
	k := historyKey{f.Country, f.Indicator, f.From, f.Until, f.RatingChanges, f.Newest, f.Limit, fmt.Sprint(f.At)}
	if v, ok := r.history.Load(k); ok {
		return slices.Clone(v.([]vigie.Revision)), nil
	}
	revs, err := r.Store.PublishedRevisions(ctx, f)
	if err != nil {
		return nil, err
	}
	if r.historyRows.Add(int64(len(revs))) <= siteHistoryRows {
		if _, loaded := r.history.LoadOrStore(k, slices.Clone(revs)); loaded {
			r.historyRows.Add(-int64(len(revs)))
		}
	} else {
		r.historyRows.Add(-int64(len(revs)))
	}
	return revs, nil
}

type answerKey struct {
	method string
	arg    any // a comparable filter, slug or key
}

type answer struct {
	once  sync.Once
	ready atomic.Bool // once has run
	value any
	err   error
}

// remember returns f's result for key, calling f once per key. Slices are
// cloned on the way out, so that a caller that sorts its copy leaves the
// others alone.
func remember[T any](r *siteReader, method string, arg any, f func() ([]T, error)) ([]T, error) {
	key := answerKey{method, arg}
	v, ok := r.answers.Load(key)
	if !ok {
		if r.answersFull.Load() {
			return f()
		}
		v, _ = r.answers.LoadOrStore(key, &answer{})
	}
	a := v.(*answer)
	a.once.Do(func() {
		var list []T
		list, a.err = f()
		a.value = list
		if r.answerRows.Add(int64(len(list))) > r.maxRows {
			// Kept for the readers waiting on it now, then forgotten.
			r.answersFull.Store(true)
			r.answers.Delete(key)
		}
		a.ready.Store(true)
	})
	if a.err != nil {
		return nil, a.err
	}
	return slices.Clone(a.value.([]T)), nil
}

// kept returns the answer remembered for method and arg, if one is.
func kept[T any](r *siteReader, method string, arg any) ([]T, bool) {
	v, ok := r.answers.Load(answerKey{method, arg})
	if !ok || !v.(*answer).ready.Load() || v.(*answer).err != nil {
		return nil, false
	}
	return v.(*answer).value.([]T), true
}

// rememberOne is remember for a single value.
func rememberOne[T any](r *siteReader, method string, arg any, f func() (T, error)) (T, error) {
	list, err := remember(r, method, arg, func() ([]T, error) {
		v, err := f()
		return []T{v}, err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return list[0], nil
}

func (r *siteReader) Indicators(ctx context.Context) ([]vigie.Indicator, error) {
	return remember(r, "Indicators", nil, func() ([]vigie.Indicator, error) { return r.Store.Indicators(ctx) })
}

func (r *siteReader) Ratings(ctx context.Context) ([]vigie.Rating, error) {
	return remember(r, "Ratings", nil, func() ([]vigie.Rating, error) { return r.Store.Ratings(ctx) })
}

func (r *siteReader) Sources(ctx context.Context) ([]vigie.Source, error) {
	return remember(r, "Sources", nil, func() ([]vigie.Source, error) { return r.Store.Sources(ctx) })
}

func (r *siteReader) Assessments(ctx context.Context, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	return remember(r, "Assessments", f, func() ([]vigie.Assessment, error) { return r.Store.Assessments(ctx, f) })
}

func (r *siteReader) AssessmentsAsOf(ctx context.Context, at time.Time, f vigie.AssessmentFilter) ([]vigie.Assessment, error) {
	type key struct {
		at time.Time
		f  vigie.AssessmentFilter
	}
	return remember(r, "AssessmentsAsOf", key{at, f}, func() ([]vigie.Assessment, error) { return r.Store.AssessmentsAsOf(ctx, at, f) })
}

func (r *siteReader) Organisations(ctx context.Context, f vigie.OrganisationFilter) ([]vigie.Organisation, error) {
	return remember(r, "Organisations", f, func() ([]vigie.Organisation, error) { return r.Store.Organisations(ctx, f) })
}

func (r *siteReader) Organisation(ctx context.Context, slug string) (vigie.Organisation, error) {
	return rememberOne(r, "Organisation", slug, func() (vigie.Organisation, error) {
		// The directory may have read the whole network already.
		all, _ := kept[vigie.Organisation](r, "Organisations", vigie.OrganisationFilter{})
		if i := slices.IndexFunc(all, func(o vigie.Organisation) bool { return o.Slug == slug }); i >= 0 {
			return all[i], nil
		}
		return r.Store.Organisation(ctx, slug) // and its error
	})
}

func (r *siteReader) Publications(ctx context.Context, f vigie.PublicationFilter) ([]vigie.Publication, error) {
	return remember(r, "Publications", f, func() ([]vigie.Publication, error) { return r.Store.Publications(ctx, f) })
}

func (r *siteReader) Publication(ctx context.Context, slug string) (vigie.Publication, error) {
	return rememberOne(r, "Publication", slug, func() (vigie.Publication, error) { return r.Store.Publication(ctx, slug) })
}

func (r *siteReader) NewsItems(ctx context.Context, f vigie.NewsFilter) ([]vigie.NewsItem, error) {
	return remember(r, "NewsItems", f, func() ([]vigie.NewsItem, error) { return r.Store.NewsItems(ctx, f) })
}

func (r *siteReader) NewsItem(ctx context.Context, slug string) (vigie.NewsItem, error) {
	return rememberOne(r, "NewsItem", slug, func() (vigie.NewsItem, error) { return r.Store.NewsItem(ctx, slug) })
}

func (r *siteReader) FeaturedStory(ctx context.Context) (vigie.NewsItem, error) {
	return rememberOne(r, "FeaturedStory", nil, func() (vigie.NewsItem, error) { return r.Store.FeaturedStory(ctx) })
}

func (r *siteReader) Translations(ctx context.Context, f vigie.TranslationFilter) ([]vigie.Translation, error) {
	// Keys is a slice: the filter is keyed by its printed form.
	return remember(r, "Translations", fmt.Sprintf("%q", f), func() ([]vigie.Translation, error) { return r.Store.Translations(ctx, f) })
}
