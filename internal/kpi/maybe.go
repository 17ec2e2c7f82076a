package kpi

import (
	"math"
	"strconv"
)

// Maybe is a KPI figure that may be undefined, such as the ASA of a period
// in which no call was answered. Undefined (Valid false) is distinct from
// zero: a dashboard shows "n/a", the API sends JSON null, and neither
// averages it in as 0. Value is never NaN or infinite.
type Maybe struct {
	Value float64
	Valid bool
}

// Some returns a defined figure.
func Some(v float64) Maybe { return Maybe{Value: v, Valid: true} }

// NotApplicable is the text an undefined figure prints as.
const NotApplicable = "n/a"

// ratio returns num/den, undefined when den is zero.
func ratio(num, den int64) Maybe {
	if den == 0 {
		return Maybe{}
	}
	return Some(float64(num) / float64(den))
}

// Round returns m rounded to decimals places, half away from zero. Figures
// are kept unrounded and rounded once, for display: rounding parts before
// combining them (NPS from rounded percentages) drifts by a point.
func (m Maybe) Round(decimals int) Maybe {
	if !m.Valid {
		return m
	}
	scale := math.Pow(10, float64(decimals))
	return Some(math.Round(m.Value*scale) / scale)
}

// Format prints m rounded to decimals places (half away from zero), or
// NotApplicable when undefined.
func (m Maybe) Format(decimals int) string {
	if !m.Valid {
		return NotApplicable
	}
	r := m.Round(decimals).Value
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', decimals, 64)
}

// String prints m in full precision, or NotApplicable when undefined.
func (m Maybe) String() string {
	if !m.Valid {
		return NotApplicable
	}
	return strconv.FormatFloat(m.Value, 'f', -1, 64)
}
