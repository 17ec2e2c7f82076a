package web

import (
	"math"
	"strconv"
	"strings"
)

// The dashboard's charts are SVG written by templates (dashboard.html) from
// the geometry computed here: no chart library, no script, so the page works
// under the strict CSP, prints, and every chart carries a <title>, a <desc>
// and a data table a screen reader can read. Numbers are formatted here once
// so the chart, its table and its tooltip agree.

// series is one line chart's data: a value per period, undefined ones
// (a zero denominator) left as gaps.
type series struct {
	Labels []string // per period
	Values []float64
	Valid  []bool
}

// scale says how a chart's values are shown.
type scale struct {
	Min, Max float64 // fixed bounds; Max 0 means "from the data"
	Unit     string  // "%", "s" or "" (NPS)
	Percent  bool    // values are fractions shown ×100
}

// format shows v in the scale's unit: 83.4%, 27.5 s, 33.
func (s scale) format(v float64) string {
	switch {
	case s.Percent:
		return strconv.FormatFloat(roundTo(v*100, 1), 'f', 1, 64) + "%"
	case s.Unit == "s":
		return strconv.FormatFloat(roundTo(v, 1), 'f', 1, 64) + " s"
	}
	return strconv.FormatFloat(roundTo(v, 0), 'f', 0, 64)
}

// roundTo rounds half away from zero to d decimals, as kpi.Maybe.Format does.
func roundTo(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	r := math.Round(v*p) / p
	if r == 0 {
		return 0 // no "-0"
	}
	return r
}

// lineChart is a trend line drawn in a fixed viewBox.
type lineChart struct {
	ID, Title, Desc string
	CSV             string // the chart's data as CSV, with the page's filters
	W, H            int
	Paths           []string // one per run of defined values
	Dots            []dot
	YTicks          []tick
	XTicks          []tick
	Target          *targetLine
	Rows            []tableRow // the data table fallback
	Left, Right     int        // the plot area's x bounds
	Top, Bottom     int        // and y bounds
}

type dot struct {
	X, Y  float64
	Title string
}

type tick struct {
	Pos   float64
	Label string
}

type targetLine struct {
	Y     float64
	Label string
}

// tableRow is a label and a formatted value.
type tableRow struct {
	Label, Value string
}

const (
	chartW, chartH                = 640, 220
	padL, padR, padT, padB        = 56, 16, 14, 30
	maxXTicks                     = 8
	dotsUpTo                      = 60 // draw a dot per period up to this many periods
	gaugeR, gaugeCX, gaugeCY      = 80.0, 100.0, 100.0
	heatCellW, heatCellH, heatPad = 112, 34, 118
)

