package generator_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// TestHugoContent builds the Hugo sites of testdata/hugo/: content as Hugo reads it, built-in
// shortcodes, errors. Each archive says what it expects (see frontmatter.txtar).
func TestHugoContent(t *testing.T) {
	names, _ := filepath.Glob("testdata/hugo/*.txtar")
	if len(names) == 0 {
		t.Fatal("no fixtures in testdata/hugo")
	}
	for _, name := range names {
		t.Run(strings.TrimSuffix(filepath.Base(name), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			hugoFixture(t, txtar.Parse(data))
		})
	}
}

func hugoFixture(t *testing.T, a *txtar.Archive) {
	src := &txtar.Archive{}
	want, notwant := map[string][]string{}, map[string][]string{}
	var absent, warnings, errs []string
	lines := func(data []byte) []string {
		var out []string
		for l := range strings.SplitSeq(strings.TrimRight(string(data), "\n"), "\n") {
			if l != "" {
				out = append(out, l)
			}
		}
		return out
	}
	for _, f := range a.Files {
		switch {
		case strings.HasPrefix(f.Name, "want/"):
			want[strings.TrimPrefix(f.Name, "want/")] = lines(f.Data)
		case strings.HasPrefix(f.Name, "notwant/"):
			notwant[strings.TrimPrefix(f.Name, "notwant/")] = lines(f.Data)
		case f.Name == "absent":
			absent = lines(f.Data)
		case f.Name == "warnings":
			warnings = lines(f.Data)
		case f.Name == "errors":
			errs = lines(f.Data)
		default:
			data := f.Data
			if strings.Contains(f.Name, "crlf") {
				data = bytes.ReplaceAll(data, []byte("\n"), []byte("\r\n"))
			}
			if strings.Contains(f.Name, "bom") {
				data = append([]byte("\ufeff"), data...)
			}
			src.Files = append(src.Files, txtar.File{Name: f.Name, Data: data})
		}
	}
	fsys, err := txtar.FS(src)
	if err != nil {
		t.Fatal(err)
	}
	mem := &output.Memory{}
	res, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: now})
	if len(errs) > 0 {
		if err == nil {
			t.Fatalf("the build succeeded; want errors %q", errs)
		}
		for _, e := range errs {
			if !strings.Contains(err.Error(), e) {
				t.Errorf("error lacks %q:\n%v", e, err)
			}
		}
		return
	}
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for name, subs := range want {
		assertFile(t, mem, name, subs...)
	}
	for name, subs := range notwant {
		data, _ := mem.Get(name)
		for _, s := range subs {
			if strings.Contains(string(data), s) {
				t.Errorf("%s contains %q:\n%s", name, s, data)
			}
		}
	}
	for _, name := range absent {
		assertNoFile(t, mem, name)
	}
	var got []string
	for _, n := range generator.NewReport(res.Site).Notices {
		got = append(got, n.String())
	}
	if len(got) != len(warnings) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(warnings, "\n"))
		return
	}
	for i, w := range warnings {
		file, rest, _ := strings.Cut(w, ": ")
		if !strings.HasPrefix(got[i], file+": warning: ") || !strings.Contains(got[i], rest) {
			t.Errorf("warning %d is %q, want %q", i, got[i], w)
		}
	}
}

// TestSessionHugoContent rebuilds after the edits whose effects reach other files in Hugo content: a
// cascade changed in an _index.md, the target of a ref moved, a shortcode added; each time the output
// equals a full build's.
func TestSessionHugoContent(t *testing.T) {
	tree := &siteTree{t: t, dir: t.TempDir()}
	tree.write("vitrine.toml", "baseURL = \"https://example.org/\"\ntitle = \"Club\"\ntimezone = \"UTC\"\n[cards]\ngenerate = false\n")
	tree.write("content/docs/_index.md", "---\ntitle: Docs\ncascade:\n  tags: [one]\n---\n")
	tree.write("content/docs/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nSee [b]({{< ref \"b\" >}}).\n")
	tree.write("content/docs/b.md", "---\ntitle: B\ndate: 2024-01-02\n---\nB.\n")
	opts := generator.Options{Source: os.DirFS(tree.dir), Now: now}
	sess := generator.NewSession(opts, &output.Memory{})
	full := func() *output.Memory { return fullBuild(t, opts) }
	steps := []struct {
		what string
		edit func() []string
		want map[string]string
	}{
		{"the first build", func() []string { return nil }, map[string]string{"tags/one/index.html": "/docs/a/", "docs/a/index.html": `href="/docs/b/"`}},
		{"a cascade changed", func() []string {
			return []string{tree.write("content/docs/_index.md", "---\ntitle: Docs\ncascade:\n  tags: [two]\n---\n")}
		}, map[string]string{"tags/two/index.html": "/docs/a/"}},
		{"the target of a ref moved", func() []string {
			return []string{tree.write("content/docs/b.md", "---\ntitle: B\ndate: 2024-01-02\nslug: bee\n---\nB.\n")}
		}, map[string]string{"docs/a/index.html": `href="/docs/bee/"`}},
		{"a shortcode added", func() []string {
			return []string{tree.write("content/docs/b.md", "---\ntitle: B\ndate: 2024-01-02\nslug: bee\n---\n{{< youtube 0RKpf3rK57I >}}\n")}
		}, map[string]string{"docs/bee/index.html": "youtube-nocookie.com/embed/0RKpf3rK57I"}},
	}
	for _, s := range steps {
		if _, err := sess.Rebuild(context.Background(), s.edit()); err != nil {
			t.Fatalf("after %s: %v", s.what, err)
		}
		compare(t, s.what, sess.Memory(), full())
		for name, sub := range s.want {
			assertFile(t, sess.Memory(), name, sub)
		}
	}
}
