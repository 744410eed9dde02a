package hugoimport

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// PublicURLs lists the URLs a built site's folder answers (Hugo's public/): each .html and .xml file,
// pages, redirects, feeds and sitemaps alike, as site-relative paths ("/posts/a/", "/index.xml").
// Stylesheets, scripts and images are left out: what readers and search engines link to are pages.
func PublicURLs(fsys fs.FS) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".xml")) {
			return nil
		}
		if strings.HasSuffix(p, "/index.html") || p == "index.html" {
			out = append(out, "/"+strings.TrimSuffix(p, "index.html"))
		} else {
			out = append(out, "/"+p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// ListURLs reads a list of old URLs: a sitemap (<urlset> of <loc>), or one URL a line (absolute or
// site-relative; empty lines and lines starting with # are skipped). Absolute URLs lose their scheme,
// host and the base path of baseURL, so that they compare with the new site's paths. A sitemap index
// (<sitemapindex>) is refused: give each of its sitemaps.
func ListURLs(data []byte, baseURL string) ([]string, error) {
	base := "/"
	if u, err := url.Parse(baseURL); err == nil && u.Path != "" {
		base = u.Path
	}
	rel := func(s string) string {
		s = strings.TrimSpace(s)
		if u, err := url.Parse(s); err == nil && (u.Scheme != "" || u.Host != "") {
			s = u.Path
		} else if err == nil {
			s = u.Path
		}
		if p, err := url.PathUnescape(s); err == nil {
			s = p
		}
		if strings.HasPrefix(s, base) {
			s = "/" + strings.TrimPrefix(s, base)
		}
		if !strings.HasPrefix(s, "/") {
			s = "/" + s
		}
		return s
	}
	var out []string
	if t := bytes.TrimSpace(data); bytes.HasPrefix(t, []byte("<")) {
		var doc struct {
			XMLName xml.Name
			URLs    []struct {
				Loc string `xml:"loc"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(t, &doc); err != nil {
			return nil, fmt.Errorf("not a sitemap: %w", err)
		}
		if doc.XMLName.Local == "sitemapindex" {
			return nil, fmt.Errorf("a sitemap index: give the sitemaps it lists (sitemap-fr.xml, …) instead")
		}
		for _, u := range doc.URLs {
			if u.Loc != "" {
				out = append(out, rel(u.Loc))
			}
		}
	} else {
		for line := range strings.SplitSeq(string(data), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			out = append(out, rel(line))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Missing returns the URLs of urls that has does not find, has being given the output file each URL is
// served from ("posts/a/index.html"). A URL without a trailing slash nor an extension ("/about") is
// found as a folder too, as static hosts serve it.
func Missing(urls []string, has func(file string) bool) []string {
	var out []string
	for _, u := range urls {
		file := model.OutputPath(u)
		if has(file) {
			continue
		}
		if path.Ext(u) == "" && !strings.HasSuffix(u, "/") && has(model.OutputPath(u+"/")) {
			continue
		}
		out = append(out, u)
	}
	return out
}

// MapLost proposes a new address for lost URLs that name a page: the page of site whose URL ends with
// the same segment once slugged the site's way, when exactly one does. The others are left out: a
// redirect to the wrong page is worse than none.
func MapLost(lost []string, site *model.Site) map[string]string {
	byLast := map[string][]string{}
	for _, p := range site.Pages {
		if p.URL == "" {
			continue
		}
		last := lastSegment(p.URL)
		byLast[site.Slug(last)] = append(byLast[site.Slug(last)], p.URL)
	}
	out := map[string]string{}
	for _, u := range lost {
		if strings.HasSuffix(u, ".xml") {
			continue // a feed is no page
		}
		last := lastSegment(strings.TrimSuffix(u, ".html"))
		if last == "" || last == "index" {
			continue
		}
		if c := slices.Compact(byLast[site.Slug(last)]); len(c) == 1 && c[0] != u {
			out[u] = c[0]
		}
	}
	return out
}

func lastSegment(u string) string {
	u = strings.TrimSuffix(u, "/")
	return u[strings.LastIndexByte(u, '/')+1:]
}
