package web

import "net/http"

// Compress gzips next's responses for clients that accept it, as the site
// does for its own pages; vigie serve puts the API behind it too.
func Compress(next http.Handler) http.Handler { return compress(next) }
