package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/check"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// buildFixture builds testdata/sites/NAME.txtar in memory.
func buildFixture(t *testing.T, name string) *output.Memory {
	t.Helper()
	mem, _, _ := checkFixture(t, name)
	return mem
}

// checkFixture builds testdata/sites/NAME.txtar in memory and checks it as vitrine check does.
func checkFixture(t *testing.T, name string) (*output.Memory, *generator.Result, []check.Finding) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "sites", name+".txtar"))
	if err != nil {
		t.Fatal(err)
	}
	mem, res := mustBuild(t, string(data), generator.Options{})
	src, err := txtar.FS(txtar.Parse(data))
	if err != nil {
		t.Fatal(err)
	}
	findings := append(check.Site(res.Site, mem, src), check.Words(res.MissingWords)...)
	if check.HasErrors(findings) {
		t.Errorf("vitrine check finds errors in %s: %v", name, findings)
	}
	return mem, res, findings
}

func TestBilingualCheck(t *testing.T) {
	_, _, findings := checkFixture(t, "bilingual-folders")
	var infos []string
	for _, f := range findings {
		if f.Severity == check.Info {
			infos = append(infos, f.String())
		}
	}
	want := []string{
		"content/fr/contact.md: info: no translation in English: its language switcher leads to the home page",
		"content/fr/events/week-end-ardeche.md: info: no translation in English: its language switcher leads to the home page",
		"content/fr/posts/reparer-un-pneu.md: info: no translation in English: its language switcher leads to the home page",
	}
	if !slices.Equal(infos, want) {
		t.Errorf("infos:\n%s\nwant\n%s", strings.Join(infos, "\n"), strings.Join(want, "\n"))
	}

	mem, res, findings := checkFixture(t, "bilingual-names")
	if got := res.MissingWords["en"]; !slices.Equal(got, []string{"portfolioNote"}) {
		t.Errorf("missing English words: %v", got)
	}
	if !slices.ContainsFunc(findings, func(f check.Finding) bool {
		return f.File == "i18n/en.toml" && f.Severity == check.Warning && strings.Contains(f.Msg, `"portfolioNote"`)
	}) {
		t.Errorf("vitrine check does not list the missing word: %v", findings)
	}
	assertFile(t, mem, "index.html", "Voir le portfolio")
}

func TestBilingualFolders(t *testing.T) {
	mem := buildFixture(t, "bilingual-folders")
	golden(t, "bilingual-folders", mem)

	// Each page links its translation: in the head, in the switcher, in the sitemap.
	assertFile(t, mem, "posts/premiere-sortie/index.html", `<html lang="fr">`,
		`<link rel="alternate" hreflang="en" href="https://velo-solidaire.example/en/posts/first-ride/">`,
		`<link rel="alternate" hreflang="x-default" href="https://velo-solidaire.example/posts/premiere-sortie/">`,
		`<meta property="og:locale:alternate" content="en_US">`,
		`<li><a href="/en/posts/first-ride/" lang="en" hreflang="en" rel="alternate">English</a></li>`)
	assertFile(t, mem, "en/posts/first-ride/index.html", `<html lang="en">`, `<a class="brand" href="/en/">`,
		`<li><a href="/posts/premiere-sortie/" lang="fr" hreflang="fr" rel="alternate">Français</a></li>`,
		`<a class="p-category" href="/en/tags/lyon/">`, `Published on`, `October 4, 2026`,
		// A link naming the French file by its folder stays French.
		`<a href="/posts/premiere-sortie/">in French too</a>`)
	// A page without translation links the other language's home, and has no hreflang.
	assertFile(t, mem, "posts/reparer-un-pneu/index.html", `<li><a href="/en/" lang="en" hreflang="en">English</a></li>`)
	if data, _ := mem.Get("posts/reparer-un-pneu/index.html"); strings.Contains(string(data), `hreflang="x-default"`) {
		t.Error("a page without translation has hreflang alternates")
	}
	// A link to a page written in French only leads to it from the English side.
	assertFile(t, mem, "en/about/index.html", `<a href="/contact/">write to us</a>`, `<a href="/en/posts/first-ride/">our first ride</a>`)
	// Per-language lists, taxonomies, feeds and calendars.
	assertFile(t, mem, "en/index.html", `<h1>Solidarity bikes</h1>`, `First ride`)
	assertFile(t, mem, "en/posts/index.html", `First ride`)
	assertFile(t, mem, "en/tags/ride/index.html", `First ride`)
	assertNoFile(t, mem, "en/tags/atelier/index.html")
	assertFile(t, mem, "en/index.xml", `<language>en</language>`, `https://velo-solidaire.example/en/posts/first-ride/`)
	assertFile(t, mem, "index.xml", `<language>fr</language>`, `Réparer un pneu`)
	assertFile(t, mem, "en/events/calendar.ics", "SUMMARY:General meeting")
	assertFile(t, mem, "events/calendar.ics", "SUMMARY:Assemblée générale")
	assertFile(t, mem, "sitemap.xml", "<sitemapindex", "https://velo-solidaire.example/sitemap-fr.xml", "https://velo-solidaire.example/sitemap-en.xml")
	assertFile(t, mem, "sitemap-fr.xml", `xmlns:xhtml="http://www.w3.org/1999/xhtml"`,
		`<xhtml:link rel="alternate" hreflang="en" href="https://velo-solidaire.example/en/posts/first-ride/"/>`)
	assertFile(t, mem, "robots.txt", "Sitemap: https://velo-solidaire.example/sitemap.xml")
	assertFile(t, mem, "404.html", `<html lang="fr">`)
	assertFile(t, mem, "en/404.html", `<html lang="en">`, `<a class="button" href="/en/">`)
	// French typography on French pages only.
	assertFile(t, mem, "index.html", "club\u00a0: on roule ensemble\u202f!")
	assertFile(t, mem, "en/index.html", "club: let’s ride together!")
	// Code spans are left as written; French dates and times; all-day, multi-day, cancelled events.
	assertFile(t, mem, "posts/premiere-sortie/index.html", "Rhône… On a dit «\u202fpause\u202f» à 14\u00a0h\u00a0:",
		"<code>2,5 bar : &quot;ok&quot; ?</code> pour tout le monde\u202f!", "C’était 100\u00a0% réussi.", "4 octobre 2026")
	assertFile(t, mem, "events/week-end-ardeche/index.html", "samedi 1er mai 2027", "dimanche 2 mai 2027", "Annulé")
	assertFile(t, mem, "events/calendar.ics", "DTSTART;VALUE=DATE:20270501", "STATUS:CANCELLED")
}

