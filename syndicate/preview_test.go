package syndicate

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPreview(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	posts := []Post{
		{Network: Mastodon, Article: "https://e.org/posts/a/", Slug: "a", Title: "L’été <à> Lyon", Text: "L’été à Lyon https://e.org/posts/a/?utm_source=mastodon #Lyon", Length: 40, Limit: 500},
		{Network: Bluesky, Article: "https://e.org/posts/a/", Slug: "a", Title: "L’été <à> Lyon", Text: "Trop long", Length: 301, Limit: 300, Image: "posts/a/card.png"},
	}
	if err := WriteOutbox(dir, posts); err != nil {
		t.Fatal(err)
	}
	read, err := ReadOutbox(dir)
	if err != nil || len(read) != 2 || read[0].Network != Bluesky {
		t.Fatalf("ReadOutbox: %v %+v", err, read)
	}
	page, err := Preview(read, PreviewOptions{SiteTitle: "Camille", AuthorName: "Camille Roussel", ImageBase: "/"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{
		"L’été &lt;à&gt; Lyon",
		`<a href="https://e.org/posts/a/?utm_source=mastodon">`,
		`<span class="tag">#Lyon</span>`,
		`class="count over">301 / 300`,
		`<img src="/posts/a/card.png"`,
		`<article class="post mastodon">`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if empty, err := ReadOutbox(filepath.Join(t.TempDir(), "none")); err != nil || len(empty) != 0 {
		t.Errorf("missing outbox: %v %v", empty, err)
	}
}
