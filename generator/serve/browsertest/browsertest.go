// Package browsertest drives Debian's headless Chromium for tests that need a real browser (the dev
// server's live reload, the dashboard, the themes at phone and desktop widths). A test skips with a clear
// message when Chromium is absent, and fails instead in CI (CI set), where .ci/run installs it.
package browsertest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is Debian's browser, which .ci/run installs.
const Chromium = "/usr/bin/chromium"

// Start starts a headless Chromium for the test, with a fresh profile and the flags that keep it off the
// network, and returns the context to run chromedp actions in; it stops when the test ends.
func Start(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: .ci/run installs chromium before go test", Chromium)
		}
		t.Skipf("browser test skipped: %s not found (apt-get install chromium; CI installs it)", Chromium)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(Chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 700),
	)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void]("1")); err != nil {
		t.Fatalf("start %s: %v", Chromium, err)
	}
	return ctx
}

// Eventually evaluates a JavaScript expression until it is true, and fails the test with what the page
// shows after 20 s.
func Eventually(t *testing.T, ctx context.Context, expr, what string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 2000) : ""`))
			t.Fatalf("timed out waiting for %s (%s; err %v); the page shows:\n%s", what, expr, err, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