func TestBilingualFileNames(t *testing.T) {
	mem := buildFixture(t, "bilingual-names")
	golden(t, "bilingual-names", mem)

	// Served from /portfolio/: every link of every page carries the base path.
	assertFile(t, mem, "en/about/index.html",
		`<link rel="stylesheet" href="/portfolio/css/`, `<link rel="icon" href="/portfolio/favicon.svg"`,
		`<a class="brand" href="/portfolio/en/">`, `<li><a href="/portfolio/en/projects/"`,
		`<li><a href="/portfolio/about/" lang="fr" hreflang="fr" rel="alternate">Français</a></li>`,
		`<link rel="alternate" hreflang="fr" href="https://camille.github.io/portfolio/about/">`,
		// Links between languages: the English workshop exists, the bakery is French only.
		`<a href="/portfolio/en/projects/atelier/">My favourite project</a>`,
		`<a href="/portfolio/projects/boulangerie/">the bakery</a>`)
	assertFile(t, mem, "index.html", `<img src="/portfolio/images/camille.png" alt="moi"`, `<a href="/portfolio/projects/">les projets</a>`)
	assertFile(t, mem, "en/index.html", `<a href="/portfolio/en/projects/">the projects</a>`)
	assertFile(t, mem, "en/projects/atelier/index.html", `<img class="entry-cover u-photo" src="/portfolio/en/projects/atelier/photo.png"`)
	assertFile(t, mem, "en/projects/atelier/photo.png")
	assertFile(t, mem, "projects/atelier/photo.png")
	assertFile(t, mem, "index.xml", `<a href="https://camille.github.io/portfolio/about/">`,
		`<img src="https://camille.github.io/portfolio/images/camille.png"`)
	assertFile(t, mem, "boulangerie/index.html", `url=https://camille.github.io/portfolio/projects/boulangerie/`)
	assertFile(t, mem, "manifest.webmanifest", `"start_url": "/portfolio/"`, `"src": "/portfolio/favicon.svg"`)
	assertFile(t, mem, "sitemap.xml", "https://camille.github.io/portfolio/sitemap-en.xml")
	// The site's i18n/en.toml overrides a word; the theme's fill the rest.
	assertFile(t, mem, "en/index.html", `Photographer in Lyon.`)
}

