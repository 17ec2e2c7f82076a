package service

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/kpi"
	"github.com/caredesk/caredesk/internal/store"
)

// Changes are counted with every dimension; the store projects them onto
// each rollup it keeps (store.KPIShapes).
const kpiDims = kpi.AllDims

// KPIRequest is a KPI report as the CLI and the API ask for it, in text, so
// both parse it the same way and name the same fields when it is wrong.
type KPIRequest struct {
	From, To string // dates (YYYY-MM-DD), both inclusive, in the rollup's time zone
	By       string // day, week or month (default day)
	Channel  string
	Team     string // team id
	Agent    string // agent id or email
	CaseType string
	Product  string // the policy's line
}

// KPIs returns the figures of each period overlapping [From, To], read from
// the rollup cells (never raw rows), sliced by the request's filters.
func (s *Service) KPIs(ctx context.Context, req KPIRequest) ([]kpi.Figures, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermKPIRead); err != nil {
		return nil, err
	}
	var out []kpi.Figures
	err := s.store.Read(ctx, func(tx *store.Tx) error {
		set, err := tx.KPISettings(ctx)
		if err != nil {
			return err
		}
		opts, err := set.Options()
		if err != nil {
			return err
		}
		q, err := parseKPIRequest(ctx, tx, req, opts.Location)
		if err != nil {
			return err
		}
		q.AsOf = tx.Now()
		shape, ok, err := tx.KPIShapeFor(ctx, q.FilterDims|q.GroupBy)
		if err != nil {
			return err
		}
		if !ok {
			return care.Invalid("agent", "slicing by agent and product together is not kept; slice by one of them")
		}
		r, err := kpi.NewRollup(shape, opts)
		if err != nil {
			return err
		}
		// An empty rollup's report names the periods, hence the days to load.
		span, err := r.Report(q)
		if err != nil {
			return err
		}
		first := kpi.DayOf(span[0].Start, opts.Location)
		last := kpi.DayOf(span[len(span)-1].End, opts.Location) - 1
		if err := tx.LoadKPI(ctx, r, first, last, q.Filter, q.FilterDims); err != nil {
			return err
		}
		out, err = r.Report(q)
		return err
	})
	return out, err
}

// maxKPIDays bounds a report, so a typo in a year cannot ask for millennia.
const maxKPIDays = 366 * 10

func parseKPIRequest(ctx context.Context, tx *store.Tx, req KPIRequest, loc *time.Location) (kpi.Query, error) {
	var p care.Problems
	var q kpi.Query
	date := func(field, v string) time.Time {
		if strings.TrimSpace(v) == "" {
			p.Add(field, "is required, as a date such as 2026-01-31")
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), loc)
		if err != nil {
			p.Add(field, "must be a date such as 2026-01-31, not %q", v)
		}
		return t
	}
	q.From, q.To = date("from", req.From), date("to", req.To)
	if !q.From.IsZero() && !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // inclusive: up to the end of the day
		switch days := q.To.Sub(q.From).Hours() / 24; {
		case days < 1:
			p.Add("to", "must not be before from")
		case days > maxKPIDays:
			p.Add("to", "must be at most %d days after from", maxKPIDays)
		}
	}
	switch strings.ToLower(strings.TrimSpace(req.By)) {
	case "", "day":
		q.Grain = kpi.Daily
	case "week":
		q.Grain = kpi.Weekly
	case "month":
		q.Grain = kpi.Monthly
	default:
		p.Add("by", "must be day, week or month")
	}
	if v := strings.TrimSpace(req.Channel); v != "" {
		if !slices.Contains(care.InteractionChannels, v) {
			p.Add("channel", "must be one of: %s", strings.Join(care.InteractionChannels, ", "))
		}
		q.Filter.Channel, q.FilterDims = v, q.FilterDims|kpi.DimChannel
	}
	if v := strings.TrimSpace(req.Team); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			p.Add("team", "must be a team id (0 for no team)")
		}
		q.Filter.TeamID, q.FilterDims = n, q.FilterDims|kpi.DimTeam
	}
	if v := strings.TrimSpace(req.Agent); v != "" {
		id, err := agentID(ctx, tx, v)
		if err != nil {
			if care.ErrorCode(err) != care.EINVALID {
				return q, err
			}
			p.Add("agent", "%s", care.ErrorMessage(err))
		}
		q.Filter.AgentID, q.FilterDims = id, q.FilterDims|kpi.DimAgent
	}
	if v := strings.TrimSpace(req.CaseType); v != "" {
		if !slices.Contains(care.CaseTypes, v) {
			p.Add("case_type", "must be one of: %s", strings.Join(care.CaseTypes, ", "))
		}
		q.Filter.CaseType, q.FilterDims = v, q.FilterDims|kpi.DimCaseType
	}
	if v := strings.TrimSpace(req.Product); v != "" {
		q.Filter.Product, q.FilterDims = v, q.FilterDims|kpi.DimProduct
	}
	return q, p.Err()
}

