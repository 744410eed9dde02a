package load

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/generator/markdown"
	"github.com/vitrine-ssg/vitrine/generator/model"
)

// BenchmarkSite loads a French site of 200 articles of about 600 words, as the corpus of bench/ writes
// them: front matter with tags and a category, headings, lists, a table, code, footnotes and links to
// other articles. It measures the load step of a build: front matter, URLs, Markdown and assembly.
func BenchmarkSite(b *testing.B) {
	const n = 200
	fsys := fstest.MapFS{}
	words := strings.Fields("photographe lumière séance portrait client atelier été marché écran réunion " +
		"projet carnet ombre composition cadrage tirage exposition réseau bénévoles couleur")
	para := func(i int) string {
		var s strings.Builder
		for w := range 60 {
			if w > 0 {
				s.WriteByte(' ')
			}
			s.WriteString(words[(i*7+w*w)%len(words)])
			if w%13 == 12 {
				s.WriteByte('.')
			}
		}
		return s.String() + ".\n\n"
	}
	for i := range n {
		var s strings.Builder
		fmt.Fprintf(&s, "---\ntitle: \"Article %d : %s\"\ndate: 2025-03-%02dT05:00:00+01:00\ndescription: \"%s\"\n", i, words[i%len(words)], 1+i%28, words[(i+3)%len(words)])
		fmt.Fprintf(&s, "tags: [\"%s\", \"%s %d\"]\ncategories: [\"Catégorie %d\"]\n---\n\n", words[i%7], words[i%11], i%5, i%8)
		for h := range 3 {
			fmt.Fprintf(&s, "## %s %s\n\n", words[(i+h)%len(words)], words[(i+2*h)%len(words)])
			s.WriteString(para(i + h))
			s.WriteString(para(i + h + 1))
			fmt.Fprintf(&s, "Voir aussi [l'article %d](article-%03d.md), et la note[^%d].\n\n", (i+h+1)%n, (i+h+1)%n, h)
			s.WriteString("- un point\n- un autre point : le second\n- « cité »\n\n")
		}
		s.WriteString("| Réseau | Heure | Audience |\n| --- | --- | ---: |\n| appareil | 14h | 1674 |\n| ville | 14h | 4384 |\n\n")
		fmt.Fprintf(&s, "```go\nfunc main() {\n\tfmt.Println(%d)\n}\n```\n\n", i)
		for h := range 3 {
			fmt.Fprintf(&s, "[^%d]: Une note %d.\n", h, h)
		}
		fsys[fmt.Sprintf("content/posts/article-%03d.md", i)] = &fstest.MapFile{Data: []byte(s.String())}
	}
	cfg, err := config.Parse("vitrine.toml", []byte("baseURL = \"https://example.org/\"\nlanguage = \"fr\"\n"))
	if err != nil {
		b.Fatal(err)
	}
	md := markdown.New(markdown.Options{Typography: cfg.TypographyLang()})
	// Code blocks recur across a site: the converter's highlight cache is warm for most of its pages.
	if _, err := Site(context.Background(), fsys, Options{Config: cfg, Markdown: md, Visibility: model.Visibility{Future: true}}); err != nil {
		b.Fatal(err)
	}
	// "memory" keeps the bodies in the pages; "store" hands them over as a build does, to a store that
	// only counts them here.
	for _, store := range []bool{false, true} {
		name := map[bool]string{false: "memory", true: "store"}[store]
		b.Run(name, func(b *testing.B) {
			opts := Options{Config: cfg, Markdown: md, Visibility: model.Visibility{Future: true}}
			var stored atomic.Int64
			if store {
				opts.Body = func(_ *model.Page, html []byte) bool { stored.Add(int64(len(html))); return true }
			}
			b.ReportAllocs()
			for b.Loop() {
				site, err := Site(context.Background(), fsys, opts)
				if err != nil {
					b.Fatal(err)
				}
				if len(site.Pages) < n {
					b.Fatalf("%d pages", len(site.Pages))
				}
			}
		})
	}
}
