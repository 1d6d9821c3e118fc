package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
)

// Sessions, sign-in and the checks every editors' page makes. The rules
// themselves (who may do what, rate limits, expiry) live in vigie.Service;
// this file only carries the session between the cookie and the service.

const sessionCookie = "vigie_session"

type userKey struct{}

// userFrom returns the signed-in user, or nil.
func userFrom(ctx context.Context) *vigie.User {
	u, _ := ctx.Value(userKey{}).(*vigie.User)
	return u
}

// withSessions refuses cross-origin form posts (the browser says where a
// request comes from in Sec-Fetch-Site or Origin) and loads the signed-in
// user from the session cookie into the request context.
func (s *Server) withSessions(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginDenied))
	return cop.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		// A page may differ for a signed-in editor: a browser must not show
		// its copy from before signing in.
		w.Header().Add("Vary", "Cookie")
		if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			u, err := s.service.UserFor(r.Context(), vigie.TokenSession, c.Value)
			switch vigie.ErrorCode(err) {
			case "":
				r = r.WithContext(context.WithValue(r.Context(), userKey{}, &u))
				// Pages now carry the user's name: no shared cache may keep them.
				w.Header().Set("Cache-Control", "no-store")
			case vigie.EUNAUTHORIZED, vigie.EFORBIDDEN:
				s.clearSessionCookie(w, r) // expired, signed out elsewhere, or disabled
			default:
				s.logError(r, err)
			}
		}
		next.ServeHTTP(w, r)
	}))
}

func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusForbidden, "error", layout{
		Title: tr(r, "error.refused"),
		Page:  errorPage{Heading: tr(r, "error.refused"), Message: tr(r, "error.refused_msg")},
	})
}

// The session cookie is Secure whenever the site is reached over HTTPS:
// the connection is TLS, a trusted proxy says so, or the configured base
// URL is https (then a plain-HTTP request is no reader's).
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/",
		MaxAge:   int(vigie.SessionLifetime / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overHTTPS(r),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overHTTPS(r)})
}

// overHTTPS reports whether readers reach the site over HTTPS.
func (s *Server) overHTTPS(r *http.Request) bool {
	return strings.HasPrefix(s.baseURL, "https://") || RequestIsHTTPS(r)
}

// clientAddr is the address recorded in the audit log and counted by the
// rate limits: the peer's, or the client's as a trusted proxy gave it
// (TrustProxies rewrote RemoteAddr).
func clientAddr(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

func actor(r *http.Request) vigie.Actor {
	return vigie.Actor{User: userFrom(r.Context()), Addr: clientAddr(r)}
}

// sessionView is the "Signed in as" area of an editors' page.
type sessionView struct {
	Name, Email string
	Role        vigie.Role
}

// editorChrome is embedded in the view model of every page that shows who
// is signed in; the layout reads it through the "session" function.
type editorChrome struct {
	Session *sessionView
}

func (e editorChrome) signedIn() *sessionView { return e.Session }

func chrome(u *vigie.User) editorChrome {
	if u == nil {
		return editorChrome{}
	}
	return editorChrome{Session: &sessionView{Name: u.DisplayName(), Email: u.Email, Role: u.Role}}
}

// sessionOf is the layout's "session" function.
func sessionOf(page any) *sessionView {
	if p, ok := page.(interface{ signedIn() *sessionView }); ok {
		return p.signedIn()
	}
	return nil
}

// signedIn returns the user of an editors' page. When nobody is signed in
// it sends the browser to the sign-in page, which comes back here after.
func (s *Server) signedIn(w http.ResponseWriter, r *http.Request) (*vigie.User, bool) {
	w.Header().Set("Cache-Control", "no-store")
	if u := userFrom(r.Context()); u != nil {
		return u, true
	}
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = r.URL.Path
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
	return nil, false
}

// allowed is signedIn plus the service's permission check for act; it
// answers with the sign-in page or a 403 page when the user may not.
func (s *Server) allowed(w http.ResponseWriter, r *http.Request, act vigie.Action, country string) (*vigie.User, bool) {
	u, ok := s.signedIn(w, r)
	if !ok {
		return nil, false
	}
	if err := vigie.Authorize(u, act, country); err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return u, true
}

// fail answers with the page that suits err's kind.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	msg := err.Error()
	var e *vigie.Error
	if errors.As(err, &e) {
		msg = errorPhrase(langOf(r.Context()), e)
		if e.Field != "" {
			msg = e.Field + ": " + msg
		}
	}
	errPage := func(status int, heading string) {
		s.render(w, r, status, "error", layout{Title: heading, Page: errorPage{Heading: heading, Message: sentence(msg)}})
	}
	switch vigie.ErrorCode(err) {
	case vigie.ENOTFOUND:
		s.notFoundMessage(w, r, sentence(msg))
	case vigie.EUNAUTHORIZED:
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
	case vigie.EFORBIDDEN:
		if u := userFrom(r.Context()); u != nil {
			msg += " (you are signed in as " + u.DisplayName() + ", " + string(u.Role) + ")"
		}
		errPage(http.StatusForbidden, tr(r, "error.forbidden"))
	case vigie.EINVALID:
		errPage(http.StatusBadRequest, tr(r, "error.invalid"))
	case vigie.ECONFLICT:
		errPage(http.StatusConflict, tr(r, "error.conflict"))
	case vigie.ERATELIMIT:
		errPage(http.StatusTooManyRequests, tr(r, "error.rate_limited"))
	default:
		s.serverError(w, r, err)
	}
}

