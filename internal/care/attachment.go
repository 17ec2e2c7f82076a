package care

import (
	"path"
	"strings"
	"time"
	"unicode"
)

// Attachment is a file kept with a case: a document a customer uploaded, a
// mail attachment, evidence. Text files are stored redacted; Text holds
// text extracted for search and review, always redacted.
type Attachment struct {
	ID            int64
	CaseID        int64
	InteractionID int64 // 0 when not part of a contact
	Filename      string
	ContentType   string
	Size          int64
	SHA256        string // of the stored bytes
	Source        string // "api", "web", "email", "portal"
	Text          string // extracted (redacted) text, "" for binary files
	CreatedAt     time.Time
}

// MaxAttachmentSize is the largest file caredesk keeps (20 MiB).
const MaxAttachmentSize = 20 << 20

// CleanFilename keeps the base name of a file, without path separators or
// control characters, so a name can never address another file or break a
// header; it falls back to "attachment".
func CleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "attachment"
	}
	if r := []rune(name); len(r) > 200 {
		name = string(r[:200])
	}
	return name
}
