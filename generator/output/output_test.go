package output

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCleanPath(t *testing.T) {
	for in, want := range map[string]string{"index.html": "index.html", "a/b/index.html": "a/b/index.html", "/a//b": "a/b"} {
		if got, err := CleanPath(in); err != nil || got != want {
			t.Errorf("CleanPath(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "../x", "a/../../x", "a/..", "a\\b", "a\x00b", "/"} {
		if _, err := CleanPath(bad); err == nil {
			t.Errorf("CleanPath(%q) accepted", bad)
		}
	}
}

// TestSwapCommitAndAbort builds without a manifest, as a first build does: the whole build is staged
// beside the destination and swapped in by Commit; an aborted build leaves the destination as it was.
func TestSwapCommitAndAbort(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	src := fstest.MapFS{"photo.jpg": {Data: []byte("JPEG")}}
	// Each build gets a manifest path of its own, never written before: no usable manifest, a swap.
	build := func(n int) *Incremental {
		t.Helper()
		w, err := NewIncremental(dest, filepath.Join(dir, "cache", strconv.Itoa(n), "manifest"))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}

	d := build(1)
	if err := d.WriteFile("posts/a/index.html", []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if err := d.CopyFile("posts/a/photo.jpg", src, "photo.jpg"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Fatal("the destination exists before Commit")
	}
	if err := d.WriteFile("../escape.html", []byte("x")); err == nil {
		t.Error("a path leaving the output was written")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dest, "posts/a/index.html"), "v1")
	assertContent(t, filepath.Join(dest, "posts/a/photo.jpg"), "JPEG")

	// A second build replaces the whole folder: stale files go.
	d = build(2)
	_ = d.WriteFile("index.html", []byte("v2"))
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	assertContent(t, filepath.Join(dest, "index.html"), "v2")
	if _, err := os.Stat(filepath.Join(dest, "posts")); !os.IsNotExist(err) {
		t.Error("a file of the previous build survived")
	}

	// An aborted build leaves the destination as it was and no temporary folder.
	d = build(3)
	_ = d.WriteFile("index.html", []byte("v3"))
	d.Abort()
	assertContent(t, filepath.Join(dest, "index.html"), "v2")
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestOutputModes checks that the output folder a first build creates, and the one a swap puts in its
// place, can be read by a web server running as another user: folders 0755, files readable by all.
func TestOutputModes(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "public")
	src := fstest.MapFS{"photo.jpg": {Data: []byte("JPEG")}}
	for n := range 2 {
		w, err := NewIncremental(dest, filepath.Join(dir, "cache", strconv.Itoa(n), "manifest"))
		if err != nil {
			t.Fatal(err)
		}
		_ = w.WriteFile("posts/a/index.html", []byte("v"))
		_ = w.CopyFile("posts/a/photo.jpg", src, "photo.jpg")
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"", "posts", "posts/a"} {
			st, err := os.Stat(filepath.Join(dest, name))
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Perm(); got != 0o755 {
				t.Errorf("build %d: %s/%s has mode %#o, want 0755", n+1, filepath.Base(dest), name, got)
			}
		}
		for _, name := range []string{"posts/a/index.html", "posts/a/photo.jpg"} {
			st, err := os.Stat(filepath.Join(dest, name))
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Mode().Perm(); got&0o044 != 0o044 || got&0o111 != 0 {
				t.Errorf("build %d: %s has mode %#o, want 0644", n+1, name, got)
			}
		}
	}
}

func assertContent(t *testing.T, path, want string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil || string(data) != want {
		t.Errorf("%s = %q, %v; want %q", path, data, err, want)
	}
}

func TestMemory(t *testing.T) {
	var m Memory
	if err := m.WriteFile("b.html", []byte("b")); err != nil {
		t.Fatal(err)
	}
	_ = m.WriteFile("a.html", []byte("a"))
	if got := strings.Join(m.Names(), ","); got != "a.html,b.html" {
		t.Errorf("Names = %s", got)
	}
	if err := m.WriteFile("../x", nil); err == nil {
		t.Error("escape accepted")
	}
}
