package generator_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
)

const searchSite = `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Atelier"
[languages.fr]
languageName = "Français"
weight = 1
[languages.en]
languageName = "English"
weight = 2
-- content/posts/mariage.md --
---
title: Photographier un mariage
date: 2026-01-10
---
Les mariés arrivent.
-- content/posts/wedding.en.md --
---
title: Shooting a wedding
date: 2026-01-10
---
The couple arrives.
-- content/posts/cache.md --
---
title: Zythologie secrète
date: 2026-01-11
search: false
---
Zythologie.
`

// TestSearchIndexPerLanguage builds a bilingual site: each language gets its own index and search page,
// a page with search: false stays out, and [search] enabled = false leaves out box, page and index.
func TestSearchIndexPerLanguage(t *testing.T) {
	mem, _ := mustBuild(t, searchSite, generator.Options{Now: now})
	assertFile(t, mem, "search-index/fr/t/ma.json", `"mariag"`)
	assertFile(t, mem, "search-index/en/t/we.json", `"wed"`)
	assertFile(t, mem, "search-index/fr/p/0.json", `"/posts/mariage/"`)
	assertFile(t, mem, "search-index/en/p/0.json", `"/en/posts/wedding/"`)
	assertNoFile(t, mem, "search-index/fr/t/zy.json")
	if data, _ := mem.Get("search-index/en/t/ma.json"); strings.Contains(string(data), "mariag") {
		t.Error("the French word is in the English index")
	}
	assertFile(t, mem, "recherche/index.html", `data-lang="fr"`, `action="/recherche/"`)
	assertFile(t, mem, "en/search/index.html", `data-lang="en"`, `action="/en/search/"`)
	assertFile(t, mem, "en/index.html", `<form class="search-box" role="search" action="/en/search/"`)
	for _, name := range mem.Names() {
		if data, _ := mem.Get(name); strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, "search/index.html") &&
			!strings.HasSuffix(name, "recherche/index.html") && strings.Contains(string(data), "<script src=") {
			t.Errorf("%s loads a script", name)
		}
	}

	off := strings.Replace(searchSite, "[languages.fr]", "[search]\nenabled = false\n[languages.fr]", 1)
	mem, _ = mustBuild(t, off, generator.Options{Now: now})
	for _, name := range mem.Names() {
		if strings.HasPrefix(name, "search-index/") || name == "recherche/index.html" || name == "en/search/index.html" {
			t.Errorf("search off, yet %s is made", name)
		}
	}
	if data, _ := mem.Get("index.html"); strings.Contains(string(data), "search-box") {
		t.Error("search off, yet the header has the search box")
	}
}
