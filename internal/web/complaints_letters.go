package web

import (
	"context"

	"github.com/caredesk/caredesk/internal/care"
)

// loadLetters lists the letters sent on the complaint, for the letters
// section of its page (the letters page itself writes and sends them).
func (ui *UI) loadLetters(ctx context.Context, d *complaintData) error {
	letters, err := ui.svc.FindLetters(ctx, d.V.Case.Reference)
	switch care.ErrorCode(err) {
	case "":
		d.Letters = letters
	case care.EFORBIDDEN:
		d.LettersMsg = "Your role does not allow reading letters."
	default:
		return err
	}
	return nil
}

// LettersURL is the address of the complaint's letters page.
func (d *complaintData) LettersURL() string { return complaintURL(d.V.Case.Reference) + "/letters" }
