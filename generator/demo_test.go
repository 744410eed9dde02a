package generator_test

import (
	"bytes"
	"context"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goics "github.com/arran4/golang-ical"
	goexif "github.com/rwcarlsen/goexif/exif"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/check"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// TestDemoSite builds the repository's demo site and follows every internal link and anchor. It shares
// the image cache of vitrine build run at the repository's root.
func TestDemoSite(t *testing.T) {
	mem := &output.Memory{}
	res, err := generator.Build(context.Background(), generator.Options{Source: os.DirFS(".."), Writer: mem, Now: now,
		CacheDir: filepath.Join("..", ".vitrine", "cache")})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range check.Links(mem, res.Site.BaseURL) {
		t.Errorf("broken link: %s", p)
	}
	articles := len(res.Site.RegularPages("posts"))
	if articles < 12 || len(res.Site.RegularPages("projects")) < 4 || len(res.Site.RegularPages("events")) < 3 {
		t.Errorf("the demo site should show every feature: %d articles, %d projects, %d events", articles,
			len(res.Site.RegularPages("projects")), len(res.Site.RegularPages("events")))
	}
	// Every article is listed on the paginated home and posts lists, and in the sitemap.
	var lists strings.Builder
	for _, n := range mem.Names() {
		if strings.HasPrefix(n, "page/") || strings.HasPrefix(n, "posts/page/") || n == "index.html" || n == "posts/index.html" {
			data, _ := mem.Get(n)
			lists.Write(data)
		}
	}
	// The demo site is bilingual: sitemap.xml is the index of one sitemap per language.
	var sitemap []byte
	for _, n := range mem.Names() {
		if strings.HasPrefix(n, "sitemap") {
			data, _ := mem.Get(n)
			sitemap = append(sitemap, data...)
		}
	}
	for _, p := range res.Site.RegularPages("posts") {
		if !strings.Contains(lists.String(), `href="`+p.URL+`"`) {
			t.Errorf("article %s is on no list page", p.URL)
		}
		if !strings.Contains(string(sitemap), res.Site.AbsURL(p.URL)) {
			t.Errorf("article %s is not in the sitemap", p.URL)
		}
	}
	// Every calendar file parses with a real iCalendar parser, each event with its required properties.
	ics := 0
	for _, n := range mem.Names() {
		if !strings.HasSuffix(n, ".ics") {
			continue
		}
		ics++
		data, _ := mem.Get(n)
		cal, err := goics.ParseCalendar(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if len(cal.Events()) == 0 {
			t.Errorf("%s: no event", n)
		}
		for _, e := range cal.Events() {
			for _, p := range []goics.ComponentProperty{goics.ComponentPropertyUniqueId, goics.ComponentPropertyDtstamp, goics.ComponentPropertyDtStart} {
				if e.GetProperty(p) == nil {
					t.Errorf("%s: event %s has no %s", n, e.Id(), p)
				}
			}
		}
	}
	if ics < 4 {
		t.Errorf("only %d .ics files", ics)
	}
	assertFile(t, mem, "index.html", `<html lang="fr"`, `<link rel="canonical" href="https://`)
	// The portfolio's photos: responsive WebP, a gallery, and not one published file that tells where
	// they were taken, although every source photo carries a GPS position.
	assertFile(t, mem, "projects/boulangerie-croix-rousse/index.html",
		`<source type="image/webp" srcset="/projects/boulangerie-croix-rousse/fournil-aube.480.`,
		`<div class="justified">`, `<figure class="jitem" style="--r: 0.6667">`, `id="photo-4"`, `fetchpriority="high"`)
	jpegs := 0
	for _, n := range mem.Names() {
		data, _ := mem.Get(n)
		if !strings.HasSuffix(n, ".jpg") {
			if strings.HasSuffix(n, ".webp") && bytes.Contains(data, []byte("EXIF")) {
				t.Errorf("%s has an EXIF chunk", n)
			}
			continue
		}
		jpegs++
		x, err := goexif.Decode(bytes.NewReader(data))
		if err != nil {
			continue // no EXIF at all
		}
		if lat, long, err := x.LatLong(); err == nil {
			t.Errorf("%s tells where it was taken: %f, %f", n, lat, long)
		}
	}
	if jpegs < 40 {
		t.Errorf("only %d JPEG files published", jpegs)
	}
	src, _ := os.ReadFile("../content/projects/boulangerie-croix-rousse/enfournement.jpg")
	if x, err := goexif.Decode(bytes.NewReader(src)); err != nil {
		t.Errorf("the demo's source photo has no EXIF: %v", err)
	} else if _, _, err := x.LatLong(); err != nil {
		t.Errorf("the demo's source photo has no GPS position: %v", err)
	}
	// Stored sideways (orientation 6), published upright.
	up, _ := mem.Get("projects/boulangerie-croix-rousse/enfournement.jpg")
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(up)); err != nil || cfg.Width > cfg.Height {
		t.Errorf("enfournement.jpg is not published upright: %+v %v", cfg, err)
	}
	assertFile(t, mem, "tags/index.html", `href="/tags/`)
	// Its main pages have an English version, linked both ways.
	for _, p := range []string{"", "about/", "services/", "contact/", "posts/lumiere-naturelle-portrait/"} {
		assertFile(t, mem, p+"index.html", `<link rel="alternate" hreflang="en" href="https://camille-roussel.example/en/`)
	}
	assertFile(t, mem, "en/index.html", `<html lang="en"`, `<p class="kicker">Photographer and community manager</p>`,
		`<link rel="alternate" hreflang="fr" href="https://camille-roussel.example/">`)
	assertFile(t, mem, "en/posts/natural-light-portrait/fenetre.jpg")
	assertFile(t, mem, "sitemap-en.xml", `<xhtml:link rel="alternate" hreflang="fr" href="https://camille-roussel.example/about/"/>`)
}
