package generator_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	goexif "github.com/rwcarlsen/goexif/exif"
	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/media/exif"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// jpegPhoto is a w×h JPEG with a GPS position and the given orientation.
func jpegPhoto(t *testing.T, w, h, orientation int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return exif.Insert(buf.Bytes(), exif.Build(exif.Fields{Orientation: orientation, GPS: &[2]float64{45.77, 4.83}}))
}

const mediaPage = `---
title: "Le fournil"
date: 2026-01-10
images: ["cover.jpg"]
coverAlt: "Le fournil à l’aube"
gallery:
  - src: a.jpg
    alt: "Les miches"
    caption: "La fournée du vendredi"
  - src: b.jpg
videos:
  - url: https://vimeo.com/76979871
    poster: poster.jpg
---

![Le pétrin](petrin.jpg "Le pétrin, à cinq heures")

https://youtu.be/dQw4w9WgXcQ

[Le fournil en vidéo](https://vimeo.com/76979871)

![Le façonnage](clip.mp4)

https://www.instagram.com/p/C1a2B3c4D5e/

![](sans-alt.jpg)
`

func mediaSite(t *testing.T) fstest.MapFS {
	return fstest.MapFS{
		"vitrine.toml":                          {Data: []byte("baseURL = \"https://example.org/\"\ntitle = \"Camille\"\n[images]\nwidths = [100, 200]\n")},
		"content/projects/fournil/index.md":     {Data: []byte(mediaPage)},
		"content/projects/fournil/cover.jpg":    {Data: jpegPhoto(t, 300, 200, 6)},
		"content/projects/fournil/a.jpg":        {Data: jpegPhoto(t, 150, 100, 1)},
		"content/projects/fournil/b.jpg":        {Data: jpegPhoto(t, 150, 100, 1)},
		"content/projects/fournil/petrin.jpg":   {Data: jpegPhoto(t, 250, 150, 1)},
		"content/projects/fournil/sans-alt.jpg": {Data: jpegPhoto(t, 50, 50, 1)},
		"content/projects/fournil/poster.jpg":   {Data: jpegPhoto(t, 320, 180, 1)},
		"content/projects/fournil/clip.mp4":     {Data: []byte("not really a video")},
		"content/projects/fournil/clip.jpg":     {Data: jpegPhoto(t, 160, 90, 1)},
		"content/projects/fournil/clip.fr.vtt":  {Data: []byte("WEBVTT\n")},
	}
}

// TestMediaSite builds a portfolio page with a cover stored sideways, a gallery, a figure, videos and a
// link to an Instagram post, and checks the HTML, the files and their metadata.
func TestMediaSite(t *testing.T) {
	cache := t.TempDir()
	fsys := mediaSite(t)
	mem := &output.Memory{}
	res, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: now, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	page := "projects/fournil/index.html"
	assertFile(t, mem, page,
		// The cover, upright (200×300), seen first.
		`<img fetchpriority="high" decoding="async" src="/projects/fournil/cover.200.`,
		`alt="Le fournil à l’aube" class="entry-cover u-photo" width="200" height="300"></picture>`,
		// The figure, lazy since the cover comes first.
		`<figure><picture><source type="image/webp" srcset="/projects/fournil/petrin.100.`,
		`alt="Le pétrin" width="200" height="120"></picture><figcaption>Le pétrin, à cinq heures</figcaption></figure>`,
		// YouTube: a drawn poster and a link to the privacy-enhanced player.
		`<a class="video-play" href="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"><img loading="lazy" decoding="async" src="/projects/fournil/video-dQw4w9WgXcQ.png" alt="" width="1280" height="720">`,
		`<span class="video-title">Le fournil <span class="video-network">· YouTube</span></span>`,
		// Vimeo: the poster given in front matter.
		`href="https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1"><picture><source type="image/webp" srcset="/projects/fournil/poster.100.`,
		`<span class="video-title">Le fournil en vidéo <span class="video-network">· Vimeo</span>`,
		// A video of the site, its poster and captions beside it.
		`<video controls preload="none" poster="/projects/fournil/clip.160.`,
		`<source src="/projects/fournil/clip.mp4" type="video/mp4"><track kind="captions" src="/projects/fournil/clip.fr.vtt" srclang="fr" label="Français" default>`,
		// Instagram: a plain link.
		`<p class="link-card link-card-instagram"><a href="https://www.instagram.com/p/C1a2B3c4D5e/"><span class="link-card-network">Instagram</span>`,
		// The gallery, its photos whole in one justified row, and its lightboxes.
		`<div class="justified">`+"\n"+`<div class="jrow">`+"\n"+`<figure class="jitem" style="--r: 1.5"><a class="gallery-thumb" href="#photo-1"><picture>`,
		`<figcaption>La fournée du vendredi</figcaption>`, `<div class="lightbox" id="photo-2">`,
		// VideoObject for each video.
		`"@type":"VideoObject"`, `"embedUrl":"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"`,
		`"thumbnailUrl":"https://example.org/projects/fournil/video-dQw4w9WgXcQ.png"`,
		`"contentUrl":"https://example.org/projects/fournil/clip.mp4"`,
		// Shared with its processed cover.
		`<meta property="og:image" content="https://example.org/projects/fournil/cover.share.`,
	)
	html, _ := mem.Get(page)
	if n := strings.Count(string(html), `fetchpriority="high"`); n != 1 {
		t.Errorf("%d images fetched with high priority, want 1", n)
	}
	poster, ok := mem.Get("projects/fournil/video-dQw4w9WgXcQ.png")
	if cfg, err := png.DecodeConfig(bytes.NewReader(poster)); !ok || err != nil || cfg.Width != 1280 || cfg.Height != 720 {
		t.Errorf("video poster: %v %+v", err, cfg)
	}
	// The warnings: the image and the gallery entry without alt text.
	if len(res.Warnings) != 2 || !strings.Contains(res.Warnings[0], "index.md:") {
		t.Errorf("warnings: %q", res.Warnings)
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w, "no alt text") {
			t.Errorf("warning %q", w)
		}
	}
	// No published JPEG tells where it was taken.
	for _, n := range mem.Names() {
		if strings.HasSuffix(n, ".jpg") {
			data, _ := mem.Get(n)
			if x, err := goexif.Decode(bytes.NewReader(data)); err == nil {
				if _, _, err := x.LatLong(); err == nil {
					t.Errorf("%s has a GPS position", n)
				}
			}
		}
	}
	// Built again with the cache: nothing encoded, the same bytes.
	if res.Encoded == 0 {
		t.Error("the first build encoded nothing")
	}
	again := &output.Memory{}
	res2, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: again, Now: now, CacheDir: cache})
	if err != nil {
		t.Fatal(err)
	}
	if res2.Encoded != 0 {
		t.Errorf("the cached build encoded %d files", res2.Encoded)
	}
	for _, n := range mem.Names() {
		a, _ := mem.Get(n)
		b, _ := again.Get(n)
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between builds", n)
		}
	}
	// A cover given as image, as many Hugo themes name it.
	fsys["content/projects/fournil/index.md"] = &fstest.MapFile{Data: []byte(strings.Replace(mediaPage, `images: ["cover.jpg"]`, `image: cover.jpg`, 1))}
	single := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: single, Now: now, CacheDir: cache}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, single, page, `class="entry-cover u-photo" width="200" height="300"></picture>`,
		`<meta property="og:image" content="https://example.org/projects/fournil/cover.share.`)
	// --strict fails on the warnings.
	_, err = generator.Build(context.Background(), generator.Options{Source: fsys, Writer: &output.Memory{}, Now: now, CacheDir: cache, Strict: true})
	if err == nil || !strings.Contains(err.Error(), "sans-alt.jpg") {
		t.Errorf("strict build: %v", err)
	}
}

