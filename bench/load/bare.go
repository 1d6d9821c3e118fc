package main

import (
	"net"
	"net/http"
	"strconv"
	"time"
)

// bareServer is the floor of Go's own cost: net/http serving the same
// gzipped bytes with the same headers from a map, with no middleware,
// cache bookkeeping or routing. vigie against it shows what Vigie's layers
// add; it against nginx shows what net/http itself costs. It runs inside
// the harness, which is idle while wrk loads it.
type bareServer struct {
	srv  *http.Server
	base string
}

type barePage struct {
	header http.Header
	body   []byte
}

func startBare(pages []page) (*bareServer, error) {
	byPath := make(map[string]barePage, len(pages))
	for _, p := range pages {
		h := p.header.Clone()
		h.Del("Date")
		h["Content-Length"] = []string{strconv.Itoa(len(p.gz))}
		byPath[p.path] = barePage{header: h, body: p.gz}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		ReadHeaderTimeout: 10 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p, ok := byPath[r.RequestURI]
			if !ok {
				http.NotFound(w, r)
				return
			}
			h := w.Header()
			for k, v := range p.header {
				h[k] = v
			}
			w.Write(p.body)
		}),
	}
	go srv.Serve(ln)
	return &bareServer{srv: srv, base: "http://" + ln.Addr().String()}, nil
}

func (b *bareServer) stop() { b.srv.Close() }
