package load

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

func loaderOpts() Options {
	return Options{
		Config:     config.Config{BaseURL: "https://example.org/", Language: "fr", Timezone: "Europe/Paris"},
		Visibility: model.Visibility{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		Markdown:   markdown.New(markdown.Options{}),
	}
}

func TestLoaderPatch(t *testing.T) {
	fsys := fstest.MapFS{
		"content/posts/a.md": {Data: []byte("---\ntitle: A\ndate: 2025-01-01\n---\nPremier texte.\n")},
		"content/posts/b.md": {Data: []byte("---\ntitle: B\ndate: 2025-02-01\n---\nVoir [A](a.md).\n")},
	}
	l := NewLoader(fsys, loaderOpts())
	site, err := l.Load(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	a := site.Sections["posts"].Children[1]
	if a.Source != "content/posts/a.md" {
		t.Fatalf("unexpected order: %s", a.Source)
	}
	v := l.Version(a)

	// A body edit is patched in place.
	fsys["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A\ndate: 2025-01-01\n---\nUn texte neuf.\n")}
	pages, err := l.Patch(context.Background(), site, []string{"content/posts/a.md"})
	if err != nil || len(pages) != 1 || pages[0] != a {
		t.Fatalf("Patch = %v, %v; want the page of a.md", pages, err)
	}
	if !strings.Contains(string(a.Content), "Un texte neuf.") || l.Version(a) == v {
		t.Errorf("patched page: content %q, version %d (was %d)", a.Content, l.Version(a), v)
	}

	// Saved unchanged: patched, nothing to show again.
	if pages, _ := l.Patch(context.Background(), site, []string{"content/posts/a.md"}); pages == nil || len(pages) != 0 {
		t.Errorf("an unchanged file gave %v", pages)
	}

	// A title edit is not a body edit: the site must be loaded.
	fsys["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A bis\ndate: 2025-01-01\n---\nUn texte neuf.\n")}
	if pages, _ := l.Patch(context.Background(), site, []string{"content/posts/a.md"}); pages != nil {
		t.Errorf("a title edit was patched: %v", pages)
	}
	site2, err := l.Load(context.Background(), []string{"content/posts/a.md"})
	if err != nil {
		t.Fatal(err)
	}
	if got := site2.Sections["posts"].Children[1].Title; got != "A bis" {
		t.Errorf("title after Load: %q", got)
	}
	// The site of an earlier Load is not patched.
	if pages, _ := l.Patch(context.Background(), site, []string{"content/posts/a.md"}); pages != nil {
		t.Error("patched a site that is not the last one")
	}

	// A link's target moves: the page linking to it is converted again.
	fsys["content/posts/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A bis\nslug: autre\ndate: 2025-01-01\n---\nUn texte neuf.\n")}
	site3, err := l.Load(context.Background(), []string{"content/posts/a.md"})
	if err != nil {
		t.Fatal(err)
	}
	if b := site3.Sections["posts"].Children[0]; !strings.Contains(string(b.Content), `href="/posts/autre/"`) {
		t.Errorf("b.md links to %s", b.Content)
	}

	// A deleted target: the link is an error, as in a full load.
	delete(fsys, "content/posts/a.md")
	if _, err := l.Load(context.Background(), []string{"content/posts/a.md"}); err == nil || !strings.Contains(err.Error(), "content/posts/b.md:5:") {
		t.Errorf("link to a deleted page: %v", err)
	}
}
