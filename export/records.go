package export

import (
	"cmp"
	"context"
	"errors"
	"slices"

	vigie "github.com/vigie-network/vigie"
)

// These read the tables of an Opened file again, as the domain's records,
// a batch at a time, for imports. Each record keeps its location, so that
// problems found later can still name their place in the file (At).

// Record is a record of the file and where it is: Opened.At names the
// place of one of its columns.
type Record[T any] struct {
	Loc   int
	Value T
}

// follower reads a table whose rows belong to rows of another (contacts
// to organisations…) in step with them, when the file lists them in
// their owners' order (Open checked it); the rows of each owner are
// next in the file.
type follower[T any] struct {
	o     *Opened
	t     tableDef
	ds    *Dataset
	cur   tableCursor
	rows  func(*Dataset) []T
	owner func(T) string
	next  int
	ended bool
}

func newFollower[T any](o *Opened, table string, rows func(*Dataset) []T, owner func(T) string) (*follower[T], error) {
	f := &follower[T]{o: o, t: tableNamed(table), ds: o.chunk(), rows: rows, owner: owner}
	cur, ps := o.file.table(f.ds, f.t)
	if cur == nil {
		return nil, ps
	}
	f.cur = cur
	return f, nil
}

// of returns the rows of owner, which are next.
func (f *follower[T]) of(owner string) ([]T, error) {
	var out []T
	for !f.ended {
		rows := f.rows(f.ds)
		if f.next == len(rows) {
			f.cur.clear(f.ds)
			f.next = 0
			n, _, err := f.cur.next(f.ds, historyChunk)
			if err != nil {
				return out, err
			}
			f.ended = n == 0
			continue
		}
		if f.owner(rows[f.next]) != owner {
			break
		}
		out = append(out, rows[f.next])
		f.next++
	}
	return out, nil
}

// batches reads the rows of table again, calling fn with at most n
// records at a time, each made by record from the chunk holding its row
// at i. The slice is reused from one call to the next.
func batches[T any](o *Opened, table string, n int, record func(ds *Dataset, i int) (T, error), fn func([]Record[T]) error) error {
	batch := make([]Record[T], 0, n)
	err := o.each(tableNamed(table), func(ds *Dataset, i int) error {
		v, err := record(ds, i)
		if err != nil {
			return err
		}
		batch = append(batch, Record[T]{Loc: ds.locate(table, i), Value: v})
		if len(batch) < n {
			return nil
		}
		err = fn(batch)
		clear(batch)
		batch = batch[:0]
		return err
	})
	if err == nil && len(batch) > 0 {
		err = fn(batch)
	}
	return err
}

// EachSource calls fn with every source of the file, in file order.
func (o *Opened) EachSource(fn func(Record[vigie.Source]) error) error {
	return o.sources.each(func(src Source, loc int) error {
		return fn(Record[vigie.Source]{Loc: loc, Value: src.domain()})
	})
}

// EachStoredSource calls fn with each source of the file that r stores
// already (the same kind, folded title, year and status), and the stored
// one. When the file lists its sources in the order of their keys, as
// exports do, the file's and r's are read side by side in that order
// (Reader.EachSource), so that neither is held; otherwise r's sources are
// held while the file's are read. fn must not use r.
func (o *Opened) EachStoredSource(ctx context.Context, r vigie.Reader, fn func(rec Record[vigie.Source], stored vigie.Source) error) error {
	if !o.sourcesInOrder {
		stored, err := r.Sources(ctx)
		if err != nil {
			return err
		}
		byKey := make(map[sourceKey]vigie.Source, len(stored))
		for _, x := range stored {
			byKey[keyOf(x)] = x
		}
		return o.EachSource(func(rec Record[vigie.Source]) error {
			if x, ok := byKey[keyOf(rec.Value)]; ok {
				return fn(rec, x)
			}
			return nil
		})
	}
	next := o.sources.reader()
	var rec Record[vigie.Source]
	var key sourceKey
	more := true
	advance := func() error {
		src, loc, ok, err := next()
		rec, more = Record[vigie.Source]{Loc: loc, Value: src.domain()}, ok
		key = keyOf(rec.Value)
		return err
	}
	if err := advance(); err != nil {
		return err
	}
	err := r.EachSource(ctx, func(x vigie.Source) error {
		if !more {
			return errSourcesDone // the stored ones past the file's last
		}
		stored := keyOf(x)
		for more && compareKeys(key, stored) < 0 {
			if err := advance(); err != nil {
				return err
			}
		}
		if more && key == stored {
			if err := fn(rec, x); err != nil {
				return err
			}
			return advance()
		}
		return nil
	})
	if err == errSourcesDone {
		return nil
	}
	return err
}

