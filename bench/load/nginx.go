package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// page is one page's bytes as vigie served them, for nginx to serve the
// same.
type page struct {
	path   string // request path, with the query
	plain  []byte
	gz     []byte
	header http.Header // as vigie sent the gzipped page
}

// staticFile is where nginx finds a path: every page is an index.html in
// its own folder, since "/countries" is a page and a folder of pages; a
// query becomes part of the name ("/search?q=penal" is search-penal/), as
// the configuration below looks it up.
func staticFile(p string) string {
	path, query, _ := strings.Cut(p, "?")
	for part := range strings.SplitSeq(query, "&") {
		if q, ok := strings.CutPrefix(part, "q="); ok {
			path += "-" + q // as nginx's $arg_q gives it: not decoded
		}
	}
	return filepath.Join(filepath.FromSlash(strings.TrimPrefix(path, "/")), "index.html")
}

// nginxConf is the reference server: two workers for the two cores, no
// access log, the pages precompressed (gzip_static), and the headers vigie
// sends on cached pages, so that both answers weigh the same on the wire.
const nginxConf = `daemon off;
master_process on;
worker_processes 2;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 120s;
    keepalive_requests 1000000;
    server_tokens off;
    gzip_static on;
    default_type "text/html; charset=utf-8";
    types { }
    client_body_temp_path %[1]s/tmp/body;
    proxy_temp_path %[1]s/tmp/proxy;
    fastcgi_temp_path %[1]s/tmp/fastcgi;
    uwsgi_temp_path %[1]s/tmp/uwsgi;
    scgi_temp_path %[1]s/tmp/scgi;
    server {
        listen 127.0.0.1:%[2]d;
        root %[1]s/www;
        add_header Content-Security-Policy "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        add_header X-Content-Type-Options nosniff;
        add_header Referrer-Policy strict-origin-when-cross-origin;
        add_header Vary "Accept-Encoding, Cookie";
        add_header Cache-Control "public, max-age=60";
        location = / {
            try_files /index.html =404;
        }
        location ~ ^(/[a-z][a-z])?/search$ {
            try_files $uri-$arg_q/index.html =404;
        }
        location / {
            try_files $uri/index.html =404;
        }
    }
}
`

// startNginx writes the pages under dir/www and serves them on a free
// loopback port. It returns the base URL and a stop
// function that waits for nginx to exit.
func startNginx(bin, dir string, pages []page) (string, func(), error) {
	www := filepath.Join(dir, "www")
	for _, d := range []string{www, filepath.Join(dir, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return "", nil, err
		}
	}
	for _, p := range pages {
		name := filepath.Join(www, staticFile(p.path))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			return "", nil, err
		}
		if err := os.WriteFile(name, p.plain, 0o644); err != nil {
			return "", nil, err
		}
		if err := os.WriteFile(name+".gz", p.gz, 0o644); err != nil {
			return "", nil, err
		}
	}
	// nginx's workers run as nobody: they must be able to read the tree.
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", nil, err
	}
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, fmt.Appendf(nil, nginxConf, dir, port), 0o644); err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "-p", dir, "-c", conf)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		cmd.Process.Signal(os.Interrupt) // SIGINT: fast shutdown of master and workers
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			return "", nil, fmt.Errorf("nginx exited: %v\n%s%s", err, stderr.Bytes(), log)
		default:
		}
		if code, _, _, err := fetch(base, pages[0].path, true); err == nil && code == 200 {
			return base, stop, nil
		}
		if time.Now().After(deadline) {
			stop()
			return "", nil, fmt.Errorf("nginx did not answer on %s", base)
		}
	}
}
