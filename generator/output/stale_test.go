package output

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"testing"
)

// build writes files into dest through an Incremental with the manifest at manifest, and commits.
func build(t *testing.T, dest, manifest string, files map[string]string) {
	t.Helper()
	w, err := NewIncremental(dest, manifest)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := w.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestTamperedManifest: a manifest naming a file out of the destination (changed by hand, or committed)
// must not make a build remove it.
func TestTamperedManifest(t *testing.T) {
	for _, name := range []string{"../victim.txt", "/victim.txt", "a/../../victim.txt", "./../victim.txt"} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			dest, manifest := filepath.Join(root, "public"), filepath.Join(root, "cache", "output.manifest")
			victim := filepath.Join(root, "victim.txt")
			if err := os.WriteFile(victim, []byte("keep me"), 0o644); err != nil {
				t.Fatal(err)
			}
			build(t, dest, manifest, map[string]string{"index.html": "a"})
			data, err := os.ReadFile(manifest)
			if err != nil {
				t.Fatal(err)
			}
			var m manifestFile
			if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&m); err != nil {
				t.Fatal(err)
			}
			// The entry matches the victim on disk as an output file would.
			st, _ := os.Stat(victim)
			m.Files[name] = Entry{Size: st.Size(), ModTime: st.ModTime().UnixNano()}
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(m); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(manifest, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			build(t, dest, manifest, map[string]string{"index.html": "b"})
			if got, err := os.ReadFile(victim); err != nil || string(got) != "keep me" {
				t.Fatalf("the build removed or changed a file out of its destination: %q %v", got, err)
			}
			if got, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(got) != "b" {
				t.Fatalf("index.html = %q, want the new build", got)
			}
		})
	}
}

// TestStaleStaging: what a killed build left beside the destination is removed by the next build, and
// nothing else is: not a link of the same name, not another folder's staging, not the staging of a build
// still running.
func TestStaleStaging(t *testing.T) {
	root := t.TempDir()
	dest, manifest := filepath.Join(root, "public"), filepath.Join(root, "cache", "output.manifest")
	outside := filepath.Join(t.TempDir(), "outside")
	for _, d := range []string{".public.tmp-111/posts", ".public.tmp-222.old/css", ".blog.tmp-333", outside} {
		p := d
		if !filepath.IsAbs(d) {
			p = filepath.Join(root, d)
		}
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(p, "f.html"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, ".public.tmp-444")); err != nil {
		t.Fatal(err)
	}

	// A build under way into the same folder: its staging stays while it runs.
	running, err := NewIncremental(dest, manifest)
	if err != nil {
		t.Fatal(err)
	}
	if err := running.WriteFile("running.html", []byte("r")); err != nil {
		t.Fatal(err)
	}
	second, err := NewIncremental(dest, manifest)
	if err != nil {
		t.Fatal(err)
	}
	second.Abort()
	if _, err := os.Stat(filepath.Join(running.tmp, "running.html")); err != nil {
		t.Fatalf("a build removed the staging folder of a build still running: %v", err)
	}
	if err := running.Commit(); err != nil {
		t.Fatal(err)
	}

	build(t, dest, manifest, map[string]string{"index.html": "a"})
	for name, want := range map[string]bool{
		".public.tmp-111": false, ".public.tmp-222.old": false, // a killed build's
		".blog.tmp-333": true, ".public.tmp-444": true, // another folder's; a link
		"public": true,
	} {
		_, err := os.Lstat(filepath.Join(root, name))
		if got := err == nil; got != want {
			t.Errorf("%s: exists = %v, want %v", name, got, want)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "f.html")); err != nil {
		t.Errorf("the build removed a file a link led to: %v", err)
	}
}
