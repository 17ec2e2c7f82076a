// Package kpi computes caredesk's contact-centre KPIs (ASA, abandonment,
// service level, AHT, FCR, first response and resolution times, backlog and
// ageing, SLA and complaint-deadline attainment, CSAT, NPS, CES, churn) with
// one published definition each (docs/kpis.md), sliced by day, ISO week or
// month in a time zone and by channel, team, agent, case type and product.
//
// Two paths give the same figures: Compute works from raw records with exact
// percentiles; a Rollup keeps integer counts and millisecond sums per civil
// day and Key, built one record at a time, merged and persisted, so a
// 24-month dashboard reads thousands of cells instead of millions of rows.
// Percentiles from rollups come from fixed log-spaced histograms, within
// HistogramErrorBound of the exact value.
//
// The package is pure: no SQL, no HTTP, no clock and no calendar import.
// Undefined figures (a zero denominator) are Maybe values, never NaN.
package kpi