var errSourcesDone = errors.New("no more sources in the file")

// Organisations calls fn with the organisations of the file, with their
// contacts in order, at most n at a time.
func (o *Opened) Organisations(n int, fn func([]Record[vigie.Organisation]) error) error {
	contactsOf := func(slug string) ([]Contact, error) { return o.contacts[slug], nil }
	if o.contacts == nil {
		f, err := newFollower(o, "contacts", func(ds *Dataset) []Contact { return ds.Contacts }, func(c Contact) string { return c.Organisation })
		if err != nil {
			return err
		}
		contactsOf = f.of
	}
	return batches(o, "organisations", n, func(ds *Dataset, i int) (vigie.Organisation, error) {
		r := ds.Organisations[i]
		org, _ := r.domain()
		list, err := contactsOf(r.Slug)
		if err != nil {
			return org, err
		}
		slices.SortFunc(list, func(a, b Contact) int { return cmp.Compare(a.Position, b.Position) })
		for _, c := range list {
			org.Contacts = append(org.Contacts, vigie.Contact{Name: c.Name, Title: c.Title, Phone: c.Phone, Email: c.Email, Address: c.Address})
		}
		return org, nil
	}, fn)
}

// countriesOf returns what reads the countries of each owner of table
// (publication_countries, news_countries): from held when the file does
// not list them in their owners' order, else in step with the owners.
func countriesOf[T any](o *Opened, held map[string][]string, table string, rows func(*Dataset) []T, owner func(T) string, country func(T) string) (func(string) ([]string, error), error) {
	if held != nil {
		return func(slug string) ([]string, error) { return sorted(slices.Clone(held[slug])), nil }, nil
	}
	f, err := newFollower(o, table, rows, owner)
	if err != nil {
		return nil, err
	}
	return func(slug string) ([]string, error) {
		list, err := f.of(slug)
		var out []string
		for _, r := range list {
			out = append(out, country(r))
		}
		return sorted(out), err
	}, nil
}

// Publications calls fn with the publications of the file, with their
// countries, at most n at a time.
func (o *Opened) Publications(n int, fn func([]Record[vigie.Publication]) error) error {
	countries, err := countriesOf(o, o.pubCountries, "publication_countries", func(ds *Dataset) []PublicationCountry { return ds.PublicationCountries },
		func(r PublicationCountry) string { return r.Publication }, func(r PublicationCountry) string { return r.Country })
	if err != nil {
		return err
	}
	return batches(o, "publications", n, func(ds *Dataset, i int) (vigie.Publication, error) {
		p := ds.Publications[i].domain()
		var err error
		p.Countries, err = countries(p.Slug)
		return p, err
	}, fn)
}

// News calls fn with the news items of the file, with their countries,
// at most n at a time; the featured one is Opened.Featured.
func (o *Opened) News(n int, fn func([]Record[vigie.NewsItem]) error) error {
	countries, err := countriesOf(o, o.newsCountries, "news_countries", func(ds *Dataset) []NewsCountry { return ds.NewsCountries },
		func(r NewsCountry) string { return r.News }, func(r NewsCountry) string { return r.Country })
	if err != nil {
		return err
	}
	return batches(o, "news", n, func(ds *Dataset, i int) (vigie.NewsItem, error) {
		item, _ := ds.News[i].domain()
		var err error
		item.Countries, err = countries(ds.News[i].Slug)
		return item, err
	}, fn)
}

// Translations calls fn with the translations of the file, in file
// order, at most n at a time.
func (o *Opened) Translations(n int, fn func([]Record[vigie.Translation]) error) error {
	return batches(o, "translations", n, func(ds *Dataset, i int) (vigie.Translation, error) {
		return ds.Translations[i].domain(), nil
	}, fn)
}
