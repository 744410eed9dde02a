package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// linksSite is a bilingual site whose own layouts reach other pages only through the links of a page
// (children, parent, neighbours, translations, terms and taxonomies, the site's lists) and show their
// bodies. Every body must show in every kind of build: the cached build keeps bodies out of the model.
const linksSite = `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Liens"
defaultContentLanguage = "fr"
[languages.fr]
languageName = "Français"
[languages.en]
languageName = "English"
-- content/_index.md --
---
title: Accueil
---
Corps de l'accueil.
-- content/posts/_index.md --
---
title: Carnet
---
Corps du carnet.
-- content/posts/un.md --
---
title: Un
date: 2026-01-01
tags: [lyon]
translationKey: un
---
Corps-un.
-- content/posts/deux.md --
---
title: Deux
date: 2026-02-01
tags: [lyon]
---
Corps-deux.
-- content/en/posts/one.md --
---
title: One
date: 2026-01-01
translationKey: un
---
Body-one.
-- layouts/_default/list.html --
<main>{{range .Page.Children}}<section>child:{{.Content}}{{with .Parent}}parent:{{.Content}}{{end}}</section>{{end}}
{{range .Site.RegularPages "posts"}}regular:{{.Content}}{{end}}
{{with .Site.Home}}home:{{.Content}}{{end}}
{{range .Site.Pages}}{{if eq .Kind "article"}}all:{{.Content}}{{end}}{{end}}
{{range $name, $s := .Site.Sections}}section:{{$s.Content}}{{end}}
{{range $name, $tax := .Site.Taxonomies}}{{range .Terms}}{{range .Pages}}taxonomy:{{.Content}}{{end}}{{end}}{{end}}
{{range .Site.Terms "tags"}}{{range .Pages}}terms:{{.Content}}{{end}}{{end}}
{{range .Site.Languages}}{{with .Site}}{{range .RegularPages "posts"}}lang:{{.Content}}{{end}}{{end}}{{end}}
{{with .Site.LangSite "en"}}{{range .RegularPages "posts"}}langsite:{{.Content}}{{end}}{{end}}
</main>
-- layouts/_default/term.html --
<main>{{with .Page.Term}}{{range .Pages}}term:{{.Content}}{{end}}{{with .Page}}termpage:{{.Title}}{{end}}{{end}}</main>
-- layouts/_default/terms.html --
<main>{{with .Page.Taxonomy}}{{range .Terms}}{{range .Pages}}tax:{{.Content}}{{end}}{{end}}{{end}}</main>
-- layouts/_default/single.html --
<main>{{.Page.Content}}
{{with .Page.Prev}}prev:{{.Content}}{{end}}{{with .Page.Next}}next:{{.Content}}{{end}}
{{range .Page.Translations}}translation:{{.Content}}{{end}}
{{range .Page.TagTerms}}{{range .Pages}}tagged:{{.Content}}{{end}}{{end}}</main>
`

// TestLayoutLinksShowBodies builds linksSite in memory, with the build cache into a folder (as vitrine
// build does, twice: cold and warm), and in a dev-server session after an edit, and checks that every
// body a layout reaches through a link is shown.
func TestLayoutLinksShowBodies(t *testing.T) {
	want := map[string][]string{
		"posts/index.html": {
			"child:<p>Corps-un.</p>", "child:<p>Corps-deux.</p>", "parent:<p>Corps du carnet.</p>",
			"regular:<p>Corps-un.</p>", "home:<p>Corps de l", "all:<p>Corps-deux.</p>",
			"section:<p>Corps du carnet.</p>", "taxonomy:<p>Corps-un.</p>", "terms:<p>Corps-deux.</p>",
			"lang:<p>Body-one.</p>", "langsite:<p>Body-one.</p>",
		},
		"tags/lyon/index.html":  {"term:<p>Corps-un.</p>", "term:<p>Corps-deux.</p>", "termpage:lyon"},
		"tags/index.html":       {"tax:<p>Corps-un.</p>"},
		"posts/un/index.html":   {"next:<p>Corps-deux.</p>", "translation:<p>Body-one.</p>", "tagged:<p>Corps-deux.</p>"},
		"posts/deux/index.html": {"prev:<p>Corps-un.</p>"},
	}
	check := func(t *testing.T, what string, mem *output.Memory) {
		t.Helper()
		for name, subs := range want {
			data, ok := mem.Get(name)
			if !ok {
				t.Errorf("%s: no %s", what, name)
				continue
			}
			for _, s := range subs {
				if !strings.Contains(string(data), s) {
					t.Errorf("%s: %s lacks %q:\n%s", what, name, s, data)
				}
			}
		}
	}

	mem, _ := mustBuild(t, linksSite, generator.Options{})
	check(t, "build in memory", mem)

	src := t.TempDir()
	fsys, err := txtar.FS(txtar.Parse([]byte(linksSite)))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(src, fsys); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	dest, cache := filepath.Join(work, "public"), filepath.Join(work, "cache")
	buildWithCache(t, src, dest, cache)
	check(t, "cached build", readTree(t, dest))
	edited := filepath.Join(src, "content", "posts", "deux.md")
	text, err := os.ReadFile(edited)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edited, []byte(strings.Replace(string(text), "Corps-deux.", "Corps-deux. Encore.", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, subs := range want {
		for i, s := range subs {
			want[name][i] = strings.Replace(s, "Corps-deux.", "Corps-deux. Encore.", 1)
		}
	}
	buildWithCache(t, src, dest, cache)
	check(t, "warm cached build after an edit", readTree(t, dest))

	if err := os.WriteFile(edited, text, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, subs := range want {
		for i, s := range subs {
			want[name][i] = strings.Replace(s, "Corps-deux. Encore.", "Corps-deux.", 1)
		}
	}
	for _, serve := range []bool{false, true} {
		sess := generator.NewSession(generator.Options{Source: os.DirFS(src), Now: now, CacheDir: t.TempDir(), Serve: serve}, &output.Memory{})
		if _, err := sess.Rebuild(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := sess.Rebuild(context.Background(), []string{"content/posts/deux.md"}); err != nil {
			t.Fatal(err)
		}
		check(t, "session", sess.Memory())
	}
}
