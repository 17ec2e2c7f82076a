package httpapi

import (
	"mime"
	"net/http"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// cdrMaxBody bounds a call detail record upload: about 200,000 rows.
const cdrMaxBody = 32 << 20

type telephonyEventInput struct {
	EventID     string    `json:"event_id"`
	Type        string    `json:"type"`
	CallID      string    `json:"call_id"`
	At          timestamp `json:"at"`
	Queue       string    `json:"queue"`
	AgentID     int64     `json:"agent_id"`
	AgentEmail  string    `json:"agent_email"`
	CallerPhone string    `json:"caller_phone"`
	CallerEmail string    `json:"caller_email"`
	CustomerID  int64     `json:"customer_id"`
	Case        string    `json:"case"`
	Direction   string    `json:"direction"`
	Disposition string    `json:"disposition"`
	Transcript  string    `json:"transcript"`
}

type telephonyResultDTO struct {
	Duplicate   bool           `json:"duplicate"`
	Case        caseDTO        `json:"case"`
	Interaction interactionDTO `json:"interaction"`
}

// recordTelephonyEvent answers 201 for a new event and 200, with
// "duplicate": true, for an event id already recorded.
func (a *API) recordTelephonyEvent(w http.ResponseWriter, r *http.Request) error {
	var in telephonyEventInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	res, err := a.svc.RecordTelephonyEvent(r.Context(), service.TelephonyEvent{EventID: in.EventID, Type: in.Type,
		CallID: in.CallID, At: in.At.Time, Queue: in.Queue, AgentID: in.AgentID, AgentEmail: in.AgentEmail,
		CallerPhone: in.CallerPhone, CallerEmail: in.CallerEmail, CustomerID: in.CustomerID, Case: in.Case,
		Direction: in.Direction, Disposition: in.Disposition, Transcript: in.Transcript})
	if err != nil {
		return err
	}
	out := telephonyResultDTO{Duplicate: res.Duplicate, Case: toCase(res.Case), Interaction: toInteraction(res.Interaction)}
	if res.Duplicate {
		return writeJSON(w, http.StatusOK, out)
	}
	return created(w, caseLocation(res.Case)+"/interactions", out)
}

type cdrErrorDTO struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

type cdrReportDTO struct {
	Rows      int           `json:"rows"`
	Recorded  int           `json:"recorded"`
	Unchanged int           `json:"unchanged"`
	Errors    []cdrErrorDTO `json:"errors"`
}

// importCDR takes a CSV file of call detail records (Content-Type
// text/csv) and answers what it did, row by row.
func (a *API) importCDR(w http.ResponseWriter, r *http.Request) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "text/csv" {
		return care.Errorf(eMediaType, "Send the call detail records as CSV with Content-Type: text/csv.")
	}
	rep, err := a.svc.ImportCDR(r.Context(), http.MaxBytesReader(w, r.Body, cdrMaxBody))
	if err != nil {
		return decodeCSVError(err)
	}
	out := cdrReportDTO{Rows: rep.Rows, Recorded: rep.Recorded, Unchanged: rep.Unchanged,
		Errors: mapAll(rep.Errors, func(e service.CDRError) cdrErrorDTO {
			return cdrErrorDTO{Line: e.Line, Field: e.Field, Message: e.Message}
		})}
	return writeJSON(w, http.StatusOK, out)
}

// decodeCSVError turns an oversize body into a problem; other errors pass.
// Rows read before the limit are kept, as each row is its own transaction.
func decodeCSVError(err error) error {
	if care.ErrorCode(err) == care.EINTERNAL {
		return decodeError(err)
	}
	return err
}
