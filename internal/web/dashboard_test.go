package web_test

import (
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caredesk/caredesk/internal/care"
	"github.com/caredesk/caredesk/internal/httpapi"
	"github.com/caredesk/caredesk/internal/service"
)

// seedDashboard imports a small hand-made history on the fifth day of last
// month: three calls (answered after 10 s and 30 s, one abandoned after a
// minute), an email complaint still open, and five survey answers.
func seedDashboard(t *testing.T, e *env) time.Time {
	t.Helper()
	now := time.Now().UTC()
	day := time.Date(now.Year(), now.Month()-1, 5, 9, 0, 0, 0, time.UTC)
	ts := func(d time.Duration) string { return day.Add(d).Format(time.RFC3339) }
	hist := "id,case_ref,channel,direction,offered_at,answered_at,ended_at,abandoned,case_type,case_resolved_at\n" +
		"D1,DR1,phone,inbound," + ts(0) + "," + ts(10*time.Second) + "," + ts(5*time.Minute) + ",false,enquiry," + ts(time.Hour) + "\n" +
		"D2,DR2,phone,inbound," + ts(time.Hour) + "," + ts(time.Hour+30*time.Second) + "," + ts(time.Hour+10*time.Minute) + ",false,claim,\n" +
		"D3,DR3,phone,inbound," + ts(2*time.Hour) + ",," + ts(2*time.Hour+time.Minute) + ",true,enquiry,\n" +
		"D4,DR4,email,inbound," + ts(3*time.Hour) + ",,,false,complaint,\n"
	rep, err := e.svc.ImportInteractions(e.sys, strings.NewReader(hist), service.ImportOptions{})
	if err != nil || rep.Imported != 4 {
		t.Fatalf("import: %v %+v", err, rep)
	}
	surveys := "interaction_id,kind,score,answered_at\n" +
		"D1,csat,5," + ts(4*time.Hour) + "\nD2,csat,3," + ts(4*time.Hour) + "\n" +
		"D1,nps,10," + ts(4*time.Hour) + "\nD2,nps,6," + ts(4*time.Hour) + "\nD3,nps,9," + ts(4*time.Hour) + "\n"
	if rep, err = e.svc.ImportSurveys(e.sys, strings.NewReader(surveys), service.ImportOptions{}); err != nil || rep.Imported != 5 {
		t.Fatalf("surveys: %v %+v", err, rep)
	}
	return day
}

var svgBlock = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// wellFormedSVG parses every SVG of a page as XML and checks each names
// itself (title) and describes itself (desc) for screen readers.
func wellFormedSVG(t *testing.T, body string) int {
	t.Helper()
	blocks := svgBlock.FindAllString(body, -1)
	for _, b := range blocks {
		dec := xml.NewDecoder(strings.NewReader(b))
		var title, desc bool
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
			}
			if s, ok := tok.(xml.StartElement); ok {
				title = title || s.Name.Local == "title"
				desc = desc || s.Name.Local == "desc"
			}
		}
		if !title || !desc || !strings.Contains(b, `role="img"`) {
			t.Errorf("SVG without role, title or desc:\n%s", b)
		}
	}
	return len(blocks)
}

