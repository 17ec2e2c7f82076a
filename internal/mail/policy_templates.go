package mail

import (
	"strings"
	"text/template"
)

// RenewalData fills a renewal reminder to a policyholder.
type RenewalData struct {
	Name     string // the customer's name; "" greets generically
	Number   string // the policy number
	Line     string // motor, home …
	EndDate  string // the last day of cover, e.g. "Mon 30 November 2026"
	DaysLeft int
	Premium  string // the renewal premium with currency, "" when none was offered yet
	Kind     string // first, mid, final, lapsed
}

var renewalTemplate = template.Must(template.New("renewal").Parse(`Dear {{if .Name}}{{.Name}}{{else}}customer{{end}},
{{if eq .Kind "lapsed"}}
Your {{.Line}} policy {{.Number}} ended on {{.EndDate}} and was not renewed, so you are no longer covered by it.

If you would still like cover, please contact us as soon as possible.
{{else}}
Your {{.Line}} policy {{.Number}} ends on {{.EndDate}}{{if eq .DaysLeft 1}}, tomorrow{{else}}, in {{.DaysLeft}} days{{end}}.
{{if .Premium}}
Your renewal premium for the next year is {{.Premium}}.
{{end}}
{{if eq .Kind "final"}}This is our final notice: if the policy is not renewed by the end of that day, your cover stops.{{else}}To keep your cover without a gap, please renew before that date.{{end}} Reply to this email or call us to renew, change your cover or tell us you do not wish to renew.
{{end}}
Please quote your policy number {{.Number}}.
`))

// RenewalReminder returns the subject and body of a renewal reminder or,
// for kind "lapsed", of the notice that cover has ended.
func RenewalReminder(d RenewalData) (subject, body string) {
	var b strings.Builder
	_ = renewalTemplate.Execute(&b, d) // a fixed template over strings cannot fail
	switch d.Kind {
	case "final":
		subject = "Final notice: your policy " + d.Number + " ends on " + d.EndDate
	case "lapsed":
		subject = "Your policy " + d.Number + " has ended"
	default:
		subject = "Your policy " + d.Number + " is due for renewal on " + d.EndDate
	}
	return subject, b.String()
}

// MissedPaymentData fills the notice of a missed instalment.
type MissedPaymentData struct {
	Name    string
	Number  string
	Seq     int
	DueDate string
	Amount  string // with currency
}

var missedTemplate = template.Must(template.New("missed").Parse(`Dear {{if .Name}}{{.Name}}{{else}}customer{{end}},

We have not received instalment {{.Seq}} of {{.Amount}} for your policy {{.Number}}, which was due on {{.DueDate}}.

Please make the payment as soon as possible, or contact us if you are having difficulty paying: we can talk through the options with you. If payments stay missed, your cover may be cancelled.

Please quote your policy number {{.Number}}.
`))

// MissedPayment returns the subject and body of a missed instalment notice.
func MissedPayment(d MissedPaymentData) (subject, body string) {
	var b strings.Builder
	_ = missedTemplate.Execute(&b, d)
	return "Missed payment on your policy " + d.Number, b.String()
}
