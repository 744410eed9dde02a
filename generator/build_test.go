package generator_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// engineSite has a theme of its own, so that its golden output tests the engine, not the default theme;
// its layouts/ overrides one of the theme's.
const engineSite = `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Atelier Test"
theme = "bare"
paginate = 2
[author]
name = "Camille"
-- themes/bare/layouts/_default/baseof.html --
<!DOCTYPE html><html lang="{{.Site.Language}}"><title>{{.Page.Title}}</title>{{block "main" .}}{{end}}</html>
-- themes/bare/layouts/_default/single.html --
{{define "main"}}<h1>{{.Page.Title}}</h1>{{with .Page.PrevView}}<a rel="prev" href="{{.URL}}">{{.Title}}</a>{{end}}{{with .Page.NextView}}<a rel="next" href="{{.URL}}">{{.Title}}</a>{{end}}
<p>{{T "readingTime" .Page.ReadingTime}} · {{date .Page.Date}}</p>{{range .Page.TagTerms}}<a href="{{.Page.URL}}">#{{.Name}}</a>{{end}}
{{.Page.Content}}{{end}}
-- themes/bare/layouts/_default/list.html --
{{define "main"}}<h1>{{.Page.Title}}</h1>{{range .Pager.Items}}<article><a href="{{.URL}}">{{.Title}}</a>{{.Summary}}</article>{{end}}
{{with .Pager.PrevURL}}<a rel="prev" href="{{.}}">prev</a>{{end}}{{with .Pager.NextURL}}<a rel="next" href="{{.}}">next</a>{{end}} {{.Pager.Number}}/{{.Pager.Total}}{{end}}
-- themes/bare/layouts/_default/terms.html --
{{define "main"}}<h1>{{.Page.Title}}</h1>{{range .Page.Taxonomy.Terms}}<a href="{{.Page.URL}}">{{.Name}} ({{len .Pages}})</a>{{end}}{{end}}
-- themes/bare/layouts/projects/single.html --
{{define "main"}}<h1 class="project">{{.Page.Title}}</h1>{{.Page.Content}}{{end}}
-- layouts/_default/special.html --
{{define "main"}}<h1 class="special">{{.Page.Title}}</h1>{{end}}
-- themes/bare/layouts/404.html --
{{define "main"}}<h1>404</h1>{{end}}
-- themes/bare/i18n/fr.toml --
readingTime = "%d min de lecture"
months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
dateFormat = "{day} {month} {year}"
-- i18n/fr.toml --
readingTime = "%d min de lecture"
-- content/_index.md --
---
title: Accueil
---
Bienvenue.
-- content/posts/premier.md --
---
title: Premier article
date: 2026-01-10T09:00:00+01:00
tags: [Lyon, Photographie]
categories: [Carnet]
aliases: [/ancien-premier/]
---
Le premier paragraphe.

Un lien vers [le deuxième](deuxieme.md#suite) et [l'accueil](../_index.md).
-- content/posts/deuxieme.md --
+++
title = "Deuxième article"
date = 2026-02-10
tags = ["lyon"]
+++
Résumé court.

<!--more-->

## Suite

La suite.
-- content/posts/Été à Lyon.md --
---
date: 2026-03-01
---
Pas de titre : il vient du nom du fichier.
-- content/posts/brouillon.md --
---
title: Brouillon
date: 2026-01-01
draft: true
---
Pas encore.
-- content/posts/futur.md --
---
title: Futur
date: 2027-01-01
---
Plus tard.
-- content/posts/expire.md --
---
title: Expiré
date: 2026-01-01
expiryDate: 2026-06-01
---
Trop tard.
-- content/posts/voyage/index.md --
---
title: Voyage
date: 2026-04-01
slug: mon-voyage
---
![Un paysage](photo.jpg)
-- content/posts/voyage/photo.jpg --
JPEGDATA
-- content/projects/site/index.md --
---
title: Un site
date: 2025-05-01
weight: 1
---
Projet.
-- content/about.md --
---
title: À propos
layout: special
url: /a-propos/
---
Moi.
-- content/files/guide.pdf --
PDF
-- static/robots-extra.txt --
extra
`

