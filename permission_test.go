package vigie

import (
	"fmt"
	"slices"
	"testing"
)

// TestPermissions covers every role × action, for a country the user
// speaks for (ML) and one they do not (SN).
func TestPermissions(t *testing.T) {
	users := map[string]*User{
		"admin":      {ID: 1, Role: RoleAdmin},
		"researcher": {ID: 2, Role: RoleResearcher},
		"reviewer":   {ID: 3, Role: RoleReviewer},
		"member":     {ID: 4, Role: RoleMember, Countries: []string{"ML"}},
		"disabled":   {ID: 5, Role: RoleAdmin, Disabled: true},
		"anonymous":  nil,
	}
	// allowed[action] lists who may act in ML and who may act in SN.
	type who struct{ own, other []string }
	allowed := map[Action]who{
		ActDraftAssessment:  {own: []string{"admin", "researcher"}, other: []string{"admin", "researcher"}},
		ActReviewAssessment: {own: []string{"admin", "reviewer"}, other: []string{"admin", "reviewer"}},
		ActViewDrafts:       {own: []string{"admin", "researcher", "reviewer"}, other: []string{"admin", "researcher", "reviewer"}},
		ActEditSource:       {own: []string{"admin", "researcher"}, other: []string{"admin", "researcher"}},
		ActEditPublication:  {own: []string{"admin", "researcher"}, other: []string{"admin", "researcher"}},
		ActEditNews:         {own: []string{"admin", "researcher", "member"}, other: []string{"admin", "researcher"}},
		ActEditOrganisation: {own: []string{"admin", "member"}, other: []string{"admin"}},
		ActFeatureStory:     {own: []string{"admin"}, other: []string{"admin"}},
		ActManageUsers:      {own: []string{"admin"}, other: []string{"admin"}},
		ActManageFramework:  {own: []string{"admin"}, other: []string{"admin"}},
		ActViewAudit:        {own: []string{"admin"}, other: []string{"admin"}},
		ActTriageReports:    {own: []string{"admin", "researcher"}, other: []string{"admin", "researcher"}},
		ActTranslate:        {own: []string{"admin", "researcher"}, other: []string{"admin", "researcher"}},
	}
	for act, w := range allowed {
		for name, u := range users {
			for country, list := range map[string][]string{"ML": w.own, "SN": w.other} {
				want := slices.Contains(list, name)
				t.Run(fmt.Sprintf("%s/%s/%s", act, name, country), func(t *testing.T) {
					if got := u.Can(act, country); got != want {
						t.Errorf("Can = %v, want %v", got, want)
					}
					err := Authorize(u, act, country)
					switch {
					case want && err != nil:
						t.Errorf("Authorize refused: %v", err)
					case !want && u == nil && ErrorCode(err) != EUNAUTHORIZED:
						t.Errorf("Authorize for nobody = %v, want unauthorized", err)
					case !want && u != nil && ErrorCode(err) != EFORBIDDEN:
						t.Errorf("Authorize = %v, want forbidden", err)
					}
				})
			}
		}
	}
}