// newLineChart lays out a series on a scale, with an optional target.
func newLineChart(id, title, desc string, s series, sc scale, target *float64) lineChart {
	c := lineChart{ID: id, Title: title, Desc: desc, W: chartW, H: chartH,
		Left: padL, Right: chartW - padR, Top: padT, Bottom: chartH - padB}
	lo, hi := sc.Min, sc.Max
	if hi == 0 {
		for i, v := range s.Values {
			if s.Valid[i] {
				hi = max(hi, v)
			}
		}
		if target != nil {
			hi = max(hi, *target)
		}
		hi = niceCeil(hi * 1.1)
	}
	y := func(v float64) float64 {
		v = min(max(v, lo), hi)
		return float64(c.Bottom) - (v-lo)/(hi-lo)*float64(c.Bottom-c.Top)
	}
	n := len(s.Values)
	x := func(i int) float64 {
		if n <= 1 {
			return float64(c.Left+c.Right) / 2
		}
		return float64(c.Left) + float64(i)*float64(c.Right-c.Left)/float64(n-1)
	}
	var path strings.Builder
	for i := range n {
		if !s.Valid[i] {
			if path.Len() > 0 {
				c.Paths = append(c.Paths, path.String())
				path.Reset()
			}
			c.Rows = append(c.Rows, tableRow{s.Labels[i], "n/a"})
			continue
		}
		v := s.Values[i]
		cmd := "L"
		if path.Len() == 0 {
			cmd = "M"
		}
		path.WriteString(cmd + num(x(i)) + " " + num(y(v)) + " ")
		lonely := (i == 0 || !s.Valid[i-1]) && (i == n-1 || !s.Valid[i+1])
		if n <= dotsUpTo || lonely {
			c.Dots = append(c.Dots, dot{X: x(i), Y: y(v), Title: s.Labels[i] + ": " + sc.format(v)})
		}
		c.Rows = append(c.Rows, tableRow{s.Labels[i], sc.format(v)})
	}
	if path.Len() > 0 {
		c.Paths = append(c.Paths, path.String())
	}
	for k := range 5 {
		v := lo + (hi-lo)*float64(k)/4
		c.YTicks = append(c.YTicks, tick{Pos: y(v), Label: sc.format(v)})
	}
	step := max(1, int(math.Ceil(float64(n)/maxXTicks)))
	for i := 0; i < n; i += step {
		c.XTicks = append(c.XTicks, tick{Pos: x(i), Label: s.Labels[i]})
	}
	if target != nil {
		c.Target = &targetLine{Y: y(*target), Label: "target " + sc.format(*target)}
	}
	return c
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten (at least 1).
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// num prints a coordinate with one decimal, enough at this size.
func num(v float64) string { return strconv.FormatFloat(roundTo(v, 1), 'f', -1, 64) }

// gauge is a half-circle dial of one figure against its target.
type gauge struct {
	ID, Title, Desc string
	Value, Target   string // formatted
	Period          string
	Status          string // "met", "missed" or "none"
	StatusText      string
	Track, Arc      string // SVG paths
	TargetX1        float64
	TargetY1        float64
	TargetX2        float64
	TargetY2        float64
}

// newGauge draws value on a dial from lo to hi; lowerBetter says whether the
// target is a ceiling (ASA, abandonment) or a floor (FCR, CSAT).
func newGauge(id, title string, value float64, valid bool, target, hi float64, sc scale, lowerBetter bool, period string) gauge {
	g := gauge{ID: id, Title: title, Target: sc.format(target), Period: period, Value: "n/a", Status: "none",
		StatusText: "No data in this period"}
	cmp := "at least"
	if lowerBetter {
		cmp = "at most"
		if sc.Percent {
			cmp = "below"
		}
	}
	g.Track = arcPath(0, 1)
	if valid {
		g.Value = sc.format(value)
		g.Arc = arcPath(0, min(max(value/hi, 0), 1))
		met := value >= target
		if lowerBetter {
			met = value <= target
			if sc.Percent {
				met = value < target
			}
		}
		g.Status, g.StatusText = "missed", "Off target"
		if met {
			g.Status, g.StatusText = "met", "On target"
		}
	}
	f := min(max(target/hi, 0), 1)
	ang := math.Pi * (1 - f)
	g.TargetX1, g.TargetY1 = gaugeCX+(gaugeR-14)*math.Cos(ang), gaugeCY-(gaugeR-14)*math.Sin(ang)
	g.TargetX2, g.TargetY2 = gaugeCX+(gaugeR+14)*math.Cos(ang), gaugeCY-(gaugeR+14)*math.Sin(ang)
	g.Desc = title + " " + period + ": " + g.Value + "; target " + cmp + " " + g.Target + ". " + g.StatusText + "."
	g.Target = cmp + " " + g.Target
	return g
}

// arcPath is the part of the dial from fraction a to b (0 = left, 1 = right).
func arcPath(a, b float64) string {
	pt := func(f float64) string {
		ang := math.Pi * (1 - f)
		return num(gaugeCX+gaugeR*math.Cos(ang)) + " " + num(gaugeCY-gaugeR*math.Sin(ang))
	}
	if b <= a {
		return ""
	}
	return "M" + pt(a) + " A" + num(gaugeR) + " " + num(gaugeR) + " 0 0 1 " + pt(b)
}

// barChart is a column chart of counts.
type barChart struct {
	ID, Title, Desc string
	W, H            int
	Bars            []bar
	Baseline        float64
	Left, Right     int
	Total           int64
}

type bar struct {
	X, Y, W, H float64
	Label      string
	Count      int64
	LabelX     float64
}

// newBarChart lays out counts under labels.
func newBarChart(id, title, desc string, labels []string, counts []int64) barChart {
	c := barChart{ID: id, Title: title, Desc: desc, W: chartW, H: chartH, Left: padL, Right: chartW - padR,
		Baseline: float64(chartH - padB)}
	var top int64
	for _, n := range counts {
		top = max(top, n)
		c.Total += n
	}
	hi := niceCeil(float64(top))
	slot := float64(c.Right-c.Left) / float64(max(1, len(counts)))
	for i, n := range counts {
		h := float64(n) / hi * float64(chartH-padB-padT-14)
		x := float64(c.Left) + float64(i)*slot + slot*0.15
		c.Bars = append(c.Bars, bar{X: x, Y: c.Baseline - h, W: slot * 0.7, H: h, Label: labels[i], Count: n,
			LabelX: x + slot*0.35})
	}
	return c
}

// heatMap is a grid of counts, darker for more.
type heatMap struct {
	ID, Title, Desc string
	W, H            int
	Cols            []heatHead
	Rows            []heatRow
	Max             int64
}

type heatHead struct {
	X     float64
	Label string
}

type heatRow struct {
	Y     float64
	Label string
	Cells []heatCell
}

type heatCell struct {
	X, Y  float64
	Count int64
	Fill  string
	Ink   string // text colour readable on Fill
	Title string
}

// heatFills run from pale to dark blue; text turns white from the fourth.
var heatFills = []string{"#f4f6f9", "#dbe6f8", "#b3caf0", "#7fa5e3", "#4a7bd0", "#1e4fa3", "#13264a"}

// newHeatMap lays out counts[row][col].
func newHeatMap(id, title, desc string, rows, cols []string, counts [][]int64) heatMap {
	h := heatMap{ID: id, Title: title, Desc: desc, W: heatPad + heatCellW*len(cols) + 8, H: 30 + heatCellH*len(rows) + 4}
	for _, r := range counts {
		for _, n := range r {
			h.Max = max(h.Max, n)
		}
	}
	for j, c := range cols {
		h.Cols = append(h.Cols, heatHead{X: float64(heatPad + heatCellW*j + heatCellW/2), Label: c})
	}
	for i, r := range rows {
		row := heatRow{Y: float64(30 + heatCellH*i), Label: r}
		for j, n := range counts[i] {
			step := 0
			if n > 0 && h.Max > 0 {
				step = 1 + int(float64(n)/float64(h.Max)*float64(len(heatFills)-2)+0.5)
				step = min(step, len(heatFills)-1)
			}
			ink := "#1c2430"
			if step >= 4 {
				ink = "#ffffff"
			}
			row.Cells = append(row.Cells, heatCell{X: float64(heatPad + heatCellW*j), Y: row.Y, Count: n,
				Fill: heatFills[step], Ink: ink, Title: r + " × " + cols[j] + ": " + strconv.FormatInt(n, 10)})
		}
		h.Rows = append(h.Rows, row)
	}
	return h
}
