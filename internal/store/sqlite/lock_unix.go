//go:build unix

package sqlite

import (
	"fmt"
	"os"
	"syscall"
)

// LockMigrations takes an exclusive advisory lock on a file beside the
// database, so two caredesk processes started at once on one file (a server
// and a CLI command, say) do not both apply the same migration. The lock
// is released by the returned function, or when the process ends.
func LockMigrations(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path+".migrate-lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
