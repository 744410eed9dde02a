// Package seo turns a page into the metadata of its <head>: title, description, canonical and robots,
// alternate links (feeds, translations, pagination), rel=me links, OpenGraph and Twitter card tags,
// fediverse:creator, theme-color and one JSON-LD (schema.org) graph as Google documents it for rich
// results.
//
// Build is pure: the same Input gives the same Head, and Head.HTML the same bytes. The theme writes
// <meta charset>, viewport and its stylesheet; everything else of the head comes from here. What the
// heads of all the pages of a site share is worked out once, by NewShared, and handed to each Build.
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
	// Shared is what the heads of all the pages of Site share, made by NewShared(Site): a renderer
	// makes it once per site. Build makes it when nil.
	Shared *Shared
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
	sh := in.Shared
	if sh == nil {
		sh = NewShared(in.Site)
	}
	site, page := in.Site, in.Page
	url := page.URL
	if in.URL != "" {
		url = in.URL
	}
	n := pageNumber(in.URL, page.URL)

	h := Head{
		Title:       sh.title(page, n),
		Description: sh.pageDescription(page),
	}
	if in.NotFound || (in.Preview && page.Draft) {
		h.Robots = "noindex"
	}
	if !in.NotFound {
		h.Canonical = site.AbsURL(url)
	}
	h.Links = sh.links(in)
	h.Meta = make([]Tag, 0, sh.metaCount(in))
	if !in.NotFound {
		h.Meta = sh.social(h.Meta, in, &h)
	}
	if author := site.Author.Name; author != "" {
		h.Meta = append(h.Meta, Tag{"name", "author", author})
	}
	if in.ThemeColor != "" {
		h.Meta = append(h.Meta, Tag{"name", "theme-color", in.ThemeColor})
	}
	if !in.NotFound {
		h.JSONLD = sh.jsonLD(in, &h)
	}
	return h
}

