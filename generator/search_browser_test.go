package generator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
	"github.com/vitrine-ssg/vitrine/generator/serve/browsertest"
)

// TestSearchInBrowser builds the demo under a base URL with a path (/repo/, as a GitHub Pages project
// site), and in Chromium: checks that the home page loads no script, sends the header's search box to
// the search page, and types French queries (plurals, accents, none, a typo) and an English one, each
// expected to put a given article first.
func TestSearchInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo and drives a browser")
	}
	ctx := browsertest.Start(t)
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: os.DirFS(".."), Writer: mem, Now: now,
		BaseURL: "https://example.org/repo/", CacheDir: filepath.Join("..", ".vitrine", "cache")}); err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(http.StripPrefix("/repo", serveMemory(t, mem).Config.Handler))
	t.Cleanup(s.Close)
	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(ctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	run("home", chromedp.Navigate(s.URL+"/repo/"))
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("script:not([type='application/ld+json'])").length + performance.getEntriesByType("resource").filter(e => e.name.endsWith(".js")).length`))
	if err != nil || n != 0 {
		t.Fatalf("the home page loads %d scripts (%v)", n, err)
	}
	run("type in the header", chromedp.SendKeys(`header input[type=search]`, "tarifs photographe\n"))
	browsertest.Eventually(t, ctx, `location.pathname === "/repo/recherche/" && location.search.includes("q=tarifs")`, "the search page")

	// The status names the query whose results are shown: results of the query typed before do not count.
	first := func(q, want string) {
		t.Helper()
		browsertest.Eventually(t, ctx, `(() => { const a = document.querySelector("#search-results a");
			return document.querySelector("#search-status").textContent.includes(`+jsString("«\u202f"+q+"\u202f»")+`) && !!a && a.pathname === `+jsString(want)+` })()`, q+" → "+want)
	}
	first("tarifs photographe", "/repo/posts/fixer-ses-tarifs-photographe/")
	for _, c := range []struct{ q, want string }{
		{"mariages", "/repo/posts/photographier-un-mariage-sans-stress/"},
		{"Mariage", "/repo/posts/photographier-un-mariage-sans-stress/"},
		{"marriage", "/repo/posts/photographier-un-mariage-sans-stress/"}, // a letter too many
		{"TARIFS", "/repo/posts/fixer-ses-tarifs-photographe/"},
		{"photographe tarif", "/repo/posts/fixer-ses-tarifs-photographe/"},
	} {
		run("clear", chromedp.Evaluate[chromedp.Void](`document.querySelector("#search-q").value = ""`))
		run("type "+c.q, chromedp.SendKeys(`#search-q`, c.q))
		first(c.q, c.want)
	}
	// Accents folded both ways: the same results with and without them.
	results := func(q string) string {
		t.Helper()
		run("open", chromedp.Navigate(s.URL+"/repo/recherche/?q="+q))
		browsertest.Eventually(t, ctx, `document.querySelector("#search-status").textContent !== ""`, "results of "+q)
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("#search-results a")].map(a => a.pathname).join(" ")`))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	with, without := results("%C3%A9v%C3%A9nements"), results("evenements")
	if with == "" || with != without {
		t.Errorf("événements: %q; evenements: %q", with, without)
	}
	if got := results("xqzwv"); got != "" {
		t.Errorf("a word of no page finds %q", got)
	}
	// The English site has its own index and page.
	run("english", chromedp.Navigate(s.URL+"/repo/en/search/?q=portraits"))
	browsertest.Eventually(t, ctx, `!!document.querySelector("#search-results a[href^='/repo/en/']")`, "an English result")
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
