package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// Users, for admins: the same operations as `vigie user add|list|disable`.

type usersPage struct {
	editorChrome
	Users   []userRow
	Roles   []roleOption
	Email   string
	Name    string
	Role    vigie.Role
	Country string
	Errors  fieldErrors
	Link    string // the new user's one-time set-password link
	LinkFor string
	Message string
}

// roleOption is a role as the form offers it, named in the reader's
// language.
type roleOption struct {
	Key   vigie.Role
	Label string
}

// userRoleLabel names a role in the request's language.
func userRoleLabel(r *http.Request, role vigie.Role) string {
	if !slices.Contains(vigie.Roles, role) {
		return string(role)
	}
	return tr(r, "useradmin.role_"+string(role))
}

type userRow struct {
	Email, Name string
	Role        vigie.Role
	RoleLabel   string
	Countries   string
	Disabled    bool
	Created     dateTimeView
	Self        bool
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActManageUsers, "")
	if !ok {
		return
	}
	page := usersPage{Role: vigie.RoleResearcher}
	if email := r.URL.Query().Get("disabled"); email != "" {
		if x, err := s.store.UserByEmail(r.Context(), email); err == nil && x.Disabled {
			page.Message = tr(r, "useradmin.disabled_msg", "Email", x.Email)
		}
	}
	s.renderUsers(w, r, u, http.StatusOK, page)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, u *vigie.User, status int, page usersPage) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	page.editorChrome, page.Roles = chrome(u), nil
	for _, role := range vigie.Roles {
		page.Roles = append(page.Roles, roleOption{Key: role, Label: userRoleLabel(r, role)})
	}
	lang := langOf(r.Context())
	if page.Errors == nil {
		page.Errors = fieldErrors{}
	}
	for _, x := range users {
		page.Users = append(page.Users, userRow{Email: x.Email, Name: x.Name, Role: x.Role, RoleLabel: userRoleLabel(r, x.Role),
			Countries: strings.Join(x.Countries, ", "), Disabled: x.Disabled, Created: adminMoment(lang, x.CreatedAt), Self: x.ID == u.ID})
	}
	s.render(w, r, status, "edit_users", layout{Title: tr(r, "useradmin.title"), Page: page})
}

func (s *Server) handleUserAdd(w http.ResponseWriter, r *http.Request) {
	u, ok := s.allowed(w, r, vigie.ActManageUsers, "")
	if !ok {
		return
	}
	if !parseForm(w, r) {
		return
	}
	page := usersPage{Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Role: vigie.Role(r.PostFormValue("role")), Country: r.PostFormValue("countries"), Errors: fieldErrors{}}
	nu := vigie.User{Email: vigie.NormaliseEmail(page.Email), Name: page.Name, Role: page.Role, Countries: countryCodes(page.Country)}
	secret, err := s.service.AddUser(r.Context(), actor(r), &nu, "")
	switch vigie.ErrorCode(err) {
	case "":
		// Shown once, here: only its hash is stored. The address is
		// --base-url's when set, not whatever Host the request named.
		base, _ := s.siteURL(r)
		noReferrer(w)
		page = usersPage{Role: vigie.RoleResearcher, LinkFor: nu.Email,
			Link: base + "/set-password?token=" + secret}
		s.renderUsers(w, r, u, http.StatusOK, page)
	case vigie.EINVALID, vigie.ECONFLICT:
		status, _ := formError(err)
		if !page.Errors.addIn(langOf(r.Context()), err) {
			page.Errors[""] = errText(langOf(r.Context()), err)
		}
		if msg, ok := page.Errors["country"]; ok {
			page.Errors["countries"] = msg
		}
		// The stores name no field when the email is taken: it is the
		// only thing two users may not share.
		if msg, ok := page.Errors[""]; ok && status == http.StatusConflict {
			delete(page.Errors, "")
			page.Errors["email"] = msg
		}
		s.renderUsers(w, r, u, cmp.Or(status, http.StatusBadRequest), page)
	default:
		s.fail(w, r, err)
	}
}

func (s *Server) handleUserDisable(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, vigie.ActManageUsers, ""); !ok {
		return
	}
	if !parseForm(w, r) {
		return
	}
	email := r.PostFormValue("email")
	if err := s.service.DisableUser(r.Context(), actor(r), email); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/edit/users?disabled="+url.QueryEscape(email), http.StatusSeeOther)
}
