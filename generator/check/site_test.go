package check_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/vitrine-ssg/vitrine/generator"
	"github.com/vitrine-ssg/vitrine/generator/check"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// planted has a broken link, a missing anchor and an image without alt text, at known lines.
const planted = `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Test"
-- content/posts/a.md --
---
title: Un article
date: 2026-01-01
description: Court.
---
Premier paragraphe.

Un lien [cassé](/posts/nulle-part/) et une [ancre](b.md#absente).

![](photo.png)
-- content/posts/photo.png --
PNG
-- content/posts/b.md --
---
title: Un article
date: 2026-01-02
---
## Présente
-- content/posts/long.md --
---
title: Un titre beaucoup trop long pour tenir dans les résultats de recherche de Google
date: 2026-01-03
description: Une description.
---
Texte.
`

func TestSiteFindsPlantedProblems(t *testing.T) {
	fsys, err := txtar.FS(txtar.Parse([]byte(planted)))
	if err != nil {
		t.Fatal(err)
	}
	mem := &output.Memory{}
	res, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	findings := check.Site(res.Site, mem, fsys)
	var got []string
	for _, f := range findings {
		got = append(got, f.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		"content/posts/a.md:8: error: broken link /posts/nulle-part/: no such file posts/nulle-part/index.html",
		"content/posts/a.md:8: error: broken link /posts/b/#absente: no element with id absente in posts/b/index.html",
		"content/posts/a.md:10: error: image photo.png has no alt text",
		"content/posts/b.md:1: warning: no description",
		"content/posts/long.md:2: warning: title is 80 characters",
		`content/posts/a.md:2: warning: title "Un article" is shared by content/posts/a.md, content/posts/b.md`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing finding %q in:\n%s", want, all)
		}
	}
	if !check.HasErrors(findings) {
		t.Error("HasErrors = false")
	}
}

// TestAltNamesSourcesNotTheme checks that an image without alt text is reported by the name and line of
// its source, not by the name of a published variant, and that the theme's own click-to-load video
// posters, whose link has text, are not reported.
func TestAltNamesSourcesNotTheme(t *testing.T) {
	var photo bytes.Buffer
	if err := png.Encode(&photo, image.NewRGBA(image.Rect(0, 0, 800, 600))); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"vitrine.toml":                {Data: []byte("baseURL = \"https://example.org/\"\ntitle = \"Test\"\n")},
		"content/posts/a/index.md":    {Data: []byte("---\ntitle: A\ndate: 2026-01-01\ndescription: A.\n---\nFirst.\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\nhttps://vimeo.com/76979871\n\n![](camille.png)\n")},
		"content/posts/a/camille.png": {Data: photo.Bytes()},
	}
	mem := &output.Memory{}
	res, err := generator.Build(context.Background(), generator.Options{Source: fsys, Writer: mem, Now: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range check.Site(res.Site, mem, fsys) {
		if strings.Contains(f.Msg, "alt text") {
			got = append(got, f.String())
		}
	}
	want := "content/posts/a/index.md:12: error: image camille.png has no alt text: describe it between the brackets, ![like this](camille.png)"
	if len(got) != 1 || got[0] != want {
		t.Errorf("alt findings:\n%s\nwant only:\n%s", strings.Join(got, "\n"), want)
	}
}
