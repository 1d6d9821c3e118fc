package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/api"
	"github.com/vigie-network/vigie/demo"
	"github.com/vigie-network/vigie/files"
	"github.com/vigie-network/vigie/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [--addr 127.0.0.1:8080] [--db PATH] [--demo] [--files DIR] [--base-url URL]", stderr)
	addr := fs.String("addr", envOr("VIGIE_ADDR", "127.0.0.1:8080"), "address to listen on (env VIGIE_ADDR)")
	db := dbFlag(fs)
	withDemo := fs.Bool("demo", false, "load the sample Mali profile into a new database")
	filesDir := filesFlag(fs)
	baseURL := fs.String("base-url", envOr("VIGIE_BASE_URL", ""), "public address of the site, e.g. https://vigie.example.org, for absolute links in feeds (env VIGIE_BASE_URL)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if u := *baseURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return fmt.Errorf("--base-url %q must start with https:// or http://", u)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

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
	mux.Handle(api.Prefix+"/", web.Compress(api.New(service, logger)))
	mux.Handle("/", site)
	srv := &http.Server{
		Handler:           mux,
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
