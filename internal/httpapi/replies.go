package httpapi

import "net/http"

// replyInput is the body of POST /api/v1/cases/{key}/replies.
type replyInput struct {
	Subject string `json:"subject"` // optional; default "Re: <case subject> [reference]"
	Body    string `json:"body"`
}

// createReply emails the case's customer through the outbox and answers
// with the outbound interaction recorded for it (its external_id is the
// mail's Message-ID).
func (a *API) createReply(w http.ResponseWriter, r *http.Request) error {
	var in replyInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	c, i, err := a.svc.ReplyByEmail(r.Context(), r.PathValue("key"), in.Subject, in.Body)
	if err != nil {
		return err
	}
	return created(w, caseLocation(c)+"/interactions", toInteraction(i))
}
