package seo

import (
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// BenchmarkHead builds and renders the head of one page of each kind, as the render step does for every
// output file: with the site's Shared made once.
func BenchmarkHead(b *testing.B) {
	f := newFixture(b)
	shared := NewShared(f.site)
	for _, c := range []struct {
		name string
		page *model.Page
		url  string
	}{
		{"article", f.article, ""},
		{"event", f.event, ""},
		{"home", f.home, ""},
		{"list", f.posts, "/posts/page/2/"},
		{"term", f.tag, ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			in := f.input(c.page)
			in.URL = c.url
			in.Shared = shared
			b.ReportAllocs()
			for b.Loop() {
				h := Build(in)
				if h.HTML() == "" {
					b.Fatal("empty head")
				}
			}
		})
	}
}
