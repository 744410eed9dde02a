package generator_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
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
