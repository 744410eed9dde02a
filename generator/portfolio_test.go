package generator_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// portfolioSite is a portfolio of photos of every shape: a portrait cover, and a gallery of a
// landscape, a portrait and a panorama, one with a focal point.
func portfolioSite(t *testing.T, params string) fstest.MapFS {
	return fstest.MapFS{
		"vitrine.toml": {Data: []byte("baseURL = \"https://example.org/\"\ntitle = \"Camille\"\n[images]\nwidths = [100, 200]\n[params]\n" + params)},
		"content/projects/lac/index.md": {Data: []byte(`---
title: "Le lac"
date: 2026-01-10
images: ["cover.jpg"]
coverAlt: "Le lac au matin"
client: "Léa et Samir"
year: 2025
focus: top
gallery:
  - src: paysage.jpg
    alt: "Le ponton"
  - src: portrait.jpg
    alt: "Léa"
    focus: "30%,20%"
  - src: panorama.jpg
    alt: "La rive"
---
Le récit.
`)},
		"content/projects/lac/cover.jpg":    {Data: jpegPhoto(t, 160, 200, 1)},
		"content/projects/lac/paysage.jpg":  {Data: jpegPhoto(t, 150, 100, 1)},
		"content/projects/lac/portrait.jpg": {Data: jpegPhoto(t, 100, 150, 1)},
		"content/projects/lac/panorama.jpg": {Data: jpegPhoto(t, 400, 100, 1)},
		"content/projects/port/index.md":    {Data: []byte("---\ntitle: Le port\ndate: 2026-01-09\nimages: [\"cover.jpg\"]\n---\nLe port.\n")},
		"content/projects/port/cover.jpg":   {Data: jpegPhoto(t, 200, 100, 1)},
		"content/posts/a.md":                {Data: []byte("---\ntitle: Un article\ndate: 2026-01-08\n---\nTexte.\n")},
	}
}

// TestPortfolioWhole checks that, by default, no photo of a portfolio is cut: the gallery is laid out in
// justified rows whose items grow by their aspect ratios, the list of projects too, with nothing that
// crops (no object-fit in the markup); and that the home page shows its blocks in [params] home's order.
func TestPortfolioWhole(t *testing.T) {
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: portfolioSite(t, `home = ["projects", "posts"]`+"\n"), Writer: mem, Now: now}); err != nil {
		t.Fatal(err)
	}
	page := "projects/lac/index.html"
	// 1.5 + 0.6667 + 4 against a target of 2.4: the landscape and the portrait share a row, the
	// panorama has its own, not stretched beyond the target height.
	assertFile(t, mem, page,
		`<figure class="project-cover"><picture>`, `class="entry-cover u-photo" width="160" height="200">`,
		"<div class=\"jrow\">\n<figure class=\"jitem\" style=\"--r: 1.5\">",
		"</figure>\n<figure class=\"jitem\" style=\"--r: 0.6667\">",
		"<div class=\"jrow\">\n<figure class=\"jitem\" style=\"--r: 4\">",
		`sizes="(min-width: 74rem) calc(70rem * 0.6923), (min-width: 40rem) calc(100vw * 0.6923), 100vw"`,
		`<dl class="project-facts">`, `<dd>Léa et Samir</dd>`)
	list := "projects/index.html"
	assertFile(t, mem, list, `<div class="justified cards-projects">`, `<div class="jitem" style="--r: 0.8">`, `<div class="jitem" style="--r: 2">`)
	for _, name := range []string{page, list} {
		data, _ := mem.Get(name)
		if strings.Contains(string(data), "object-fit") || strings.Contains(string(data), "aspect-ratio") {
			t.Errorf("%s crops a photo although the site did not ask:\n%s", name, data)
		}
	}
	home, _ := mem.Get("index.html")
	p, a := strings.Index(string(home), `id="home-projects"`), strings.Index(string(home), `id="home-articles"`)
	if p < 0 || a < 0 || p > a {
		t.Fatalf("home: projects at %d, articles at %d: want projects first, as [params] home says", p, a)
	}
	// The projects open the page: the first cover is fetched at once, the others when they near.
	imgs := strings.Split(string(home[p:a]), "<img ")[1:]
	if len(imgs) != 2 || strings.HasPrefix(imgs[0], `loading="lazy"`) || !strings.HasPrefix(imgs[1], `loading="lazy"`) {
		t.Errorf("home: the first project's cover should be eager and the second lazy: %q", imgs)
	}
}