// agentID resolves an agent given by id or email.
func agentID(ctx context.Context, tx *store.Tx, v string) (int64, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
		return n, nil
	}
	u, err := tx.FindUserByEmail(ctx, strings.ToLower(v))
	if care.ErrorCode(err) == care.ENOTFOUND {
		return 0, care.Errorf(care.EINVALID, "no user with email %s", v)
	} else if err != nil {
		return 0, err
	}
	return u.ID, nil
}

// kpiOptions returns the definitions the cells are counted by.
func kpiOptions(ctx context.Context, tx *store.Tx) (kpi.Options, error) {
	set, err := tx.KPISettings(ctx)
	if err != nil {
		return kpi.Options{}, err
	}
	return set.Options()
}

// kpiInteraction keeps the rollup cells in step with an interaction just
// created or changed, and with its case (whose contacts decide FCR): it
// takes out what they added before and adds them as they are now, in the
// transaction of the change.
func kpiInteraction(ctx context.Context, tx *store.Tx, interactionID int64) error {
	opts, err := kpiOptions(ctx, tx)
	if err != nil {
		return err
	}
	delta, err := kpi.NewRollup(kpiDims, opts)
	if err != nil {
		return err
	}
	caseID, err := kpiContactDelta(ctx, tx, delta, interactionID)
	if err != nil {
		return err
	}
	if _, err := kpiCaseDelta(ctx, tx, delta, caseID); err != nil {
		return err
	}
	return tx.ApplyKPI(ctx, delta)
}

// kpiCase keeps the rollup cells in step with a case just created or
// changed (resolved, reopened, reassigned); a case resolved for the first
// time also invites its customer to a survey.
func (s *Service) kpiCase(ctx context.Context, tx *store.Tx, caseID int64) error {
	opts, err := kpiOptions(ctx, tx)
	if err != nil {
		return err
	}
	delta, err := kpi.NewRollup(kpiDims, opts)
	if err != nil {
		return err
	}
	resolved, err := kpiCaseDelta(ctx, tx, delta, caseID)
	if err != nil {
		return err
	}
	if err := tx.ApplyKPI(ctx, delta); err != nil || !resolved {
		return err
	}
	return s.inviteSurvey(ctx, tx, caseID)
}

func kpiContactDelta(ctx context.Context, tx *store.Tx, delta *kpi.Rollup, id int64) (caseID int64, err error) {
	var old kpi.Contact
	found, err := tx.KPIFacts(ctx, "contact", id, &old)
	if err != nil {
		return 0, err
	}
	if found {
		delta.RemoveContact(old)
	}
	k, err := tx.FindKPIContact(ctx, id)
	if err != nil {
		return 0, err
	}
	c := kpi.ContactFromInteraction(k.Interaction, k.Key)
	delta.AddContact(c)
	return k.CaseID, tx.SetKPIFacts(ctx, "contact", id, c)
}

