package serve

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium is Debian's browser, which .ci/run installs.
const chromium = "/usr/bin/chromium"

// browser starts a headless Chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s not found: .ci/run installs chromium before go test", chromium)
		}
		t.Skipf("browser test skipped: %s not found (apt-get install chromium; CI installs it)", chromium)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
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
		t.Fatalf("start %s: %v", chromium, err)
	}
	return ctx
}

// eventually evaluates a JavaScript expression until it is true.
func eventually(t *testing.T, ctx context.Context, expr, what string) {
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

// TestBrowser opens an article in Chromium, edits its Markdown and sees the new text without reloading
// by hand; breaks its front matter and sees the error over the page; fixes it and sees the page again;
// edits the stylesheet and sees the new style without a reload; and keeps its scroll position.
func TestBrowser(t *testing.T) {
	ctx := browser(t)
	dir := testSite(t)
	long := strings.Repeat("Un paragraphe pour faire défiler la page.\n\n", 150)
	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nLe texte du premier article.\n\n"+long+"Le dernier paragraphe.\n")
	s, _ := start(t, Options{Dir: dir})

	if _, err := chromedp.Run(ctx, chromedp.Navigate(s.URL()+"posts/premier/")); err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, `document.body.innerText.includes("Le texte du premier article.")`, "the article")
	eventually(t, ctx, `window.vitrineLive === true`, "the live-reload connection")

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 1500)`)); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nUn texte écrit maintenant.\n\n"+long+"Le dernier paragraphe.\n")
	eventually(t, ctx, `document.body.innerText.includes("Un texte écrit maintenant.")`, "the new text, without a manual reload")
	eventually(t, ctx, `Math.abs(window.scrollY - 1500) < 5`, "the scroll position kept across the reload")

	write(t, dir, "content/posts/premier.md", "---\ntitle: [Premier article\ndate: 2025-01-10\n---\nCassé.\n")
	eventually(t, ctx, `(() => { const e = document.getElementById("vitrine-error"); return !!e && e.innerText.includes("content/posts/premier.md:2:"); })()`,
		"the error overlay naming the file and line")
	eventually(t, ctx, `document.body.innerText.includes("Un texte écrit maintenant.")`, "the last good page under the overlay")

	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nLe texte réparé.\n")
	eventually(t, ctx, `!document.getElementById("vitrine-error") && document.body.innerText.includes("Le texte réparé.")`, "the fixed page, without the overlay")

	// CSS alone: swapped in place, the page is not reloaded (the mark set on window survives).
	eventually(t, ctx, `window.vitrineLive === true`, "the live-reload connection of the reloaded page")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.vitrineMark = 42`)); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "static/css/style.css", "body { background-color: rgb(1, 2, 3); }\n")
	eventually(t, ctx, `getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`, "the new stylesheet")
	eventually(t, ctx, `window.vitrineMark === 42`, "the page not reloaded for a CSS edit")
}
