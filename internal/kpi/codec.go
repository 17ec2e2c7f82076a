package kpi

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"
)

// The compact form of Totals: every count and sum as a signed varint in a
// fixed order, histograms and tallies with their lengths. A dashboard over
// 24 months decodes tens of thousands of cells; this form decodes several
// times faster than JSON and is a fraction of its size. The layout is part
// of the persisted format: append new fields at the end only (a shorter
// encoding decodes with the missing fields zero), never reorder.

// codecVersion leads every encoding.
const codecVersion = 1

// AppendBinary appends t without its lags to b.
func (t *Totals) AppendBinary(b []byte) []byte {
	b = append(b, codecVersion)
	for _, v := range t.scalars() {
		b = binary.AppendVarint(b, *v)
	}
	for _, s := range t.spans() {
		b = binary.AppendVarint(b, s.Count)
		b = binary.AppendVarint(b, s.Millis)
		b = binary.AppendUvarint(b, uint64(len(s.Hist.Bins)))
		for _, bin := range s.Hist.Bins {
			b = binary.AppendVarint(b, int64(bin.Index))
			b = binary.AppendVarint(b, bin.Count)
		}
	}
	for _, m := range []map[string]Tally{t.ComplaintDeadlines, t.Clocks} {
		names := slices.Sorted(maps.Keys(m))
		b = binary.AppendUvarint(b, uint64(len(names)))
		for _, name := range names {
			b = binary.AppendUvarint(b, uint64(len(name)))
			b = append(b, name...)
			b = binary.AppendVarint(b, m[name].Met)
			b = binary.AppendVarint(b, m[name].Missed)
		}
	}
	return b
}

// scalars lists t's plain counts and sums in their encoded order (an array,
// so listing them allocates nothing).
func (t *Totals) scalars() (out [15 + 5 + 11 + 7]*int64) {
	head := [...]*int64{&t.Offered, &t.Answered, &t.AnsweredWithin, &t.Abandoned, &t.ShortAbandoned, &t.WaitMillis,
		&t.Handled, &t.HandleMillis, &t.Received, &t.Resolved, &t.ResolvedFirstContact,
		&t.ComplaintsReceived, &t.ComplaintsResolved, &t.RenewalsDue, &t.NotRenewed}
	n := copy(out[:], head[:])
	for i := range t.CSAT {
		out[n] = &t.CSAT[i]
		n++
	}
	for i := range t.NPS {
		out[n] = &t.NPS[i]
		n++
	}
	for i := range t.CES {
		out[n] = &t.CES[i]
		n++
	}
	return out
}

var errCodec = errors.New("kpi: malformed compact totals")

// decoder reads varints, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) more() bool { return d.err == nil && len(d.b) > 0 }

func (d *decoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errCodec
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) uvarint(limit uint64) int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > limit {
		d.err = errCodec
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

// UnmarshalBinary sets t (lags untouched) from AppendBinary's encoding.
func (t *Totals) UnmarshalBinary(b []byte) error {
	if len(b) == 0 || b[0] != codecVersion {
		return errCodec
	}
	d := decoder{b: b[1:]}
	for _, v := range t.scalars() {
		if !d.more() {
			return d.err // an older, shorter encoding: the rest stays zero
		}
		*v = d.varint()
	}
	for _, s := range t.spans() {
		if !d.more() {
			return d.err
		}
		s.Count, s.Millis = d.varint(), d.varint()
		n := d.uvarint(uint64(len(d.b)))
		s.Hist.Bins = nil
		if n > 0 {
			s.Hist.Bins = make([]Bin, n)
		}
		for i := range n {
			s.Hist.Bins[i] = Bin{Index: int32(d.varint()), Count: d.varint()}
		}
	}
	for _, m := range []*map[string]Tally{&t.ComplaintDeadlines, &t.Clocks} {
		if !d.more() {
			return d.err
		}
		n := d.uvarint(uint64(len(d.b)))
		*m = nil
		if n > 0 {
			*m = make(map[string]Tally, n)
		}
		for range n {
			l := d.uvarint(uint64(len(d.b)))
			if d.err != nil {
				break
			}
			name := string(d.b[:l])
			d.b = d.b[l:]
			(*m)[name] = Tally{Met: d.varint(), Missed: d.varint()}
		}
	}
	if d.err == nil && len(d.b) > 0 {
		return errCodec // trailing bytes: not an encoding this code knows
	}
	return d.err
}

// AppendLags appends lags in compact form: count, then days, cases and
// complaints of each.
func AppendLags(b []byte, lags []Lag) []byte {
	b = append(b, codecVersion)
	b = binary.AppendUvarint(b, uint64(len(lags)))
	for _, l := range lags {
		b = binary.AppendVarint(b, int64(l.Days))
		b = binary.AppendVarint(b, l.Cases)
		b = binary.AppendVarint(b, l.Complaints)
	}
	return b
}

// ParseLags reads AppendLags' encoding.
func ParseLags(b []byte) ([]Lag, error) {
	if len(b) == 0 || b[0] != codecVersion {
		return nil, errCodec
	}
	d := decoder{b: b[1:]}
	n := d.uvarint(uint64(len(d.b)))
	out := make([]Lag, 0, n)
	for range n {
		out = append(out, Lag{Days: int32(d.varint()), Cases: d.varint(), Complaints: d.varint()})
	}
	if d.err == nil && len(d.b) > 0 {
		return nil, errCodec
	}
	return out, d.err
}
