package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Every Vigie process that opens a SQLite database holds a shared lock on
// a file beside it (PATH.lock); vigie restore takes it exclusively. A
// restore renames a new file over the database: a server still running
// would go on writing to the old, deleted file, and every write it
// acknowledged from then on would be lost. With the lock, the restore is
// refused while anything has the database open, and a server cannot start
// while a restore runs.

// ErrInUse is the kind of error returned when the lock is held.
var ErrInUse = errors.New("database in use")

// lockPath is the lock file of the database at path.
func lockPath(path string) string { return path + ".lock" }

// dbLock is a held lock; Release lets it go.
type dbLock struct{ f *os.File }

func (l *dbLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the file releases the lock
	l.f = nil
	return err
}

// inMemory reports whether path names no file, which needs no lock.
func inMemory(path string) bool {
	return path == "" || path == ":memory:" || strings.HasPrefix(path, "file:")
}

// LockExclusive takes the database's lock for a process that replaces the
// file (vigie restore). It fails at once, naming the processes that hold
// the database open, when any does.
func LockExclusive(path string) (release func() error, err error) {
	l, err := lock(path, true)
	if err != nil {
		return nil, err
	}
	return l.Release, nil
}

func lock(path string, exclusive bool) (*dbLock, error) {
	if inMemory(path) {
		return &dbLock{}, nil
	}
	f, err := os.OpenFile(lockPath(path), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	ok, err := flock(f, exclusive)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		holders := lockHolders(f)
		f.Close()
		if exclusive {
			return nil, fmt.Errorf("%w: %s is open in %s; stop it first", ErrInUse, path, holders)
		}
		return nil, fmt.Errorf("%w: %s is being replaced by %s; try again when it is done", ErrInUse, path, holders)
	}
	return &dbLock{f: f}, nil
}

// lockHolders names the processes holding a lock on f, as Linux lists
// them in /proc/locks ("vigie serve (pid 123)"); elsewhere, or when the
// list cannot be read, it says "another Vigie process".
func lockHolders(f *os.File) string {
	const unknown = "another Vigie process"
	fi, err := f.Stat()
	if err != nil {
		return unknown
	}
	ino := inode(fi)
	if ino == 0 {
		return unknown
	}
	locks, err := os.ReadFile("/proc/locks")
	if err != nil {
		return unknown
	}
	var names []string
	seen := map[string]bool{}
	suffix := ":" + strconv.FormatUint(ino, 10)
	for line := range strings.Lines(string(locks)) {
		// 1: FLOCK  ADVISORY  READ  1234 08:01:5678 0 EOF
		fields := strings.Fields(line)
		if len(fields) < 6 || fields[1] != "FLOCK" || !strings.HasSuffix(fields[5], suffix) {
			continue
		}
		pid := fields[4]
		if seen[pid] || pid == strconv.Itoa(os.Getpid()) {
			continue
		}
		seen[pid] = true
		names = append(names, processName(pid)+" (pid "+pid+")")
	}
	if len(names) == 0 {
		return unknown
	}
	return strings.Join(names, ", ")
}

// processName is what a process was started as: "vigie serve" for the
// vigie binary (or a test binary) run with a subcommand.
func processName(pid string) string {
	cmdline, err := os.ReadFile("/proc/" + pid + "/cmdline")
	if err != nil {
		return "a process"
	}
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	name := filepath.Base(args[0])
	if len(args) > 1 && args[1] != "" && !strings.HasPrefix(args[1], "-") {
		return "vigie " + args[1]
	}
	return name
}
