package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/api"
	"github.com/vigie-network/vigie/demo"
	"github.com/vigie-network/vigie/files"
	"github.com/vigie-network/vigie/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--addr 127.0.0.1:8080] [--db PATH] [--demo] [--files DIR] [--base-url URL] [--trusted-proxy ADDR,…]", stderr)
	addr := fs.String("addr", envOr("VIGIE_ADDR", "127.0.0.1:8080"), "address to listen on (env VIGIE_ADDR)")
	db := dbFlag(fs)
	withDemo := fs.Bool("demo", false, "load the sample Mali profile into a new database")
	filesDir := filesFlag(fs)
	baseURL := fs.String("base-url", envOr("VIGIE_BASE_URL", ""), "public address of the site, e.g. https://vigie.example.org: absolute links, the host pages are cached for; https makes cookies Secure and sends HSTS (env VIGIE_BASE_URL)")
	proxies := fs.String("trusted-proxy", envOr("VIGIE_TRUSTED_PROXY", ""), "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, e.g. 127.0.0.1,::1 (env VIGIE_TRUSTED_PROXY)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkBaseURL(*baseURL); err != nil {
		return err
	}
	trusted, err := web.ParseTrustedProxies(*proxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxy: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	if len(trusted) > 0 {
		logger.Info("forwarding headers are believed from", "trusted-proxy", *proxies)
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if *withDemo {
		loaded, err := demo.LoadIfEmpty(ctx, store)
		if err != nil {
			return fmt.Errorf("load demo content: %w", err)
		}
		if loaded {
			logger.Info("loaded the demo content", "db", redactDSN(*db))
		}
	}

	_, merges := store.(searchMerger)
	_, builds := store.(monthStateBuilder)
	if merges || builds {
		upkeepCtx, stopUpkeep := context.WithCancel(ctx)
		defer stopUpkeep()
		go serveUpkeep.keepUp(upkeepCtx, store, logger)
	}

	stopProfiling, err := startProfiling(logger) // only with VIGIE_PPROF, on loopback
	if err != nil {
		return err
	}
	defer stopProfiling()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	service := vigie.NewService(store)
	site := web.New(service, logger).WithBaseURL(*baseURL).WithPageCache(250 * time.Millisecond)
	if dir := filesFolder(*filesDir, *db); dir != "" {
		site.WithFiles(files.New(dir))
	} else {
		logger.Warn("uploads are off: give --files DIR, a folder every server shares")
	}
	// The JSON API and the site share the service, so that forms and API
	// apply the same rules.
	mux := http.NewServeMux()
	mux.Handle(api.Prefix+"/", web.StrictTransport(*baseURL, web.Compress(api.New(service, logger))))
	mux.Handle("/", site)
	srv := &http.Server{
		// Forwarding headers are read (from trusted proxies) or dropped
		// before anything else sees the request.
		Handler:           trusted.Handler(mux),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("vigie is serving", "url", "http://"+ln.Addr().String(), "db", redactDSN(*db))
	fmt.Fprintf(stdout, "Vigie is running at http://%s/ (Ctrl-C to stop)\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// checkBaseURL accepts an http or https address with a host and nothing
// after it but a path: it is written into every absolute link.
func checkBaseURL(base string) error {
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(base, " \t\r\n\"'<>\\") {
		return fmt.Errorf("--base-url %q must be an address such as https://vigie.example.org", base)
	}
	return nil
}
