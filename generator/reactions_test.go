package generator_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// hostileReactions is a reactions file whose replies carry what a stranger may send: scripts, styles,
// event handlers, javascript: links, tracking images, iframes and forms.
const hostileReactions = `-- data/reactions/premier.json --
{
  "article": "https://example.org/posts/premier/",
  "networks": {
    "bluesky": {"post": "https://bsky.app/profile/c.example/post/3abc", "likes": 4, "reposts": 1, "replies": 1},
    "mastodon": {"post": "https://piaille.fr/@c/1", "likes": 12, "reposts": 3, "replies": 3}
  },
  "replies": [
    {"id": "mastodon:3", "network": "mastodon", "url": "https://piaille.fr/@troll/3",
     "author": {"name": "Troll", "handle": "@troll@piaille.fr", "url": "https://piaille.fr/@troll"},
     "published": "2026-01-11T09:00:00Z", "content": "<p>Hidden by its author.</p>", "text": "Hidden by its author."},
    {"id": "mastodon:2", "network": "mastodon", "url": "javascript:alert(1)",
     "author": {"name": "<b>Mallory</b>", "handle": "@mallory@evil.example", "url": "javascript:alert(2)"},
     "published": "2026-01-10T12:00:00Z",
     "content": "<p onclick=\"steal()\">Bonjour <script>alert('xss')</script><style>body{display:none}</style><img src=\"https://tracker.example/pixel.gif\" width=\"1\" height=\"1\" onerror=\"steal()\"><a href=\"javascript:alert(3)\">clic</a> <a href=\"https://ok.example/page\" onmouseover=\"steal()\" style=\"color:red\" target=\"_blank\">un lien</a><iframe src=\"https://evil.example/\"></iframe><form action=\"https://evil.example/\"><input name=\"pw\"></form><svg onload=\"steal()\"><circle/></svg></p>",
     "text": "Bonjour clic un lien"},
    {"id": "bluesky:at://did:plc:a/app.bsky.feed.post/3x", "network": "bluesky", "url": "https://bsky.app/profile/alice.example/post/3x",
     "author": {"name": "Alice", "handle": "alice.example", "url": "https://bsky.app/profile/alice.example"},
     "published": "2026-01-10T10:00:00Z", "content": "<p>Très juste&#x202f;!</p>", "text": "Très juste !"},
    {"id": "mastodon:4", "network": "mastodon", "url": "https://piaille.fr/@spam/4",
     "author": {"name": "Spam", "handle": "@spam@piaille.fr", "url": "https://piaille.fr/@spam"},
     "published": "2026-01-12T09:00:00Z", "content": "<p>Gagnez au CASINO en ligne</p>", "text": "Gagnez au CASINO en ligne"}
  ]
}
`

// TestReactionsHostileHTML builds an article whose replies hold hostile HTML and checks that none of it
// reaches the page, while the text, the safe link and the counts do; and that moderation hides what
// vitrine.toml and the file say.
func TestReactionsHostileHTML(t *testing.T) {
	archive := withReactions(engineSite, "hide = [\"@troll@piaille.fr\"]\nblocked_words = [\"casino\"]\n") + hostileReactions
	mem, _ := mustBuild(t, archive, generator.Options{})
	assertFile(t, mem, "posts/premier/index.html",
		`<h2 id="reactions-title">Réactions</h2>`,
		`12`+"\u00a0"+`j’aime`, `3`+"\u00a0"+`partages`, `1`+"\u00a0"+`réponse`,
		`Bonjour`, `<a href="https://ok.example/page" rel="nofollow noreferrer">un lien</a>`,
		`Très juste`+"\u202f"+`!`,
		`<span class="reply-avatar" aria-hidden="true">A</span>`,
		`&lt;b&gt;Mallory&lt;/b&gt;`,
	)
	data, _ := mem.Get("posts/premier/index.html")
	page := string(data)
	start := strings.Index(page, `<section class="reactions"`)
	end := strings.Index(page[start:], `</section>`)
	if start < 0 || end < 0 {
		t.Fatalf("no reactions section:\n%s", page)
	}
	section := page[start : start+end]
	for _, bad := range []string{"<script", "alert(", "<style", "display:none", "onerror", "onclick", "onmouseover",
		"onload", "javascript:", "<img", "tracker.example", "<iframe", "<form", "<input", "<svg", "style=", "target=",
		"<b>", "Hidden by its author", "CASINO"} {
		if strings.Contains(section, bad) {
			t.Errorf("the reactions section holds %q:\n%s", bad, section)
		}
	}
	// Oldest first: Alice (10:00) before Mallory (12:00).
	if a, m := strings.Index(section, "Alice"), strings.Index(section, "Mallory"); a < 0 || m < 0 || a > m {
		t.Errorf("replies not oldest first:\n%s", section)
	}
}

