package mail

import (
	"regexp"
	"strings"
	"text/template"
)

// AckData fills the acknowledgement a customer receives for a new case.
type AckData struct {
	Name      string // the customer's name; "" greets generically
	Reference string // CD-2026-000123
	Subject   string // the subject of their message (redacted)
}

var ackTemplate = template.Must(template.New("ack").Parse(`Dear {{if .Name}}{{.Name}}{{else}}customer{{end}},

Thank you for your message{{if .Subject}} "{{.Subject}}"{{end}}. We have received it and opened case {{.Reference}} for it.

Someone from our team will reply as soon as possible. To add anything, simply reply to this email and keep [{{.Reference}}] in the subject, so your message reaches the same case.

This is an automatic acknowledgement; please do not reply only to confirm receipt.
`))

// Acknowledgement returns the subject and body of the acknowledgement for a
// new case, e.g. "[CD-2026-000123] We have received your message".
func Acknowledgement(d AckData) (subject, body string) {
	var b strings.Builder
	_ = ackTemplate.Execute(&b, d) // a fixed template over strings cannot fail
	return "[" + d.Reference + "] We have received your message", b.String()
}

// ReplySubject returns the subject of an agent's reply on a case: the case
// subject prefixed with "Re:" and the reference in brackets, so the
// customer's answer threads back even if their mail program drops headers.
func ReplySubject(reference, caseSubject string) string {
	s := strings.TrimSpace(replyPrefix.ReplaceAllString(caseSubject, ""))
	s = strings.TrimSpace(strings.ReplaceAll(s, "["+reference+"]", ""))
	if s == "" {
		return "[" + reference + "] Your case"
	}
	return "Re: [" + reference + "] " + s
}

var replyPrefix = regexp.MustCompile(`(?i)^((re|fwd?|aw|sv|tr)\s*:\s*)+`)

var referenceInSubject = regexp.MustCompile(`(?i)\bCD-\d{4}-\d{6,}\b`)

// ReferenceInSubject returns the first case reference in a subject
// (upper-cased), or "".
func ReferenceInSubject(subject string) string {
	return strings.ToUpper(referenceInSubject.FindString(subject))
}
