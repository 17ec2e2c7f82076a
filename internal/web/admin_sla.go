package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/service"
)

// slaData is the SLA policy page's data.
type slaData struct {
	Active      *service.SLAPolicyView
	Versions    []slaVersion
	Form        form
	Channels    []slaRow // first and next response by channel
	Types       []slaRow // resolution by case type
	Ladder      []slaCell
	Shifts      []slaShift
	Units       []slaUnit
	Vulnerable  string
	VulnErr     string
	NextVersion int64
}

// slaRow is one row of a target table: a channel or a case type and its
// target cells.
type slaRow struct {
	Key, Label string
	Cells      []slaCell
}

// slaCell is one target's inputs: Name is the field prefix the service uses
// in its errors ("first_response.email").
type slaCell struct {
	Name, Label  string
	Amount, Unit string
	Err          string
	ID           string // a safe element id
	Units        []slaUnit
	Col          string // the column it sits in, for narrow screens
}

type slaShift struct {
	Key, Label, Value, Err string
}

type slaUnit struct{ Value, Label string }

// slaVersion is one line of the version history.
type slaVersion struct {
	*service.SLAPolicyView
	Changes []string // against the version before it
}

var slaUnits = []slaUnit{{"business_hours", "business hours"}, {"business_days", "business days"},
	{"hours", "hours (elapsed)"}, {"calendar_days", "calendar days"}, {"weeks", "weeks"}}

// slaLadderBlanks is how many empty ladder rows the form offers for new steps.
const slaLadderBlanks = 3

// adminSLA answers GET /admin/sla.
func (ui *UI) adminSLA(w http.ResponseWriter, r *http.Request) {
	ui.showSLA(w, r, http.StatusOK, nil)
}

// showSLA renders the page; f, when not nil, is a refused form to show
// again with its values and errors.
func (ui *UI) showSLA(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	if !care.ActorFromContext(ctx).Can(care.PermConfigAdmin) {
		ui.renderError(w, r, http.StatusForbidden, "")
		return
	}
	versions, err := ui.svc.FindSLAPolicyVersions(ctx)
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	d := &slaData{Active: versions[0], Units: slaUnits, NextVersion: versions[0].Version + 1}
	for i, v := range versions {
		sv := slaVersion{SLAPolicyView: v}
		if i+1 < len(versions) {
			sv.Changes = service.SLAChanges(versions[i+1].Policy, v.Policy)
		}
		d.Versions = append(d.Versions, sv)
	}
	if f == nil {
		ff := slaForm(d.Active)
		f = &ff
	}
	d.Form = *f
	d.fill()
	ui.render(w, r, status, "admin-sla", &page{Title: "SLA policy · Administration", Nav: "admin", Data: d})
}

// slaForm puts a policy into form values named as the service names its
// fields.
func slaForm(v *service.SLAPolicyView) form {
	f := newForm()
	p := v.Policy
	f.Values["name"], f.Values["source"] = p.Name, p.Source
	f.Values["base_version"] = strconv.FormatInt(v.Version, 10)
	put := func(prefix string, m map[string]clock.Target) {
		for k, t := range m {
			f.Values[prefix+"."+k+".amount"] = strconv.Itoa(t.Amount)
			f.Values[prefix+"."+k+".unit"] = string(t.Unit)
		}
	}
	put("first_response", p.FirstResponse)
	put("next_response", p.NextResponse)
	put("resolution", p.Resolution)
	for i, t := range p.Ladder {
		f.Values["ladder["+strconv.Itoa(i)+"].amount"] = strconv.Itoa(t.Amount)
		f.Values["ladder["+strconv.Itoa(i)+"].unit"] = string(t.Unit)
	}
	for k, n := range p.PriorityShift {
		f.Values["priority_shift."+k] = strconv.Itoa(n)
	}
	f.Values["vulnerable_shift"] = strconv.Itoa(p.VulnerableShift)
	return f
}

// fill lays the form out as the page's tables.
func (d *slaData) fill() {
	f := d.Form
	cell := func(name, label string) slaCell {
		col, _, _ := strings.Cut(label, " by ")
		col, _, _ = strings.Cut(col, " of ")
		c := slaCell{Name: name, Label: label, Col: col, Amount: f.Get(name + ".amount"), Unit: f.Get(name + ".unit"),
			ID: strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name), Units: slaUnits}
		var errs []string
		for _, k := range []string{name, name + ".amount", name + ".unit"} {
			if e := f.Err(k); e != "" {
				errs = append(errs, e)
			}
		}
		c.Err = strings.Join(errs, "; ")
		return c
	}
	for _, ch := range care.ChannelList() {
		d.Channels = append(d.Channels, slaRow{Key: ch, Label: label(ch), Cells: []slaCell{
			cell("first_response."+ch, "First response by "+label(ch)),
			cell("next_response."+ch, "Next response by "+label(ch)),
		}})
	}
	for _, t := range care.CaseTypeList() {
		d.Types = append(d.Types, slaRow{Key: t, Label: label(t), Cells: []slaCell{cell("resolution."+t, "Resolution of "+label(t))}})
	}
	rows := 0 // up to the last step with an amount, so refused posts do not add blank rows
	for i := 0; i < 40; i++ {
		if f.Get("ladder["+strconv.Itoa(i)+"].amount") != "" || f.Err("ladder["+strconv.Itoa(i)+"]") != "" {
			rows = i + 1
		}
	}
	for i := 0; i < rows+slaLadderBlanks; i++ {
		d.Ladder = append(d.Ladder, cell("ladder["+strconv.Itoa(i)+"]", "Step "+strconv.Itoa(i+1)))
	}
	for _, p := range care.PriorityList() {
		d.Shifts = append(d.Shifts, slaShift{Key: p, Label: label(p), Value: f.Get("priority_shift." + p), Err: f.Err("priority_shift." + p)})
	}
	d.Vulnerable, d.VulnErr = f.Get("vulnerable_shift"), f.Err("vulnerable_shift")
}