// TestReactionsApproval shows nothing under moderation = "approve" until a reply is approved by hand.
func TestReactionsApproval(t *testing.T) {
	file := `-- data/reactions/premier.json --
{"article": "https://example.org/posts/premier/", "networks": {},
 "replies": [
  {"id": "mastodon:1", "network": "mastodon", "url": "https://piaille.fr/@a/1", "author": {"name": "Awaiting", "handle": "@a@piaille.fr"},
   "published": "2026-01-10T10:00:00Z", "content": "<p>Pas encore</p>", "text": "Pas encore"},
  {"id": "mastodon:2", "network": "mastodon", "url": "https://piaille.fr/@b/2", "author": {"name": "Approved", "handle": "@b@piaille.fr"},
   "published": "2026-01-10T11:00:00Z", "content": "<p>Validée</p>", "text": "Validée", "moderation": "approved"},
  {"id": "mastodon:3", "network": "mastodon", "url": "https://piaille.fr/@c/3", "author": {"name": "Hidden", "handle": "@c@piaille.fr"},
   "published": "2026-01-10T12:00:00Z", "content": "<p>Cachée</p>", "text": "Cachée", "moderation": "hidden"}
 ]}
`
	archive := withReactions(engineSite, "moderation = \"approve\"\n") + file
	mem, _ := mustBuild(t, archive, generator.Options{})
	assertFile(t, mem, "posts/premier/index.html", "Validée", "Approved")
	data, _ := mem.Get("posts/premier/index.html")
	for _, bad := range []string{"Pas encore", "Cachée"} {
		if strings.Contains(string(data), bad) {
			t.Errorf("%q is shown", bad)
		}
	}
}

// withReactions drops the bare theme of a test site (the default theme shows reactions) and adds a
// [reactions] table to its vitrine.toml.
func withReactions(archive, table string) string {
	archive = strings.Replace(archive, "theme = \"bare\"\n", "", 1)
	return strings.Replace(archive, "-- themes/bare/", "[reactions]\n"+table+"-- themes/bare/", 1)
}

// TestReactionsOnEvents shows the reactions to an event's announcement on the event page.
func TestReactionsOnEvents(t *testing.T) {
	files := `-- content/events/atelier.md --
---
title: Atelier photo
date: 2026-01-02
start: 2026-02-01T14:00:00+01:00
---
Venez.
-- data/reactions/atelier.json --
{"article": "https://example.org/events/atelier/",
 "networks": {"mastodon": {"post": "https://piaille.fr/@c/9", "likes": 2, "reposts": 0, "replies": 1}},
 "replies": [{"id": "mastodon:10", "network": "mastodon", "url": "https://piaille.fr/@d/10", "author": {"name": "Dominique", "handle": "@d@piaille.fr"},
   "published": "2026-01-03T10:00:00Z", "content": "<p>J’y serai !</p>", "text": "J’y serai !"}]}
`
	mem, _ := mustBuild(t, withReactions(engineSite, "")+files, generator.Options{})
	assertFile(t, mem, "events/atelier/index.html", `<h2 id="reactions-title">Réactions</h2>`, "J’y serai", "Dominique")
}

// TestReactionsBadFile names the file and the line of a reactions file that is not valid JSON.
func TestReactionsBadFile(t *testing.T) {
	_, _, err := build(t, withReactions(engineSite, "")+"-- data/reactions/premier.json --\n{\"article\": \"https://example.org/posts/premier/\",\n \"replies\": [,]}\n", generator.Options{})
	if err == nil || !strings.Contains(err.Error(), "data/reactions/premier.json: line 2:") {
		t.Errorf("error %v", err)
	}
}

