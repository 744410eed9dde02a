package main

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/deploy/deploytest"
)

// TestDeployS3 deploys a site made by vitrine init to a real MinIO server: the first deploy uploads
// every file, a second uploads nothing, an edited article uploads the files whose bytes changed (the
// article and the pages and feeds that list it), --dry-run changes nothing, and a removed article is
// deleted from the bucket.
func TestDeployS3(t *testing.T) {
	m := deploytest.Start(t)
	m.MakeBucket(t, "etoile")
	t.Setenv("AWS_ACCESS_KEY_ID", m.AccessKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", m.SecretKey)
	t.Setenv("AWS_ENDPOINT_URL", m.Endpoint)
	t.Setenv("AWS_REGION", "us-east-1")

	dir := filepath.Join(t.TempDir(), "site")
	if code, _, errOut := runCmd(t, "init", dir, "--host", "s3", "--bucket", "s3://etoile/www", "--title", "Atelier Étoile",
		"--base-url", "https://etoile.example/"); code != 0 {
		t.Fatal(errOut)
	}
	deployed := func(args ...string) (uploaded, deleted, unchanged int, out string) {
		t.Helper()
		code, out, errOut := runCmd(t, append([]string{"deploy", "s3://etoile/www", "-s", dir}, args...)...)
		if code != 0 {
			t.Fatalf("deploy %v: %s\n%s", args, errOut, out)
		}
		re := regexp.MustCompile(`: (\d+) (?:uploaded|to upload) \([^)]*\), (\d+) (?:deleted|to delete), (\d+) unchanged`)
		mm := re.FindStringSubmatch(out)
		if mm == nil {
			t.Fatalf("no summary:\n%s", out)
		}
		a, _ := strconv.Atoi(mm[1])
		b, _ := strconv.Atoi(mm[2])
		c, _ := strconv.Atoi(mm[3])
		return a, b, c, out
	}
	public := filepath.Join(dir, "public")

	// Errors first: a missing bucket, a broken site.
	if code, _, errOut := runCmd(t, "deploy", "s3://nope", "-s", dir); code == 0 || !strings.Contains(errOut, "does not exist") {
		t.Errorf("missing bucket: %d %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, "deploy", "not-a-bucket", "-s", dir); code == 0 || !strings.Contains(errOut, "s3://BUCKET") {
		t.Errorf("bad target: %s", errOut)
	}

	up, del, same, _ := deployed()
	files := tree(t, public)
	if up != len(files) || del != 0 || same != 0 {
		t.Fatalf("first deploy: %d uploaded, %d deleted, %d unchanged, for %d files", up, del, same, len(files))
	}
	objects := m.Objects(t, "etoile", "www/")
	if len(objects) != len(files) {
		t.Errorf("%d objects for %d files", len(objects), len(files))
	}
	if up, del, same, _ := deployed(); up != 0 || del != 0 || same != len(files) {
		t.Errorf("second deploy: %d uploaded, %d deleted, %d unchanged", up, del, same)
	}

	// Edit the article: the files whose bytes change are uploaded, no other.
	post := filepath.Join(dir, "content", "posts", "bienvenue.md")
	src, _ := os.ReadFile(post)
	os.WriteFile(post, bytes.Replace(src, []byte("Voici le premier article de ce site."), []byte("Voici le tout premier article de ce site, revu."), 1), 0o644)
	if code, _, errOut := runCmd(t, "build", "-s", dir); code != 0 {
		t.Fatal(errOut)
	}
	changed := diffTrees(files, tree(t, public))
	t.Logf("the edit changed %d of %d files: %v", len(changed), len(files), changed)
	for _, want := range []string{"posts/bienvenue/index.html", "posts/index.xml"} {
		if !slices.Contains(changed, want) {
			t.Errorf("the edit did not change %s: %v", want, changed)
		}
	}
	if slices.Contains(changed, "a-propos/index.html") || len(changed) > len(files)/2 {
		t.Errorf("the edit changed unrelated files: %v", changed)
	}

	up, del, _, out := deployed("--dry-run", "--no-build")
	if up != len(changed) || del != 0 || !strings.Contains(out, "would upload www/posts/bienvenue/index.html (changed)") {
		t.Errorf("dry run: %d to upload for %d changed files\n%s", up, len(changed), out)
	}
	if after := m.Objects(t, "etoile", "www/"); !maps.Equal(after, objects) {
		t.Error("--dry-run changed the bucket")
	}

	up, del, same, _ = deployed()
	if up != len(changed) || del != 0 || same != len(files)-len(changed) {
		t.Errorf("edit deploy: %d uploaded (%d changed files: %v), %d deleted, %d unchanged", up, len(changed), changed, del, same)
	}
	after := m.Objects(t, "etoile", "www/")
	var reuploaded []string
	for k, v := range after {
		if objects[k] != v {
			reuploaded = append(reuploaded, strings.TrimPrefix(k, "www/"))
		}
	}
	slices.Sort(reuploaded)
	if !slices.Equal(reuploaded, changed) {
		t.Errorf("objects rewritten %v, files changed %v", reuploaded, changed)
	}

	// Remove the article: its files leave the bucket.
	os.Remove(post)
	up, del, _, _ = deployed()
	gone := m.Objects(t, "etoile", "www/posts/bienvenue/")
	if del == 0 || len(gone) != 0 {
		t.Errorf("removed article: %d deleted, still there: %v", del, slices.Collect(maps.Keys(gone)))
	}
	if n := len(m.Objects(t, "etoile", "www/")); n != len(tree(t, public)) {
		t.Errorf("%d objects for %d files", n, len(tree(t, public)))
	}
}

// tree returns the files under dir: path → content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// diffTrees returns the paths of b that are new or differ from a, sorted.
func diffTrees(a, b map[string]string) []string {
	var out []string
	for p, data := range b {
		if old, ok := a[p]; !ok || old != data {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func TestDeployNeedsKeys(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "none"))
	if code, _, errOut := runCmd(t, "deploy", "s3://b", "-s", dir, "--no-build"); code == 0 || !strings.Contains(errOut, "not a built site") {
		t.Errorf("--no-build without public/: %s", errOut)
	}
	os.Mkdir(filepath.Join(dir, "public"), 0o755)
	if code, _, errOut := runCmd(t, "deploy", "s3://b", "-s", dir, "--no-build", "--endpoint", "http://127.0.0.1:1"); code == 0 || !strings.Contains(errOut, "AWS_ACCESS_KEY_ID") {
		t.Errorf("no keys: %s", errOut)
	}
}
