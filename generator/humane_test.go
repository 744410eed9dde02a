package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/check"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// TestCardSummaryOrder checks that a card in a list shows the summary README's front-matter table
// promises: the front matter's summary, else the text before <!--more-->, else the description.
func TestCardSummaryOrder(t *testing.T) {
	mem, _ := mustBuild(t, `-- vitrine.toml --
baseURL = "https://example.org/"
-- content/posts/own.md --
---
title: Own
date: 2026-01-03
description: The description of own, for search engines.
summary: The *summary* of own, for lists.
---
The body of own.
-- content/posts/more.md --
---
title: More
date: 2026-01-02
description: The description of more.
---
The teaser of more.

<!--more-->

The rest of more.
-- content/posts/plain.md --
---
title: Plain
date: 2026-01-01
description: The description of plain & co.
---
The body of plain.
`, generator.Options{})
	assertFile(t, mem, "posts/index.html",
		`<div class="card-text"><p>The <em>summary</em> of own, for lists.</p>`,
		`<div class="card-text"><p>The teaser of more.</p>`,
		`<p class="card-text">The description of plain &amp; co.</p>`)
	list, _ := mem.Get("posts/index.html")
	for _, not := range []string{"The description of own", "The description of more"} {
		if strings.Contains(string(list), not) {
			t.Errorf("the list shows %q, not the summary", not)
		}
	}
}