// TestDemoReactions builds the demo site and finds the reactions of its two syndicated articles on
// their pages, with the hostile parts of its fixtures gone: the spam reply (blocked word) and the
// tracking image of another.
func TestDemoReactions(t *testing.T) {
	mem, err := demoBuild(t)
	if err != nil {
		t.Fatal(err)
	}
	assertFile(t, mem, "posts/mastodon-bluesky-independants/index.html",
		`<h2 id="reactions-title">Réactions</h2>`, "42\u00a0j’aime", "Léa · céramiste", "Tom, photographe",
		`<a href="https://velo-solidaire.example/blog/bilan-reseaux" rel="nofollow noreferrer">`)
	assertFile(t, mem, "posts/calendrier-editorial-association/index.html",
		`<h2 id="reactions-title">Réactions</h2>`, "Nadia — Banque alimentaire Lyon 7", "une rubrique = une couleur")
	for _, name := range []string{"posts/mastodon-bluesky-independants/index.html", "posts/calendrier-editorial-association/index.html"} {
		data, _ := mem.Get(name)
		for _, bad := range []string{"tracker.example", "casino", "javascript:", "<script>alert", "Réponse privée"} {
			if strings.Contains(string(data), bad) {
				t.Errorf("%s holds %q", name, bad)
			}
		}
	}
}

func demoBuild(t *testing.T) (*output.Memory, error) {
	t.Helper()
	mem := &output.Memory{}
	_, err := generator.Build(context.Background(), generator.Options{Source: os.DirFS(".."), Writer: mem, Now: now})
	return mem, err
}

// TestReactionsHostileText builds an article whose reactions file (written by hand, or by an older
// vitrine) holds a 1 MB reply and right-to-left overrides: the page shows the reply cut with a link to
// the original, the name without its bidirectional controls, names and replies isolated from the page's
// direction, and a blocked word hidden behind a soft hyphen is still blocked.
func TestReactionsHostileText(t *testing.T) {
	huge := strings.Repeat("Une très longue réponse. ", (1<<20)/26)
	file := `-- data/reactions/premier.json --
{"article": "https://example.org/posts/premier/", "networks": {},
 "replies": [
  {"id": "mastodon:1", "network": "mastodon", "url": "https://piaille.fr/@eve/1",
   "author": {"name": "Eve \u202Egnp.exe\u202C", "handle": "@eve@piaille.fr", "url": "https://piaille.fr/@eve"},
   "published": "2026-01-10T12:00:00Z", "content": "<p>` + huge + `</p>", "text": "` + huge + `"},
  {"id": "mastodon:2", "network": "mastodon", "url": "https://piaille.fr/@rtl/2",
   "author": {"name": "\u05e9\u05dc\u05d5\u05dd", "handle": "@rtl@piaille.fr", "url": "https://piaille.fr/@rtl"},
   "published": "2026-01-11T12:00:00Z", "content": "<p>\u202Eabc</p>", "text": "\u202Eabc"},
  {"id": "mastodon:3", "network": "mastodon", "url": "https://piaille.fr/@spam/3",
   "author": {"name": "Spam", "handle": "@spam@piaille.fr", "url": "https://piaille.fr/@spam"},
   "published": "2026-01-12T12:00:00Z", "content": "<p>Gagnez au CA\u00adSI\u200bNO</p>", "text": "Gagnez au CA\u00adSI\u200bNO"}
 ]}
`
	archive := withReactions(engineSite, "blocked_words = [\"casino\"]\n") + file
	mem, _ := mustBuild(t, archive, generator.Options{})
	assertFile(t, mem, "posts/premier/index.html",
		`<a class="p-author h-card" href="https://piaille.fr/@eve"><bdi>Eve gnp.exe</bdi></a> <bdi class="reply-handle">@eve@piaille.fr</bdi>`,
		`<bdi>שלום</bdi>`,
		`<div class="reply-content p-content" dir="auto">`,
		"longue…</p></div>",
		`<p class="reply-more"><a href="https://piaille.fr/@eve/1">Lire toute la réponse sur Mastodon</a></p>`,
	)
	data, _ := mem.Get("posts/premier/index.html")
	if len(data) > 200<<10 {
		t.Errorf("the page has %d bytes: the 1 MB reply was published whole", len(data))
	}
	if strings.Contains(string(data), "Gagnez") {
		t.Error("a blocked word with a soft hyphen and a zero-width space inside passed moderation")
	}
	if n := strings.Count(string(data), "Une très longue réponse"); n > model.MaxReplyChars/20 {
		t.Errorf("the long reply shows %d times its sentence", n)
	}
}
