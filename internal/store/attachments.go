package store

import (
	"context"
	"database/sql"

	"github.com/caredesk/caredesk/internal/care"
)

const attachmentColumns = `id, case_id, interaction_id, filename, content_type, size, sha256, source, extracted_text, created_at`

func scanAttachment(row scanner) (*care.Attachment, error) {
	var a care.Attachment
	var interaction, created sql.NullInt64
	err := row.Scan(&a.ID, &a.CaseID, &interaction, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.Source, &a.Text, &created)
	a.InteractionID, a.CreatedAt = interaction.Int64, fromMicros(created)
	return &a, err
}

// CreateAttachment stores a file with its metadata.
func (tx *Tx) CreateAttachment(ctx context.Context, a *care.Attachment, data []byte) error {
	a.CreatedAt = tx.now
	var err error
	a.ID, err = tx.insert(ctx, `INSERT INTO attachments (case_id, interaction_id, filename, content_type, size, sha256,
		source, extracted_text, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		a.CaseID, nullID(a.InteractionID), a.Filename, a.ContentType, a.Size, a.SHA256, a.Source, a.Text, data, micros(tx.now))
	return err
}

// FindAttachmentsByCase lists a case's files (without their bytes), oldest first.
func (tx *Tx) FindAttachmentsByCase(ctx context.Context, caseID int64) ([]*care.Attachment, error) {
	rows, err := tx.query(ctx, `SELECT `+attachmentColumns+` FROM attachments WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, scanAttachment)
}

// FindAttachment returns a file and its bytes.
func (tx *Tx) FindAttachment(ctx context.Context, id int64) (*care.Attachment, []byte, error) {
	var data []byte
	var a *care.Attachment
	row := tx.queryRow(ctx, `SELECT `+attachmentColumns+`, data FROM attachments WHERE id = $1`, id)
	a, err := scanAttachment(scanFunc(func(dest ...any) error { return row.Scan(append(dest, &data)...) }))
	if err == sql.ErrNoRows {
		return nil, nil, notFound("attachment", id)
	}
	return a, data, err
}

// scanFunc adapts a function to the scanner interface.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }
