package dashboard

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vitrine-ssg/vitrine/generator/serve/browsertest"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	full := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// serveDashboard serves the dashboard of the site in dir until the test ends, and returns its base URL.
func serveDashboard(t *testing.T, opts Options) string {
	t.Helper()
	h, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

// dashboardSite is a site with slots, an article posted on Mastodon, an article to come, an event with
// a reminder, and a post in the outbox.
func dashboardSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, "content/_index.md", "---\ntitle: Accueil\n---\nBienvenue.\n")
	write(t, dir, "content/posts/premier.md", "---\ntitle: Premier article\ndate: 2025-01-10\n---\nLe texte du premier article.\n")
	write(t, dir, "content/posts/deuxieme.md", "---\ntitle: Deuxième article\ndate: 2025-02-10\n---\nLe texte du deuxième.\n")
	write(t, dir, "vitrine.toml", `baseURL = "https://example.org/"
title = "Atelier"
[cards]
generate = false
[syndicate]
networks = ["mastodon", "bluesky"]
slots = ["tue 09:00"]
[syndicate.mastodon]
server = "https://piaille.example"
[syndicate.bluesky]
handle = "atelier.example"
`)
	write(t, dir, "content/posts/futur.md", "---\ntitle: Un article à venir\ndate: 2026-11-26T08:00:00+01:00\n---\nBientôt.\n")
	write(t, dir, "content/events/atelier.md", "---\ntitle: Atelier photo\ndate: 2026-11-01T10:00:00+01:00\n"+
		"start: 2026-11-28T14:00:00+01:00\nend: 2026-11-28T17:00:00+01:00\nremind: 1d\n---\nVenez.\n")
	write(t, dir, "data/syndication.json", `{"articles": {
  "https://example.org/posts/premier/": {
    "mastodon": {"state": "published", "id": "1", "url": "https://piaille.example/@atelier/1", "time": "2025-01-10T10:00:00Z"},
    "bluesky": {"state": "skipped", "time": "2025-01-10T10:00:00Z"}},
  "https://example.org/posts/deuxieme/": {
    "mastodon": {"state": "skipped", "time": "2025-02-10T10:00:00Z"},
    "bluesky": {"state": "skipped", "time": "2025-02-10T10:00:00Z"}}}}
`)
	err := syndicate.WriteOutbox(filepath.Join(dir, syndicate.OutboxDir), []syndicate.Post{{
		Network: syndicate.Mastodon, Article: "https://example.org/events/atelier/", Slug: "atelier", Title: "Atelier photo",
		Text: "Atelier photo\n\nhttps://example.org/events/atelier/", Length: 37, Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDashboardBrowser opens /_vitrine/ in Chromium on Sunday 22 November 2026: the month grid shows the
// event, its reminder the day before and the article to come; the next month shows the article's post
// at its Tuesday slot; the status table links the Mastodon post; the outbox link opens the previews.
func TestDashboardBrowser(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, paris)
	base := serveDashboard(t, Options{Dir: dashboardSite(t), Now: func() time.Time { return now }})
	// The browser starts after the server so that it stops before: Chromium opens spare connections
	// that would hold the server's shutdown.
	ctx := browsertest.Start(t)

	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"_vitrine/")); err != nil {
		t.Fatal(err)
	}
	browsertest.Eventually(t, ctx, `document.querySelector("h1").innerText.includes("Tableau de bord")`, "the dashboard")
	browsertest.Eventually(t, ctx, `document.querySelector("#month").innerText === "novembre 2026"`, "the month of the clock")
	cell := func(day string) string {
		return `(document.querySelector('td[data-day="` + day + `"]') || {innerText: ""}).innerText`
	}
	browsertest.Eventually(t, ctx, cell("2026-11-22")+`.includes("Atelier photo") && `+cell("2026-11-22")+`.includes("next run")`, "the event's announcement, due")
	browsertest.Eventually(t, ctx, cell("2026-11-26")+`.includes("article · Un article à venir")`, "the article to come")
	browsertest.Eventually(t, ctx, cell("2026-11-27")+`.includes("14:00 mastodon rappel · Atelier photo") && `+cell("2026-11-27")+`.includes("bluesky rappel")`, "the reminders")
	browsertest.Eventually(t, ctx, cell("2026-11-28")+`.includes("événement · Atelier photo")`, "the event")
	browsertest.Eventually(t, ctx, `document.querySelector('td[data-day="2026-11-22"]').classList.contains("today")`, "today")
	browsertest.Eventually(t, ctx, `[...document.querySelectorAll("table.status a")].some(a => a.href === "https://piaille.example/@atelier/1" && a.innerText === "already published")`, "the published post in the status table")
	browsertest.Eventually(t, ctx, `document.querySelector("table.status thead").innerText.includes("mastodon") && document.querySelector("table.status thead").innerText.includes("bluesky")`, "the networks")

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("a[rel=next]").click()`)); err != nil {
		t.Fatal(err)
	}
	browsertest.Eventually(t, ctx, `document.querySelector("#month").innerText === "décembre 2026"`, "the next month")
	browsertest.Eventually(t, ctx, cell("2026-12-01")+`.includes("09:00 mastodon · Un article à venir") && `+cell("2026-12-01")+`.includes("(scheduled)")`, "the article's post at its slot")

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('a[href="/_vitrine/syndication"]').click()`)); err != nil {
		t.Fatal(err)
	}
	browsertest.Eventually(t, ctx, `location.pathname === "/_vitrine/syndication" && document.body.innerText.includes("Posts en attente · 1")`, "the outbox previews")

	// Paths under /_vitrine/ that are not pages are not found.
	resp, _ := get(t, base+"_vitrine/nothing")
	if resp.StatusCode != 404 {
		t.Errorf("/_vitrine/nothing: %d", resp.StatusCode)
	}
}

// TestSyndicationPreview checks that the outbox of vitrine syndicate is shown as previews.
func TestSyndicationPreview(t *testing.T) {
	dir := dashboardSite(t)
	post := syndicate.Post{Network: syndicate.Bluesky, Article: "https://example.org/posts/premier/", Slug: "premier",
		Title: "Premier", Text: "Premier article https://example.org/posts/premier/ #Lyon", Length: 50, Limit: 300}
	if err := syndicate.WriteOutbox(filepath.Join(dir, syndicate.OutboxDir), []syndicate.Post{post}); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, serveDashboard(t, Options{Dir: dir})+"_vitrine/syndication")
	if resp.StatusCode != 200 || !strings.Contains(body, `<article class="post bluesky">`) || !strings.Contains(body, `<span class="tag">#Lyon</span>`) {
		t.Errorf("preview: %d\n%s", resp.StatusCode, body)
	}
}

// TestDashboardOnAPhone opens the dashboard at a phone's width (390 px): nothing scrolls sideways, the
// days that hold something are listed with their weekday, and each status cell names its network.
func TestDashboardOnAPhone(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, paris)
	base := serveDashboard(t, Options{Dir: dashboardSite(t), Now: func() time.Time { return now }})
	ctx := browsertest.Start(t)
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(base+"_vitrine/")); err != nil {
		t.Fatal(err)
	}
	browsertest.Eventually(t, ctx, `document.querySelector("h1").innerText.includes("Tableau de bord")`, "the dashboard")
	browsertest.Eventually(t, ctx, `document.documentElement.scrollWidth <= window.innerWidth`, "no sideways scrolling")
	browsertest.Eventually(t, ctx, `document.querySelector('td[data-day="2026-11-28"]').innerText.includes("sam. 28")`, "the event's day with its weekday")
	browsertest.Eventually(t, ctx, `getComputedStyle(document.querySelector('td[data-day="2026-11-03"]')).display === "none"`, "an empty day hidden")
	browsertest.Eventually(t, ctx, `[...document.querySelectorAll("table.status td[data-network]")].every(td => getComputedStyle(td, "::before").content.includes(td.dataset.network))`, "each status named by its network")
}