// kpiCaseDelta recounts a case into delta; resolved says the case has just
// been resolved (it was open, or not counted, before).
func kpiCaseDelta(ctx context.Context, tx *store.Tx, delta *kpi.Rollup, id int64) (resolved bool, err error) {
	var old kpi.Case
	found, err := tx.KPIFacts(ctx, "case", id, &old)
	if err != nil {
		return false, err
	}
	if found {
		if err := delta.RemoveCase(old); err != nil {
			return false, err
		}
	}
	k, err := tx.FindKPICase(ctx, id)
	if err != nil {
		return false, err
	}
	cal, err := kpiCalendar(ctx, tx)
	if err != nil {
		return false, err
	}
	c := kpiCaseOf(k, cal)
	if err := delta.AddCase(c); err != nil {
		return false, err
	}
	return old.ResolvedAt.IsZero() && !c.ResolvedAt.IsZero(), tx.SetKPIFacts(ctx, "case", id, c)
}

// kpiCalendar returns the calendar the cells count business hours on: the
// region recorded in the KPI settings, with the firm's own hours and days
// when it edited them (Admin → Calendars), as its SLA clocks count.
func kpiCalendar(ctx context.Context, tx *store.Tx) (*calendar.Calendar, error) {
	set, err := tx.KPISettings(ctx)
	if err != nil {
		return nil, err
	}
	region := set.BusinessCalendar()
	fc, err := tx.FindFirmCalendar(ctx, region)
	if err != nil || fc == nil {
		if err != nil {
			return nil, err
		}
		return calendar.New(region)
	}
	// Built calendars are kept by their settings, not by revision, so
	// databases (and tests) with different edits never share one.
	key, err := json.Marshal([]any{fc.Region, fc.Zone, fc.Hours, fc.Cutoff, fc.Days})
	if err != nil {
		return nil, err
	}
	if c, ok := kpiCalendars.Load(string(key)); ok {
		return c.(*calendar.Calendar), nil
	}
	c, err := buildFirmCalendar(fc)
	if err != nil {
		return nil, err
	}
	kpiCalendars.Store(string(key), c)
	return c, nil
}

// kpiCalendars caches the firm calendars business hours are counted on.
var kpiCalendars sync.Map

// complaintDeadlines are the regulatory milestones a complaint is "closed
// within" (FCA DISP 1.5/1.6: three business days, eight weeks; ISO 10002,
// CPC, RG 271: the final response).
var complaintDeadlines = []string{"summary_resolution", "final_response", "final_response_extended"}

// kpiCaseOf turns a case, its contacts and its clocks into the KPI engine's
// Case. The first response is the earliest outbound contact, or answered
// inbound call or chat; the customer's contacts are their inbound contacts
// that reached someone (an abandoned call is not a contact about the case).
// Business-hours spans are counted on cal and kept in the case's facts, so
// taking the case out again subtracts exactly what was added.
func kpiCaseOf(k *store.KPICase, cal *calendar.Calendar) kpi.Case {
	out := kpiCaseTimes(k)
	c := k.Case
	if !out.FirstResponseAt.IsZero() {
		out.FirstResponseBusiness = max(0, cal.BusinessTimeBetween(c.ReceivedAt, out.FirstResponseAt))
	}
	if !out.ResolvedAt.IsZero() {
		out.ResolutionBusiness = max(0, cal.BusinessTimeBetween(c.ReceivedAt, out.ResolvedAt))
	}
	for _, x := range k.Clocks {
		name := x.Regime + "/" + x.Name
		// Settled clocks only: met (on time or not) or breached. A lapsed
		// optional window is no failure, a running one is not yet known.
		if x.State == care.ClockMet || x.State == care.ClockBreached {
			out.Clocks = append(out.Clocks, kpi.CaseClock{Name: name, Due: x.DueAt, Done: x.MetAt})
		}
		if c.Type == "complaint" && x.Regime != care.SLARegime && x.Occurrence == 1 &&
			x.State != care.ClockCancelled && slices.Contains(complaintDeadlines, x.Name) {
			out.Deadlines = append(out.Deadlines, kpi.Deadline{Name: name, Due: x.DueAt})
		}
	}
	return out
}

