package syndicate

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteOutbox(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".vitrine", "outbox")
	stale := filepath.Join(dir, "ancien", "mastodon.txt")
	if err := os.MkdirAll(filepath.Dir(stale), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, []byte("déjà publié"), 0o644); err != nil {
		t.Fatal(err)
	}
	site := testSite()
	a := testArticle("lumiere", "La lumière", "Une description.", "photo")
	b := testArticle("lumiere", "Autre lumière", "", "photo") // same slug, another section
	b.URL = "/blog/lumiere/"
	var posts []Post
	for _, n := range []string{Mastodon, Bluesky} {
		p, err := Compose(site, a, n, composeOpts())
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
	}
	p, err := Compose(site, b, Mastodon, composeOpts())
	if err != nil {
		t.Fatal(err)
	}
	posts = append(posts, p)
	if err := WriteOutbox(dir, posts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the old outbox is still there: %v", err)
	}
	text, err := os.ReadFile(filepath.Join(dir, "lumiere", "mastodon.txt"))
	if err != nil || string(text) != posts[0].Text+"\n" {
		t.Errorf("mastodon.txt: %q %v", text, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "lumiere", "bluesky.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got Post
	if err := json.Unmarshal(data, &got); err != nil || got.Text != posts[1].Text || len(got.Facets) == 0 || got.Image != "posts/lumiere/card.png" {
		t.Errorf("bluesky.json: %+v %v", got, err)
	}
	if bytes.Contains(data, []byte(`\u0026`)) {
		t.Errorf("bluesky.json escapes & in links:\n%s", data)
	}
	if _, err := os.Stat(filepath.Join(dir, "lumiere-2", "mastodon.json")); err != nil {
		t.Errorf("second article with the same slug: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("left beside the outbox: %v", entries)
	}
	// An empty run empties the outbox.
	if err := WriteOutbox(dir, nil); err != nil {
		t.Fatal(err)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Errorf("empty outbox: %v %v", entries, err)
	}
}

func TestScheduleTable(t *testing.T) {
	site, l := planSite(), openTestLedger(t)
	if err := l.Set("https://camille-roussel.fr/posts/a/", Mastodon, Entry{State: StatePublished, Time: planNow}); err != nil {
		t.Fatal(err)
	}
	if err := l.Set("https://camille-roussel.fr/posts/a/", Bluesky, Entry{State: StatePublished, Time: planNow}); err != nil {
		t.Fatal(err)
	}
	// Article b's title does not fit Bluesky.
	for _, p := range site.Pages {
		if articleSlug(p) == "b" {
			p.URL = "/posts/" + strings.Repeat("b", 300) + "/"
		}
	}
	s, err := Plan(site, l, PlanOptions{Networks: []string{Mastodon, Bluesky}, MaxPerRun: 2, Now: planNow})
	if err != nil {
		t.Fatal(err)
	}
	posts, err := s.ComposeJobs(site, composeOpts())
	if err != nil {
		t.Fatal(err)
	}
	if len(posts) != 4 || len(s.Ready(posts)) != 3 {
		t.Errorf("%d posts, %d ready", len(posts), len(s.Ready(posts)))
	}
	var out bytes.Buffer
	if err := s.WriteTable(&out, posts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := [][]string{
		{"ARTICLE", "NETWORK", "LENGTH", "STATUS"},
		{strings.Repeat("b", 300), "mastodon", "/500", "new"},
		{strings.Repeat("b", 300), "bluesky", "/300", "too long!"},
		{"c", "mastodon", "/500", "new"},
		{"c", "bluesky", "/300", "new"},
		{"d", "all", "-", "next run"},
		{"e", "all", "-", "next run"},
	}
	if len(lines) != len(want) {
		t.Fatalf("table:\n%s", out.String())
	}
	for i, w := range want {
		for _, cell := range w {
			if !strings.Contains(lines[i], cell) {
				t.Errorf("line %d %q lacks %q", i, lines[i], cell)
			}
		}
	}
	if strings.Contains(out.String(), "already published") {
		t.Errorf("a done article is listed:\n%s", out.String())
	}
}
