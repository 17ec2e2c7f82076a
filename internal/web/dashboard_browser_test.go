package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/caredesk/caredesk/internal/store"
)

// TestBrowserDashboard opens the dashboard over a hand-made month in a real
// Chromium, at desktop and phone sizes, saving screenshots, and fails on any
// script error or CSP report (the charts carry no inline style or script).
func TestBrowserDashboard(t *testing.T) {
	t.Parallel()
	br := newBrowser(t)
	e := newEnv(t, store.SQLite)
	seedDashboard(t, e)
	do, text, shot := br.do, br.text, br.shot
	do("sign in as a supervisor",
		chromedp.Navigate(e.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), e.users["supervisor"].Email),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS("table.cases")))
	do("open the dashboard",
		chromedp.Navigate(e.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS("ul.gauges")),
		shot("20-dashboard.png"))
	if g := text("read the gauges", "ul.gauges"); !strings.Contains(g, "target at most 30.0 s") {
		t.Errorf("gauges: %q", g)
	}
	do("open a chart's data table",
		chromedp.Click(chromedp.CSS("figure .chart-data summary")),
		chromedp.WaitVisible(chromedp.CSS("figure .chart-data table")),
		shot("21-dashboard-table.png"))
	do("the dashboard by week, phone only",
		chromedp.Navigate(e.srv.URL+"/dashboard?by=week&channel=phone"),
		chromedp.WaitVisible(chromedp.CSS("ul.gauges")),
		shot("22-dashboard-week-phone.png"))
	do("phone-sized dashboard",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(e.srv.URL+"/dashboard"),
		chromedp.WaitVisible(chromedp.CSS("ul.gauges")),
		shot("23-dashboard-phone.png"))
	br.checkConsole()
}
