package web

import (
	"context"
	"fmt"
	"testing"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
)

// The copy's reader keeps answers up to its bound and then reads from the
// store, giving the same answers either way.
func TestSiteReaderKeepsAnswersUpToItsBound(t *testing.T) {
	ctx := context.Background()
	st := testdb.SQLite(t)
	err := st.Update(ctx, func(tx vigie.Tx) error {
		for i := range 12 {
			o := &vigie.Organisation{Country: []string{"ML", "SN", "GM"}[i%3], Name: fmt.Sprintf("Group %02d", i)}
			if _, err := vigie.MergeOrganisation(ctx, tx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	r := &siteReader{Store: st, maxRows: 10}
	names := func(list []vigie.Organisation) string {
		var out []string
		for _, o := range list {
			out = append(out, o.Name)
		}
		return fmt.Sprint(out)
	}
	ml, err := r.Organisations(ctx, vigie.OrganisationFilter{Country: "ML"}) // 4 rows: kept
	if err != nil || len(ml) != 4 {
		t.Fatalf("ML: %d organisations, %v", len(ml), err)
	}
	if _, ok := kept[vigie.Organisation](r, "Organisations", vigie.OrganisationFilter{Country: "ML"}); !ok || r.answersFull.Load() {
		t.Fatalf("4 rows of 10: kept %v, full %v", ok, r.answersFull.Load())
	}
	all, err := r.Organisations(ctx, vigie.OrganisationFilter{}) // 12 more: past the bound
	if err != nil || len(all) != 12 {
		t.Fatalf("all: %d organisations, %v", len(all), err)
	}
	if _, ok := kept[vigie.Organisation](r, "Organisations", vigie.OrganisationFilter{}); ok || !r.answersFull.Load() {
		t.Errorf("past the bound: the whole list kept %v, full %v", ok, r.answersFull.Load())
	}
	// Asked again, answers come from the store, and equal the kept ones.
	for _, f := range []vigie.OrganisationFilter{{}, {Country: "SN"}, {Country: "ML"}} {
		got, err := r.Organisations(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := st.Organisations(ctx, f)
		if names(got) != names(want) {
			t.Errorf("Organisations(%+v) = %s, store %s", f, names(got), names(want))
		}
	}
	if _, ok := kept[vigie.Organisation](r, "Organisations", vigie.OrganisationFilter{Country: "SN"}); ok {
		t.Error("an answer was kept after the bound was reached")
	}
	// One organisation by its slug, without the whole network kept.
	o, err := r.Organisation(ctx, all[5].Slug)
	if err != nil || o.Name != all[5].Name {
		t.Errorf("Organisation(%q) = %q, %v", all[5].Slug, o.Name, err)
	}
	if _, err := r.Organisation(ctx, "no-such-group"); vigie.ErrorCode(err) != vigie.ENOTFOUND {
		t.Errorf("an unknown slug: %v", err)
	}
}
