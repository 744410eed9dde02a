package serve

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// dashboardSite is a site with slots, an article posted on Mastodon, an article to come, an event with
// a reminder, and a post in the outbox.
func dashboardSite(t *testing.T) string {
	t.Helper()
	dir := testSite(t)
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
	s, _ := start(t, Options{Dir: dashboardSite(t), Now: func() time.Time { return now }})
	// The browser starts after the server so that it stops before: Chromium opens spare connections
	// that would hold the server's shutdown.
	ctx := browser(t)

	if _, err := chromedp.Run(ctx, chromedp.Navigate(s.URL()+"_vitrine/")); err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, `document.querySelector("h1").innerText.includes("Tableau de bord")`, "the dashboard")
	eventually(t, ctx, `document.querySelector("#month").innerText === "novembre 2026"`, "the month of the clock")
	cell := func(day string) string {
		return `(document.querySelector('td[data-day="` + day + `"]') || {innerText: ""}).innerText`
	}
	eventually(t, ctx, cell("2026-11-22")+`.includes("Atelier photo") && `+cell("2026-11-22")+`.includes("next run")`, "the event's announcement, due")
	eventually(t, ctx, cell("2026-11-26")+`.includes("article · Un article à venir")`, "the article to come")
	eventually(t, ctx, cell("2026-11-27")+`.includes("14:00 mastodon rappel · Atelier photo") && `+cell("2026-11-27")+`.includes("bluesky rappel")`, "the reminders")
	eventually(t, ctx, cell("2026-11-28")+`.includes("événement · Atelier photo")`, "the event")
	eventually(t, ctx, `document.querySelector('td[data-day="2026-11-22"]').classList.contains("today")`, "today")
	eventually(t, ctx, `[...document.querySelectorAll("table.status a")].some(a => a.href === "https://piaille.example/@atelier/1" && a.innerText === "already published")`, "the published post in the status table")
	eventually(t, ctx, `document.querySelector("table.status thead").innerText.includes("mastodon") && document.querySelector("table.status thead").innerText.includes("bluesky")`, "the networks")

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector("a[rel=next]").click()`)); err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, `document.querySelector("#month").innerText === "décembre 2026"`, "the next month")
	eventually(t, ctx, cell("2026-12-01")+`.includes("09:00 mastodon · Un article à venir") && `+cell("2026-12-01")+`.includes("(scheduled)")`, "the article's post at its slot")

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector('a[href="/_vitrine/syndication"]').click()`)); err != nil {
		t.Fatal(err)
	}
	eventually(t, ctx, `location.pathname === "/_vitrine/syndication" && document.body.innerText.includes("Posts en attente · 1")`, "the outbox previews")

	// Paths under /_vitrine/ that are not pages are not found.
	resp, _ := get(t, s.URL()+"_vitrine/nothing")
	if resp.StatusCode != 404 {
		t.Errorf("/_vitrine/nothing: %d", resp.StatusCode)
	}
}
