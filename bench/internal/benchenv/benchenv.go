// Package benchenv is what the bench/ programs share: a description of the
// machine they ran on, latency percentiles, process memory from /proc, and
// a database to run on.
package benchenv

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Machine describes where a benchmark ran: CPU model, cores, Go version,
// OS, and the load average at the start (other work on a shared machine
// slows every figure).
func Machine() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		s := bufio.NewScanner(f)
		for s.Scan() {
			if k, v, ok := strings.Cut(s.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 3 {
			load = ", load average " + strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%s, %d cores, %s %s/%s%s, %s", model, runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH,
		load, time.Now().UTC().Format("2006-01-02 15:04 UTC"))
}

// Percentiles sorts ds and returns the p-th percentile of each p (0–100).
func Percentiles(ds []time.Duration, ps ...float64) []time.Duration {
	slices.Sort(ds)
	out := make([]time.Duration, len(ps))
	if len(ds) == 0 {
		return out
	}
	for i, p := range ps {
		k := int(p / 100 * float64(len(ds)-1))
		out[i] = ds[min(max(k, 0), len(ds)-1)]
	}
	return out
}

// Latency formats the p50, p90, p99 and max of ds.
func Latency(ds []time.Duration) string {
	q := Percentiles(ds, 50, 90, 99, 100)
	return fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s", ms(q[0]), ms(q[1]), ms(q[2]), ms(q[3]))
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) + " ms" }

// Memory returns a process's resident set (VmRSS) and its peak (VmHWM) in
// bytes, from /proc/PID/status ("self" for this process).
func Memory(pid string) (rss, hwm int64, err error) {
	b, err := os.ReadFile("/proc/" + pid + "/status")
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k != "VmRSS" && k != "VmHWM" {
			continue
		}
		f := strings.Fields(v)
		if len(f) < 1 {
			continue
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, 0, err
		}
		if k == "VmRSS" {
			rss = n * 1024
		} else {
			hwm = n * 1024
		}
	}
	return rss, hwm, nil
}

// MiB formats bytes in mebibytes.
func MiB(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

// TempSQLite returns the DSN of a new SQLite file in a temporary folder
// and a function that removes the folder.
func TempSQLite() (string, func(), error) {
	dir, err := os.MkdirTemp("", "caredesk-bench-")
	if err != nil {
		return "", nil, err
	}
	return "sqlite:" + filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
}

// CPUTime returns the CPU time (user and system) this process has used.
// On a shared, loaded machine wall times swing with other work; the CPU
// an operation takes is the steadier figure.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// PerOp formats CPU time spent over n operations.
func PerOp(cpu time.Duration, n int) string {
	if n == 0 {
		return "-"
	}
	return ms(cpu/time.Duration(n)) + " CPU/op"
}
