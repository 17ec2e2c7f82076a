package letters

import (
	"slices"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
)

// Default returns the built-in template of a kind of letter for a regime in
// English: version 1, served until an administrator edits it. ok is false
// when caredesk ships none (another language, or the summary resolution
// communication outside uk-fca).
func Default(kind, regime, language string) (subject, body string, ok bool) {
	if language != "en" || !slices.Contains(care.LetterRegimes, regime) {
		return "", "", false
	}
	var b string
	switch kind {
	case care.LetterAcknowledgement:
		b = ackBody
	case care.LetterHolding:
		b = holdingBody
	case care.LetterSummaryResolution:
		if regime != "uk-fca" {
			return "", "", false
		}
		b = summaryBody
	case care.LetterFinalResponse:
		b = finalBody
	default:
		return "", "", false
	}
	r := strings.NewReplacer("@@NEXT@@", ackNext[regime], "@@REFERRAL@@", referral(kind, regime), "@@HOLDING@@", holdingIntro[regime])
	return subjects[kind], header + r.Replace(b) + footer, true
}

var subjects = map[string]string{
	care.LetterAcknowledgement:   `We have received your complaint [{{.Reference}}]`,
	care.LetterHolding:           `An update on your complaint [{{.Reference}}]`,
	care.LetterSummaryResolution: `Your complaint has been resolved [{{.Reference}}]`,
	care.LetterFinalResponse:     `Our final response to your complaint [{{.Reference}}]`,
}

const header = `{{.Firm}}
{{.Date}}

{{.Customer.Name}}
{{with .Customer.Address}}{{.}}
{{end}}
Our reference: {{.Reference}}

Dear {{.Customer.Name}},

`

const footer = `
{{with .Extra}}{{.}}
{{end}}
Yours sincerely,

{{.Handler}}
{{.Firm}}
`

const ackBody = `{{block "reference" .}}Thank you for telling us about your complaint, which we received on {{.ReceivedOn}}. We have recorded it under reference {{.Reference}}: {{.Subject}}. Please quote this reference whenever you contact us about it.{{end}}
{{with .RemedySought}}
You told us you would like us to put things right by: {{.}}
{{end}}
{{block "contact" .}}{{with .Contact}}{{.}} is handling your complaint and will be your point of contact. You can reach us by replying to this letter or email, quoting your reference.{{end}}{{end}}

{{block "next_steps" .}}What happens next
{{with .NextSteps}}{{.}}{{else}}@@NEXT@@{{end}}{{end}}
`

// ackNext says, per regime, when the customer will hear from the firm.
var ackNext = map[string]string{
	"uk-fca":   `We will investigate your complaint and send you our final response within eight weeks of receiving it{{with .ResponseDue}}, by {{.}}{{end}}. If we cannot do so, we will write to explain why and tell you when we expect to reply.`,
	"au-asic":  `We will investigate your complaint and give you our response within 30 calendar days of receiving it{{with .ResponseDue}}, by {{.}}{{end}}. If we cannot, we will tell you why, and about your right to complain to the Australian Financial Complaints Authority.`,
	"ie-cpc":   `We will investigate your complaint, update you in writing at least every 20 business days, and aim to resolve it within 40 business days of receiving it{{with .ResponseDue}}, by {{.}}{{end}}.`,
	"us":       `We will investigate your complaint and send you a written response{{with .ResponseDue}} by {{.}}{{end}}. If we need more time, we will write to tell you why.`,
	"iso10002": `We will investigate your complaint and send you our response{{with .ResponseDue}} by {{.}}{{end}}. We will keep you informed of our progress.`,
}

var holdingIntro = map[string]string{
	"uk-fca":   `We are writing about the complaint you made to us on {{.ReceivedOn}} about "{{.Subject}}". We are sorry that we are not yet in a position to send you our final response.`,
	"au-asic":  `We are writing about the complaint you made to us on {{.ReceivedOn}} about "{{.Subject}}". We are sorry that we cannot give you our response within 30 calendar days.`,
	"ie-cpc":   `We are writing to update you on the complaint you made to us on {{.ReceivedOn}} about "{{.Subject}}", which we have not yet been able to resolve.`,
	"us":       `We are writing about the complaint you made to us on {{.ReceivedOn}} about "{{.Subject}}". We need more time to reach a decision.`,
	"iso10002": `We are writing to update you on the complaint you made to us on {{.ReceivedOn}} about "{{.Subject}}", which we have not yet been able to resolve.`,
}