// TestBilingualSession edits the pages of a bilingual site in a Session, as a writer does in vitrine
// serve, and compares each rebuild with a cold Build of the same files.
func TestBilingualSession(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "sites", "bilingual-folders.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range txtar.Parse(data).Files {
		writeFile(t, dir, f.Name, string(f.Data))
	}
	opts := generator.Options{Source: os.DirFS(dir), Now: now, Serve: true}
	sess := generator.NewSession(opts, &output.Memory{})
	steps := []struct {
		what  string
		edit  func() []string
		check func(mem *output.Memory)
	}{
		{"the first build", func() []string { return nil }, nil},
		{"an edit of an English body", func() []string {
			return []string{writeFile(t, dir, "content/en/about.md", "---\ntitle: About us\ndescription: Who we are.\n---\nWe ride [to the bakery](contact.md) on Sundays.\n")}
		}, func(mem *output.Memory) {
			assertFile(t, mem, "en/about/index.html", "We ride", `<a href="/contact/">to the bakery</a>`)
		}},
		{"an English title", func() []string {
			return []string{writeFile(t, dir, "content/en/posts/first-ride.md", "---\ntitle: Our first ride\ndate: 2026-10-04T10:00:00+02:00\ntags: [Lyon, Ride]\ntranslationKey: first-ride\n---\nForty kilometres.\n")}
		}, func(mem *output.Memory) {
			assertFile(t, mem, "en/index.html", "Our first ride")
		}},
		{"a new English translation", func() []string {
			return []string{writeFile(t, dir, "content/en/contact.md", "---\ntitle: Contact\n---\nWrite to us.\n")}
		}, func(mem *output.Memory) {
			assertFile(t, mem, "en/about/index.html", `<a href="/en/contact/">to the bakery</a>`)
			assertFile(t, mem, "contact/index.html", `hreflang="en" href="https://velo-solidaire.example/en/contact/"`)
		}},
		{"an English page removed", func() []string {
			p := filepath.Join(dir, "content", "en", "contact.md")
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			return []string{"content/en/contact.md"}
		}, func(mem *output.Memory) {
			assertFile(t, mem, "en/about/index.html", `<a href="/contact/">to the bakery</a>`)
		}},
		{"a French body", func() []string {
			return []string{writeFile(t, dir, "content/fr/posts/reparer-un-pneu.md", "---\ntitle: Réparer un pneu\ndate: 2026-10-20T18:00:00+02:00\ntags: [Atelier]\n---\nToujours sans traduction, mais plus long.\n")}
		}, nil},
		{"the English words of the site", func() []string {
			return []string{writeFile(t, dir, "i18n/en.toml", "latestArticles = \"Fresh from the saddle\"\n")}
		}, func(mem *output.Memory) {
			assertFile(t, mem, "en/index.html", "Fresh from the saddle")
		}},
	}
	for _, st := range steps {
		changed := st.edit()
		if _, err := sess.Rebuild(context.Background(), changed); err != nil {
			t.Fatalf("after %s: %v", st.what, err)
		}
		want := &output.Memory{}
		o := opts
		o.Writer = want
		if _, err := generator.Build(context.Background(), o); err != nil {
			t.Fatal(err)
		}
		compare(t, st.what, sess.Memory(), want)
		if st.check != nil {
			st.check(sess.Memory())
		}
	}
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

func TestDefaultLanguageInSubdir(t *testing.T) {
	mem, _ := mustBuild(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Atelier"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
[cards]
generate = false
[languages.en]
languageName = "English"
weight = 1
[languages.fr]
languageName = "Français"
weight = 2
-- content/about.md --
---
title: About
---
English.
-- content/about.fr.md --
---
title: À propos
---
Français.
`, generator.Options{})
	assertFile(t, mem, "index.html", `url=https://example.org/en/`)
	assertFile(t, mem, "en/about/index.html", `<html lang="en">`, `<a href="/fr/about/" lang="fr" hreflang="fr" rel="alternate">Français</a>`,
		`<link rel="alternate" hreflang="x-default" href="https://example.org/en/about/">`)
	assertFile(t, mem, "fr/about/index.html", `<html lang="fr">`)
	assertFile(t, mem, "en/index.html", `<a class="brand" href="/en/"`)
	assertFile(t, mem, "404.html", `<html lang="en">`)
	assertNoFile(t, mem, "about/index.html")
}

func TestLanguageContentDir(t *testing.T) {
	mem, res := mustBuild(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Atelier"
[cards]
generate = false
[languages.fr]
contentDir = "content/francais"
[languages.en]
languageName = "English"
contentDir = "content/english"
-- content/francais/a-propos.md --
---
title: À propos
translationKey: about
---
Voir [le contact](contact.md).
-- content/francais/contact.md --
---
title: Contact
---
Écrire.
-- content/francais/images/plan.txt --
plan
-- content/english/about.md --
---
title: About
translationKey: about
---
See [contact](contact.md).
`, generator.Options{})
	assertFile(t, mem, "a-propos/index.html", `<a href="/contact/">le contact</a>`, `hreflang="en" href="https://example.org/en/about/"`)
	assertFile(t, mem, "en/about/index.html", `<a href="/contact/">contact</a>`, `<a href="/a-propos/" lang="fr" hreflang="fr" rel="alternate">Français</a>`)
	assertFile(t, mem, "images/plan.txt", "plan")
	if n := len(res.Site.Languages); n != 2 {
		t.Errorf("%d languages", n)
	}
}

func TestDefaultLanguageTableAlone(t *testing.T) {
	mem, _ := mustBuild(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Site"
[cards]
generate = false
[languages.fr]
title = "Mon atelier"
-- content/a.md --
---
title: A
---
Texte.
`, generator.Options{})
	assertFile(t, mem, "a/index.html", "<title>A · Mon atelier</title>")
	if data, _ := mem.Get("a/index.html"); strings.Contains(string(data), "lang-switch") || strings.Contains(string(data), "hreflang") {
		t.Error("a site in one language has no language switcher nor hreflang")
	}
}
