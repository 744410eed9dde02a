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
		t.Errorf("home: projects at %d, articles at %d: want projects first, as [params] home says", p, a)
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
