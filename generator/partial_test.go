package generator_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// TestPartialCachedRebuild renders, through partialCached, a footer that lists every article: edited
// on one article only, an incremental rebuild must still render every page again, as a full build
// shows the new title on each. The calls a cached partial makes count for every page that reuses it.
func TestPartialCachedRebuild(t *testing.T) {
	tree := newSiteTree(t, 3, 6)
	tree.write("layouts/partials/footer.html", `<footer>{{range .Site.RegularPages "posts"}}<span>{{.Title}}</span>{{end}}`+
		`{{partialCached "partials/count.html" . "n"}}{{partialCached "count.html" .Page "n"}}</footer>`)
	tree.write("layouts/partials/count.html", `<b>{{with .Site}}{{len (.RegularPages "posts")}}{{end}}</b>`)
	cache := t.TempDir()
	opts := generator.Options{Source: os.DirFS(tree.dir), Now: now, CacheDir: cache, Serve: true}
	sess := generator.NewSession(opts, &output.Memory{})
	full := func() *output.Memory { return fullBuild(t, opts) }
	if _, err := sess.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	compare(t, "the first build", sess.Memory(), full())
	about, _ := sess.Memory().Get("about/index.html")
	if !strings.Contains(string(about), "<span>Article 2</span>") || strings.Count(string(about), "<b>") != 2 {
		t.Fatalf("the about page lacks the cached footer:\n%s", about)
	}

	p := "content/posts/post-002.md"
	tree.write(p, strings.Replace(tree.read(p), `title: "Article 2"`, `title: "Article deux"`, 1))
	res, err := sess.Rebuild(context.Background(), []string{p})
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "a new title", sess.Memory(), full())
	about, _ = sess.Memory().Get("about/index.html")
	if !strings.Contains(string(about), "<span>Article deux</span>") {
		t.Errorf("the about page kept the old title after a rebuild that rendered %d of %d pages", res.Rendered, res.Pages)
	}

	tree.write("content/posts/post-new.md", "---\ntitle: Tout neuf\ndate: 2026-01-02\n---\nNouveau.\n")
	if _, err := sess.Rebuild(context.Background(), []string{"content/posts/post-new.md"}); err != nil {
		t.Fatal(err)
	}
	compare(t, "a new article", sess.Memory(), full())
}
