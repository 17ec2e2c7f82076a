package service

import (
	"context"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// ClaimForTest claims due clocks without firing them, as a process that
// crashes right after claiming would.
func ClaimForTest(ctx context.Context, s *Service, owner string, lease time.Duration) ([]int64, error) {
	var ids []int64
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		ids, err = tx.ClaimDueClocks(ctx, owner, lease, 1000)
		return err
	})
	return ids, err
}

// FireForTest fires one clock as owner.
func FireForTest(ctx context.Context, s *Service, id int64, owner string) (int, error) {
	return s.fireClocks(care.NewContextWithActor(ctx, care.SystemActor("job")), []int64{id}, owner)
}