// TestPortfolioCrop checks the opt-in uniform grid: [params] crop cuts the photos of galleries and
// lists to its ratio, around each photo's focus.
func TestPortfolioCrop(t *testing.T) {
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: portfolioSite(t, `crop = "4:3"`+"\n"), Writer: mem, Now: now}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, mem, "projects/lac/index.html", `<ul class="gallery-grid">`,
		`alt="Léa" style="aspect-ratio: 4 / 3; object-fit: cover; object-position: 30% 20%" width="100" height="150">`,
		`alt="Le ponton" style="aspect-ratio: 4 / 3; object-fit: cover" width="150" height="100">`)
	assertFile(t, mem, "projects/index.html", `<div class="cards cards-projects">`,
		`class="card-cover" style="aspect-ratio: 4 / 3; object-fit: cover; object-position: 50% 0%" width="160" height="200">`)
}

// TestPortfolioBadSettings checks that a wrong crop, home or focus stops the build with a message that
// says where and what to write.
func TestPortfolioBadSettings(t *testing.T) {
	for _, c := range []struct{ params, page, want string }{
		{`crop = "carré"`, "", `[params] crop = "carré": give WIDTH:HEIGHT like "4:3"`},
		{`home = ["projets"]`, "", `[params] home: projets is not a block of the home page`},
		{"", "focus: milieu\n", `content/projects/port/index.md:5: focus: "milieu": "milieu" is not one of center, top, bottom, left, right or a percentage`},
		{"", "focus: \"30%\"\n", `give two percentages`},
	} {
		fsys := portfolioSite(t, c.params+"\n")
		if c.page != "" {
			fsys["content/projects/port/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Le port\ndate: 2026-01-09\nimages: [\"cover.jpg\"]\n" + c.page + "---\nLe port.\n")}
		}
		_, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: &output.Memory{}, Now: now})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: got %v, want an error with %q", c.params, c.page, err, c.want)
		}
	}
}

// TestThemeFallback checks that a theme of the site's falls back to the default theme for what it
// lacks: its own layouts render the pages they match (its _default/list.html renders the home rather
// than the default theme's index.html), the default theme's 404.html gives it a 404 page, and words it
// does not define are the default theme's.
func TestThemeFallback(t *testing.T) {
	fsys := portfolioSite(t, "")
	fsys["vitrine.toml"] = &fstest.MapFile{Data: []byte("baseURL = \"https://example.org/\"\ntitle = \"Camille\"\ntheme = \"mine\"\n[images]\nwidths = [100, 200]\n")}
	fsys["themes/mine/layouts/_default/list.html"] = &fstest.MapFile{Data: []byte(`<!DOCTYPE html><title>{{.Page.Title}}</title><p>mine: {{T "mine"}}</p>`)}
	fsys["themes/mine/i18n/fr.toml"] = &fstest.MapFile{Data: []byte("mine = \"à moi\"\n")}
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: now}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, mem, "index.html", "<p>mine: à moi</p>")
	assertFile(t, mem, "projects/index.html", "<p>mine: à moi</p>")
	assertFile(t, mem, "404.html", `<p class="big-number" aria-hidden="true">404</p>`, "<h1>Page introuvable</h1>")
	assertFile(t, mem, "projects/lac/index.html", `<figure class="project-cover">`)
}

// TestGalerieTheme builds a site with the built-in galerie theme: its own layouts (the cover first,
// edge to edge; a dark page), the default theme's for the rest (articles, 404), one stylesheet that
// follows the default one, and the same metadata in the head.
func TestGalerieTheme(t *testing.T) {
	fsys := portfolioSite(t, "")
	fsys["vitrine.toml"] = &fstest.MapFile{Data: []byte("baseURL = \"https://example.org/\"\ntitle = \"Camille\"\ntheme = \"galerie\"\n[images]\nwidths = [100, 200]\n")}
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: now}); err != nil {
		t.Fatal(err)
	}
	page := "projects/lac/index.html"
	assertFile(t, mem, page, "<article class=\"entry-project h-entry\">\n<figure class=\"g-cover\"><picture>",
		`<meta name="color-scheme" content="dark">`, `<meta name="theme-color" content="#0e0d0c">`,
		`<link rel="canonical" href="https://example.org/projects/lac/">`, `"@type":"CreativeWork"`,
		`sizes="(min-width: 40rem) calc(100vw * 0.6923), 100vw"`)
	assertFile(t, mem, "index.html", `<section class="wrap g-intro">`, `id="home-projects"`)
	assertFile(t, mem, "posts/a/index.html", `<meta name="color-scheme" content="dark">`, "<h1")
	assertFile(t, mem, "404.html", `<p class="big-number" aria-hidden="true">404</p>`)
	assertFile(t, mem, "favicon.svg", "<svg")
	var css string
	for _, n := range mem.Names() {
		if strings.HasPrefix(n, "css/style.") {
			data, _ := mem.Get(n)
			css = string(data)
		}
	}
	// Code is highlighted in the dark style only: galerie is dark whatever the reader's setting.
	if strings.Contains(css, "prefers-color-scheme:dark){.chroma") || !strings.Contains(css, ".chroma{color:#e6edf3;background-color:#0d1117;") {
		t.Errorf("galerie's code highlighting should be github-dark alone:\n%s", css[strings.Index(css, ".chroma"):][:200])
	}
	// The default theme's rules, then galerie's dark palette after them.
	if d, g := strings.Index(css, ".skip-link"), strings.Index(css, "--bg:#0e0d0c"); d < 0 || g < d {
		t.Errorf("the stylesheet should hold the default theme's rules (at %d) then galerie's (at %d)", d, g)
	}
}

