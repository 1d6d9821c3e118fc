package web

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/internal/testdb"
)

// Finding 1 of issue 13, for every create and update route of the forms:
// a member for Mali may not reach Senegal's records — by creating one with
// the slug of Senegal's, by its address, by retagging their own to Senegal
// or Senegal's to Mali — and the stored record stays as it was; what each
// role may do still saves. TestEveryAPIWriteChecksTheRecordsCountry is
// the API's half.

const senegalNews = "dakar-forum"

// seedSenegal gives Senegal a news item and an organisation, through the
// service as the admin of newHostileSite.
func seedSenegal(t *testing.T, e *editorsSite) (orgID string) {
	t.Helper()
	ctx := context.Background()
	boss, err := e.st.UserByEmail(ctx, "boss@example.org")
	if err != nil {
		t.Fatal(err)
	}
	admin := vigie.Actor{User: &boss}
	n := &vigie.NewsItem{Slug: senegalNews, Title: "A forum in Dakar", Date: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC),
		Summary: "Advocates met in Dakar.", Countries: []string{"SN"}}
	if err := e.svc.SaveNewsItem(ctx, admin, "", n); err != nil {
		t.Fatal(err)
	}
	o := &vigie.Organisation{Country: "SN", Name: "Réseau sénégalais pour l’enfance", Acronym: "RSE", OfficeCity: "Dakar"}
	if err := e.svc.SaveOrganisation(ctx, admin, "", o); err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(o.ID, 10)
}

func TestEveryFormChecksTheRecordsCountry(t *testing.T) {
	for _, db := range testdb.Stores() {
		t.Run(db.Name, func(t *testing.T) {
			h := newHostileSite(t, db.Open(t))
			snOrg := seedSenegal(t, h.editorsSite)
			ctx := context.Background()
			// Mali's own news item, the member's.
			mine := url.Values{"title": {"Training in Bamako"}, "slug": {"bamako-training"}, "date": {"2025-02-10"},
				"summary": {"Hotel staff learnt to report exploitation."}, "countries": {"ML"}, "action": {"save"}}
			if res, body := h.clients["member"].post("/edit/news/new", mine); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("the member's own news: %d\n%s", res.StatusCode, excerpt(body))
			}
			news := func(slug, countries string) url.Values {
				return url.Values{"title": {"Taken over"}, "slug": {slug}, "date": {"2025-03-01"}, "summary": {"Rewritten."},
					"body": {"Rewritten."}, "countries": {countries}, "action": {"save"}}
			}
			org := func(country string) url.Values {
				return url.Values{"country": {country}, "name": {"Taken over"}, "office_city": {"Elsewhere"}, "contacts": {"0"}}
			}
			pub := url.Values{"title": {"Taken over"}, "type": {vigie.PubResearch}, "year": {"2021"}, "countries": {"SN"}}
			refused := []int{http.StatusForbidden, http.StatusConflict}
			saved := []int{http.StatusSeeOther}
			for _, tt := range []struct {
				name, user, path string
				form             url.Values
				want             []int
			}{
				// (a) create with the slug of Senegal's record
				{"member creates news with Senegal's slug", "member", "/edit/news/new", news(senegalNews, "ML"), refused},
				{"researcher creates news with Senegal's slug", "researcher", "/edit/news/new", news(senegalNews, "SN"), refused},
				{"admin creates news with the featured story's slug", "admin", "/edit/news/new", news(featuredSlug, ""), refused},
				{"member creates an organisation for Senegal", "member", "/edit/organisations/new", org("SN"), refused},
				{"member creates a publication", "member", "/edit/publications/new", pub, refused},
				// (b) update Senegal's record by its address
				{"member edits Senegal's news", "member", "/edit/news/" + senegalNews, news(senegalNews, "SN"), refused},
				{"member edits Senegal's organisation", "member", "/edit/organisations/" + snOrg, org("SN"), refused},
				{"member edits a publication", "member", "/edit/publications/" + h.pubID, pub, refused},
				{"member features a story", "member", "/edit/featured", url.Values{"slug": {"bamako-training"}}, refused},
				{"member drafts Senegal's assessment", "member", "/edit/countries/senegal/age-of-consent",
					url.Values{"rating": {vigie.RatingYes}, "action": {"draft"}}, refused},
				{"member sweeps Senegal", "member", "/edit/indicators/age-of-consent",
					url.Values{"country": {"SN"}, "rating": {vigie.RatingYes}, "action": {"draft"}}, refused},
				{"member translates Senegal's news", "member", "/edit/translations/fr/news/" + senegalNews,
					url.Values{"title": {"Repris"}}, refused},
				{"researcher edits Senegal's organisation", "researcher", "/edit/organisations/" + snOrg, org("SN"), refused},
				{"reviewer edits Senegal's news", "reviewer", "/edit/news/" + senegalNews, news(senegalNews, "SN"), refused},
				// (c) retag their own record to Senegal
				{"member retags their news to Senegal", "member", "/edit/news/bamako-training", news("bamako-training", "SN"), refused},
				{"member retags their news to Mali and Senegal", "member", "/edit/news/bamako-training", news("bamako-training", "ML, SN"), refused},
				{"member moves their organisation to Senegal", "member", "/edit/organisations/" + h.orgID, org("SN"), refused},
				{"member renames their news to Senegal's slug", "member", "/edit/news/bamako-training", news(senegalNews, "ML"), refused},
				// (d) retag Senegal's record to Mali
				{"member retags Senegal's news to Mali", "member", "/edit/news/" + senegalNews, news(senegalNews, "ML"), refused},
				{"member moves Senegal's organisation to Mali", "member", "/edit/organisations/" + snOrg, org("ML"), refused},
			} {
				beforeNews, _ := h.st.NewsItem(ctx, senegalNews)
				beforeOrgs, _ := h.st.Organisations(ctx, vigie.OrganisationFilter{})
				before := storeState(t, h.st)
				res, body := h.clients[tt.user].post(tt.path, tt.form)
				if !slices.Contains(tt.want, res.StatusCode) {
					t.Errorf("%s: %d, want one of %v\n%s", tt.name, res.StatusCode, tt.want, excerpt(body))
				}
				afterNews, _ := h.st.NewsItem(ctx, senegalNews)
				afterOrgs, _ := h.st.Organisations(ctx, vigie.OrganisationFilter{})
				if !reflect.DeepEqual(beforeNews, afterNews) || !reflect.DeepEqual(beforeOrgs, afterOrgs) {
					t.Errorf("%s: a stored record changed", tt.name)
				}
				if storeState(t, h.st) != before {
					t.Errorf("%s: the store changed", tt.name)
				}
				if res.StatusCode == http.StatusConflict {
					if !fieldMarked(body, "slug") {
						t.Errorf("%s: the conflict does not come back at the slug field\n%s", tt.name, excerpt(body))
					}
				}
			}

			// What each role may do still saves.
			for _, tt := range []struct {
				name, user, path string
				form             url.Values
			}{
				{"member edits their news", "member", "/edit/news/bamako-training", news("bamako-training", "ML")},
				{"member edits their organisation", "member", "/edit/organisations/" + h.orgID, org("ML")},
				{"researcher edits Senegal's news", "researcher", "/edit/news/" + senegalNews, news(senegalNews, "SN")},
				{"researcher edits a publication", "researcher", "/edit/publications/" + h.pubID, pub},
				{"admin edits Senegal's organisation", "admin", "/edit/organisations/" + snOrg, org("SN")},
				{"admin retags Senegal's news", "admin", "/edit/news/" + senegalNews, news(senegalNews, "SN, ML")},
			} {
				if res, body := h.clients[tt.user].post(tt.path, tt.form); !slices.Contains(saved, res.StatusCode) {
					t.Errorf("%s: %d, want it saved\n%s", tt.name, res.StatusCode, excerpt(body))
				}
			}
			if n, err := h.st.NewsItem(ctx, senegalNews); err != nil || !slices.Equal(n.Countries, []string{"ML", "SN"}) {
				t.Errorf("Senegal's news after the admin's save: %+v, %v", n, err)
			}
		})
	}
}

