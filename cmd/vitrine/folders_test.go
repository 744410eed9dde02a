package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// snapshot describes every file, folder and link under root (names, modes, contents, link targets,
// times), so that a test sees anything a build wrote, removed or touched there.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		desc := info.Mode().String()
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			desc += " -> " + target
		case info.Mode().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			desc += fmt.Sprintf(" %x %d", sha256.Sum256(data), info.ModTime().UnixNano())
		}
		snap[p] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// sameSnapshot reports how b differs from a.
func sameSnapshot(t *testing.T, what string, a, b map[string]string) {
	t.Helper()
	for p, d := range a {
		if b[p] != d {
			t.Errorf("%s: %s changed: %q, now %q", what, p, d, b[p])
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			t.Errorf("%s: %s appeared", what, p)
		}
	}
}

var plainSite = map[string]string{
	"vitrine.toml":         "baseURL = \"https://example.org/\"\ntitle = \"T\"\n",
	"content/posts/a.md":   "---\ntitle: A\ndate: 2026-01-01\n---\nHello.\n",
	"static/robots.txt":    "User-agent: *\n",
	"data/x.json":          "{}",
	"layouts/.keep":        "",
	".git/HEAD":            "ref: refs/heads/main\n",
	".vitrine/outbox/a.md": "post",
}

// TestBuildRefusesDestination: an output folder that is the site, holds it, or lies in a folder the
// build reads is refused before anything is touched, and so is one that is a site or a repository.
func TestBuildRefusesDestination(t *testing.T) {
	for _, dest := range []string{".", "..", "/", "content", "content/posts", "static/out", "data", "layouts/x",
		"themes/t", "i18n", ".git", ".vitrine", ".vitrine/cache", "vitrine.toml", "content/posts/a.md", "./content/../static", "../other-site", "../repo"} {
		t.Run(dest, func(t *testing.T) {
			root := t.TempDir()
			site := filepath.Join(root, "site")
			for name, text := range plainSite {
				writeFile(t, filepath.Join(site, name), []byte(text))
			}
			writeFile(t, filepath.Join(root, "other-site", "vitrine.toml"), []byte("title = \"other\"\n"))
			writeFile(t, filepath.Join(root, "repo", ".git", "HEAD"), []byte("ref: refs/heads/main\n"))
			before := snapshot(t, root)
			t.Chdir(site)
			code, out, errOut := runCmd(t, "build", "-d", dest)
			if code == 0 {
				t.Fatalf("build -d %s succeeded: %s", dest, out)
			}
			if !strings.Contains(errOut, "output folder "+dest) || !strings.Contains(errOut, "nothing was built or removed") {
				t.Errorf("the error does not name the output folder: %s", errOut)
			}
			sameSnapshot(t, "build -d "+dest, before, snapshot(t, root))
		})
	}
}

// TestBuildRefusesLinks: a committed symbolic link as the output folder, a folder above it in the site,
// the cache or a folder of the cache must not take a build (or its removals) out of the site.
func TestBuildRefusesLinks(t *testing.T) {
	cases := []struct {
		name, link, dest, want string
	}{
		{"public", "public", "", "output folder"},
		{"parent of the output", "out", "out/public", "output folder"},
		{".vitrine", ".vitrine", "", "build cache"},
		{".vitrine/cache", ".vitrine/cache", "", "build cache"},
		{"cache tmp", ".vitrine/cache/tmp", "", "build cache"},
		{"cache build", ".vitrine/cache/build", "", "build cache"},
		{"cache images", ".vitrine/cache/images/ab", "", "build cache"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			site := filepath.Join(root, "site")
			for name, text := range plainSite {
				writeFile(t, filepath.Join(site, name), []byte(text))
			}
			// A first build, so that a manifest and a cache exist.
			if code, _, errOut := runCmd(t, "build", "-s", site); code != 0 {
				t.Fatal(errOut)
			}
			outside := filepath.Join(root, "outside")
			old := time.Now().Add(-48 * time.Hour)
			for _, name := range []string{"index.html", "bodies-1.tmp", "keep.tmp", "output.manifest"} {
				p := filepath.Join(outside, name)
				writeFile(t, p, []byte("not the build's"))
				if err := os.Chtimes(p, old, old); err != nil {
					t.Fatal(err)
				}
			}
			link := filepath.Join(site, c.link)
			if err := os.RemoveAll(link); err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(link, "x"), nil) // the folders above the link
			os.RemoveAll(link)
			if err := os.Symlink(outside, link); err != nil {
				t.Fatal(err)
			}
			args := []string{"build", "-s", site}
			if c.dest != "" {
				args = append(args, "-d", filepath.Join(site, c.dest))
			}
			before := snapshot(t, outside)
			beforeSite := snapshot(t, site)
			code, _, errOut := runCmd(t, args...)
			if code == 0 || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "symbolic link") {
				t.Errorf("build with %s a link out of the site: code %d, %s", c.link, code, errOut)
			}
			sameSnapshot(t, "outside", before, snapshot(t, outside))
			sameSnapshot(t, "site", beforeSite, snapshot(t, site))
		})
	}
}

// TestBuildRemovesKilledCopies: the copies a killed build left beside public/ are removed by the next
// build; a link of the same pattern and what it leads to are not.
func TestBuildRemovesKilledCopies(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	for name, text := range plainSite {
		writeFile(t, filepath.Join(site, name), []byte(text))
	}
	if code, _, errOut := runCmd(t, "build", "-s", site); code != 0 {
		t.Fatal(errOut)
	}
	for _, d := range []string{".public.tmp-1234567", ".public.tmp-89.old"} {
		writeFile(t, filepath.Join(site, d, "posts", "a", "index.html"), []byte("killed"))
	}
	outside := filepath.Join(root, "outside")
	writeFile(t, filepath.Join(outside, "keep.html"), []byte("not the build's"))
	if err := os.Symlink(outside, filepath.Join(site, ".public.tmp-link")); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, outside)
	if code, _, errOut := runCmd(t, "build", "-s", site); code != 0 {
		t.Fatal(errOut)
	}
	for name, want := range map[string]bool{".public.tmp-1234567": false, ".public.tmp-89.old": false, ".public.tmp-link": true} {
		if _, err := os.Lstat(filepath.Join(site, name)); (err == nil) != want {
			t.Errorf("%s: exists = %v, want %v", name, err == nil, want)
		}
	}
	sameSnapshot(t, "outside", before, snapshot(t, outside))
}
