package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
)

//go:embed static/vigie.css
var cssSource []byte

// asset is a static file served under a name that carries a hash of its
// content, so browsers may keep it forever: a new stylesheet is a new URL.
type asset struct {
	path        string // "/static/vigie.0123456789.css"
	contentType string
	body, gz    []byte // gz is compressed once, at start
}

func newAsset(base, ext, contentType string, body []byte) asset {
	sum := sha256.Sum256(body)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	return asset{
		path:        "/static/" + base + "." + hex.EncodeToString(sum[:5]) + "." + ext,
		contentType: contentType,
		body:        body,
		gz:          buf.Bytes(),
	}
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	a := s.css
	if r.URL.Path != a.path {
		s.notFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	body := a.body
	if acceptsGzip(r) {
		// Already compressed: the gzip middleware leaves it alone.
		h.Set("Content-Encoding", "gzip")
		body = a.gz
	}
	w.Write(body)
}
