package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Behind a reverse proxy every request comes from the proxy's address, and
// only the proxy knows the reader's address and whether they used HTTPS.
// It says so in X-Forwarded-For and X-Forwarded-Proto, which anyone else
// can forge: they are believed only from the addresses given to
// --trusted-proxy, and removed from every other request, so that nothing
// further in reads a value nobody checked.

// TrustedProxies are the addresses (single addresses or CIDR ranges)
// whose forwarding headers are believed. The zero value trusts nobody.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a list of addresses and CIDR ranges separated
// by commas or spaces, such as "127.0.0.1, 10.0.0.0/8, ::1".
func ParseTrustedProxies(list string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is neither an IP address nor a CIDR range such as 10.0.0.0/8", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func (p TrustedProxies) trusts(a netip.Addr) bool {
	a = a.Unmap()
	for _, prefix := range p {
		if prefix.Contains(a) {
			return true
		}
	}
	return false
}

// forwardingHeaders are dropped from every request once read: the
// standard Forwarded and the others a proxy may send are never believed.
var forwardingHeaders = []string{"X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Port",
	"Forwarded", "X-Real-Ip"}

type httpsKey struct{}

// Handler believes the forwarding headers of requests that come from a
// trusted proxy: RemoteAddr becomes the reader's address (the nearest
// address in X-Forwarded-For that is not a trusted proxy), and
// X-Forwarded-Proto: https marks the request as made over HTTPS
// (RequestIsHTTPS). Every request loses its forwarding headers.
func (p TrustedProxies) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		forwardedFor := r.Header.Values("X-Forwarded-For")
		proto := r.Header.Values("X-Forwarded-Proto")
		for _, h := range forwardingHeaders {
			r.Header.Del(h)
		}
		peer, ok := remoteIP(r)
		if !ok || !p.trusts(peer) {
			next.ServeHTTP(w, r)
			return
		}
		r2 := *r
		r2.RemoteAddr = netip.AddrPortFrom(p.client(peer, forwardedFor), 0).String()
		if len(proto) > 0 {
			// The value the nearest proxy set is the last one.
			hops := strings.Split(proto[len(proto)-1], ",")
			if strings.EqualFold(strings.TrimSpace(hops[len(hops)-1]), "https") {
				r2 = *r2.WithContext(context.WithValue(r.Context(), httpsKey{}, true))
			}
		}
		next.ServeHTTP(w, &r2)
	})
}

// client walks X-Forwarded-For from the nearest hop outwards and returns
// the first address that is not a trusted proxy: addresses further out
// were written by the reader, who may write anything. A hop that is not
// an address stops the walk at the proxy that passed it on.
func (p TrustedProxies) client(peer netip.Addr, forwardedFor []string) netip.Addr {
	var hops []string
	for _, v := range forwardedFor {
		hops = append(hops, strings.Split(v, ",")...)
	}
	client := peer.Unmap()
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		client = a.Unmap().WithZone("")
		if !p.trusts(client) {
			break
		}
	}
	return client
}

func remoteIP(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	return a.Unmap(), err == nil
}

// RequestIsHTTPS reports whether the reader made r over HTTPS: a TLS
// connection, or a trusted proxy's X-Forwarded-Proto.
func RequestIsHTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	https, _ := r.Context().Value(httpsKey{}).(bool)
	return https
}
