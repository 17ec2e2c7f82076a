package httpapi

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the API's own Prometheus registry: a registry per API value
// (not the global one) lets tests and embedders create many.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler
}

func newMetrics(stats func() sql.DBStats) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caredesk_http_requests_total",
		Help: "HTTP requests served, by route pattern, method and status code.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "caredesk_http_request_duration_seconds",
		Help:    "Time to serve HTTP requests, by route pattern, method and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method", "status"})
	m.reg.MustRegister(m.requests, m.latency, dbCollector{stats: stats},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// Instrument counts and times the requests h serves under the label name
// (a route pattern such as "/cases/{id}", never a raw path, so the number
// of series stays bounded). The web UI wraps its handlers with it so that
// one /metrics covers both.
func (a *API) Instrument(name string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		labels := prometheus.Labels{"route": name, "method": methodLabel(r.Method), "status": strconv.Itoa(sw.status)}
		a.metrics.requests.With(labels).Inc()
		a.metrics.latency.With(labels).Observe(time.Since(start).Seconds())
	})
}

// methodLabel keeps arbitrary client-chosen methods out of the label set.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

func (a *API) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	a.metrics.handler.ServeHTTP(w, r)
	return nil
}

// statusWriter records the status code a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusWriter) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// dbCollector reports the database pool's statistics at scrape time.
type dbCollector struct {
	stats func() sql.DBStats
}

var (
	dbMaxOpen      = prometheus.NewDesc("caredesk_db_max_open_connections", "Maximum open database connections.", nil, nil)
	dbOpen         = prometheus.NewDesc("caredesk_db_open_connections", "Open database connections.", nil, nil)
	dbInUse        = prometheus.NewDesc("caredesk_db_in_use_connections", "Database connections in use.", nil, nil)
	dbIdle         = prometheus.NewDesc("caredesk_db_idle_connections", "Idle database connections.", nil, nil)
	dbWaitCount    = prometheus.NewDesc("caredesk_db_wait_count_total", "Waits for a database connection.", nil, nil)
	dbWaitDuration = prometheus.NewDesc("caredesk_db_wait_duration_seconds_total", "Time spent waiting for a database connection.", nil, nil)
	dbIdleClosed   = prometheus.NewDesc("caredesk_db_max_idle_closed_total", "Connections closed for exceeding the idle limits.", nil, nil)
	dbLifeClosed   = prometheus.NewDesc("caredesk_db_max_lifetime_closed_total", "Connections closed for exceeding their lifetime.", nil, nil)
)

// Describe implements prometheus.Collector.
func (dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{dbMaxOpen, dbOpen, dbInUse, dbIdle, dbWaitCount, dbWaitDuration, dbIdleClosed, dbLifeClosed} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c dbCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.stats()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(dbMaxOpen, float64(s.MaxOpenConnections))
	gauge(dbOpen, float64(s.OpenConnections))
	gauge(dbInUse, float64(s.InUse))
	gauge(dbIdle, float64(s.Idle))
	counter(dbWaitCount, float64(s.WaitCount))
	counter(dbWaitDuration, s.WaitDuration.Seconds())
	counter(dbIdleClosed, float64(s.MaxIdleClosed+s.MaxIdleTimeClosed))
	counter(dbLifeClosed, float64(s.MaxLifetimeClosed))
}