// kpiCaseTimes sets the key, receipt, first response, resolution and
// customer contacts of a case.
func kpiCaseTimes(k *store.KPICase) kpi.Case {
	c := k.Case
	out := kpi.Case{Key: kpi.Key{Channel: c.Channel, TeamID: c.TeamID, AgentID: c.AssigneeID, CaseType: c.Type,
		Product: k.Product}, ReceivedAt: c.ReceivedAt}
	if care.IsClosedStatus(c.Status) && !c.ClosedAt.IsZero() {
		out.ResolvedAt = c.ClosedAt
	}
	respond := func(t time.Time) {
		if !t.IsZero() && !t.Before(c.ReceivedAt) && (out.FirstResponseAt.IsZero() || t.Before(out.FirstResponseAt)) {
			out.FirstResponseAt = t
		}
	}
	for _, i := range k.Contacts {
		if i.Channel == "note" || i.Direction == "internal" {
			continue
		}
		switch {
		case i.Direction == "outbound" && !i.Abandoned:
			respond(i.OfferedAt)
		case i.Direction == "inbound" && !i.Abandoned:
			respond(i.AnsweredAt)
			out.Contacts = append(out.Contacts, i.OfferedAt)
		}
	}
	return out
}

// KPIRebuildReport says what a rebuild counted.
type KPIRebuildReport struct {
	Interactions int
	Cases        int
	Surveys      int
	Cells        int
}

// RebuildKPIs recomputes every rollup cell from the raw records, counting by
// set (nil keeps the stored settings), in one transaction: after a change
// of time zone or threshold, or to check the incremental cells. onProgress,
// when set, is told each stage's count as it goes.
func (s *Service) RebuildKPIs(ctx context.Context, set *store.KPISettings, onProgress func(stage string, n int)) (*KPIRebuildReport, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermConfigAdmin); err != nil {
		return nil, err
	}
	if set != nil {
		if _, err := set.Options(); err != nil {
			return nil, err
		}
		if set.Calendar == "" {
			set.Calendar = s.cfg.Calendar
		}
		if _, err := calendar.New(set.Calendar); err != nil {
			return nil, care.Invalid("calendar", "%s", care.ErrorMessage(err))
		}
	}
	if onProgress == nil {
		onProgress = func(string, int) {}
	}
	rep := &KPIRebuildReport{}
	err := s.store.Write(ctx, func(tx *store.Tx) error {
		*rep = KPIRebuildReport{}
		if set == nil {
			// Business hours count on the firm's calendar unless an
			// operator chose another at an earlier rebuild.
			cur, err := tx.KPISettings(ctx)
			if err != nil {
				return err
			}
			if cur.Calendar == "" {
				cur.Calendar = s.cfg.Calendar
			}
			cur.TeamRollup = true // every rollup is written afresh below
			if err := tx.SetKPISettings(ctx, cur); err != nil {
				return err
			}
		} else {
			set.TeamRollup = true
			if err := tx.SetKPISettings(ctx, *set); err != nil {
				return err
			}
		}
		opts, err := kpiOptions(ctx, tx)
		if err != nil {
			return err
		}
		r, err := kpi.NewRollup(kpiDims, opts)
		if err != nil {
			return err
		}
		if err := tx.ResetKPI(ctx); err != nil {
			return err
		}
		contacts, err := rebuildContacts(ctx, tx, r, rep, onProgress)
		if err != nil {
			return err
		}
		if err := rebuildCases(ctx, tx, r, contacts, rep, onProgress); err != nil {
			return err
		}
		if err := rebuildSurveys(ctx, tx, r, rep, onProgress); err != nil {
			return err
		}
		if _, err := rebuildRenewals(ctx, tx, r, onProgress); err != nil { // churn (policy_churn.go)
			return err
		}
		if err := tx.WriteKPI(ctx, r); err != nil {
			return err
		}
		rep.Cells = r.Len()
		return audit(ctx, tx, "rebuild", "kpi", "", map[string]any{"interactions": rep.Interactions, "cases": rep.Cases,
			"surveys": rep.Surveys, "cells": rep.Cells})
	})
	return rep, err
}

