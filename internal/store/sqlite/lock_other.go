//go:build !unix

package sqlite

// LockMigrations is a no-op where advisory file locks are not available:
// start one process first there.
func LockMigrations(string) (func(), error) { return func() {}, nil }