// sentence capitalises a service message for a page.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") && !strings.HasSuffix(msg, ")") {
		msg += "."
	}
	return msg
}

// localPath keeps a "next" address only when it leads to a page of this
// site, so that the sign-in form cannot send people elsewhere. Browsers
// read a Location leniently — they drop tabs and newlines, take a
// backslash for a slash, and treat "//host" as another site — so only
// plain printable ASCII is kept (the addresses this site makes are
// percent-encoded), starting with exactly one slash, and parsing as a
// path with no scheme or host.
func localPath(next string) string {
	const fallback = "/edit"
	if len(next) < 1 || len(next) > 2048 || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
		return fallback
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") {
		return fallback
	}
	return next
}

// loginPage is the sign-in form and the set-password form.
type loginPage struct {
	editorChrome
	Next      string
	Email     string
	Message   string // why the last attempt failed
	Token     string // set-password: the one-time secret
	SetUp     bool   // set-password rather than sign in
	Expired   bool   // set-password: the link no longer works
	Errors    fieldErrors
	SignedOut bool // just signed out
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	next := localPath(r.URL.Query().Get("next"))
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", layout{Title: tr(r, "login.title"), Page: loginPage{Next: next,
		SignedOut: r.URL.Query().Has("signed-out")}})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !parseForm(w, r) {
		return
	}
	email, next := r.PostFormValue("email"), localPath(r.PostFormValue("next"))
	secret, _, err := s.service.Login(r.Context(), email, r.PostFormValue("password"), clientAddr(r))
	if err != nil {
		status := http.StatusInternalServerError
		switch vigie.ErrorCode(err) {
		case vigie.ERATELIMIT:
			status = http.StatusTooManyRequests
		case vigie.EUNAUTHORIZED:
			status = http.StatusUnauthorized
		case vigie.EFORBIDDEN:
			status = http.StatusForbidden
		case vigie.EINVALID:
			status = http.StatusBadRequest
		default:
			s.serverError(w, r, err)
			return
		}
		s.render(w, r, status, "login", layout{Title: tr(r, "login.title"), Page: loginPage{Next: next, Email: email,
			Message: errText(langOf(r.Context()), err)}})
		return
	}
	s.setSessionCookie(w, r, secret)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.service.Logout(r.Context(), c.Value); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login?signed-out", http.StatusSeeOther)
}

// The set-password link carries its secret in the address; the page must
// not pass it on to other sites in a Referer header.
func noReferrer(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
}

func (s *Server) handleSetPasswordForm(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	token := r.URL.Query().Get("token")
	p := loginPage{SetUp: true, Token: token}
	tok, err := s.store.Token(r.Context(), vigie.TokenReset, vigie.HashSecret(token))
	if token == "" || err != nil || tok.Expired(s.now()) {
		p.Expired = true
	}
	s.render(w, r, http.StatusOK, "login", layout{Title: tr(r, "login.choose"), Page: p})
}

func (s *Server) handleSetPassword(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	if !parseForm(w, r) {
		return
	}
	token, password := r.PostFormValue("token"), r.PostFormValue("password")
	p := loginPage{SetUp: true, Token: token, Errors: fieldErrors{}}
	if password != r.PostFormValue("confirm") {
		p.Errors["confirm"] = tr(r, "login.passwords_differ")
		s.render(w, r, http.StatusBadRequest, "login", layout{Title: tr(r, "login.choose"), Page: p})
		return
	}
	secret, _, err := s.service.SetPasswordAndSignIn(r.Context(), token, password, clientAddr(r))
	switch vigie.ErrorCode(err) {
	case "":
	case vigie.EINVALID:
		p.Errors.addIn(langOf(r.Context()), err)
		s.render(w, r, http.StatusBadRequest, "login", layout{Title: tr(r, "login.choose"), Page: p})
		return
	case vigie.EUNAUTHORIZED, vigie.EFORBIDDEN:
		p.Expired, p.Message = true, errText(langOf(r.Context()), err)
		s.render(w, r, http.StatusForbidden, "login", layout{Title: tr(r, "login.choose"), Page: p})
		return
	default:
		s.serverError(w, r, err)
		return
	}
	s.setSessionCookie(w, r, secret)
	http.Redirect(w, r, "/edit", http.StatusSeeOther)
}
