package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

const templateColumns = `id, kind, regime, language, version, subject, body, mandatory, note, author_id, author_name, created_at`

func scanTemplate(row scanner) (*care.LetterTemplate, error) {
	var t care.LetterTemplate
	var mandatory string
	var author, created sql.NullInt64
	err := row.Scan(&t.ID, &t.Kind, &t.Regime, &t.Language, &t.Version, &t.Subject, &t.Body, &mandatory, &t.Note,
		&author, &t.AuthorName, &created)
	t.AuthorID, t.CreatedAt = author.Int64, fromMicros(created)
	if mandatory != "" {
		t.Mandatory = strings.Split(mandatory, ",")
	}
	return &t, err
}

// CreateLetterTemplate stores a version of a template; the version number
// must be new for its kind, regime and language (a concurrent edit that
// took it first is a conflict).
func (tx *Tx) CreateLetterTemplate(ctx context.Context, t *care.LetterTemplate) error {
	if t.CreatedAt.IsZero() {
		t.CreatedAt = tx.now
	}
	var err error
	t.ID, err = tx.insert(ctx, `INSERT INTO letter_templates (kind, regime, language, version, subject, body, mandatory,
		note, author_id, author_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		t.Kind, t.Regime, t.Language, t.Version, t.Subject, t.Body, strings.Join(t.Mandatory, ","), t.Note,
		nullID(t.AuthorID), t.AuthorName, micros(t.CreatedAt))
	return err
}

// FindLetterTemplate returns a version of a template; version 0 means the
// latest. It is ENOTFOUND when none is stored.
func (tx *Tx) FindLetterTemplate(ctx context.Context, kind, regime, language string, version int) (*care.LetterTemplate, error) {
	q := `SELECT ` + templateColumns + ` FROM letter_templates WHERE kind = $1 AND regime = $2 AND language = $3`
	args := []any{kind, regime, language}
	if version > 0 {
		q += ` AND version = $4`
		args = append(args, version)
	} else {
		q += ` ORDER BY version DESC LIMIT 1`
	}
	t, err := scanTemplate(tx.queryRow(ctx, q, args...))
	if err == sql.ErrNoRows {
		return nil, notFound("letter template", fmt.Sprintf("%s/%s/%s", kind, regime, language))
	}
	return t, err
}

// FindLetterTemplateVersions lists every stored version of a template,
// newest first.
func (tx *Tx) FindLetterTemplateVersions(ctx context.Context, kind, regime, language string) ([]*care.LetterTemplate, error) {
	rows, err := tx.query(ctx, `SELECT `+templateColumns+` FROM letter_templates
		WHERE kind = $1 AND regime = $2 AND language = $3 ORDER BY version DESC LIMIT 1000`, kind, regime, language)
	return collect(rows, err, scanTemplate)
}

// FindLatestLetterTemplates returns the latest stored version of every
// template that has been edited.
func (tx *Tx) FindLatestLetterTemplates(ctx context.Context) ([]*care.LetterTemplate, error) {
	rows, err := tx.query(ctx, `SELECT `+templateColumns+` FROM letter_templates t
		WHERE version = (SELECT MAX(version) FROM letter_templates u
			WHERE u.kind = t.kind AND u.regime = t.regime AND u.language = t.language)
		ORDER BY kind, regime, language LIMIT 10000`)
	return collect(rows, err, scanTemplate)
}

const letterColumns = `id, case_id, kind, regime, language, template_version, subject, body, fields, status, channel,
	to_addr, attachment_id, interaction_id, mail_id, sent_by, sent_by_name, sent_at`

func scanLetter(row scanner) (*care.Letter, error) {
	var l care.Letter
	var fields string
	var att, inter, mail, by, at sql.NullInt64
	err := row.Scan(&l.ID, &l.CaseID, &l.Kind, &l.Regime, &l.Language, &l.TemplateVersion, &l.Subject, &l.Body, &fields,
		&l.Status, &l.Channel, &l.To, &att, &inter, &mail, &by, &l.SentByName, &at)
	if err != nil {
		return nil, err
	}
	l.AttachmentID, l.InteractionID, l.MailID, l.SentBy, l.SentAt = att.Int64, inter.Int64, mail.Int64, by.Int64, fromMicros(at)
	if err := json.Unmarshal([]byte(fields), &l.Fields); err != nil {
		return nil, fmt.Errorf("letter %d fields: %w", l.ID, err)
	}
	return &l, nil
}

// CreateLetter records a letter sent or marked for post.
func (tx *Tx) CreateLetter(ctx context.Context, l *care.Letter) error {
	fields, err := json.Marshal(l.Fields)
	if err != nil {
		return err
	}
	if l.Fields == nil {
		fields = []byte("{}")
	}
	l.SentAt = tx.now
	l.ID, err = tx.insert(ctx, `INSERT INTO letters (case_id, kind, regime, language, template_version, subject, body,
		fields, status, channel, to_addr, attachment_id, interaction_id, mail_id, sent_by, sent_by_name, sent_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		l.CaseID, l.Kind, l.Regime, l.Language, l.TemplateVersion, l.Subject, l.Body, string(fields), l.Status, l.Channel,
		l.To, nullID(l.AttachmentID), nullID(l.InteractionID), nullID(l.MailID), nullID(l.SentBy), l.SentByName, micros(tx.now))
	return err
}

// FindLetters lists a case's letters, oldest first.
func (tx *Tx) FindLetters(ctx context.Context, caseID int64) ([]*care.Letter, error) {
	rows, err := tx.query(ctx, `SELECT `+letterColumns+` FROM letters WHERE case_id = $1 ORDER BY id LIMIT 1000`, caseID)
	return collect(rows, err, scanLetter)
}

// FindLetter returns one letter of a case.
func (tx *Tx) FindLetter(ctx context.Context, caseID, id int64) (*care.Letter, error) {
	l, err := scanLetter(tx.queryRow(ctx, `SELECT `+letterColumns+` FROM letters WHERE id = $1 AND case_id = $2`, id, caseID))
	if err == sql.ErrNoRows {
		return nil, notFound("letter", id)
	}
	return l, err
}

// AttachToMail sends a kept file with an outbox message.
func (tx *Tx) AttachToMail(ctx context.Context, mailID, attachmentID int64) error {
	_, err := tx.exec(ctx, `INSERT INTO mail_outbox_attachments (mail_id, attachment_id) VALUES ($1, $2)`, mailID, attachmentID)
	return err
}

// MailAttachment is a file sent with an outbox message.
type MailAttachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// FindMailAttachments returns the files an outbox message carries.
func (tx *Tx) FindMailAttachments(ctx context.Context, mailID int64) ([]MailAttachment, error) {
	rows, err := tx.query(ctx, `SELECT a.filename, a.content_type, a.data FROM mail_outbox_attachments m
		JOIN attachments a ON a.id = m.attachment_id WHERE m.mail_id = $1 ORDER BY a.id`, mailID)
	return collect(rows, err, func(row scanner) (MailAttachment, error) {
		var m MailAttachment
		err := row.Scan(&m.Filename, &m.ContentType, &m.Data)
		return m, err
	})
}
