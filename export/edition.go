package export

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// PublishEdition freezes the published data as the edition name: the JSON
// export of the published scope, with the edition's name, time and data
// version inside, its SHA-256, stored with an audit entry. actor names
// who published it. Before anything is stored, the edition's downloads in
// every format are written from the snapshot, as the site serves them,
// and read back (see CheckEdition): an edition that could not be served
// whole is never published.
//
// That check takes seconds on a large dataset, so the snapshot is made
// and checked outside the write transaction, which only stores it if the
// data version has not moved meanwhile; writers are never held up.
func PublishEdition(ctx context.Context, store vigie.Store, name, actor string, now time.Time) (vigie.Edition, error) {
	for attempt := 1; ; attempt++ {
		e, err := freeze(ctx, store, name, now)
		if err == nil {
			err = store.Update(ctx, func(tx vigie.Tx) error {
				if err := editionNameFree(ctx, tx, name); err != nil {
					return err
				}
				if version, err := tx.DataVersion(ctx); err != nil {
					return err
				} else if version != e.DataVersion {
					return errDataMoved
				}
				if err := tx.SaveEdition(ctx, e); err != nil {
					return err
				}
				return tx.AddAudit(ctx, vigie.AuditEntry{At: e.PublishedAt, Actor: actor, Action: "edition.publish", Target: "edition:" + name,
					Detail: "sha256 " + e.SHA256, Addr: "cli"})
			})
		}
		if err == errDataMoved {
			if attempt < 3 {
				continue
			}
			return vigie.Edition{}, vigie.Errorf(vigie.ECONFLICT, "the data kept changing while the edition %q was being frozen; publish it again in a quieter moment", name)
		}
		return e, err
	}
}

// errDataMoved says that a write landed while an edition was frozen.
var errDataMoved = errors.New("the data changed while the edition was frozen")

func editionNameFree(ctx context.Context, r vigie.Reader, name string) error {
	if _, err := r.Edition(ctx, name); err == nil {
		return vigie.Errorf(vigie.ECONFLICT, "the edition %q exists already; editions never change, choose another name", name)
	} else if !vigie.IsNotFound(err) {
		return err
	}
	return nil
}

// freeze makes and checks the edition's snapshot from the last committed
// data, or returns errDataMoved if a write landed while it read.
func freeze(ctx context.Context, store vigie.Store, name string, now time.Time) (vigie.Edition, error) {
	if err := editionNameFree(ctx, store, name); err != nil {
		return vigie.Edition{}, err
	}
	version, err := store.DataVersion(ctx)
	if err != nil {
		return vigie.Edition{}, err
	}
	ds, err := Build(ctx, store, Options{Scope: ScopePublished})
	if err != nil {
		return vigie.Edition{}, err
	}
	if after, err := store.DataVersion(ctx); err != nil {
		return vigie.Edition{}, err
	} else if after != version {
		return vigie.Edition{}, errDataMoved
	}
	at := now.UTC().Truncate(time.Second)
	ds.Edition = &EditionMeta{Name: name, PublishedAt: at, DataVersion: version}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, ds, nil); err != nil {
		return vigie.Edition{}, err
	}
	e := vigie.Edition{Name: name, PublishedAt: at, DataVersion: version, Snapshot: buf.Bytes(),
		SHA256: vigie.SnapshotDigest(buf.Bytes()), Size: int64(buf.Len())}
	if err := e.Validate(); err != nil {
		return vigie.Edition{}, err
	}
	if err := CheckEdition(e); err != nil {
		return vigie.Edition{}, err
	}
	return e, nil
}

