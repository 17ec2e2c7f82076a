package store

import "context"

// ExecForTest runs raw SQL, for tests that tamper with rows on purpose.
func ExecForTest(ctx context.Context, s *Store, query string, args ...any) error {
	_, err := s.write.ExecContext(ctx, query, args...)
	return err
}
