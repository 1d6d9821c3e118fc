package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	vigie "github.com/vigie-network/vigie"
	"github.com/vigie-network/vigie/postgres"
	"github.com/vigie-network/vigie/sqlite"
)

// moduleRoot is the folder of the go.mod that the working directory is in.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", errors.New("run the harness inside the vigie module (go run ./bench/load)")
	}
	return filepath.Dir(mod), nil
}

// buildVigie builds cmd/vigie into dir, as a release would.
func buildVigie(root, dir string) (string, error) {
	bin := filepath.Join(dir, "vigie")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/vigie")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/vigie: %w\n%s", err, out)
	}
	return bin, nil
}

// openStore opens the benchmark database: a SQLite file or a PostgreSQL URL.
func openStore(ctx context.Context, dsn string) (vigie.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

// createPostgresDB makes a fresh database on the server that admin names
// and returns its URL and a function that drops it.
func createPostgresDB(ctx context.Context, admin string) (string, func(), error) {
	u, err := url.Parse(admin)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("vigie_bench_%d_%d", os.Getpid(), time.Now().Unix())
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, err
	}
	drop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if c, err := pgx.Connect(ctx, admin); err == nil {
			c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			c.Close(ctx)
		}
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}

// server is a running vigie serve.
type server struct {
	cmd    *exec.Cmd
	base   string
	pprof  string // host:port of net/http/pprof, when asked for
	exited chan error
}

var runningAt = regexp.MustCompile(`http://[0-9.:]+`)

// startVigie runs "vigie serve" on a free loopback port, its log in dir.
func startVigie(bin, dsn, dir string, pprof bool) (*server, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dsn, "--files", filepath.Join(dir, "files"))
	cmd.Env = os.Environ()
	s := &server{cmd: cmd, exited: make(chan error, 1)}
	if pprof {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s.pprof = "127.0.0.1:" + strconv.Itoa(port)
		cmd.Env = append(cmd.Env, "VIGIE_PPROF="+s.pprof)
	}
	logf, err := os.Create(filepath.Join(dir, "vigie.log"))
	if err != nil {
		return nil, err
	}
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.exited <- cmd.Wait(); logf.Close() }()
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := runningAt.FindString(sc.Text()); m != "" {
				select {
				case urlc <- m:
				default:
				}
			}
		}
	}()
	select {
	case s.base = <-urlc:
		return s, nil
	case err := <-s.exited:
		log, _ := os.ReadFile(filepath.Join(dir, "vigie.log"))
		return nil, fmt.Errorf("vigie serve exited: %v\n%s", err, log)
	case <-time.After(60 * time.Second):
		s.stop()
		return nil, errors.New("vigie serve did not start within a minute")
	}
}

// stop asks vigie to shut down (SIGINT) and waits for it.
func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
}

// rss is the process's resident set in bytes, from /proc/PID/status.
func rss(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(rest) // "123456 kB"
			kb, err := strconv.ParseInt(f[0], 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmRSS line")
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