// TestFrontMatterErrorsForPeople checks that YAML and TOML mistakes people make are said in the site's
// language, with the file, the line and the fix, not as the libraries say them.
func TestFrontMatterErrorsForPeople(t *testing.T) {
	cases := []struct {
		name, lang, file string
		want             []string
	}{
		{"colon after a space", "fr", "---\ntitle: Atelier : portrait\ndate: 2026-01-01\n---\n",
			[]string{"content/a.md:2: front matter (YAML) : ", "mettez la valeur entre guillemets", `title: "Atelier : portrait"`}},
		{"colon after a space, in English", "en", "---\ndate: 2026-01-01\ntitle: Workshop : portrait\n---\n",
			[]string{"content/a.md:3: front matter (YAML): ", "put the value in quotes", `title: "Workshop : portrait"`}},
		{"tab", "fr", "---\ntitle: x\ntags:\n\t- a\n---\n",
			[]string{"content/a.md:4:", "indentez avec des espaces, pas des tabulations"}},
		{"tab, in English", "en", "---\ntitle: x\n\tdate: 2026-01-01\n---\n",
			[]string{"content/a.md:3:", "use spaces, not tabs, to indent"}},
		{"unclosed quote", "fr", "---\ntitle: \"Atelier\ndate: 2026-01-01\n---\n",
			[]string{"content/a.md:2:", "jamais refermé", `title: "Atelier"`}},
		{"unclosed quote, in English", "en", "---\ntitle: x\ndescription: 'Atelier\n---\n",
			[]string{"content/a.md:3:", "never closed", `description: 'Atelier'`}},
		{"unclosed bracket", "fr", "---\ntitle: x\ntags: [a, b\ndate: 2026-01-01\n---\n",
			[]string{"content/a.md:3:", "jamais refermé", "tags: [a, b]"}},
		{"unclosed bracket, in English", "en", "---\ntitle: x\ntags: [a, b\n---\n",
			[]string{"content/a.md:3:", "never closed", "tags: [a, b]"}},
		{"TOML unquoted text", "fr", "+++\ndate = 2026-01-01\ntitle = Atelier : portrait\n+++\n",
			[]string{"content/a.md:3: front matter (TOML) : ", "entre guillemets", `title = "Atelier : portrait"`}},
		{"TOML written as YAML", "en", "+++\ntitle: Atelier\n+++\n",
			[]string{"content/a.md:2:", "write key = value", `title = "Atelier"`}},
		{"TOML unclosed quote", "en", "+++\ntitle = \"Atelier\ndate = 2026-01-01\n+++\n",
			[]string{"content/a.md:2:", "never closed", `title = "Atelier"`}},
		{"TOML unclosed bracket", "fr", "+++\ntitle = \"x\"\ntags = [\"a\", \"b\"\ndate = 2026-01-01\n+++\n",
			[]string{"content/a.md:3:", "jamais refermé", `tags = ["a", "b"]`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\nlanguage = \"" + c.lang + "\"\n-- content/a.md --\n" + c.file + "body\n"
			_, _, err := build(t, files, generator.Options{})
			if err == nil {
				t.Fatal("build succeeded, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			for _, raw := range []string{"mapping values", "cannot start any token", "unexpected end of stream", "did not find expected", "U+"} {
				if strings.Contains(err.Error(), raw) {
					t.Errorf("error says the library's %q:\n%v", raw, err)
				}
			}
		})
	}
}

// TestBrokenPageKeepsItsLinks checks that a page whose front matter is broken is reported once, by its
// own error, in a build and in the server: the pages that link to it do not also say "no such page".
func TestBrokenPageKeepsItsLinks(t *testing.T) {
	good := "---\ntitle: Atelier\n---\nThe workshop.\n"
	broken := "---\ntitle: Atelier : portrait\n---\nThe workshop.\n"
	linking := "---\ntitle: Home\n---\nSee [the workshop](posts/atelier.md).\n"
	files := "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\n-- content/_index.md --\n" + linking +
		"-- content/posts/atelier.md --\n" + broken
	_, _, err := build(t, files, generator.Options{})
	if err == nil {
		t.Fatal("build succeeded")
	}
	if !strings.Contains(err.Error(), "content/posts/atelier.md:2:") || strings.Contains(err.Error(), "no such page") {
		t.Errorf("build error:\n%v", err)
	}

	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("vitrine.toml", "baseURL = \"https://example.org/\"\n")
	write("content/_index.md", linking)
	write("content/posts/atelier.md", good)
	mem := &output.Memory{}
	sess := generator.NewSession(generator.Options{Source: os.DirFS(dir), Now: now, CacheDir: t.TempDir(), Serve: true}, mem)
	if _, err := sess.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	write("content/posts/atelier.md", broken)
	_, err = sess.Rebuild(context.Background(), []string{"content/posts/atelier.md"})
	if err == nil {
		t.Fatal("rebuild with a broken page succeeded")
	}
	if !strings.Contains(err.Error(), "content/posts/atelier.md:2:") || strings.Contains(err.Error(), "no such page") {
		t.Errorf("rebuild error:\n%v", err)
	}
	// The home page, edited while atelier.md is broken, still links to atelier's URL.
	write("content/_index.md", linking+"\nMore.\n")
	_, err = sess.Rebuild(context.Background(), []string{"content/_index.md"})
	if err == nil || strings.Contains(err.Error(), "no such page") {
		t.Errorf("rebuild error:\n%v", err)
	}
	write("content/posts/atelier.md", good)
	if _, err := sess.Rebuild(context.Background(), []string{"content/posts/atelier.md"}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, mem, "index.html", `href="/posts/atelier/"`, "More.")
}

// TestRelativeURLsOpenFromDisk checks that with relativeURLs = true no HTML page (but 404.html, which
// the server shows at any path) keeps a root-relative URL, and that links to folders name index.html:
// the built folder then works opened from disk.
func TestRelativeURLsOpenFromDisk(t *testing.T) {
	files := `-- vitrine.toml --
baseURL = "https://atelier-roussel.fr/"
relativeURLs = true
title = "Atelier"
-- content/_index.md --
---
title: Accueil
---
Lire [le premier article](posts/premier.md).
-- content/posts/premier.md --
---
title: Premier
date: 2026-01-01
tags: [gravure]
---
Retour à [l'accueil](../_index.md).
`
	mem, res := mustBuild(t, files, generator.Options{})
	fsys, err := txtar.FS(site(t, files))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range check.Site(res.Site, mem, fsys) {
		if f.Severity == check.Error {
			t.Errorf("check: %s", f)
		}
	}
	assertFile(t, mem, "index.html", `href="posts/premier/index.html"`, `href="posts/index.html"`, `<link rel="canonical" href="https://atelier-roussel.fr/">`)
	assertFile(t, mem, "posts/premier/index.html", `href="../../index.html"`, `href="../../tags/gravure/index.html"`)
	rootRelative := regexp.MustCompile(` (?:href|src|srcset|action|poster)=["']/[^/]`)
	for _, name := range mem.Names() {
		if !strings.HasSuffix(name, ".html") || name == "404.html" {
			continue
		}
		data, _ := mem.Get(name)
		if m := rootRelative.Find(data); m != nil {
			t.Errorf("%s keeps a root-relative URL: %s", name, m)
		}
	}
	// Without it, pages keep their root-relative URLs, as a server wants them.
	mem, _ = mustBuild(t, strings.Replace(files, "relativeURLs = true\n", "", 1), generator.Options{})
	assertFile(t, mem, "posts/premier/index.html", `href="/"`)
}

// TestServeMissingImage checks that the server stops at a missing image with its file and line, as build
// does, and takes the image in once the file appears, without the page being saved again.
func TestServeMissingImage(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("vitrine.toml", []byte("baseURL = \"https://atelier-roussel.fr/\"\n[cards]\ngenerate = false\n"))
	write("content/posts/a/index.md", []byte("---\ntitle: A\ndate: 2026-01-01\n---\nA.\n\n![Le portrait](portrait.png)\n"))
	mem := &output.Memory{}
	sess := generator.NewSession(generator.Options{Source: os.DirFS(dir), Now: now, CacheDir: t.TempDir(), Serve: true}, mem)
	_, err := sess.Rebuild(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), `content/posts/a/index.md:7: image "portrait.png": no such file`) {
		t.Fatalf("serve with a missing image: %v", err)
	}
	write("content/posts/a/portrait.png", []byte(pngOf(t, 40, 30)))
	if _, err := sess.Rebuild(context.Background(), []string{"content/posts/a/portrait.png"}); err != nil {
		t.Fatalf("once the image is there: %v", err)
	}
	assertFile(t, mem, "posts/a/index.html", `alt="Le portrait"`)
}
