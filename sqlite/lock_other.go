//go:build !unix

package sqlite

import (
	"io/fs"
	"os"
)

// Without flock, the lock is not taken: stop vigie serve before a restore.
func flock(*os.File, bool) (bool, error) { return true, nil }

func inode(fs.FileInfo) uint64 { return 0 }
