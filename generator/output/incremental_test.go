package output

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"
)

// tree reads every file under dir.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestIncremental(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	manifest := filepath.Join(dir, "cache", "output.manifest")
	src := fstest.MapFS{"photo.jpg": {Data: []byte("JPEG"), ModTime: time.Unix(1e9, 0)}}
	build := func(files map[string]string, keep []string, commit bool) *Incremental {
		t.Helper()
		w, err := NewIncremental(dest, manifest)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if err := w.WriteFile(name, []byte(files[name])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.CopyFile("img/photo.jpg", src, "photo.jpg"); err != nil {
			t.Fatal(err)
		}
		for _, k := range keep {
			if !w.Has(k) {
				t.Fatalf("Has(%s) is false", k)
			}
			w.Keep(k)
		}
		if !commit {
			w.Abort()
			return w
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		return w
	}
	same := func(want map[string]string) {
		t.Helper()
		want = maps.Clone(want)
		want["img/photo.jpg"] = "JPEG"
		if got := tree(t, dest); !maps.Equal(got, want) {
			t.Fatalf("destination holds %v, want %v", got, want)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 2 {
			t.Errorf("temporary folders left beside the destination: %v", ents)
		}
	}

	// First build: no manifest, the whole folder is swapped in.
	v1 := map[string]string{"index.html": "home", "posts/a/index.html": "a1", "posts/b/index.html": "b1", "old/x.html": "x"}
	w := build(v1, nil, true)
	if !w.swap {
		t.Error("first build not a swap")
	}
	same(v1)
	old := time.Unix(1, 0)
	os.Chtimes(filepath.Join(dest, "index.html"), old, old) // someone touched it: written again

	// Second build: a changes, b is kept without being written, old/x.html goes, c is new.
	time.Sleep(10 * time.Millisecond)
	v2 := map[string]string{"index.html": "home", "posts/a/index.html": "a2", "posts/c/index.html": "c"}
	w = build(v2, []string{"posts/b/index.html"}, true)
	if w.swap {
		t.Error("second build is a swap: the manifest was not used")
	}
	v2["posts/b/index.html"] = "b1"
	same(v2)
	if _, err := os.Stat(filepath.Join(dest, "old")); err == nil {
		t.Error("the folder of a removed file stays")
	}
	if st, _ := os.Stat(filepath.Join(dest, "index.html")); st.ModTime().Equal(old) {
		t.Error("a file changed behind the manifest's back was not written again")
	}
	if written, kept := w.Written(); written != 3 || kept != 2 {
		t.Errorf("written %d, kept %d; want 3 (home, a, c) and 2 (b, the photo)", written, kept)
	}

	// A failed build leaves the destination and the manifest as they were.
	build(map[string]string{"index.html": "broken"}, nil, false)
	same(v2)
	w = build(v2, []string{"posts/b/index.html"}, true)
	if written, _ := w.Written(); written != 0 {
		t.Errorf("after an aborted build, %d files written again; want none", written)
	}
	same(v2)

	// Without the manifest, everything is written again.
	os.Remove(manifest)
	v3 := map[string]string{"index.html": "home"}
	if w = build(v3, nil, true); !w.swap {
		t.Error("a build without manifest is not a swap")
	}
	same(v3)
}