var ladderField = regexp.MustCompile(`^ladder\[(\d+)\](.*)$`)

// saveSLA answers POST /admin/sla: a new version of the policy.
func (ui *UI) saveSLA(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	for k, vs := range r.PostForm {
		if k != "csrf" && len(vs) > 0 {
			f.Values[k] = strings.TrimSpace(vs[0])
		}
	}
	p := &clock.SLAPolicy{Name: f.Get("name"), Source: f.Get("source"), FirstResponse: map[string]clock.Target{},
		NextResponse: map[string]clock.Target{}, Resolution: map[string]clock.Target{}, PriorityShift: map[string]int{}}
	target := func(name string) clock.Target {
		n, _ := strconv.Atoi(f.Get(name + ".amount")) // not a number: 0, which the service refuses by name
		return clock.Target{Amount: n, Unit: clock.Unit(f.Get(name + ".unit"))}
	}
	for _, ch := range care.ChannelList() {
		p.FirstResponse[ch] = target("first_response." + ch)
		p.NextResponse[ch] = target("next_response." + ch)
	}
	for _, t := range care.CaseTypeList() {
		p.Resolution[t] = target("resolution." + t)
	}
	// Blank ladder rows are left out; rowOf maps a step back to its row
	// for the service's errors.
	var rowOf []int
	for i := 0; i < 40; i++ {
		name := "ladder[" + strconv.Itoa(i) + "]"
		if _, ok := f.Values[name+".unit"]; !ok {
			break
		}
		if f.Get(name+".amount") == "" {
			continue
		}
		p.Ladder = append(p.Ladder, target(name))
		rowOf = append(rowOf, i)
	}
	var pr care.Problems
	for _, k := range care.PriorityList() {
		n, err := strconv.Atoi(f.Get("priority_shift." + k))
		if err != nil {
			pr.Add("priority_shift."+k, "must be a whole number of steps, such as -1, 0 or 1")
		}
		p.PriorityShift[k] = n
	}
	vs, err := strconv.Atoi(f.Get("vulnerable_shift"))
	if err != nil {
		pr.Add("vulnerable_shift", "must be a whole number of steps, such as -1 or 0")
	}
	p.VulnerableShift = vs
	base, err := strconv.ParseInt(f.Get("base_version"), 10, 64)
	if err != nil {
		base = -1
	}
	err = pr.Err()
	var v *service.SLAPolicyView
	if err == nil {
		v, err = ui.svc.UpdateSLAPolicy(r.Context(), p, f.Get("note"), base)
	}
	if err != nil {
		ui.slaFailed(w, r, err, f, rowOf)
		return
	}
	if v.Version == base {
		ui.setFlash(w, "slaunchanged")
	} else {
		ui.setFlash(w, "sla")
	}
	http.Redirect(w, r, "/admin/sla", http.StatusSeeOther)
}

// slaFailed shows the form again with the service's errors beside their
// fields, or the error page for errors that are not about the form.
func (ui *UI) slaFailed(w http.ResponseWriter, r *http.Request, err error, f form, rowOf []int) {
	switch care.ErrorCode(err) {
	case care.EINVALID, care.ECONFLICT:
	default:
		ui.fail(w, r, err)
		return
	}
	for _, fe := range care.ErrorFields(err) {
		field := fe.Field
		if m := ladderField.FindStringSubmatch(field); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(rowOf) {
				field = "ladder[" + strconv.Itoa(rowOf[i]) + "]" + m[2]
			}
		}
		f.Errors[field] = fe.Message
	}
	f.Error = care.ErrorMessage(err)
	ui.showSLA(w, r, errorStatus(err), &f)
}

// restoreSLA answers POST /admin/sla/restore: an earlier version saved again
// as the newest.
func (ui *UI) restoreSLA(w http.ResponseWriter, r *http.Request) {
	version, err1 := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	base, err2 := strconv.ParseInt(r.PostForm.Get("base_version"), 10, 64)
	if err1 != nil || err2 != nil {
		ui.renderError(w, r, http.StatusBadRequest, "The form is missing the version to restore; reload the page and try again.")
		return
	}
	v, err := ui.svc.RestoreSLAPolicy(r.Context(), version, base)
	if err != nil {
		if care.ErrorCode(err) == care.ECONFLICT {
			f := newForm()
			f.Error = care.ErrorMessage(err)
			ui.showSLAWith(w, r, errorStatus(err), f)
			return
		}
		ui.fail(w, r, err)
		return
	}
	if v.Version == base {
		ui.setFlash(w, "slaunchanged")
	} else {
		ui.setFlash(w, "slarestored")
	}
	http.Redirect(w, r, "/admin/sla", http.StatusSeeOther)
}

// showSLAWith shows the page with the active policy in the form and a
// message for the whole form.
func (ui *UI) showSLAWith(w http.ResponseWriter, r *http.Request, status int, msg form) {
	v, err := ui.svc.FindSLAPolicy(r.Context())
	if err != nil {
		ui.fail(w, r, err)
		return
	}
	f := slaForm(v)
	f.Error = msg.Error
	ui.showSLA(w, r, status, &f)
}
