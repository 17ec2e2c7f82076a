package portal

import (
	"net/http"
	"strconv"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/service"
)

// surveyData is the survey page's data: the questions, or a closing word.
type surveyData struct {
	Token     string
	Form      *service.SurveyForm
	Values    map[string]string
	Errors    []fieldError
	Err       map[string]string
	Done      bool   // answered just now
	Closed    string // why the link can no longer be answered
	CSATScale []int
	NPSScale  []int
	CESScale  []int
}

func newSurveyData(token string) surveyData {
	scale := func(from, to int) []int {
		out := make([]int, 0, to-from+1)
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	}
	return surveyData{Token: token, Values: map[string]string{}, Err: map[string]string{},
		CSATScale: scale(1, 5), NPSScale: scale(0, 10), CESScale: scale(1, 7)}
}

// survey answers GET /portal/survey/{token}: the link in the email sent
// when a case is resolved. The token is the credential; it works once.
func (p *Portal) survey(w http.ResponseWriter, r *http.Request) {
	d := newSurveyData(r.PathValue("token"))
	f, err := p.svc.FindSurvey(r.Context(), d.Token)
	switch care.ErrorCode(err) {
	case "":
	case care.ENOTFOUND:
		p.renderError(w, r, http.StatusNotFound, "This survey link is not valid",
			"Please check that you copied the whole link from our email.")
		return
	default:
		p.serverError(w, r, err)
		return
	}
	d.Form = f
	switch {
	case f.Answered:
		d.Closed = "This survey has already been answered. Thank you for your time."
	case f.Expired:
		d.Closed = "This survey link has expired. Thank you all the same."
	}
	p.render(w, r, http.StatusOK, "survey", &page{Title: "How did we do?", CSRF: p.csrfToken(w, r), Private: true, Data: d})
}

// answerSurvey stores the answers posted from the survey page.
func (p *Portal) answerSurvey(w http.ResponseWriter, r *http.Request) {
	f, err := p.readForm(w, r)
	if p.formRefusal(w, r, err) {
		return
	}
	d := newSurveyData(r.PathValue("token"))
	var a service.SurveyAnswers
	for _, q := range []struct {
		name string
		dst  **int
	}{{"csat", &a.CSAT}, {"nps", &a.NPS}, {"ces", &a.CES}} {
		v := f.value(q.name)
		d.Values[q.name] = v
		if n, err := strconv.Atoi(v); err == nil {
			*q.dst = &n
		}
	}
	if !p.validToken(r, f) {
		d.Closed = "For your security this form had expired. Please open the link from our email again."
		p.render(w, r, http.StatusForbidden, "survey", &page{Title: "How did we do?", CSRF: p.csrfToken(w, r), Data: d})
		return
	}
	err = p.svc.AnswerSurvey(r.Context(), d.Token, a)
	switch care.ErrorCode(err) {
	case "":
		d.Done = true
		p.render(w, r, http.StatusOK, "survey", &page{Title: "Thank you", Private: true, Data: d})
	case care.EINVALID:
		if fields := care.ErrorFields(err); len(fields) == 1 && fields[0].Field == "token" {
			d.Closed = "This survey link has expired. Thank you all the same."
		} else {
			d.Errors, d.Err = problems(err)
			d.Form, _ = p.svc.FindSurvey(r.Context(), d.Token)
		}
		p.render(w, r, http.StatusUnprocessableEntity, "survey", &page{Title: "How did we do?", CSRF: p.csrfToken(w, r), Data: d})
	case care.ECONFLICT:
		d.Closed = "This survey has already been answered. Thank you for your time."
		p.render(w, r, http.StatusConflict, "survey", &page{Title: "How did we do?", Data: d})
	case care.ENOTFOUND:
		p.renderError(w, r, http.StatusNotFound, "This survey link is not valid",
			"Please check that you copied the whole link from our email.")
	default:
		p.serverError(w, r, err)
	}
}
