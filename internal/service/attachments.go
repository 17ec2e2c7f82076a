package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/store"
)

// Executables and scripts have no place in a case file and are the commonest
// malware carriers, so they are refused by content and by name.
var (
	refusedMagic = [][]byte{[]byte("MZ"), []byte("\x7fELF"), []byte("#!"), {0xcf, 0xfa, 0xed, 0xfe}, {0xca, 0xfe, 0xba, 0xbe}}
	refusedExt   = []string{".exe", ".dll", ".com", ".scr", ".bat", ".cmd", ".msi", ".ps1", ".vbs", ".vbe", ".js", ".jse",
		".wsf", ".hta", ".jar", ".sh", ".lnk", ".cpl", ".reg"}
	refusedTypes = []string{"application/x-msdownload", "application/x-executable", "application/x-sharedlib",
		"application/x-dosexec", "application/x-sh", "application/javascript", "text/javascript"}
)

// executable reports whether a file looks like a program or script.
func executable(name, contentType string, data []byte) bool {
	lower := strings.ToLower(name)
	for _, ext := range refusedExt {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	for _, m := range refusedMagic {
		if bytes.HasPrefix(data, m) {
			return true
		}
	}
	return slices.Contains(refusedTypes, contentType)
}

// NewAttachment is a file to keep with a case.
type NewAttachment struct {
	Filename      string
	ContentType   string // as declared; the content is sniffed too
	Data          []byte
	InteractionID int64
}

// AddAttachment keeps a file with a case. Text files are redacted before
// they are stored, so a card number in a .txt or .csv never reaches the
// database; their text is also kept for search.
func (s *Service) AddAttachment(ctx context.Context, caseKey string, in NewAttachment) (*care.Attachment, error) {
	actor := care.ActorFromContext(ctx)
	if err := actor.Require(care.PermInteractionWrite); err != nil {
		return nil, err
	}
	a, data, err := s.prepareAttachment(in, actor.Source)
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := findCase(ctx, tx, caseKey)
		if err != nil {
			return err
		}
		a.CaseID = c.ID
		return s.addAttachment(ctx, tx, a, data)
	})
	return a, err
}

// addAttachment stores a prepared attachment inside tx and audits it.
func (s *Service) addAttachment(ctx context.Context, tx *store.Tx, a *care.Attachment, data []byte) error {
	if err := tx.CreateAttachment(ctx, a, data); err != nil {
		return err
	}
	return audit(ctx, tx, "create", "attachment", a.ID, map[string]any{"case_id": a.CaseID, "filename": a.Filename,
		"size": a.Size, "sha256": a.SHA256})
}

// prepareAttachment validates a file, sniffs its type, and redacts text.
func (s *Service) prepareAttachment(in NewAttachment, source string) (*care.Attachment, []byte, error) {
	var p care.Problems
	if len(in.Data) == 0 {
		p.Add("file", "is empty")
	}
	if len(in.Data) > care.MaxAttachmentSize {
		p.Add("file", "must be at most %d MiB", care.MaxAttachmentSize>>20)
	}
	ct := sniffType(in.ContentType, in.Data)
	if executable(in.Filename, ct, in.Data) {
		p.Add("file", "programs and scripts are not accepted; send documents or images")
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	data, text := in.Data, ""
	if strings.HasPrefix(ct, "text/") || ct == "application/json" || ct == "application/xml" {
		if !utf8.Valid(data) {
			return nil, nil, care.Invalid("file", "a text file must be UTF-8")
		}
		text = s.mask(string(data))
		data = []byte(text)
	}
	sum := sha256.Sum256(data)
	return &care.Attachment{Filename: care.CleanFilename(in.Filename), ContentType: ct, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Source: source, Text: text, InteractionID: in.InteractionID}, data, nil
}

// sniffType trusts the content over the declared type where they disagree
// on what matters (an "image" that is an executable).
func sniffType(declared string, data []byte) string {
	sniffed, _, _ := mime.ParseMediaType(http.DetectContentType(data))
	decl, _, err := mime.ParseMediaType(declared)
	if err != nil || decl == "" || decl == "application/octet-stream" {
		return sniffed
	}
	if sniffed == "application/octet-stream" || strings.HasPrefix(sniffed, "text/plain") && strings.HasPrefix(decl, "text/") {
		return decl
	}
	if strings.SplitN(decl, "/", 2)[0] != strings.SplitN(sniffed, "/", 2)[0] && sniffed != "application/zip" {
		return sniffed
	}
	return decl
}

// FindAttachments lists a case's files; the read is audited.
func (s *Service) FindAttachments(ctx context.Context, caseKey string) ([]*care.Attachment, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermInteractionRead); err != nil {
		return nil, err
	}
	var out []*care.Attachment
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		c, err := findCase(ctx, tx, caseKey)
		if err != nil {
			return err
		}
		if out, err = tx.FindAttachmentsByCase(ctx, c.ID); err != nil {
			return err
		}
		return audit(ctx, tx, "list", "attachment", "", map[string]any{"case_id": c.ID,
			"ids": ids(out, func(a *care.Attachment) int64 { return a.ID })})
	})
	return out, err
}

// FindAttachment returns one file and its bytes; the read is audited.
func (s *Service) FindAttachment(ctx context.Context, id int64) (*care.Attachment, []byte, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermInteractionRead); err != nil {
		return nil, nil, err
	}
	var a *care.Attachment
	var data []byte
	err := s.store.Write(ctx, func(tx *store.Tx) (err error) {
		if a, data, err = tx.FindAttachment(ctx, id); err != nil {
			return err
		}
		return audit(ctx, tx, "read", "attachment", id, map[string]any{"case_id": a.CaseID})
	})
	return a, data, err
}
