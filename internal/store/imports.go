package store

import (
	"context"
	"database/sql"

	"github.com/caredesk/caredesk/internal/care"
)

// FindInteractionByExternalID returns the interaction a source system knows
// by id, or ENOTFOUND: an import finds what it recorded before by it.
func (tx *Tx) FindInteractionByExternalID(ctx context.Context, id string) (*care.Interaction, error) {
	i, err := scanInteraction(tx.queryRow(ctx, `SELECT `+interactionColumns+` FROM interactions WHERE external_id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, notFound("interaction", id)
	}
	return i, mapErr(err)
}

// FindImportedCase returns the id of the case an earlier import created for
// a previous system's case reference, or 0.
func (tx *Tx) FindImportedCase(ctx context.Context, ref string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT case_id FROM import_case_refs WHERE source_ref = $1`, ref).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, mapErr(err)
}

// SetImportedCase records the case created for a previous system's case
// reference.
func (tx *Tx) SetImportedCase(ctx context.Context, ref string, caseID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO import_case_refs (source_ref, case_id) VALUES ($1, $2)`, ref, caseID)
	return err
}

// FindCustomerIDByExternalRef returns the id of the customer a previous
// system knew by ref, or 0.
func (tx *Tx) FindCustomerIDByExternalRef(ctx context.Context, ref string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM customers WHERE external_ref = $1 ORDER BY id LIMIT 1`, ref).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, mapErr(err)
}
