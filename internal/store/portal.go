package store

import (
	"context"
	"database/sql"

	"github.com/caredesk/caredesk/internal/care"
)

// FindCaseByInteractionExternalID returns the case an interaction with
// the given external id belongs to. The portal keys each form it serves
// this way, so a form sent twice (a double click, a refresh) finds the
// case the first one opened instead of opening another.
func (tx *Tx) FindCaseByInteractionExternalID(ctx context.Context, externalID string) (*care.Case, error) {
	var caseID int64
	err := tx.queryRow(ctx, `SELECT case_id FROM interactions WHERE external_id = $1`, externalID).Scan(&caseID)
	if err == sql.ErrNoRows {
		return nil, notFound("interaction", externalID)
	} else if err != nil {
		return nil, err
	}
	return tx.FindCaseByID(ctx, caseID)
}
