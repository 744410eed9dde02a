package hugoimport

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

func TestPublicURLs(t *testing.T) {
	got, err := PublicURLs(fstest.MapFS{
		"index.html": {}, "posts/a/index.html": {}, "posts/b.html": {}, "index.xml": {}, "fr/sitemap.xml": {},
		"css/style.css": {}, "posts/a/photo.jpg": {},
	})
	want := []string{"/", "/fr/sitemap.xml", "/index.xml", "/posts/a/", "/posts/b.html"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("PublicURLs = %q, %v; want %q", got, err, want)
	}
}

func TestListURLs(t *testing.T) {
	sitemap := `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://ex.org/blog/posts/l%C3%A9t%C3%A9/</loc></url><url><loc>https://ex.org/blog/</loc></url></urlset>`
	got, err := ListURLs([]byte(sitemap), "https://ex.org/blog/")
	if want := []string{"/", "/posts/lété/"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("ListURLs(sitemap) = %q, %v; want %q", got, err, want)
	}
	got, err = ListURLs([]byte("# old\n\nhttps://ex.org/a/\n/b/\nc.html\n"), "https://ex.org/")
	if want := []string{"/a/", "/b/", "/c.html"}; err != nil || !slices.Equal(got, want) {
		t.Errorf("ListURLs(list) = %q, %v; want %q", got, err, want)
	}
	if _, err := ListURLs([]byte(`<sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>`), "https://ex.org/"); err == nil {
		t.Error("a sitemap index was read")
	}
}

func TestMissingAndMapLost(t *testing.T) {
	files := map[string]bool{"posts/a/index.html": true, "about/index.html": true, "index.xml": true}
	lost := Missing([]string{"/posts/a/", "/about", "/index.xml", "/2019/a/", "/old/gone/", "/feed.xml"}, func(f string) bool { return files[f] })
	if want := []string{"/2019/a/", "/old/gone/", "/feed.xml"}; !slices.Equal(lost, want) {
		t.Fatalf("Missing = %q, want %q", lost, want)
	}
	site := &model.Site{Pages: []*model.Page{{URL: "/posts/a/"}, {URL: "/about/"}, {URL: "/x/gone/"}, {URL: "/y/gone/"}}}
	got := MapLost(lost, site)
	// gone names two pages: no guess; a feed is no page.
	if len(got) != 1 || got["/2019/a/"] != "/posts/a/" {
		t.Errorf("MapLost = %v", got)
	}
}
