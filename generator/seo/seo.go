// Package seo turns a page into the metadata of its <head>: title, description, canonical and robots,
// alternate links (feeds, translations, pagination), rel=me links, OpenGraph and Twitter card tags,
// fediverse:creator, theme-color and one JSON-LD (schema.org) graph as Google documents it for rich
// results.
//
// Build is pure: the same Input gives the same Head, and Head.HTML the same bytes. The theme writes
// <meta charset>, viewport and its stylesheet; everything else of the head comes from here.
//
// What each page gets:
//
//   - every page: <title>, meta description, canonical (but the 404 page), robots noindex for the 404
//     page and for drafts built for preview, rel=prev/next on paginated lists, rel=alternate for feeds and
//     translations (hreflang, with x-default on the site's language), rel=me for each social account
//     (Mastodon checks it to verify the profile's website link), theme-color;
//   - every page but the 404 page: OpenGraph and Twitter card tags, fediverse:creator when the owner
//     has a Mastodon account, and JSON-LD;
//   - JSON-LD: WebSite and the owner (Person, or Organization when params.ownerType = "organization")
//     on the home page; BlogPosting on articles, CreativeWork on projects, Event on events;
//     BreadcrumbList on every page but the home page.
package seo

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Input is what Build needs beyond the page.
type Input struct {
	Site *model.Site
	Page *model.Page
	// URL is the site-relative URL of this output file when it differs from Page.URL: page 2 of a list
	// is "/posts/page/2/". The canonical URL points there, and the page number is read from its
	// "page/N/" ending.
	URL string
	// PrevURL and NextURL are the neighbours of a paginated list (site-relative), "" otherwise.
	PrevURL, NextURL string
	// Feeds are the feeds of this page (home, section, term) and the site's, in the order to list them.
	Feeds []Feed
	// Translations are the versions of this page in each language, the page itself included. Empty on
	// monolingual sites; hreflang links are written only when there are two or more.
	Translations []Translation
	// Preview is set when the site is built with drafts for preview: drafts get robots noindex.
	Preview bool
	// NotFound marks the 404 page: robots noindex, no canonical, no OpenGraph, no JSON-LD.
	NotFound bool
	// ThemeColor is the theme's colour for browser chrome ("#fbf8f3"); no tag when "".
	ThemeColor string
	// Locale is og:locale ("fr_FR"); derived from Site.Language when "".
	Locale string
}

// Feed is an alternate representation of a page: RSS, Atom or JSON Feed.
type Feed struct {
	Type  string // MIME type: "application/rss+xml", "application/atom+xml", "application/feed+json"
	Title string
	URL   string // site-relative or absolute
}

// Translation is one language version of a page.
type Translation struct {
	Lang string // BCP 47 tag: "fr", "en-GB"
	URL  string // site-relative or absolute
}

// Head is the metadata of one page, ready for a template.
type Head struct {
	// Title is the whole <title>: "Page title · Site title"; on the home page "Site title — tagline";
	// from page 2 of a list on, " – page N" follows the page's title.
	Title string
	// Description is the meta description: Page.Description, else the plain text of the summary, else
	// Site.Description, cut on a word boundary to at most DescriptionMax characters.
	Description string
	// Canonical is the absolute URL of the output file; "" on the 404 page.
	Canonical string
	// Robots is "noindex" or "".
	Robots string
	// Meta are the <meta> tags beyond description and robots, in a stable order.
	Meta []Tag
	// Links are the <link> tags beyond canonical, in a stable order.
	Links []Link
	// JSONLD is the whole <script type="application/ld+json"> element, or "" when the page has none.
	JSONLD template.HTML
}

// Tag is one <meta> tag: <meta property="og:title" content="…"> is {"property", "og:title", "…"}.
type Tag struct {
	Attr  string // "property" (OpenGraph) or "name"
	Key   string
	Value string
}

// Link is one <link> tag.
type Link struct {
	Rel      string
	Href     string // absolute
	Type     string
	Title    string
	Hreflang string
}

// DescriptionMax is the longest meta description, in characters, "…" included: search results show
// about that much.
const DescriptionMax = 160

// HeadlineMax is the longest BlogPosting headline, in characters.
const HeadlineMax = 110

