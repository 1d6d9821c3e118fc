package vigie

// Action is something a signed-in user asks to do. Every write checks one.
type Action string

const (
	ActDraftAssessment  Action = "draft-assessment"  // save or submit a draft
	ActReviewAssessment Action = "review-assessment" // publish or return someone else's draft
	ActViewDrafts       Action = "view-drafts"       // see drafts, authors and reasons
	ActEditSource       Action = "edit-source"       // laws and publications cited
	ActEditPublication  Action = "edit-publication"  // the reports library
	ActEditNews         Action = "edit-news"         // news items
	ActEditOrganisation Action = "edit-organisation" // organisations and their contacts
	ActFeatureStory     Action = "feature-story"     // choose the site-wide featured story
	ActManageUsers      Action = "manage-users"      // add and disable users
	ActManageFramework  Action = "manage-framework"  // indicators and the rating scale
	ActViewAudit        Action = "view-audit"        // the audit log
	ActTriageReports    Action = "triage-reports"    // read movement reports, open drafts from them
	ActTranslate        Action = "translate"         // translate content into French and Spanish
)

// Can reports whether u may do act on something in country ("" when the
// action concerns no country). Nil and disabled users may do nothing.
func (u *User) Can(act Action, country string) bool {
	if u == nil || u.Disabled {
		return false
	}
	if u.Role == RoleAdmin {
		return true
	}
	switch act {
	case ActDraftAssessment, ActEditSource, ActEditPublication, ActTriageReports, ActTranslate:
		return u.Role == RoleResearcher
	case ActReviewAssessment:
		return u.Role == RoleReviewer
	case ActViewDrafts:
		return u.Role == RoleResearcher || u.Role == RoleReviewer
	case ActEditNews:
		return u.Role == RoleResearcher || (u.Role == RoleMember && country != "" && u.CoversCountry(country))
	case ActEditOrganisation:
		return u.Role == RoleMember && country != "" && u.CoversCountry(country)
	}
	return false
}

// Authorize returns nil when u may do act, and otherwise an error a user
// can read: EUNAUTHORIZED when nobody is signed in, EFORBIDDEN when the
// signed-in user lacks the right.
func Authorize(u *User, act Action, country string) error {
	switch {
	case u == nil:
		return Errorf(EUNAUTHORIZED, "please sign in")
	case u.Disabled:
		return Errorf(EFORBIDDEN, "this account is disabled")
	case !u.Can(act, country):
		if country != "" {
			return Errorf(EFORBIDDEN, "your role (%s) may not %s for %s", u.Role, act, country)
		}
		return Errorf(EFORBIDDEN, "your role (%s) may not %s", u.Role, act)
	}
	return nil
}