func TestBuildEngineGolden(t *testing.T) {
	mem, res := mustBuild(t, engineSite, generator.Options{})
	golden(t, "engine", mem)
	if res.Pages == 0 || res.Files <= res.Pages {
		t.Errorf("counts: %d pages, %d files", res.Pages, res.Files)
	}
}

func TestBuildEngine(t *testing.T) {
	mem, res := mustBuild(t, engineSite, generator.Options{})
	assertFile(t, mem, "posts/premier/index.html",
		`<h1>Premier article</h1>`,
		`href="/posts/deuxieme/#suite"`, // a link to a .md file becomes the page's URL
		`href="/"`,
		`1 min de lecture · 10 janvier 2026`,
		`<a href="/tags/lyon/">#Lyon</a>`,
		`<a rel="next" href="/posts/deuxieme/">`) // the newer article
	// The file name gives the title and the slug, accents folded.
	assertFile(t, mem, "posts/ete-a-lyon/index.html", "<h1>Été à Lyon</h1>")
	// Bundles: slug renames the folder, resources follow the page.
	assertFile(t, mem, "posts/mon-voyage/index.html", `<img src="photo.jpg" alt="Un paysage">`)
	assertFile(t, mem, "posts/mon-voyage/photo.jpg", "JPEGDATA")
	// Drafts, future and expired pages are left out, with their feeds entries.
	for _, gone := range []string{"posts/brouillon/index.html", "posts/futur/index.html", "posts/expire/index.html"} {
		assertNoFile(t, mem, gone)
	}
	// Lists: home paginated by 2 over the 4 articles, newest first.
	assertFile(t, mem, "index.html", "Voyage", "Été à Lyon", `<a rel="next" href="/page/2/">`, "1/2")
	assertFile(t, mem, "page/2/index.html", "Deuxième article", "Premier article", `<a rel="prev" href="/">`, "2/2")
	// The summary stops at <!--more-->.
	assertFile(t, mem, "posts/page/2/index.html", "<p>Résumé court.</p>")
	// Taxonomies: terms merged by slug ("Lyon" and "lyon"), lists and feeds.
	assertFile(t, mem, "tags/index.html", `<a href="/tags/lyon/">Lyon (2)</a>`, `Photographie (1)`)
	assertFile(t, mem, "tags/lyon/index.html", "Premier article", "Deuxième article")
	assertFile(t, mem, "categories/carnet/index.html", "Premier article")
	for _, feed := range []string{"index.xml", "atom.xml", "feed.json", "posts/index.xml", "tags/lyon/feed.json", "projects/atom.xml"} {
		assertFile(t, mem, feed, "https://example.org/")
	}
	assertNoFile(t, mem, "index.xml.tmp")
	// Layouts: the section's own, and front matter's layout; url overrides the path.
	assertFile(t, mem, "projects/site/index.html", `<h1 class="project">Un site</h1>`)
	assertFile(t, mem, "a-propos/index.html", `<h1 class="special">À propos</h1>`)
	// Aliases redirect to the page.
	assertFile(t, mem, "ancien-premier/index.html", `<meta http-equiv="refresh" content="0; url=https://example.org/posts/premier/">`)
	assertFile(t, mem, "sitemap.xml", "<loc>https://example.org/posts/premier/</loc>", "<lastmod>2026-01-10T09:00:00+01:00</lastmod>",
		"<lastmod>2026-03-01T00:00:00+01:00</lastmod>") // a date without offset is in the site time zone
	assertFile(t, mem, "robots.txt", "Sitemap: https://example.org/sitemap.xml")
	assertFile(t, mem, "manifest.webmanifest", `"name": "Atelier Test"`, `"start_url": "/"`)
	assertFile(t, mem, "404.html", "<h1>404</h1>")
	assertFile(t, mem, "files/guide.pdf", "PDF")
	assertFile(t, mem, "robots-extra.txt", "extra")
	if res.Aliases != 1 {
		t.Errorf("aliases = %d, want 1", res.Aliases)
	}
}

