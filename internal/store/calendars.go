package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// FirmCalendar is the firm's own settings for one holiday region: business
// hours by weekday, cut-off, time zone and its extra closure and working
// days, applied on top of the region's public holidays.
type FirmCalendar struct {
	Region        string
	Zone          string
	Hours         [7]DayHours // by time.Weekday (Sunday first)
	Cutoff        time.Duration
	Days          []FirmDay // by day
	Revision      int64
	UpdatedAt     time.Time
	UpdatedBy     int64
	UpdatedByName string
}

// DayHours are one weekday's business hours as offsets from local midnight;
// Open == Close means closed.
type DayHours struct {
	Open, Close time.Duration
}

// Firm day kinds.
const (
	DayClosed = "closed" // a closure: not a business day although it would be
	DayOpen   = "open"   // a public holiday on which the firm works
)

// FirmDay is one dated exception of a firm calendar.
type FirmDay struct {
	Day  string // YYYY-MM-DD, local
	Kind string // DayClosed or DayOpen
	Name string
}

// FindFirmCalendars returns every saved firm calendar with its days, by
// region.
func (tx *Tx) FindFirmCalendars(ctx context.Context) ([]*FirmCalendar, error) {
	rows, err := tx.query(ctx, `SELECT region, zone, hours, cutoff, revision, updated_at, updated_by, updated_by_name
		FROM firm_calendars ORDER BY region`)
	cals, err := collect(rows, err, scanFirmCalendar)
	if err != nil || len(cals) == 0 {
		return cals, err
	}
	byRegion := map[string]*FirmCalendar{}
	for _, c := range cals {
		byRegion[c.Region] = c
	}
	rows, err = tx.query(ctx, `SELECT region, day, kind, name FROM firm_calendar_days ORDER BY region, day`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var region string
		var d FirmDay
		if err := rows.Scan(&region, &d.Day, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		if c := byRegion[region]; c != nil {
			c.Days = append(c.Days, d)
		}
	}
	return cals, rows.Err()
}

// FindFirmCalendar returns the saved calendar of region, or nil when the
// firm never changed it.
func (tx *Tx) FindFirmCalendar(ctx context.Context, region string) (*FirmCalendar, error) {
	c, err := scanFirmCalendar(tx.queryRow(ctx, `SELECT region, zone, hours, cutoff, revision, updated_at, updated_by, updated_by_name
		FROM firm_calendars WHERE region = $1`, region))
	if err == sql.ErrNoRows {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	rows, err := tx.query(ctx, `SELECT day, kind, name FROM firm_calendar_days WHERE region = $1 ORDER BY day`, region)
	c.Days, err = collect(rows, err, func(row scanner) (FirmDay, error) {
		var d FirmDay
		return d, row.Scan(&d.Day, &d.Kind, &d.Name)
	})
	return c, err
}

func scanFirmCalendar(row scanner) (*FirmCalendar, error) {
	var c FirmCalendar
	var hours string
	var cutoff int64
	var updated, by sql.NullInt64
	if err := row.Scan(&c.Region, &c.Zone, &hours, &cutoff, &c.Revision, &updated, &by, &c.UpdatedByName); err != nil {
		return nil, err
	}
	var secs [7][2]int64
	if err := json.Unmarshal([]byte(hours), &secs); err != nil {
		return nil, fmt.Errorf("firm calendar %s: hours: %w", c.Region, err)
	}
	for i, s := range secs {
		c.Hours[i] = DayHours{time.Duration(s[0]) * time.Second, time.Duration(s[1]) * time.Second}
	}
	c.Cutoff = time.Duration(cutoff) * time.Second
	c.UpdatedAt, c.UpdatedBy = fromMicros(updated), by.Int64
	return &c, nil
}

// SaveFirmCalendar replaces the saved calendar of c.Region (hours, cut-off,
// zone and every day) and gives it the next revision. When base is not
// negative it must be the region's current revision (0: never saved), so
// an edit made on a stale page fails with ECONFLICT rather than undoing
// someone else's change.
func (tx *Tx) SaveFirmCalendar(ctx context.Context, c *FirmCalendar, base int64) error {
	var current int64
	err := tx.queryRow(ctx, `SELECT revision FROM firm_calendars WHERE region = $1`, c.Region).Scan(&current)
	if err != nil && err != sql.ErrNoRows {
		return err
	}
	if base >= 0 && base != current {
		return care.Errorf(care.ECONFLICT, "The %s calendar was changed by someone else since you opened it; reload it and make your change again.", c.Region)
	}
	var next int64
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(revision), 0) + 1 FROM firm_calendars`).Scan(&next); err != nil {
		return err
	}
	var secs [7][2]int64
	for i, h := range c.Hours {
		secs[i] = [2]int64{int64(h.Open / time.Second), int64(h.Close / time.Second)}
	}
	hours, _ := json.Marshal(secs)
	c.Revision, c.UpdatedAt = next, tx.now
	if current == 0 {
		_, err = tx.exec(ctx, `INSERT INTO firm_calendars (region, zone, hours, cutoff, revision, updated_at, updated_by, updated_by_name)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.Region, c.Zone, string(hours), int64(c.Cutoff/time.Second), next,
			micros(tx.now), nullID(c.UpdatedBy), c.UpdatedByName)
	} else {
		_, err = tx.exec(ctx, `UPDATE firm_calendars SET zone = $1, hours = $2, cutoff = $3, revision = $4, updated_at = $5,
			updated_by = $6, updated_by_name = $7 WHERE region = $8`, c.Zone, string(hours), int64(c.Cutoff/time.Second), next,
			micros(tx.now), nullID(c.UpdatedBy), c.UpdatedByName, c.Region)
	}
	if care.ErrorCode(err) == care.ECONFLICT {
		return care.Errorf(care.ECONFLICT, "Calendars were changed by someone else at the same time; reload and save again.")
	} else if err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM firm_calendar_days WHERE region = $1`, c.Region); err != nil {
		return err
	}
	for _, d := range c.Days {
		if _, err := tx.exec(ctx, `INSERT INTO firm_calendar_days (region, day, kind, name) VALUES ($1, $2, $3, $4)`,
			c.Region, d.Day, d.Kind, d.Name); err != nil {
			return err
		}
	}
	return nil
}