func TestDashboardEmptyAndPermissions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		agent := e.client()
		r := agent.signIn("agent")
		mustNotContain(t, r, `href="/dashboard"`)
		wantStatus(t, agent.get("/dashboard"), http.StatusForbidden)
		wantStatus(t, agent.get("/dashboard/trend.csv"), http.StatusForbidden)

		sup := e.client()
		mustContain(t, sup.signIn("supervisor"), `href="/dashboard"`)
		r = sup.get("/dashboard")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "<h1>Dashboard</h1>", "Nothing was recorded in this period", "No data in this period",
			"Open complaints by age", "Cases received by channel and case type", `aria-current="page" data-key="g d"`)
		// Five trends (no churn without renewals), five gauges, ageing, heat map.
		if n := wellFormedSVG(t, r.body); n != 12 {
			t.Errorf("%d charts, want 12", n)
		}
		mustNotContain(t, r, "Change the targets") // config:admin only

		r = sup.get("/dashboard?from=2026-02-30&by=year")
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="dash-from-err"`, "must be a date such as 2026-01-31", "aria-invalid")
		r = sup.get("/dashboard?case_type=enquiry")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, "The case-type filter leaves out complaints.")
		wantStatus(t, sup.get("/dashboard/nothing.csv"), http.StatusNotFound)
		wantStatus(t, sup.get("/dashboard/trend.txt"), http.StatusNotFound)
	})
}

// TestDashboardMatchesAPI draws a hand-made month and checks the page's
// numbers and every CSV against the API's report of the same question.
func TestDashboardMatchesAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		day := seedDashboard(t, e)
		sup := e.client()
		sup.signIn("supervisor")
		r := sup.get("/dashboard")
		wantStatus(t, r, http.StatusOK)
		month := day.Format("Jan 2006")
		// Last month: ASA (10 + 30) / 2; one long abandon of three calls;
		// CSAT 1 of 2; NPS (2 − 1) / 3; FCR 1 of 1.
		mustContain(t, r, month+": 20.0 s", month+": 33.3%", month+": 50.0%", month+": 33", month+": 100.0%",
			"trend.csv?by=month&amp;from=")
		mustNotContain(t, r, "Nothing was recorded in this period")
		wellFormedSVG(t, r.body)

		from, to := time.Date(day.Year(), day.Month()-1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), time.Now().UTC().Format(time.DateOnly)
		q := "?from=" + from + "&to=" + to + "&by=month"
		api := func(channel string) httpapi.KPIReport {
			figs, err := e.svc.KPIs(e.sys, service.KPIRequest{From: from, To: to, By: "month", Channel: channel})
			if err != nil {
				t.Fatal(err)
			}
			return httpapi.NewKPIReport(figs)
		}
		all, phone := api(""), api("phone")
		rows := getCSV(t, sup, "/dashboard/trend.csv"+q)
		if len(rows) != len(all.Periods)+1 || strings.Join(rows[0], ",") != "start,end,csat,nps,fcr,asa,abandonment,churn" {
			t.Fatalf("trend.csv: %v", rows)
		}
		str := func(v *float64) string {
			if v == nil {
				return ""
			}
			return strconv.FormatFloat(*v, 'g', -1, 64)
		}
		for i, p := range all.Periods {
			v := phone.Periods[i]
			want := []string{p.Start, p.End, str(p.CSAT), str(p.NPS), str(p.FCRRate), str(v.ASASeconds), str(v.AbandonmentRate), str(p.ChurnRate)}
			if got := rows[i+1]; strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("trend.csv row %d = %v, API %v", i+1, got, want)
			}
		}
		// The range starts the month before last; last month is the second row.
		if rows[2][2] != "0.5" || rows[2][5] != "20" || rows[2][6] != str(ptrF(1.0/3)) || rows[1][2] != "" {
			t.Errorf("last month's row: %v", rows[2])
		}
		csat := getCSV(t, sup, "/dashboard/csat.csv"+q)
		if len(csat) != len(rows) || csat[2][2] != "0.5" {
			t.Errorf("csat.csv: %v", csat)
		}
		heat := getCSV(t, sup, "/dashboard/heatmap.csv"+q)
		got := map[string]string{}
		for _, row := range heat[1:] {
			got[row[0]+"/"+row[1]] = row[2]
		}
		if got["phone/enquiry"] != "2" || got["phone/claim"] != "1" || got["email/complaint"] != "1" || got["email/enquiry"] != "0" ||
			len(heat) != 1+len(care.Channels)*len(care.CaseTypes) {
			t.Errorf("heatmap.csv: %v", heat)
		}
		ageing := getCSV(t, sup, "/dashboard/ageing.csv"+q)
		var open int
		for _, row := range ageing[1:] {
			n, _ := strconv.Atoi(row[3])
			open += n
		}
		if open != 1 || len(ageing) != 8 {
			t.Errorf("ageing.csv: one open complaint in 7 buckets: %v", ageing)
		}
		gauges := getCSV(t, sup, "/dashboard/gauges.csv"+q)
		if len(gauges) != 6 || strings.Join(gauges[1], ",") != fmt.Sprintf("asa,%s,%s,,30,true", phone.Periods[len(phone.Periods)-1].Start,
			phone.Periods[len(phone.Periods)-1].End) {
			t.Errorf("gauges.csv: this month has no calls, target 30 s: %v", gauges)
		}
		// A filter narrows every chart: email only has no calls at all.
		rows = getCSV(t, sup, "/dashboard/trend.csv"+q+"&channel=email")
		if rows[2][5] != "" || rows[2][2] != "" {
			t.Errorf("email-only trend: %v", rows[2])
		}
	})
}

func ptrF(v float64) *float64 { return &v }

func getCSV(t *testing.T, c *client, path string) [][]string {
	t.Helper()
	r := c.get(path)
	wantStatus(t, r, http.StatusOK)
	if ct := r.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("%s: content type %q", path, ct)
	}
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

func TestDashboardTargets(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		admin := &care.User{Email: "ada@example.com", Name: "Ada Admin", Role: "admin"}
		if _, err := e.svc.CreateUser(e.sys, admin, password); err != nil {
			t.Fatal(err)
		}
		e.users["admin"] = admin
		c := e.client()
		c.signIn("admin")
		r := c.get("/dashboard")
		mustContain(t, r, "Change the targets", `name="asa_seconds" inputmode="decimal" value="30"`, `value="85"`, "target at most 30.0 s")
		form := url.Values{"asa_seconds": {"20"}, "abandonment_rate": {"4"}, "fcr_rate": {"80"}, "csat": {"abc"}, "complaints_in_time": {"95"}}
		r = c.post("/dashboard/targets", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, `id="target-csat-err"`, "must be a number")
		form.Set("csat", "120")
		r = c.post("/dashboard/targets", form)
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "a percentage more than 0 and at most 100")
		form.Set("csat", "90")
		r = c.follow(c.post("/dashboard/targets", form))
		mustContain(t, r, "Dashboard targets saved.", "target at most 20.0 s", "target at least 90.0%", "target below 4.0%")
		rows := getCSV(t, c, "/dashboard/gauges.csv")
		if rows[4][0] != "csat" || rows[4][4] != "0.9" {
			t.Errorf("gauges.csv after saving: %v", rows)
		}
		// A supervisor reads the targets but cannot change them.
		sup := e.client()
		sup.signIn("supervisor")
		sup.get("/dashboard")
		wantStatus(t, sup.post("/dashboard/targets", form), http.StatusForbidden)
	})
}
