package httpapi

import (
	"net/http"

	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/service"
)

// targetDTO is an SLA target: an amount in a unit.
type targetDTO struct {
	Amount int    `json:"amount"`
	Unit   string `json:"unit"`
}

// slaPolicyDTO is a version of the SLA policy. Version 0 is the built-in
// default, in force until an administrator saves a policy.
type slaPolicyDTO struct {
	Version         int64                `json:"version"`
	Active          bool                 `json:"active"`
	Name            string               `json:"name"`
	Source          string               `json:"source"`
	Note            string               `json:"note"`
	ActivatedAt     *string              `json:"activated_at"`
	ActivatedBy     string               `json:"activated_by"`
	FirstResponse   map[string]targetDTO `json:"first_response"`
	NextResponse    map[string]targetDTO `json:"next_response"`
	Resolution      map[string]targetDTO `json:"resolution"`
	Ladder          []targetDTO          `json:"ladder"`
	PriorityShift   map[string]int       `json:"priority_shift"`
	VulnerableShift int                  `json:"vulnerable_shift"`
}

func toTargets(m map[string]clock.Target) map[string]targetDTO {
	out := make(map[string]targetDTO, len(m))
	for k, t := range m {
		out[k] = targetDTO{t.Amount, string(t.Unit)}
	}
	return out
}

func fromTargets(m map[string]targetDTO) map[string]clock.Target {
	out := make(map[string]clock.Target, len(m))
	for k, t := range m {
		out[k] = clock.Target{Amount: t.Amount, Unit: clock.Unit(t.Unit)}
	}
	return out
}

func toSLAPolicy(v *service.SLAPolicyView) slaPolicyDTO {
	p := v.Policy
	d := slaPolicyDTO{Version: v.Version, Active: v.Active, Name: p.Name, Source: p.Source, Note: v.Note,
		ActivatedAt: stamp(v.ActivatedAt), ActivatedBy: v.ActivatedBy, FirstResponse: toTargets(p.FirstResponse),
		NextResponse: toTargets(p.NextResponse), Resolution: toTargets(p.Resolution), Ladder: []targetDTO{},
		PriorityShift: p.PriorityShift, VulnerableShift: p.VulnerableShift}
	for _, t := range p.Ladder {
		d.Ladder = append(d.Ladder, targetDTO{t.Amount, string(t.Unit)})
	}
	return d
}

// slaPolicyInput replaces the SLA policy (PUT): every channel, case type and
// priority must be given.
type slaPolicyInput struct {
	Name            string               `json:"name"`
	Source          string               `json:"source"`
	Note            string               `json:"note"`
	BaseVersion     *int64               `json:"base_version"` // the version the edit started from; absent: no check
	FirstResponse   map[string]targetDTO `json:"first_response"`
	NextResponse    map[string]targetDTO `json:"next_response"`
	Resolution      map[string]targetDTO `json:"resolution"`
	Ladder          []targetDTO          `json:"ladder"`
	PriorityShift   map[string]int       `json:"priority_shift"`
	VulnerableShift int                  `json:"vulnerable_shift"`
}

func (a *API) getSLAPolicy(w http.ResponseWriter, r *http.Request) error {
	v, err := a.svc.FindSLAPolicy(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSLAPolicy(v))
}

func (a *API) listSLAPolicyVersions(w http.ResponseWriter, r *http.Request) error {
	vs, err := a.svc.FindSLAPolicyVersions(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, page[slaPolicyDTO]{Items: mapAll(vs, toSLAPolicy)})
}

func (a *API) updateSLAPolicy(w http.ResponseWriter, r *http.Request) error {
	var in slaPolicyInput
	if err := a.decode(w, r, &in); err != nil {
		return err
	}
	p := &clock.SLAPolicy{Name: in.Name, Source: in.Source, FirstResponse: fromTargets(in.FirstResponse),
		NextResponse: fromTargets(in.NextResponse), Resolution: fromTargets(in.Resolution),
		PriorityShift: in.PriorityShift, VulnerableShift: in.VulnerableShift}
	if p.PriorityShift == nil {
		p.PriorityShift = map[string]int{}
	}
	for _, t := range in.Ladder {
		p.Ladder = append(p.Ladder, clock.Target{Amount: t.Amount, Unit: clock.Unit(t.Unit)})
	}
	base := int64(-1)
	if in.BaseVersion != nil {
		base = *in.BaseVersion
	}
	v, err := a.svc.UpdateSLAPolicy(r.Context(), p, in.Note, base)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toSLAPolicy(v))
}