const rebuildPage = 2000

// rebuildContacts counts every interaction and returns, per case, what
// kpiCaseOf needs of its contacts.
func rebuildContacts(ctx context.Context, tx *store.Tx, r *kpi.Rollup, rep *KPIRebuildReport, progress func(string, int)) (map[int64][]*care.Interaction, error) {
	contacts := map[int64][]*care.Interaction{}
	for after := int64(0); ; {
		page, next, err := tx.FindKPIContacts(ctx, after, rebuildPage)
		if err != nil {
			return nil, err
		}
		for _, k := range page {
			c := kpi.ContactFromInteraction(k.Interaction, k.Key)
			r.AddContact(c)
			if err := tx.SetKPIFacts(ctx, "contact", k.Interaction.ID, c); err != nil {
				return nil, err
			}
			i := k.Interaction
			contacts[k.CaseID] = append(contacts[k.CaseID], &care.Interaction{Channel: i.Channel, Direction: i.Direction,
				OfferedAt: i.OfferedAt, AnsweredAt: i.AnsweredAt, Abandoned: i.Abandoned})
		}
		rep.Interactions += len(page)
		progress("interactions", rep.Interactions)
		if next == 0 {
			return contacts, nil
		}
		after = next
	}
}

func rebuildCases(ctx context.Context, tx *store.Tx, r *kpi.Rollup, contacts map[int64][]*care.Interaction, rep *KPIRebuildReport, progress func(string, int)) error {
	cal, err := kpiCalendar(ctx, tx)
	if err != nil {
		return err
	}
	for after := int64(0); ; {
		page, next, err := tx.FindKPICases(ctx, after, rebuildPage)
		if err != nil || len(page) == 0 {
			return err
		}
		clocks, err := tx.FindKPIClocks(ctx, after, page[len(page)-1].Case.ID)
		if err != nil {
			return err
		}
		for _, k := range page {
			k.Contacts, k.Clocks = contacts[k.Case.ID], clocks[k.Case.ID]
			c := kpiCaseOf(k, cal)
			if err := r.AddCase(c); err != nil {
				return err
			}
			if err := tx.SetKPIFacts(ctx, "case", k.Case.ID, c); err != nil {
				return err
			}
		}
		rep.Cases += len(page)
		progress("cases", rep.Cases)
		if next == 0 {
			return nil
		}
		after = next
	}
}

func rebuildSurveys(ctx context.Context, tx *store.Tx, r *kpi.Rollup, rep *KPIRebuildReport, progress func(string, int)) error {
	for after := int64(0); ; {
		page, next, err := tx.FindKPISurveys(ctx, after, rebuildPage)
		if err != nil {
			return err
		}
		for _, k := range page {
			if err := r.AddSurvey(k.Survey); err != nil {
				return err
			}
		}
		rep.Surveys += len(page)
		progress("surveys", rep.Surveys)
		if next == 0 {
			return nil
		}
		after = next
	}
}

// KPISettings returns the definitions the rollup cells are counted by.
func (s *Service) KPISettings(ctx context.Context) (store.KPISettings, error) {
	if err := care.ActorFromContext(ctx).Require(care.PermKPIRead); err != nil {
		return store.KPISettings{}, err
	}
	var set store.KPISettings
	err := s.store.Read(ctx, func(tx *store.Tx) (err error) {
		set, err = tx.KPISettings(ctx)
		return err
	})
	return set, err
}