// TestThemeSettings checks the colours a site sets without CSS: they follow the theme's stylesheet, a
// button's text is chosen readable on the accent, each pair under WCAG AA's 4.5:1 is a warning that
// names it (an error with --strict), [params] scheme forces one scheme, and a wrong value stops the
// build.
func TestThemeSettings(t *testing.T) {
	build := func(params string, strict bool) (*output.Memory, *generator.Result, error) {
		mem := &output.Memory{}
		res, err := generator.Build(context.Background(), generator.Options{Source: portfolioSite(t, params), Writer: mem, Now: now, Strict: strict})
		return mem, res, err
	}
	css := func(mem *output.Memory) string {
		for _, n := range mem.Names() {
			if strings.HasPrefix(n, "css/style.") {
				data, _ := mem.Get(n)
				return string(data)
			}
		}
		return ""
	}
	mem, res, err := build("accent = \"#1D3B8A\"\nscheme = \"light\"\n", false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(css(mem), ":root,:root:root{--accent:#1d3b8a;--accent-hover:#1d3b8a;--on-accent:#fff") {
		t.Errorf("the stylesheet does not end with the site's colours:\n%s", css(mem)[max(0, len(css(mem))-300):])
	}
	if len(res.Warnings) != 0 {
		t.Errorf("a dark blue on the light background is readable, yet: %v", res.Warnings)
	}
	assertFile(t, mem, "index.html", `<html lang="fr" class="light">`, `<meta name="color-scheme" content="light">`)

	// A pale accent: fine on the dark scheme, not on the light one; the page follows the reader's.
	_, res, err = build("accent = \"#f5b7a0\"\n", false)
	if err != nil {
		t.Fatal(err)
	}
	want := `vitrine.toml: [params] colours, light scheme: links (accent #f5b7a0) on background #fbf8f3 have a contrast of 1.`
	if len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], want) {
		t.Errorf("warnings %q, want one starting %q", res.Warnings, want)
	}
	if _, _, err := build("accent = \"#f5b7a0\"\n", true); err == nil || !strings.Contains(err.Error(), "links (accent #f5b7a0)") {
		t.Errorf("--strict: %v", err)
	}
	// A font pairing: its files published beside the stylesheet's folder, swapped in when they arrive.
	mem, _, err = build("fonts = \"editorial\"\n", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`font-weight:400;font-display:swap;src:url(../fonts/work-sans-latin-400-normal.woff2)format("woff2")}`,
		`--sans:"Work Sans",system-ui,sans-serif;--serif:"Fraunces",Georgia,serif`} {
		if !strings.Contains(css(mem), want) {
			t.Errorf("the stylesheet lacks %s", want)
		}
	}
	for _, f := range []string{"fonts/fraunces-latin-700-normal.woff2", "fonts/work-sans-latin-400-normal.woff2", "fonts/work-sans-latin-700-normal.woff2"} {
		if data, ok := mem.Get(f); !ok || !strings.HasPrefix(string(data), "wOF2") {
			t.Errorf("%s is not a published WOFF2 file", f)
		}
	}
	for params, msg := range map[string]string{
		"fonts = \"comic\"\n":  `[params] fonts = comic: choose "classique"`,
		"accent = \"rouge\"\n": `[params] accent = rouge: give a colour as #rrggbb or #rgb`,
		"scheme = \"nuit\"\n":  `[params] scheme = nuit: choose "auto"`,
	} {
		if _, _, err := build(params, false); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: got %v, want %q", params, err, msg)
		}
	}
}