const holdingBody = `@@HOLDING@@

{{block "reasons" .}}{{with .Reasons}}Why we need more time
{{.}}{{end}}{{end}}

{{block "expected_date" .}}{{with .ExpectedDate}}We expect to send you our response by {{.}}.{{end}}{{end}}

@@REFERRAL@@
`

const summaryBody = `Thank you for your complaint of {{.ReceivedOn}} about "{{.Subject}}".

{{block "resolution" .}}{{with .Resolution}}What we have done
{{.}}{{end}}{{end}}

We now consider your complaint resolved. If you are not happy with this, please tell us.

@@REFERRAL@@
`

const finalBody = `This is our final response to the complaint you made to us on {{.ReceivedOn}} about "{{.Subject}}".

{{block "outcome" .}}{{with .OutcomeText}}Our decision
{{.}}{{end}}{{end}}

{{block "reasoning" .}}{{with .Reasoning}}Why we reached this decision
{{.}}{{end}}{{end}}

{{block "terms_relied_on" .}}{{with .TermsReliedOn}}The policy terms and rules we relied on
{{.}}{{end}}{{end}}

{{block "redress" .}}{{if .Redress}}Putting things right
{{range .Redress}}- {{.Kind}} of {{.Amount}}, {{.Status}}
{{end}}{{else if .NoRedressDue}}Putting things right
As we have not upheld your complaint, we are not offering a payment or other redress.{{end}}{{end}}

{{block "next_steps" .}}What happens next
{{with .NextSteps}}{{.}}{{else}}{{if .Redress}}Please tell us whether you accept our offer; we will make any payment within 14 days of hearing from you. {{end}}This letter is our final response to your complaint.{{end}}{{end}}

@@REFERRAL@@
`

// referral is the referral-rights block of a kind under a regime.
func referral(kind, regime string) string {
	var intro string
	switch {
	case regime == "uk-fca" && kind == care.LetterHolding:
		intro = `If you are unhappy with the delay, you may refer your complaint to the {{.Name}} now, free of charge; you do not have to wait for our final response. Once we have sent it, you must refer your complaint {{.TimeLimit}}.`
	case regime == "uk-fca" && kind == care.LetterSummaryResolution:
		intro = `If you later become dissatisfied with how we resolved your complaint, you may be able to refer it to the {{.Name}}, free of charge. We do not consent to the Ombudsman considering a complaint referred more than six months after this letter, unless there were exceptional circumstances. More information is on the Ombudsman's website.`
	case regime == "uk-fca":
		intro = `If you remain dissatisfied, you may refer your complaint to the {{.Name}}, free of charge. You must do so {{.TimeLimit}}. If you do not refer your complaint in time, the Ombudsman will not have our permission to consider it and so will only be able to do so in very limited circumstances, for example if it believes the delay was the result of exceptional circumstances.`
	case regime == "au-asic" && kind == care.LetterHolding:
		intro = `If you are not satisfied with the delay or with our response, you may complain to the {{.Name}} (AFCA), a free and independent external dispute resolution scheme. You may do so now. Once we have responded, you must lodge your complaint {{.TimeLimit}}.`
	case regime == "au-asic":
		intro = `If you are not satisfied with our response, you may complain to the {{.Name}} (AFCA), a free and independent external dispute resolution scheme. You must lodge your complaint {{.TimeLimit}}.`
	case regime == "ie-cpc":
		intro = `If you are not satisfied with our response, you may refer your complaint to the {{.Name}}, free of charge. You must do so {{.TimeLimit}}.`
	case kind == care.LetterHolding:
		intro = `If you are not satisfied with the delay, you may contact the {{.Name}}{{if .Free}}, free of charge{{end}}. You should do so {{.TimeLimit}}.`
	default:
		intro = `If you are not satisfied with our response, you may refer your complaint to the {{.Name}}{{if .Free}}, free of charge{{end}}. You should do so {{.TimeLimit}}.`
	}
	return `{{block "referral_rights" .}}{{with .Referral}}Your right to refer your complaint
` + intro + `

{{.Name}}
{{.Address}}
Telephone: {{.Phone}}{{with .Email}}
Email: {{.}}{{end}}
Website: {{.Website}}{{end}}{{end}}`
}
