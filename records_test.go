package vigie_test

import (
	"reflect"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// The role × record table of issue 13, finding 1, at the service: a member
// for Mali against Senegal's records, through every create and update.
// Every refused save must leave the stored record as it was.

type recordWorld struct {
	svc                      *vigie.Service
	admin, researcher, mali  vigie.Actor
	snNews, untagged, mlNews vigie.NewsItem
	snOrg, mlOrg             vigie.Organisation
	pub                      vigie.Publication
}

func newRecordWorld(t *testing.T) *recordWorld {
	t.Helper()
	w := &recordWorld{svc: newService(t)}
	w.admin = addUser(t, w.svc, "admin@example.org", vigie.RoleAdmin)
	w.researcher = addUser(t, w.svc, "research@example.org", vigie.RoleResearcher)
	w.mali = addUser(t, w.svc, "acesem@example.org", vigie.RoleMember, "ML")
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	w.snNews = vigie.NewsItem{Slug: "senegal-story", Title: "Senegal story", Date: day, Body: "Dakar.", Countries: []string{"SN"}}
	w.untagged = vigie.NewsItem{Slug: "network-story", Title: "Network story", Date: day, Body: "All of us."}
	w.mlNews = vigie.NewsItem{Slug: "mali-story", Title: "Mali story", Date: day, Body: "Bamako.", Countries: []string{"ML"}}
	for _, n := range []*vigie.NewsItem{&w.snNews, &w.untagged, &w.mlNews} {
		if err := w.svc.SaveNewsItem(ctx, w.admin, "", n); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.svc.SetFeaturedStory(ctx, w.admin, w.untagged.Slug); err != nil {
		t.Fatal(err)
	}
	w.snOrg = vigie.Organisation{Country: "SN", Name: "Groupe Sénégal", Website: "https://sn.example.org"}
	w.mlOrg = vigie.Organisation{Country: "ML", Name: "ACESEM", Acronym: "ACESEM"}
	for _, o := range []*vigie.Organisation{&w.snOrg, &w.mlOrg} {
		if err := w.svc.SaveOrganisation(ctx, w.admin, "", o); err != nil {
			t.Fatal(err)
		}
	}
	w.pub = vigie.Publication{Title: "Checklist Mali", Type: vigie.PubLegalChecklist, Year: 2024, Countries: []string{"ML"}}
	if err := w.svc.SavePublication(ctx, w.researcher, "", &w.pub); err != nil {
		t.Fatal(err)
	}
	return w
}

// unchanged fails the test when a stored record differs from want.
func unchanged[T any](t *testing.T, what string, want T, read func() (T, error)) {
	t.Helper()
	got, err := read()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s changed:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestRefusedSavesChangeNothing(t *testing.T) {
	w := newRecordWorld(t)
	st := w.svc.Store
	news := func(slug string) func() (vigie.NewsItem, error) {
		return func() (vigie.NewsItem, error) { return st.NewsItem(ctx, slug) }
	}
	org := func(slug string) func() (vigie.Organisation, error) {
		return func() (vigie.Organisation, error) { return st.Organisation(ctx, slug) }
	}
	storedNews := map[string]vigie.NewsItem{}
	for _, slug := range []string{w.snNews.Slug, w.untagged.Slug, w.mlNews.Slug} {
		storedNews[slug], _ = st.NewsItem(ctx, slug)
	}
	snOrg, _ := st.Organisation(ctx, w.snOrg.Slug)
	mlOrg, _ := st.Organisation(ctx, w.mlOrg.Slug)
	pub, _ := st.Publication(ctx, w.pub.Slug)

	tests := []struct {
		name string
		save func() error
		want string // error code
	}{
		// Finding 1 as the review wrote it: a create that names a taken slug.
		{"member creates news with Senegal's slug", func() error {
			n := vigie.NewsItem{Slug: w.snNews.Slug, Title: "Mine now", Date: w.snNews.Date, Countries: []string{"ML"}}
			return w.svc.SaveNewsItem(ctx, w.mali, "", &n)
		}, vigie.ECONFLICT},
		{"member creates news with an untagged item's slug", func() error {
			n := vigie.NewsItem{Slug: w.untagged.Slug, Title: "Mine now", Countries: []string{"ML"}}
			return w.svc.SaveNewsItem(ctx, w.mali, "", &n)
		}, vigie.ECONFLICT},
		{"admin creates news with a taken slug", func() error {
			n := vigie.NewsItem{Slug: w.mlNews.Slug, Title: "Another"}
			return w.svc.SaveNewsItem(ctx, w.admin, "", &n)
		}, vigie.ECONFLICT},
		{"member updates Senegal's news", func() error {
			n := storedNews[w.snNews.Slug]
			n.Countries, n.Title = []string{"ML"}, "Retagged"
			return w.svc.SaveNewsItem(ctx, w.mali, w.snNews.Slug, &n)
		}, vigie.EFORBIDDEN},
		{"member updates the untagged featured story", func() error {
			n := storedNews[w.untagged.Slug]
			n.Countries = []string{"ML"}
			return w.svc.SaveNewsItem(ctx, w.mali, w.untagged.Slug, &n)
		}, vigie.EFORBIDDEN},
		{"member retags their own news to Senegal", func() error {
			n := storedNews[w.mlNews.Slug]
			n.Countries = []string{"SN"}
			return w.svc.SaveNewsItem(ctx, w.mali, w.mlNews.Slug, &n)
		}, vigie.EFORBIDDEN},
		{"member renames their news to Senegal's slug", func() error {
			n := storedNews[w.mlNews.Slug]
			n.Slug = w.snNews.Slug
			return w.svc.SaveNewsItem(ctx, w.mali, w.mlNews.Slug, &n)
		}, vigie.ECONFLICT},
		{"member features their own story", func() error {
			return w.svc.SetFeaturedStory(ctx, w.mali, w.mlNews.Slug)
		}, vigie.EFORBIDDEN},
		{"member creates an organisation with Senegal's slug", func() error {
			o := vigie.Organisation{Slug: w.snOrg.Slug, Country: "ML", Name: "New one"}
			return w.svc.SaveOrganisation(ctx, w.mali, "", &o)
		}, vigie.ECONFLICT},
		{"member creates an organisation named as one of theirs", func() error {
			o := vigie.Organisation{Country: "ML", Name: " acesem "}
			return w.svc.SaveOrganisation(ctx, w.mali, "", &o)
		}, vigie.ECONFLICT},
		{"member updates Senegal's organisation", func() error {
			o := snOrg
			o.Country, o.Name = "ML", "Taken"
			return w.svc.SaveOrganisation(ctx, w.mali, w.snOrg.Slug, &o)
		}, vigie.EFORBIDDEN},
		{"member moves their organisation to Senegal", func() error {
			o := mlOrg
			o.Country = "SN"
			return w.svc.SaveOrganisation(ctx, w.mali, w.mlOrg.Slug, &o)
		}, vigie.EFORBIDDEN},
		{"member points their organisation at Senegal's record by ID", func() error {
			o := mlOrg
			o.ID = snOrg.ID // the stored record named by slug decides, not the ID sent
			o.Name = "Overwritten"
			if err := w.svc.SaveOrganisation(ctx, w.mali, w.mlOrg.Slug, &o); err != nil {
				return err
			}
			return w.svc.SaveOrganisation(ctx, w.admin, w.mlOrg.Slug, &mlOrg) // put Mali's back
		}, ""},
		{"researcher creates a publication with a taken slug", func() error {
			p := vigie.Publication{Slug: w.pub.Slug, Title: "Other", Type: vigie.PubResearch, Year: 2020}
			return w.svc.SavePublication(ctx, w.researcher, "", &p)
		}, vigie.ECONFLICT},
		{"researcher creates the same title and year again", func() error {
			p := vigie.Publication{Title: w.pub.Title, Type: vigie.PubResearch, Year: w.pub.Year}
			return w.svc.SavePublication(ctx, w.researcher, "", &p)
		}, vigie.ECONFLICT},
		{"member edits a publication", func() error {
			p := pub
			p.Title = "Mine"
			return w.svc.SavePublication(ctx, w.mali, w.pub.Slug, &p)
		}, vigie.EFORBIDDEN},
		{"a link that runs script", func() error {
			p := pub
			p.Link = "javascript:alert(1)"
			return w.svc.SavePublication(ctx, w.researcher, w.pub.Slug, &p)
		}, vigie.EINVALID},
	}
	for _, tt := range tests {
		err := tt.save()
		if got := vigie.ErrorCode(err); (tt.want == "" && err != nil) || (tt.want != "" && got != tt.want) {
			t.Errorf("%s: %v (code %q), want %q", tt.name, err, got, tt.want)
		}
		for slug, n := range storedNews {
			unchanged(t, tt.name+": news "+slug, n, news(slug))
		}
		unchanged(t, tt.name+": Senegal's organisation", snOrg, org(w.snOrg.Slug))
		unchanged(t, tt.name+": Mali's organisation", mlOrg, org(w.mlOrg.Slug))
		unchanged(t, tt.name+": publication", pub, func() (vigie.Publication, error) { return st.Publication(ctx, w.pub.Slug) })
		if f, err := st.FeaturedStory(ctx); err != nil || f.Slug != w.untagged.Slug {
			t.Errorf("%s: the featured story is now %q (%v)", tt.name, f.Slug, err)
		}
	}
	if err := w.svc.SaveNewsItem(ctx, w.mali, "", &vigie.NewsItem{Slug: "no-tag", Title: "T"}); vigie.ErrorCode(err) != vigie.EINVALID {
		t.Errorf("a member's untagged news: %v", err)
	}
}

func TestAllowedSavesLand(t *testing.T) {
	w := newRecordWorld(t)
	st := w.svc.Store
	n, _ := st.NewsItem(ctx, w.mlNews.Slug)
	n.Title, n.Slug = "Mali story, updated", "mali-story-updated"
	if err := w.svc.SaveNewsItem(ctx, w.mali, w.mlNews.Slug, &n); err != nil {
		t.Fatalf("member editing their own news: %v", err)
	}
	if got, err := st.NewsItem(ctx, "mali-story-updated"); err != nil || got.Title != n.Title || got.ID != w.mlNews.ID {
		t.Errorf("renamed news = %+v, %v", got, err)
	}
	if _, err := st.NewsItem(ctx, w.mlNews.Slug); !vigie.IsNotFound(err) {
		t.Errorf("the old slug still answers: %v", err)
	}
	o, _ := st.Organisation(ctx, w.mlOrg.Slug)
	o.Contacts = []vigie.Contact{{Name: "Awa", Email: "awa@example.org"}}
	if err := w.svc.SaveOrganisation(ctx, w.mali, w.mlOrg.Slug, &o); err != nil {
		t.Fatalf("member editing their own organisation: %v", err)
	}
	if got, _ := st.Organisation(ctx, w.mlOrg.Slug); len(got.Contacts) != 1 || got.ID != w.mlOrg.ID {
		t.Errorf("organisation = %+v", got)
	}
	s, _ := st.Organisation(ctx, w.snOrg.Slug)
	s.Country = "ML"
	if err := w.svc.SaveOrganisation(ctx, w.admin, w.snOrg.Slug, &s); err != nil {
		t.Fatalf("admin moving an organisation: %v", err)
	}
	// Saving what is stored changes nothing and writes no audit entry.
	before, _ := st.AuditLog(ctx, vigie.AuditFilter{})
	same, _ := st.NewsItem(ctx, "mali-story-updated")
	if err := w.svc.SaveNewsItem(ctx, w.mali, same.Slug, &same); err != nil {
		t.Fatal(err)
	}
	if after, _ := st.AuditLog(ctx, vigie.AuditFilter{}); len(after) != len(before) {
		t.Errorf("an unchanged save wrote %d audit entries", len(after)-len(before))
	}
}