// CheckEdition writes e's downloads in every format from its snapshot,
// as the site and "vigie export --edition" do, and reads each back: each
// must hold exactly the snapshot's data. An error names the format.
func CheckEdition(e vigie.Edition) error {
	ds, err := ReadEdition(e)
	if err != nil {
		return vigie.Errorf(vigie.EINTERNAL, "the edition %q cannot be published: its snapshot does not read back: %v", e.Name, err)
	}
	for _, format := range []string{FormatCSV, FormatXLSX} {
		fail := func(err error) error {
			return vigie.Errorf(vigie.EINTERNAL, "the edition %q cannot be published: its %s download fails: %v", e.Name, format, err)
		}
		var file bytes.Buffer
		if err := Write(&file, format, ds, nil); err != nil {
			return fail(err)
		}
		back, err := Read(e.Name+"."+format, format, file.Bytes(), nil)
		if err != nil {
			return fail(err)
		}
		if at := firstDifference(ds, back); at != "" {
			return fail(fmt.Errorf("%s does not read back as it was written (a character this format cannot hold?)", at))
		}
		var again bytes.Buffer
		if err := WriteJSON(&again, back, nil); err != nil {
			return fail(err)
		}
		if !bytes.Equal(again.Bytes(), e.Snapshot) {
			return fail(fmt.Errorf("it does not read back as the snapshot's data"))
		}
	}
	return nil
}

// firstDifference names the first value that differs between a and b,
// as "news row 1, body", or "" when their tables are the same.
func firstDifference(a, b *Dataset) string {
	for _, t := range tables {
		tab := t.table()
		if n, m := t.count(a), t.count(b); n != m {
			return fmt.Sprintf("%s (%d rows, then %d)", tab.Name, n, m)
		}
		for i := range t.count(a) {
			for j, c := range tab.Columns {
				if formatCell(t.field(a, i, j)) != formatCell(t.field(b, i, j)) {
					return fmt.Sprintf("%s row %d, %s", tab.Name, i+1, c.Name)
				}
			}
		}
	}
	return ""
}

// ReadEdition decodes an edition's frozen snapshot.
func ReadEdition(e vigie.Edition) (*Dataset, error) {
	return ReadJSON(e.Name+".json", e.Snapshot, nil)
}

// Change is one assessment that differs between two datasets.
type Change struct {
	Country, Indicator string
	// Before and After are the ratings; Before is empty for an assessment
	// added, After for one removed.
	Before, After string
}

// Changelog lists how the published assessments of cur differ from those
// of prev: ratings that changed, assessments added and removed, by
// country then indicator. A nil prev makes every assessment added.
type Changelog struct {
	Changed, Added, Removed []Change
}

// Empty reports whether nothing changed.
func (c Changelog) Empty() bool { return len(c.Changed)+len(c.Added)+len(c.Removed) == 0 }

// Compare works out the changelog from prev to cur.
func Compare(prev, cur *Dataset) Changelog {
	before := map[[2]string]string{}
	if prev != nil {
		for _, a := range prev.Assessments {
			before[[2]string{a.Country, a.Indicator}] = a.Rating
		}
	}
	var log Changelog
	seen := map[[2]string]bool{}
	for _, a := range cur.Assessments {
		k := [2]string{a.Country, a.Indicator}
		seen[k] = true
		switch old, ok := before[k]; {
		case !ok:
			log.Added = append(log.Added, Change{a.Country, a.Indicator, "", a.Rating})
		case old != a.Rating:
			log.Changed = append(log.Changed, Change{a.Country, a.Indicator, old, a.Rating})
		}
	}
	if prev != nil {
		for _, a := range prev.Assessments {
			if !seen[[2]string{a.Country, a.Indicator}] {
				log.Removed = append(log.Removed, Change{a.Country, a.Indicator, a.Rating, ""})
			}
		}
	}
	order := func(a, b Change) int {
		return cmp.Or(cmp.Compare(a.Country, b.Country), cmp.Compare(a.Indicator, b.Indicator))
	}
	slices.SortFunc(log.Changed, order)
	slices.SortFunc(log.Added, order)
	slices.SortFunc(log.Removed, order)
	return log
}