// A create that takes a stored record's slug or name is a conflict: the
// form comes back, 409, with the message at the field that clashes, and
// nothing is written.
func TestATakenSlugOrNameComesBackAtItsField(t *testing.T) {
	h := newHostileSite(t, testdb.SQLite(t))
	for _, tt := range []struct {
		name, user, path, field string
		form                    url.Values
	}{
		{"news", "researcher", "/edit/news/new", "slug",
			url.Values{"title": {"Another story"}, "slug": {featuredSlug}, "countries": {"ML"}, "action": {"save"}}},
		{"organisation", "member", "/edit/organisations/new", "name",
			url.Values{"country": {"ML"}, "name": {"association contre l’exploitation sexuelle des enfants au mali"}, "contacts": {"0"}}},
		{"publication", "researcher", "/edit/publications/new", "title",
			url.Values{"title": {"Mali – Country Monitoring Report"}, "type": {vigie.PubCountryReport}, "year": {"2017"}}},
		{"user", "admin", "/edit/users", "email",
			url.Values{"email": {"ana@example.org"}, "name": {"Ana Again"}, "role": {"researcher"}}},
	} {
		before := storeState(t, h.st)
		res, body := h.clients[tt.user].post(tt.path, tt.form)
		if res.StatusCode != http.StatusConflict || !fieldMarked(body, tt.field) {
			t.Errorf("%s: %d, field %s marked: %v\n%s", tt.name, res.StatusCode, tt.field, fieldMarked(body, tt.field), excerpt(body))
		}
		if storeState(t, h.st) != before {
			t.Errorf("%s: the store changed", tt.name)
		}
	}
}
