package api

import (
	"net"
	"net/http"
	"strings"

	vigie "github.com/vigie-network/vigie"
)

// bearer returns the user whose API token the request carries in
// "Authorization: Bearer …", or nil when it carries none. Tokens come
// from "vigie token create EMAIL". A token that is wrong, revoked or
// of a disabled user is an error, never a silent anonymous read.
func (s *Server) bearer(r *http.Request) (*vigie.User, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return nil, nil
	}
	scheme, secret, _ := strings.Cut(header, " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return nil, vigie.Errorf(vigie.EUNAUTHORIZED, `send "Authorization: Bearer TOKEN" with a token from "vigie token create"`)
	}
	u, err := s.service.UserFor(r.Context(), vigie.TokenAPI, secret)
	if vigie.ErrorCode(err) == vigie.EUNAUTHORIZED {
		return nil, vigie.Errorf(vigie.EUNAUTHORIZED, "this API token is not valid: it was mistyped, revoked or never existed")
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// actor is who a write is attributed to in the history and audit log.
func actor(u *vigie.User, r *http.Request) vigie.Actor {
	addr, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		addr = r.RemoteAddr
	}
	return vigie.Actor{User: u, Addr: addr}
}

// mustAuthorize checks, before any work, that the token's user may do act
// in country; the service checks again when it writes.
func (s *Server) mustAuthorize(r *http.Request, act vigie.Action, country string) (*vigie.User, error) {
	u, err := s.bearer(r)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, vigie.Errorf(vigie.EUNAUTHORIZED, `this needs an API token: send "Authorization: Bearer TOKEN"`)
	}
	return u, vigie.Authorize(u, act, country)
}
