package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/caredesk/caredesk/internal/care"
)

// SLAPolicyVersion is one saved version of the SLA policy. The highest
// version is the active one. Body is the policy as JSON; only the service
// reads and writes it.
type SLAPolicyVersion struct {
	Version       int64
	Name          string
	Body          string
	Note          string
	CreatedAt     time.Time
	CreatedBy     int64
	CreatedByName string
}

const slaColumns = `version, name, body, note, created_at, created_by, created_by_name`

func scanSLAPolicy(row scanner) (*SLAPolicyVersion, error) {
	var v SLAPolicyVersion
	var created, by sql.NullInt64
	if err := row.Scan(&v.Version, &v.Name, &v.Body, &v.Note, &created, &by, &v.CreatedByName); err != nil {
		return nil, err
	}
	v.CreatedAt, v.CreatedBy = fromMicros(created), by.Int64
	return &v, nil
}

// FindActiveSLAPolicy returns the newest saved SLA policy, or nil when none
// was ever saved (the configured default applies).
func (tx *Tx) FindActiveSLAPolicy(ctx context.Context) (*SLAPolicyVersion, error) {
	v, err := scanSLAPolicy(tx.queryRow(ctx, `SELECT `+slaColumns+` FROM sla_policies ORDER BY version DESC LIMIT 1`))
	if err == sql.ErrNoRows {
		return nil, nil
	}
	return v, err
}

// FindSLAPolicyVersions returns every saved version, newest first.
func (tx *Tx) FindSLAPolicyVersions(ctx context.Context) ([]*SLAPolicyVersion, error) {
	rows, err := tx.query(ctx, `SELECT `+slaColumns+` FROM sla_policies ORDER BY version DESC`)
	return collect(rows, err, scanSLAPolicy)
}

// CreateSLAPolicyVersion saves v as the next version, which becomes active
// at once. v.Version must be the active version plus one: a save based on
// an older version, or racing another save, fails with ECONFLICT instead of
// silently overwriting the other administrator's change.
func (tx *Tx) CreateSLAPolicyVersion(ctx context.Context, v *SLAPolicyVersion) error {
	v.CreatedAt = tx.now
	_, err := tx.exec(ctx, `INSERT INTO sla_policies (`+slaColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		v.Version, v.Name, v.Body, v.Note, micros(tx.now), nullID(v.CreatedBy), v.CreatedByName)
	if care.ErrorCode(err) == care.ECONFLICT {
		return care.Errorf(care.ECONFLICT, "The SLA policy was changed by someone else at the same time; reload it and save again.")
	}
	return err
}

// ClockConfigVersions returns the active SLA policy version and the latest
// firm calendar revision (0 when there is none): a cheap check, run in each
// transaction that starts clocks, of whether cached configuration is stale.
func (tx *Tx) ClockConfigVersions(ctx context.Context) (sla, calendars int64, err error) {
	err = tx.queryRow(ctx, `SELECT (SELECT COALESCE(MAX(version), 0) FROM sla_policies),
		(SELECT COALESCE(MAX(revision), 0) FROM firm_calendars)`).Scan(&sla, &calendars)
	return sla, calendars, err
}
