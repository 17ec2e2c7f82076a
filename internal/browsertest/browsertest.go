// Package browsertest holds what the browser tests of the staff UI and the
// portal share: finding Debian's Chromium and the directory screenshots go
// to. It is imported only by tests.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// Chromium returns the path of Debian's chromium (or another
// Chromium-based browser), or "" when none is installed.
func Chromium() string {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// ArtifactsDir is where a test's screenshots go: $CAREDESK_ARTIFACTS/sub
// (CI keeps it), or a temporary directory that outlives the test so the
// screenshots can be looked at. sub may be "".
func ArtifactsDir(t testing.TB, sub string) string {
	t.Helper()
	dir := os.Getenv("CAREDESK_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "caredesk-shots-"); err != nil {
			t.Fatal(err)
		}
	} else if sub != "" {
		dir = filepath.Join(dir, sub)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// WatchConsole collects the page's script errors and security reports (a
// Content Security Policy violation shows up there) until the returned
// function is called. Failed loads are expected: error pages answer 4xx on
// purpose.
func WatchConsole(t testing.TB, browser context.Context) func() []string {
	ctx, cancel := context.WithCancel(browser)
	var (
		mu   sync.Mutex
		bad  []string
		done = make(chan struct{})
	)
	messages := chromedp.Console(ctx)
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !strings.Contains(m.Text, "Failed to load resource") {
				mu.Lock()
				bad = append(bad, m.String())
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(cancel)
	return func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return bad
	}
}
