package serve

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vitrine-ssg/vitrine/generator/serve/browsertest"
)

// TestBrowser opens an article in Chromium, edits its Markdown and sees the new text without reloading
// by hand; breaks its front matter and sees the error over the page; fixes it and sees the page again;
// edits the stylesheet and sees the new style without a reload; and keeps its scroll position.
func TestBrowser(t *testing.T) {
	ctx := browsertest.Start(t)
	dir := testSite(t)
	long := strings.Repeat("Un paragraphe pour faire défiler la page.\n\n", 150)
	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nLe texte du premier article.\n\n"+long+"Le dernier paragraphe.\n")
	s, _ := start(t, Options{Dir: dir})

	if _, err := chromedp.Run(ctx, chromedp.Navigate(s.URL()+"posts/premier/")); err != nil {
		t.Fatal(err)
	}
	browsertest.Eventually(t, ctx, `document.body.innerText.includes("Le texte du premier article.")`, "the article")
	browsertest.Eventually(t, ctx, `window.vitrineLive === true`, "the live-reload connection")

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 1500)`)); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nUn texte écrit maintenant.\n\n"+long+"Le dernier paragraphe.\n")
	browsertest.Eventually(t, ctx, `document.body.innerText.includes("Un texte écrit maintenant.")`, "the new text, without a manual reload")
	browsertest.Eventually(t, ctx, `Math.abs(window.scrollY - 1500) < 5`, "the scroll position kept across the reload")

	write(t, dir, "content/posts/premier.md", "---\ntitle: [Premier article\ndate: 2025-01-10\n---\nCassé.\n")
	browsertest.Eventually(t, ctx, `(() => { const e = document.getElementById("vitrine-error"); return !!e && e.innerText.includes("content/posts/premier.md:2:"); })()`,
		"the error overlay naming the file and line")
	browsertest.Eventually(t, ctx, `document.body.innerText.includes("Un texte écrit maintenant.")`, "the last good page under the overlay")

	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nLe texte réparé.\n")
	browsertest.Eventually(t, ctx, `!document.getElementById("vitrine-error") && document.body.innerText.includes("Le texte réparé.")`, "the fixed page, without the overlay")

	// CSS alone: swapped in place, the page is not reloaded (the mark set on window survives).
	browsertest.Eventually(t, ctx, `window.vitrineLive === true`, "the live-reload connection of the reloaded page")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`window.vitrineMark = 42`)); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "static/css/style.css", "body { background-color: rgb(1, 2, 3); }\n")
	browsertest.Eventually(t, ctx, `getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`, "the new stylesheet")
	browsertest.Eventually(t, ctx, `window.vitrineMark === 42`, "the page not reloaded for a CSS edit")
}