func TestBuildDraftsAndFuture(t *testing.T) {
	mem, _ := mustBuild(t, engineSite, generator.Options{Drafts: true, Future: true})
	assertFile(t, mem, "posts/brouillon/index.html", "Brouillon")
	assertFile(t, mem, "posts/futur/index.html", "Futur")
	assertNoFile(t, mem, "posts/expire/index.html")
}

func TestBuildBaseURLOverride(t *testing.T) {
	mem, _ := mustBuild(t, engineSite, generator.Options{BaseURL: "http://localhost:1313"})
	assertFile(t, mem, "sitemap.xml", "<loc>http://localhost:1313/posts/premier/</loc>")
}

func TestBuildIsDeterministic(t *testing.T) {
	a, _ := mustBuild(t, engineSite, generator.Options{})
	b, _ := mustBuild(t, engineSite, generator.Options{})
	if strings.Join(a.Names(), "\n") != strings.Join(b.Names(), "\n") {
		t.Fatal("two builds wrote different files")
	}
	for _, n := range a.Names() {
		x, _ := a.Get(n)
		y, _ := b.Get(n)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds", n)
		}
	}
}

// TestBuildErrors checks that each broken input is reported with its file and line, all at once.
func TestBuildErrors(t *testing.T) {
	config := "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\n"
	cases := []struct {
		name  string
		files string
		want  []string
	}{
		{"broken YAML", "-- content/a.md --\n---\ntitle: ok\ntags: [a, b\n---\nbody\n", []string{"content/a.md:", "front matter (YAML)"}},
		{"broken TOML", "-- content/a.md --\n+++\ntitle = \"ok\"\ndate = \n+++\nbody\n", []string{"content/a.md:3:", "TOML"}},
		{"unclosed front matter", "-- content/a.md --\n---\ntitle: x\n", []string{"content/a.md:1:", "never closed"}},
		{"invalid date", "-- content/a.md --\n---\ntitle: x\n\ndate: 32/13/2026\n---\n", []string{"content/a.md:4: date:", "not a date"}},
		{"duplicate URL", "-- content/a.md --\n---\nslug: same\n---\n-- content/same.md --\n---\ntitle: y\n---\n", []string{"URL /same/ is also the URL of", "content/a.md", "content/same.md"}},
		{"url escaping", "-- content/a.md --\n---\nurl: ../../etc/\n---\n", []string{"content/a.md:2: url:", "outside the output folder"}},
		{"alias escaping", "-- content/a.md --\n---\naliases: [/ok/, ../x/]\n---\n", []string{"content/a.md:2: aliases:", "outside the output folder"}},
		{"missing link", "-- content/a.md --\n---\ntitle: a\n---\nfirst\n\nsee [b](missing.md)\n", []string{"content/a.md:6:", `"missing.md"`}},
		{"invalid UTF-8", "-- content/a.md --\n---\ntitle: a\n---\nline\nbad \xff byte\n", []string{"content/a.md:5:", "UTF-8"}},
		{"unknown config key", "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\ntitel = \"typo\"\n", []string{"vitrine.toml:2:", `unknown key "titel"`}},
		// A site's own themes/default/ is the whole theme: nothing to fall back to.
		{"missing layout", "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\ntheme = \"default\"\n-- themes/default/layouts/_default/single.html --\n{{.Page.Title}}\n-- content/a.md --\n---\ntitle: a\n---\n", []string{"page /: no layout found", "layouts/index.html"}},
		{"template error", "-- layouts/_default/single.html --\n{{.Page.Nope}}\n-- content/a.md --\n---\ntitle: a\n---\n", []string{"render content/a.md", "Nope"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := c.files
			if !strings.Contains(files, "-- vitrine.toml --") {
				files = config + files
			}
			_, _, err := build(t, files, generator.Options{})
			if err == nil {
				t.Fatal("build succeeded, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestBuildReportsAllErrors(t *testing.T) {
	files := "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\n" +
		"-- content/a.md --\n---\ndate: nope\n---\n" +
		"-- content/b.md --\n---\ntags: [\n---\n" +
		"-- content/c.md --\n---\ntitle: c\n---\n[x](gone.md)\n"
	_, _, err := build(t, files, generator.Options{})
	if err == nil {
		t.Fatal("build succeeded")
	}
	for _, f := range []string{"content/a.md:2", "content/b.md", "content/c.md:4"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error does not name %s:\n%v", f, err)
		}
	}
}

// TestImageSizes checks that images of a bundle and of static/ are published as responsive pictures
// with their width and height, so pages do not shift while they load; images elsewhere stay as written.
func TestImageSizes(t *testing.T) {
	var png bytes.Buffer
	if err := pngEncode(&png, 40, 30); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"vitrine.toml":              {Data: []byte("baseURL = \"https://example.org/\"\n")},
		"content/posts/a/index.md":  {Data: []byte("---\ntitle: A\ndate: 2026-01-01\n---\n![Une photo](photo.png) ![Le logo](/img/logo.png) ![Ailleurs](https://example.com/x.png)\n")},
		"content/posts/a/photo.png": {Data: png.Bytes()},
		"static/img/logo.png":       {Data: png.Bytes()},
	}
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: now}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, mem, "posts/a/index.html",
		`<source type="image/webp" srcset="/posts/a/photo.40.`,
		`alt="Une photo" width="40" height="30">`,
		`<source type="image/webp" srcset="/img/logo.40.`,
		`alt="Le logo" width="40" height="30">`,
		`<img src="https://example.com/x.png" alt="Ailleurs">`)
	html, _ := mem.Get("posts/a/index.html")
	for _, m := range regexp.MustCompile(`srcset="/([^ "]+) 40w"`).FindAllSubmatch(html, -1) {
		if _, ok := mem.Get(string(m[1])); !ok {
			t.Errorf("%s is not written", m[1])
		}
	}
}

func pngEncode(w *bytes.Buffer, width, height int) error {
	return png.Encode(w, image.NewRGBA(image.Rect(0, 0, width, height)))
}

func TestBuildWithoutCards(t *testing.T) {
	mem, _ := mustBuild(t, strings.Replace(engineSite, "paginate = 2\n", "paginate = 2\n[cards]\ngenerate = false\n", 1), generator.Options{})
	assertNoFile(t, mem, "posts/premier/card.png")
	assertNoFile(t, mem, "posts/premier/card-square.png")
	full, _ := mustBuild(t, engineSite, generator.Options{})
	assertFile(t, full, "posts/premier/card.png", "PNG")
	assertFile(t, full, "posts/premier/card-square.png", "PNG")
}

// TestSyndicationLinks checks that the posts recorded in the ledger show on the article.
func TestSyndicationLinks(t *testing.T) {
	ledger := `-- data/syndication.json --
{"articles": {"https://example.org/posts/premier/": {
  "bluesky": {"state": "published", "url": "https://bsky.app/profile/c.example/post/3abc", "time": "2026-01-10T10:00:00Z"},
  "mastodon": {"state": "published", "url": "https://piaille.fr/@c/1", "time": "2026-01-10T10:00:00Z"},
  "x": {"state": "pending", "key": "k", "time": "2026-01-10T10:00:00Z"}}}}
`
	mem, _ := mustBuild(t, strings.Replace(engineSite, "theme = \"bare\"\n", "", 1)+ledger, generator.Options{})
	assertFile(t, mem, "posts/premier/index.html",
		`Aussi sur <a class="u-syndication" rel="syndication" href="https://bsky.app/profile/c.example/post/3abc">Bluesky</a> · <a class="u-syndication" rel="syndication" href="https://piaille.fr/@c/1">Mastodon</a>`,
		`"sameAs":["https://bsky.app/profile/c.example/post/3abc","https://piaille.fr/@c/1"]`)
	page, _ := mem.Get("posts/premier/index.html")
	if strings.Contains(string(page), ">X<") {
		t.Error("a pending post is shown")
	}
}
