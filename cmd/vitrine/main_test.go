package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCmd runs the command line and returns its exit status and output.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd(t, "version")
	if code != 0 || !strings.HasPrefix(out, "vitrine ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"build", "--help"}, {"new", "--help"}} {
		code, out, _ := runCmd(t, args...)
		if code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: %d %q", args, code, out)
		}
	}
	code, out, _ := runCmd(t, "build", "--help")
	for _, flag := range []string{"--source", "--destination", "--baseURL", "--drafts", "--future"} {
		if code != 0 || !strings.Contains(out, flag) {
			t.Errorf("build --help does not list %s", flag)
		}
	}
}

// TestBuildDemoSite builds the repository's own demo site, as the README tells a newcomer to.
func TestBuildDemoSite(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "public")
	code, out, errOut := runCmd(t, "build", "-s", "../..", "-d", dest)
	if code != 0 {
		t.Fatalf("build failed (%d): %s", code, errOut)
	}
	if !strings.Contains(out, "Built ") {
		t.Errorf("no summary line: %q", out)
	}
	for _, f := range []string{"index.html", "posts/index.html", "projects/index.html", "events/index.html",
		"tags/index.html", "categories/index.html", "index.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt", "404.html"} {
		if _, err := os.Stat(filepath.Join(dest, f)); err != nil {
			t.Errorf("demo site: %v", err)
		}
	}
	// A second build gives the same bytes.
	dest2 := filepath.Join(t.TempDir(), "public")
	if code, _, errOut := runCmd(t, "build", "-s", "../..", "-d", dest2); code != 0 {
		t.Fatalf("second build failed: %s", errOut)
	}
	if diff := compareTrees(t, dest, dest2); diff != "" {
		t.Errorf("two builds differ: %s", diff)
	}
}

func compareTrees(t *testing.T, a, b string) string {
	t.Helper()
	var diff []string
	err := filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			diff = append(diff, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(diff, ", ")
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		full := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestFailedBuildKeepsOutput checks that a broken input leaves the previous public/ as it was.
func TestFailedBuildKeepsOutput(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"vitrine.toml":      "baseURL = \"https://example.org/\"\ntitle = \"T\"\n",
		"content/a.md":      "---\ntitle: A\ndate: 2026-01-01\n---\nHello.\n",
		"content/_index.md": "---\ntitle: Home\n---\n",
	})
	if code, _, errOut := runCmd(t, "build", "-s", dir); code != 0 {
		t.Fatalf("first build: %s", errOut)
	}
	before, err := os.ReadFile(filepath.Join(dir, "public", "a", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: [broken\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd(t, "build", "-s", dir)
	if code == 0 || !strings.Contains(errOut, "content/a.md:2") {
		t.Fatalf("broken build: code %d, stderr %q", code, errOut)
	}
	after, err := os.ReadFile(filepath.Join(dir, "public", "a", "index.html"))
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("public/ changed after a failed build: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary folder left behind: %s", e.Name())
		}
	}
}

func TestNew(t *testing.T) {
	dir := writeSite(t, map[string]string{"vitrine.toml": "baseURL = \"https://example.org/\"\n"})
	fixed := func() time.Time { return time.Date(2026, 11, 22, 10, 30, 0, 0, time.UTC) }
	for _, c := range []struct{ kind, title, path, want string }{
		{"post", "Été à Lyon", "content/posts/ete-a-lyon.md", "date: 2026-11-22T11:30:00+01:00"},
		{"project", "Mariage au parc", "content/projects/mariage-au-parc/index.md", "client:"},
		{"event", "Balade photo", "content/events/balade-photo.md", "start: 2026-12-06T11:00:00+01:00"},
		{"page", "Mentions légales", "content/mentions-legales.md", `title: "Mentions légales"`},
	} {
		var stdout, stderr bytes.Buffer
		root := newCmd(fixed)
		root.SetArgs([]string{"-s", dir, c.kind, c.title})
		root.SetOut(&stdout)
		root.SetErr(&stderr)
		if err := root.Execute(); err != nil {
			t.Fatalf("new %s: %v", c.kind, err)
		}
		data, err := os.ReadFile(filepath.Join(dir, c.path))
		if err != nil {
			t.Fatalf("new %s: %v", c.kind, err)
		}
		if !strings.Contains(string(data), c.want) {
			t.Errorf("%s does not contain %q:\n%s", c.path, c.want, data)
		}
	}
	// The new files build (as drafts).
	if code, _, errOut := runCmd(t, "build", "-s", dir, "--drafts"); code != 0 {
		t.Errorf("build of new content: %s", errOut)
	}
	// A second time, the file exists: refused, nothing overwritten.
	code, _, errOut := runCmd(t, "new", "-s", dir, "post", "Été à Lyon")
	if code == 0 || !strings.Contains(errOut, "already exists") {
		t.Errorf("new over an existing file: %d %q", code, errOut)
	}
	code, _, errOut = runCmd(t, "new", "-s", dir, "recipe", "X")
	if code == 0 || !strings.Contains(errOut, "unknown kind") {
		t.Errorf("new recipe: %d %q", code, errOut)
	}
}

func TestCheck(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"vitrine.toml": "baseURL = \"https://atelier-roussel.fr/\"\ntitle = \"T\"\n",
		"content/a.md": "---\ntitle: A\ndate: 2026-01-01\ndescription: d\n---\n[x](/nowhere/)\n",
	})
	code, out, _ := runCmd(t, "check", "-s", dir)
	if code == 0 || !strings.Contains(out, "content/a.md:6: error: broken link /nowhere/") || !strings.Contains(out, "1 errors") {
		t.Errorf("check: %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("check wrote public/")
	}
	if err := os.WriteFile(filepath.Join(dir, "content/a.md"), []byte("---\ntitle: A\ndate: 2026-01-01\ndescription: d\n---\nok\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd(t, "check", "-s", dir); code != 0 || !strings.Contains(out, "0 errors") {
		t.Errorf("check of a clean site: %d\n%s", code, out)
	}
}
