package generator_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// readTree reads a folder into a Memory, to compare it with a build in memory.
func readTree(t *testing.T, dir string) *output.Memory {
	t.Helper()
	mem := &output.Memory{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		return mem.WriteFile(filepath.ToSlash(rel), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	return mem
}

// TestCachedBuildEqualsBuild makes random edits to a site and, after each, builds it as vitrine build
// does, with the build cache and into the output of the build before (output.Incremental); the output
// folder must hold byte for byte what a cold build makes, and be left untouched by a failed build.
func TestCachedBuildEqualsBuild(t *testing.T) {
	seed := randomEditsSeed(t)
	steps := *rebuildSteps / 3
	if testing.Short() {
		steps = 10
	}
	tree := newSiteTree(t, seed, 12)
	work := t.TempDir()
	dest, cache, coldCache := filepath.Join(work, "public"), filepath.Join(work, "cache"), filepath.Join(work, "cold")
	opts := generator.Options{Source: os.DirFS(tree.dir), Now: now, Drafts: true}
	cached := func() (*generator.Result, error) {
		w, err := output.NewIncremental(dest, filepath.Join(cache, "build", "output.manifest"))
		if err != nil {
			t.Fatal(err)
		}
		o := opts
		o.Writer, o.CacheDir = w, cache
		res, err := generator.Build(context.Background(), o)
		if err != nil {
			w.Abort()
			return nil, err
		}
		return res, w.Commit()
	}
	cold := func() (*output.Memory, error) {
		// The social cards' cache is kept, being tested on its own; conversions are made again.
		if err := os.RemoveAll(filepath.Join(coldCache, "markdown")); err != nil {
			t.Fatal(err)
		}
		mem := &output.Memory{}
		o := opts
		o.Writer, o.CacheDir = mem, coldCache
		_, err := generator.Build(context.Background(), o)
		return mem, err
	}
	what := "the first build"
	var lastGood *output.Memory
	for i := 0; i <= steps; i++ {
		res, err := cached()
		want, wantErr := cold()
		switch {
		case (err == nil) != (wantErr == nil):
			t.Fatalf("step %d, after %s: cached build error %v, cold build error %v", i, what, err, wantErr)
		case err != nil:
			if lastGood != nil {
				compare(t, what+" (failed: the output folder stays as it was)", readTree(t, dest), lastGood)
			}
		default:
			compare(t, what, readTree(t, dest), want)
			lastGood = want
			if i > 0 {
				t.Logf("step %d: %s: rendered %d of %d pages", i, what, res.Rendered, res.Pages)
			}
		}
		what, _ = tree.step()
	}

	// Someone edits or removes files of the output: the next build puts them back.
	tree.remove("content/posts/broken.md")
	tree.remove("layouts")
	os.WriteFile(filepath.Join(dest, "index.html"), []byte("edited by hand"), 0o644)
	os.Remove(filepath.Join(dest, "sitemap.xml"))
	if _, err := cached(); err != nil {
		t.Fatal(err)
	}
	want, err := cold()
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "hand edits of the output", readTree(t, dest), want)

	// Without the cache, the same output again.
	os.RemoveAll(cache)
	res, err := cached()
	if err != nil {
		t.Fatal(err)
	}
	compare(t, "a build without the cache", readTree(t, dest), want)
	if res.Rendered != res.Pages {
		t.Errorf("without the cache, %d of %d pages rendered", res.Rendered, res.Pages)
	}
}

// TestCachedBuildRendersLittle checks that after editing one article, a build with the cache renders
// only the pages that show it.
func TestCachedBuildRendersLittle(t *testing.T) {
	tree := newSiteTree(t, 1, 30)
	work := t.TempDir()
	dest, cache := filepath.Join(work, "public"), filepath.Join(work, "cache")
	build := func() *generator.Result { return buildWithCache(t, tree.dir, dest, cache) }
	first := build()
	if again := build(); again.Rendered != 0 {
		t.Errorf("nothing changed, %d pages rendered", again.Rendered)
	}
	p := "content/posts/post-010.md"
	tree.write(p, tree.read(p)+"\nUne phrase de plus.\n")
	res := build()
	if res.Rendered == 0 || res.Rendered > 12 {
		t.Errorf("after editing one article, %d of %d pages rendered", res.Rendered, first.Pages)
	}
}

// buildWithCache builds the site in src into dest as vitrine build does, with its cache in cache.
func buildWithCache(t *testing.T, src, dest, cache string) *generator.Result {
	t.Helper()
	w, err := output.NewIncremental(dest, filepath.Join(cache, "build", "output.manifest"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := generator.Build(context.Background(), generator.Options{Source: os.DirFS(src), Now: now, Writer: w, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestCachedBuildRemovesStaleTemp checks that a build removes the temporary files a killed build left in
// the cache, and not those of a build that may still be running.
func TestCachedBuildRemovesStaleTemp(t *testing.T) {
	tree := newSiteTree(t, 1, 3)
	work := t.TempDir()
	dest, cache := filepath.Join(work, "public"), filepath.Join(work, "cache")
	tmp := filepath.Join(cache, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	old, fresh := filepath.Join(tmp, "bodies-1.tmp"), filepath.Join(tmp, "feeds-2.tmp")
	for _, name := range []string{old, fresh} {
		if err := os.WriteFile(name, []byte("<p>corps</p>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hoursAgo := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(old, hoursAgo, hoursAgo); err != nil {
		t.Fatal(err)
	}
	buildWithCache(t, tree.dir, dest, cache)
	if _, err := os.Stat(old); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a temporary file two hours old is still there: %v", err)
	}
	ents, _ := os.ReadDir(tmp)
	if len(ents) != 1 || ents[0].Name() != filepath.Base(fresh) {
		t.Errorf("left in %s: %v, want only %s", tmp, ents, filepath.Base(fresh))
	}
}