// metaCount is at most how many meta tags Build writes for in, to make room for them at once.
func (sh *Shared) metaCount(in Input) int {
	n := 2 // author, theme-color
	if in.NotFound {
		return n
	}
	n += 6 + 3 + 2 // OpenGraph, twitter:card, title and description, twitter:creator, fediverse:creator
	if len(in.Translations) >= 2 {
		n += len(in.Translations)
	}
	if s := in.Page.Share; s != nil && s.URL != "" || sh.image != "" {
		n += 4 + 2 // og:image, its width, height and alt, twitter:image and its alt
	}
	if ogType(in.Page.Kind) == "article" {
		n += 2 + len(in.Page.Tags)
	}
	return n
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

// homeTitle is the title of the first page of the home page.
func homeTitle(site *model.Site) string {
	t := site.Title
	if tagline, _ := site.Params["tagline"].(string); tagline != "" {
		return join(t, " — ", tagline)
	}
	if d := site.Description; d != "" && runeCount(t)+3+runeCount(d) <= homeTitleMax {
		return join(t, " — ", d)
	}
	return t
}

func (sh *Shared) title(page *model.Page, n int) string {
	site := sh.site
	if page.Kind == model.KindHome {
		if n > 1 {
			return site.Title + " – page " + strconv.Itoa(n)
		}
		return sh.homeTitle
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

// pageDescription is the meta description of page: its own, else the text of its summary, else the
// site's.
func (sh *Shared) pageDescription(page *model.Page) string {
	d := collapse(page.Description)
	if d == "" {
		d = page.SummaryText
	}
	if d == "" {
		return sh.description
	}
	return cut(d, DescriptionMax)
}

// links are the <link> tags but canonical: pagination, translations, feeds, rel=me.
func (sh *Shared) links(in Input) []Link {
	site := in.Site
	translations := !in.NotFound && len(in.Translations) >= 2
	n := len(in.Feeds) + len(sh.me)
	if in.PrevURL != "" {
		n++
	}
	if in.NextURL != "" {
		n++
	}
	if translations {
		n += len(in.Translations) + 1
	}
	out := make([]Link, 0, n)
	if in.PrevURL != "" {
		out = append(out, Link{Rel: "prev", Href: site.AbsURL(in.PrevURL)})
	}
	if in.NextURL != "" {
		out = append(out, Link{Rel: "next", Href: site.AbsURL(in.NextURL)})
	}
	if translations {
		var def string
		for _, t := range in.Translations {
			href := site.AbsURL(t.URL)
			out = append(out, Link{Rel: "alternate", Href: href, Hreflang: t.Lang})
			if def == "" && strings.EqualFold(t.Lang, sh.defaultLang) {
				def = href
			}
		}
		if def != "" {
			out = append(out, Link{Rel: "alternate", Href: def, Hreflang: "x-default"})
		}
	}
	for _, f := range in.Feeds {
		out = append(out, Link{Rel: "alternate", Href: site.AbsURL(f.URL), Type: f.Type, Title: f.Title})
	}
	return append(out, sh.me...)
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
func (sh *Shared) shareImage(page *model.Page) (img model.Image, large bool) {
	if s := page.Share; s != nil && s.URL != "" {
		img = *s
		img.URL = sh.site.AbsURL(s.URL)
		return img, true
	}
	if sh.image != "" {
		return model.Image{URL: sh.image, Alt: sh.site.Author.Name}, false
	}
	return model.Image{}, false
}

// social appends the OpenGraph, Twitter card and fediverse tags to out.
func (sh *Shared) social(out []Tag, in Input, h *Head) []Tag {
	site, page := in.Site, in.Page
	typ := ogType(page.Kind)
	ogTitle := page.Title
	if page.Kind == model.KindHome || ogTitle == "" {
		ogTitle = site.Title
	}
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
		locale = sh.locale
	}
	add("property", "og:locale", locale)
	if len(in.Translations) >= 2 {
		for _, t := range in.Translations {
			if l := sh.ogLocaleOf(t.Lang); l != "" && l != locale {
				add("property", "og:locale:alternate", l)
			}
		}
	}
	img, large := sh.shareImage(page)
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
	add("name", "twitter:creator", sh.twitter)
	add("name", "fediverse:creator", sh.fediverse)
	return out
}

// HTML renders the head's tags, one a line, escaped: <title>, meta description and robots, canonical,
// the links, the meta tags, then the JSON-LD script. They are written into one buffer made large enough
// at once.
func (h Head) HTML() template.HTML {
	var b strings.Builder
	b.Grow(h.size())
	b.WriteString("<title>")
	writeEscaped(&b, h.Title)
	b.WriteString("</title>\n")
	if h.Description != "" {
		b.WriteString(`<meta name="description" content="`)
		writeEscaped(&b, h.Description)
		b.WriteString("\">\n")
	}
	if h.Robots != "" {
		b.WriteString(`<meta name="robots" content="`)
		writeEscaped(&b, h.Robots)
		b.WriteString("\">\n")
	}
	if h.Canonical != "" {
		b.WriteString(`<link rel="canonical" href="`)
		writeEscaped(&b, h.Canonical)
		b.WriteString("\">\n")
	}
	for _, l := range h.Links {
		b.WriteString(`<link rel="`)
		writeEscaped(&b, l.Rel)
		b.WriteByte('"')
		if l.Hreflang != "" {
			b.WriteString(` hreflang="`)
			writeEscaped(&b, l.Hreflang)
			b.WriteByte('"')
		}
		if l.Type != "" {
			b.WriteString(` type="`)
			writeEscaped(&b, l.Type)
			b.WriteByte('"')
		}
		if l.Title != "" {
			b.WriteString(` title="`)
			writeEscaped(&b, l.Title)
			b.WriteByte('"')
		}
		b.WriteString(` href="`)
		writeEscaped(&b, l.Href)
		b.WriteString("\">\n")
	}
	for _, m := range h.Meta {
		b.WriteString(`<meta `)
		writeEscaped(&b, m.Attr)
		b.WriteString(`="`)
		writeEscaped(&b, m.Key)
		b.WriteString(`" content="`)
		writeEscaped(&b, m.Value)
		b.WriteString("\">\n")
	}
	if h.JSONLD != "" {
		b.WriteString(string(h.JSONLD))
		b.WriteByte('\n')
	}
	return template.HTML(b.String())
}

// size is about the length of HTML's text: exact when nothing needs escaping, with some room for
// the characters that do.
func (h Head) size() int {
	const (
		title  = len("<title></title>\n")
		meta   = len(`<meta name="" content="">` + "\n")
		link   = len(`<link rel="" href="">` + "\n")
		attr   = len(` type=""`)
		script = len("\n")
	)
	n := title + len(h.Title)
	if h.Description != "" {
		n += meta + len("description") + len(h.Description)
	}
	if h.Robots != "" {
		n += meta + len("robots") + len(h.Robots)
	}
	if h.Canonical != "" {
		n += link + len("canonical") + len(h.Canonical)
	}
	for _, l := range h.Links {
		n += link + len(l.Rel) + len(l.Href)
		if l.Hreflang != "" {
			n += attr + 4 + len(l.Hreflang)
		}
		if l.Type != "" {
			n += attr + len(l.Type)
		}
		if l.Title != "" {
			n += attr + 1 + len(l.Title)
		}
	}
	for _, m := range h.Meta {
		n += meta - len("name") + len(m.Attr) + len(m.Key) + len(m.Value)
	}
	if h.JSONLD != "" {
		n += len(h.JSONLD) + script
	}
	return n + n/32
}

// writeEscaped writes s escaped as template.HTMLEscapeString escapes it. Most values need no escaping
// and are copied as they are.
func writeEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if htmlSpecial[s[i]] {
			b.WriteString(template.HTMLEscapeString(s))
			return
		}
	}
	b.WriteString(s)
}

// htmlSpecial are the bytes template.HTMLEscapeString replaces. A table is faster than
// strings.ContainsAny for the thousands of short values of a build.
var htmlSpecial = [256]bool{'\'': true, '"': true, '&': true, '<': true, '>': true, 0: true}

// defaultLanguage is the language served at the root, the target of x-default.
func defaultLanguage(site *model.Site) string {
	if site.DefaultLanguage != "" {
		return site.DefaultLanguage
	}
	return site.Language
}
