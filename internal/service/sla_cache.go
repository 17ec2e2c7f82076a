package service

import (
	"context"

	"github.com/caredesk/caredesk/internal/calendar"
	"github.com/caredesk/caredesk/internal/clock"
	"github.com/caredesk/caredesk/internal/store"
)

// clockConfig is the SLA policy and the firm calendars in force, as of one
// pair of version numbers. It is immutable; the service keeps the latest in
// an atomic pointer.
//
// Cache choice: every transaction that starts clocks reads the two version
// numbers (one small query: MAX over a handful of rows) and rebuilds the
// snapshot when either moved. So a policy or calendar saved by any process
// sharing the database applies to the very next clock anywhere, which a
// time-to-live could not promise, and the cost is one query instead of
// decoding the policy and rebuilding calendar indexes each time.
type clockConfig struct {
	slaVersion, calRevision int64
	sla                     *clock.SLAPolicy
	firm                    map[string]*calendar.Calendar // regions the firm changed
	firmRevisions           map[string]int64              // the revision each was built from
}

// clockConfig returns the snapshot current in tx, reloading it when stale.
func (s *Service) clockConfig(ctx context.Context, tx *store.Tx) (*clockConfig, error) {
	sv, cr, err := tx.ClockConfigVersions(ctx)
	if err != nil {
		return nil, err
	}
	if cur := s.clockConf.Load(); cur != nil && cur.slaVersion == sv && cur.calRevision == cr {
		return cur, nil
	}
	cc := &clockConfig{slaVersion: sv, calRevision: cr, sla: s.cfg.SLA, firm: map[string]*calendar.Calendar{}}
	if sv > 0 {
		v, err := tx.FindActiveSLAPolicy(ctx)
		if err != nil {
			return nil, err
		}
		if cc.sla, err = decodeSLAPolicy(v); err != nil {
			return nil, err
		}
	}
	if cr > 0 {
		// Reuse calendars whose settings did not change: building one costs
		// a few milliseconds.
		prev := s.clockConf.Load()
		cals, err := tx.FindFirmCalendars(ctx)
		if err != nil {
			return nil, err
		}
		for _, c := range cals {
			if prev != nil && prev.firmRevisions[c.Region] == c.Revision && prev.firm[c.Region] != nil {
				cc.firm[c.Region] = prev.firm[c.Region]
			} else if cc.firm[c.Region], err = buildFirmCalendar(c); err != nil {
				return nil, err
			}
		}
		cc.firmRevisions = map[string]int64{}
		for _, c := range cals {
			cc.firmRevisions[c.Region] = c.Revision
		}
	}
	s.clockConf.Store(cc)
	return cc, nil
}

// calendar returns the calendar a firm-owned clock counts on in region:
// the firm's edited one, or the region's default.
func (cc *clockConfig) calendar(region string) (*calendar.Calendar, error) {
	if c := cc.firm[region]; c != nil {
		return c, nil
	}
	return calendar.New(region)
}