// Build computes the head of one page.
func Build(in Input) Head {
	site, page := in.Site, in.Page
	url := page.URL
	if in.URL != "" {
		url = in.URL
	}
	n := pageNumber(in.URL, page.URL)

	h := Head{
		Title:       title(site, page, n),
		Description: description(site, page),
	}
	if in.NotFound || (in.Preview && page.Draft) {
		h.Robots = "noindex"
	}
	if !in.NotFound {
		h.Canonical = site.AbsURL(url)
	}
	h.Links = links(in)
	if !in.NotFound {
		h.Meta = social(in, h)
	}
	if author := site.Author.Name; author != "" {
		h.Meta = append(h.Meta, Tag{"name", "author", author})
	}
	if in.ThemeColor != "" {
		h.Meta = append(h.Meta, Tag{"name", "theme-color", in.ThemeColor})
	}
	if !in.NotFound {
		h.JSONLD = jsonLD(in, h)
	}
	return h
}

// pageNumber reads N from a pager URL ending in "page/N/"; 1 for the first page and other pages.
func pageNumber(url, pageURL string) int {
	if url == "" || url == pageURL {
		return 1
	}
	rest, ok := strings.CutSuffix(url, "/")
	if !ok {
		return 1
	}
	i := strings.LastIndex(rest, "/page/")
	if i < 0 {
		return 1
	}
	n, err := strconv.Atoi(rest[i+len("/page/"):])
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// homeTitleMax is the longest home title that takes the site description as its tagline: a longer
// one would be cut in search results.
const homeTitleMax = 70

func title(site *model.Site, page *model.Page, n int) string {
	if page.Kind == model.KindHome {
		t := site.Title
		if n > 1 {
			return t + " – page " + strconv.Itoa(n)
		}
		if tagline, _ := site.Params["tagline"].(string); tagline != "" {
			return join(t, " — ", tagline)
		}
		if d := site.Description; d != "" && runeCount(t)+3+runeCount(d) <= homeTitleMax {
			return join(t, " — ", d)
		}
		return t
	}
	t := page.Title
	if n > 1 && t != "" {
		t += " – page " + strconv.Itoa(n)
	}
	if t == site.Title {
		return t
	}
	return join(t, " · ", site.Title)
}

// join joins the parts that are not empty.
func join(a, sep, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}

func description(site *model.Site, page *model.Page) string {
	d := collapse(page.Description)
	if d == "" {
		d = plainText(string(page.Summary))
	}
	if d == "" {
		d = collapse(site.Description)
	}
	return cut(d, DescriptionMax)
}

// links are the <link> tags but canonical: pagination, translations, feeds, rel=me.
func links(in Input) []Link {
	site := in.Site
	var out []Link
	if in.PrevURL != "" {
		out = append(out, Link{Rel: "prev", Href: site.AbsURL(in.PrevURL)})
	}
	if in.NextURL != "" {
		out = append(out, Link{Rel: "next", Href: site.AbsURL(in.NextURL)})
	}
	if !in.NotFound && len(in.Translations) >= 2 {
		var def string
		for _, t := range in.Translations {
			out = append(out, Link{Rel: "alternate", Href: site.AbsURL(t.URL), Hreflang: t.Lang})
			if def == "" && strings.EqualFold(t.Lang, defaultLanguage(site)) {
				def = site.AbsURL(t.URL)
			}
		}
		if def != "" {
			out = append(out, Link{Rel: "alternate", Href: def, Hreflang: "x-default"})
		}
	}
	for _, f := range in.Feeds {
		out = append(out, Link{Rel: "alternate", Href: site.AbsURL(f.URL), Type: f.Type, Title: f.Title})
	}
	for _, s := range site.Social {
		if isHTTP(s.URL) {
			out = append(out, Link{Rel: "me", Href: s.URL})
		}
	}
	return out
}

func isHTTP(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// ogType is what OpenGraph calls the page: an article for the regular pages that have a date and an
// author, a website for everything else.
func ogType(k model.Kind) string {
	switch k {
	case model.KindArticle, model.KindProject, model.KindEvent:
		return "article"
	}
	return "website"
}

// shareImage is the picture shown when the page is shared: the page's, else the owner's portrait.
// large says whether it is a wide card (summary_large_image) rather than a portrait.
func shareImage(site *model.Site, page *model.Page) (img model.Image, large bool) {
	if s := page.Share; s != nil && s.URL != "" {
		img = *s
		img.URL = site.AbsURL(s.URL)
		return img, true
	}
	if site.Author.Image != "" {
		return model.Image{URL: site.AbsURL(site.Author.Image), Alt: site.Author.Name}, false
	}
	return model.Image{}, false
}

// social are the OpenGraph, Twitter card and fediverse tags.
func social(in Input, h Head) []Tag {
	site, page := in.Site, in.Page
	typ := ogType(page.Kind)
	ogTitle := page.Title
	if page.Kind == model.KindHome || ogTitle == "" {
		ogTitle = site.Title
	}
	var out []Tag
	add := func(attr, key, value string) {
		if value != "" {
			out = append(out, Tag{attr, key, value})
		}
	}
	add("property", "og:site_name", site.Title)
	add("property", "og:type", typ)
	add("property", "og:title", ogTitle)
	add("property", "og:description", h.Description)
	add("property", "og:url", h.Canonical)
	locale := in.Locale
	if locale == "" {
		locale = ogLocale(site.Language)
	}
	add("property", "og:locale", locale)
	if len(in.Translations) >= 2 {
		for _, t := range in.Translations {
			if l := ogLocale(t.Lang); l != "" && l != locale {
				add("property", "og:locale:alternate", l)
			}
		}
	}
	img, large := shareImage(site, page)
	if img.URL != "" {
		add("property", "og:image", img.URL)
		if img.Width > 0 && img.Height > 0 {
			add("property", "og:image:width", strconv.Itoa(img.Width))
			add("property", "og:image:height", strconv.Itoa(img.Height))
		}
		add("property", "og:image:alt", img.Alt)
	}
	if typ == "article" {
		add("property", "article:published_time", isoTime(page.Date))
		if !page.Lastmod.IsZero() {
			add("property", "article:modified_time", isoTime(page.Lastmod))
		}
		for _, tag := range page.Tags {
			add("property", "article:tag", tag)
		}
	}
	card := "summary"
	if large {
		card = "summary_large_image"
	}
	add("name", "twitter:card", card)
	add("name", "twitter:title", ogTitle)
	add("name", "twitter:description", h.Description)
	if img.URL != "" {
		add("name", "twitter:image", img.URL)
		add("name", "twitter:image:alt", img.Alt)
	}
	add("name", "twitter:creator", twitterHandle(site.Social))
	add("name", "fediverse:creator", fediverseCreator(site.Social))
	return out
}

// HTML renders the head's tags, one a line, escaped: <title>, meta description and robots, canonical,
// the links, the meta tags, then the JSON-LD script.
func (h Head) HTML() template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	b.WriteString("<title>" + esc(h.Title) + "</title>\n")
	if h.Description != "" {
		b.WriteString(`<meta name="description" content="` + esc(h.Description) + "\">\n")
	}
	if h.Robots != "" {
		b.WriteString(`<meta name="robots" content="` + esc(h.Robots) + "\">\n")
	}
	if h.Canonical != "" {
		b.WriteString(`<link rel="canonical" href="` + esc(h.Canonical) + "\">\n")
	}
	for _, l := range h.Links {
		b.WriteString(`<link rel="` + esc(l.Rel) + `"`)
		if l.Hreflang != "" {
			b.WriteString(` hreflang="` + esc(l.Hreflang) + `"`)
		}
		if l.Type != "" {
			b.WriteString(` type="` + esc(l.Type) + `"`)
		}
		if l.Title != "" {
			b.WriteString(` title="` + esc(l.Title) + `"`)
		}
		b.WriteString(` href="` + esc(l.Href) + "\">\n")
	}
	for _, m := range h.Meta {
		b.WriteString(`<meta ` + esc(m.Attr) + `="` + esc(m.Key) + `" content="` + esc(m.Value) + "\">\n")
	}
	if h.JSONLD != "" {
		b.WriteString(string(h.JSONLD) + "\n")
	}
	return template.HTML(b.String())
}

// defaultLanguage is the language served at the root, the target of x-default.
func defaultLanguage(site *model.Site) string {
	if site.DefaultLanguage != "" {
		return site.DefaultLanguage
	}
	return site.Language
}