// TestPhotosUnderOtherNames: a photo saved under a name that says another format (a JPEG named .gif in
// static/ or in a bundle, or named without extension) is still published without its GPS position,
// under its own name; a GIF named .jpg gets variants named after what they hold.
func TestPhotosUnderOtherNames(t *testing.T) {
	photo := jpegPhoto(t, 300, 200, 1)
	img := image.NewRGBA(image.Rect(0, 0, 300, 200))
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, img, nil); err != nil {
		t.Fatal(err)
	}
	ar := site(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
[cards]
generate = false
-- content/projects/p/index.md --
---
title: P
date: 2026-01-10
---
![Un four](four.jpg)
`)
	ar.Files = append(ar.Files, txtar.File{Name: "static/images/photo.gif", Data: photo}, txtar.File{Name: "static/images/photo", Data: photo},
		txtar.File{Name: "content/projects/p/jpeg.gif", Data: photo}, txtar.File{Name: "content/projects/p/four.jpg", Data: gifData.Bytes()})
	fsys, err := txtar.FS(ar)
	if err != nil {
		t.Fatal(err)
	}
	mem := &output.Memory{}
	if _, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: now}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"images/photo.gif", "images/photo", "projects/p/jpeg.gif"} {
		data, ok := mem.Get(name)
		if !ok {
			t.Errorf("%s was not published", name)
			continue
		}
		x, err := goexif.Decode(bytes.NewReader(data))
		if err == nil {
			if _, _, err := x.LatLong(); err == nil {
				t.Errorf("%s has a GPS position", name)
			}
		}
	}
	kinds := map[string]string{".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}
	for _, name := range mem.Names() {
		if !strings.HasPrefix(name, "projects/p/four.") {
			continue
		}
		data, _ := mem.Get(name)
		if want := kinds[path.Ext(name)]; name != "projects/p/four.jpg" && http.DetectContentType(data) != want {
			t.Errorf("%s holds %s", name, http.DetectContentType(data))
		}
	}
}

// TestProgress checks what a build tells Options.Progress: each long step counts its items from 1 to
// its total, one at a time, and not for a step that has none.
func TestProgress(t *testing.T) {
	fsys := mediaSite(t)
	fsys["content/posts/bonjour.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Bonjour\ndate: 2026-01-11\n---\nSalut.\n")}
	fsys["content/posts/merci.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Merci\ndate: 2026-01-12\n---\nMerci.\n")}
	var got []generator.Progress
	_, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: &output.Memory{}, Now: now,
		Progress: func(p generator.Progress) { got = append(got, p) }})
	if err != nil {
		t.Fatal(err)
	}
	totals := map[string]int{}
	for i, p := range got {
		want := 1
		if i > 0 && got[i-1].Step == p.Step {
			want = got[i-1].Done + 1
		}
		if p.Done != want || p.Total < p.Done || (i > 0 && got[i-1].Step == p.Step && got[i-1].Total != p.Total) {
			t.Fatalf("report %d: %+v after %+v", i, p, got[max(0, i-1)])
		}
		totals[p.Step] = p.Total
		if i == len(got)-1 || got[i+1].Step != p.Step {
			if p.Done != p.Total {
				t.Errorf("%s ends at %d of %d", p.Step, p.Done, p.Total)
			}
		}
	}
	// Six photos, two of them the same bytes (encoded once), and the three pages that get cards.
	if totals["images"] != 6 || totals["cards"] != 3 || len(totals) != 2 {
		t.Errorf("totals %v, want 6 images and 3 pages of cards", totals)
	}
}
