package sitemap

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

var site = &model.Site{BaseURL: "https://example.org/", Title: "Camille Dupré"}

var paris = time.FixedZone("CET", 3600)

type urlset struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc     string  `xml:"loc"`
		Lastmod *string `xml:"lastmod"`
	} `xml:"url"`
}

type sitemapindex struct {
	XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []struct {
		Loc     string  `xml:"loc"`
		Lastmod *string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func pages(n int) []*model.Page {
	var out []*model.Page
	for i := range n {
		out = append(out, &model.Page{
			Kind: model.KindArticle,
			URL:  fmt.Sprintf("/posts/%d/", i),
			Date: time.Date(2026, 3, 14-i, 9, 0, 0, 0, paris),
		})
	}
	return out
}

func TestBuild(t *testing.T) {
	ps := []*model.Page{
		{Kind: model.KindHome, URL: "/"},
		{Kind: model.KindArticle, URL: "/posts/été-à-lyon/", Date: time.Date(2026, 3, 14, 9, 0, 0, 0, paris)},
		{Kind: model.KindArticle, URL: "/posts/b/", Date: time.Date(2026, 3, 1, 9, 0, 0, 0, paris),
			Lastmod: time.Date(2026, 7, 2, 18, 30, 0, 0, time.FixedZone("CEST", 7200))},
		{Kind: model.KindPage, URL: "/a&b<c>.html", Date: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	files := Build(site, ps, 0)
	if len(files) != 1 || files[0].Path != "sitemap.xml" {
		t.Fatalf("files %v", files)
	}
	data := string(files[0].Data)
	if !strings.HasPrefix(data, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`) {
		t.Errorf("head:\n%s", data)
	}
	for _, want := range []string{
		"<loc>https://example.org/posts/%C3%A9t%C3%A9-%C3%A0-lyon/</loc>\n    <lastmod>2026-03-14T09:00:00+01:00</lastmod>",
		"<loc>https://example.org/posts/b/</loc>\n    <lastmod>2026-07-02T18:30:00+02:00</lastmod>",
		"<loc>https://example.org/a&amp;b%3Cc%3E.html</loc>\n    <lastmod>2026-01-01T00:00:00Z</lastmod>",
		"<loc>https://example.org/</loc>\n  </url>",
	} {
		if !strings.Contains(data, want) {
			t.Errorf("sitemap lacks %q:\n%s", want, data)
		}
	}
	var doc urlset
	if err := xml.Unmarshal(files[0].Data, &doc); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, u := range doc.URLs {
		locs = append(locs, u.Loc)
	}
	want := []string{"https://example.org/", "https://example.org/posts/%C3%A9t%C3%A9-%C3%A0-lyon/",
		"https://example.org/posts/b/", "https://example.org/a&b%3Cc%3E.html"}
	if !slices.Equal(locs, want) {
		t.Errorf("locs %q, want %q", locs, want)
	}
	if doc.URLs[0].Lastmod != nil {
		t.Errorf("lastmod of an undated page: %q", *doc.URLs[0].Lastmod)
	}
	if again := Build(site, ps, 0); string(again[0].Data) != data {
		t.Error("two builds differ")
	}
}

func TestSplit(t *testing.T) {
	ps := pages(5)
	files := Build(site, ps, 2)
	var names []string
	for _, f := range files {
		names = append(names, f.Path)
	}
	if want := []string{"sitemap.xml", "sitemap1.xml", "sitemap2.xml", "sitemap3.xml"}; !slices.Equal(names, want) {
		t.Fatalf("files %q, want %q", names, want)
	}
	var index sitemapindex
	if err := xml.Unmarshal(files[0].Data, &index); err != nil {
		t.Fatal(err)
	}
	if len(index.Sitemaps) != 3 {
		t.Fatalf("index lists %d sitemaps:\n%s", len(index.Sitemaps), files[0].Data)
	}
	for i, sm := range index.Sitemaps {
		if want := fmt.Sprintf("https://example.org/sitemap%d.xml", i+1); sm.Loc != want {
			t.Errorf("index entry %d: %q, want %q", i, sm.Loc, want)
		}
		// Each file's lastmod is its newest page: pages 0, 2 and 4 (dates go back in time).
		if want := time.Date(2026, 3, 14-2*i, 9, 0, 0, 0, paris).Format(time.RFC3339); sm.Lastmod == nil || *sm.Lastmod != want {
			t.Errorf("index entry %d lastmod %v, want %s", i, sm.Lastmod, want)
		}
	}
	var all []string
	for i, f := range files[1:] {
		var doc urlset
		if err := xml.Unmarshal(f.Data, &doc); err != nil {
			t.Fatal(err)
		}
		if n := len(doc.URLs); n > 2 || (i < 2 && n != 2) {
			t.Errorf("%s has %d URLs", f.Path, n)
		}
		for _, u := range doc.URLs {
			all = append(all, u.Loc)
		}
	}
	if len(all) != 5 || all[0] != "https://example.org/posts/0/" || all[4] != "https://example.org/posts/4/" {
		t.Errorf("URLs across files %q", all)
	}
	// Exactly at the limit: one file.
	if files := Build(site, pages(2), 2); len(files) != 1 || files[0].Path != "sitemap.xml" {
		t.Errorf("2 pages at maxPerFile 2 gave %d files", len(files))
	}
}

func TestEmpty(t *testing.T) {
	files := Build(site, nil, 0)
	var doc urlset
	if len(files) != 1 || xml.Unmarshal(files[0].Data, &doc) != nil || len(doc.URLs) != 0 {
		t.Errorf("empty sitemap: %q", files)
	}
}

func TestLoc(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://example.org/posts/a/", "https://example.org/posts/a/"},
		{"https://example.org/tags/%C3%A9t%C3%A9/", "https://example.org/tags/%C3%A9t%C3%A9/"},
		{"https://example.org/tags/été/", "https://example.org/tags/%C3%A9t%C3%A9/"},
		{"https://example.org/a b/?q=x&y=\"z\"#f", "https://example.org/a%20b/?q=x&y=%22z%22#f"},
		{"https://bücher.example/café/", "https://xn--bcher-kva.example/caf%C3%A9/"},
		{"https://example.org", "https://example.org"},
	} {
		if got := Loc(tc.in); got != tc.want {
			t.Errorf("Loc(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRobots(t *testing.T) {
	want := "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
	if got := string(Robots(site)); got != want {
		t.Errorf("robots.txt = %q, want %q", got, want)
	}
	sub := &model.Site{BaseURL: "https://example.org/camille/"}
	if got := string(Robots(sub)); !strings.HasSuffix(got, "Sitemap: https://example.org/camille/sitemap.xml\n") {
		t.Errorf("robots.txt under a sub-path = %q", got)
	}
}

func TestSplitBySize(t *testing.T) {
	one := Build(site, pages(1), 0)[0].Data
	// Room for two URLs per file, whatever the count limit.
	entry := len(one) - len(header) - len(footer)
	files := build(site, pages(5), 0, len(header)+2*entry+len(footer))
	if len(files) != 4 {
		t.Fatalf("%d files, want the index and 3 sitemaps", len(files))
	}
	for _, f := range files[1:] {
		var doc urlset
		if err := xml.Unmarshal(f.Data, &doc); err != nil {
			t.Fatal(err)
		}
		if n := len(doc.URLs); n == 0 || n > 2 {
			t.Errorf("%s has %d URLs", f.Path, n)
		}
	}
}
