// Package model holds the site as vitrine understands it once loaded: the site-wide settings, its pages
// (articles, projects, events, plain pages and the lists built from them) and its taxonomies.
//
// It is plain data with small pure methods (permalinks, ordering, visibility). Every other package of the
// generator reads it; it imports nothing of ours.
package model

import (
	"html/template"
	"strings"
	"time"
)

// Kind says what a page is, which decides its layout and which lists it appears in.
type Kind string

// The kinds of page. Article, Project and Event are the regular pages of the posts, projects and
// events sections; Page is any other regular page; the others are lists the generator builds.
const (
	KindArticle  Kind = "article"
	KindProject  Kind = "project"
	KindEvent    Kind = "event"
	KindPage     Kind = "page"
	KindHome     Kind = "home"
	KindSection  Kind = "section"
	KindTaxonomy Kind = "taxonomy" // the list of the terms of a taxonomy: /tags/
	KindTerm     Kind = "term"     // the pages of one term: /tags/lyon/
)

// IsList reports whether pages of this kind list other pages.
func (k Kind) IsList() bool {
	switch k {
	case KindHome, KindSection, KindTaxonomy, KindTerm:
		return true
	}
	return false
}

// KindForSection maps a top-level content folder to the kind of its regular pages.
func KindForSection(section string) Kind {
	switch section {
	case "posts", "post", "blog", "articles":
		return KindArticle
	case "projects", "portfolio", "projets":
		return KindProject
	case "events", "evenements", "agenda":
		return KindEvent
	}
	return KindPage
}

// Author is the site owner, from the [author] table of vitrine.toml.
type Author struct {
	Name        string
	JobTitle    string
	Email       string
	Image       string
	Description string
}

// MenuEntry is one link of a menu, from [[menu.NAME]] in vitrine.toml.
type MenuEntry struct {
	Name   string
	URL    string
	Weight int
}

// Social is one account of the owner elsewhere, from [social] in vitrine.toml.
type Social struct {
	Network string // the key in [social]: mastodon, bluesky, linkedin, …
	URL     string
}

// Site is everything the build knows about the site.
type Site struct {
	BaseURL     string // absolute, ends with "/"
	Title       string
	Description string
	Language    string // BCP 47 tag, "fr" by default
	// DefaultLanguage is the language served at the root of a multilingual site; the others live
	// under /LANG/. Equal to Language on the default site and on monolingual sites.
	DefaultLanguage string
	// Languages lists every language of the site, default first, for language switchers; empty on a
	// monolingual site.
	Languages []Language
	Location  *time.Location
	Copyright string
	Author    Author
	Social    []Social // sorted by network
	Menus     map[string][]MenuEntry
	Params    map[string]any

	// Pages holds every page that is built, regular pages and lists alike, in a stable order
	// (by URL). Regular pages are also reachable through their section. On a multilingual site, the
	// site the loader returns holds the pages of every language here, and the lists below are those of
	// the default language; each language's own site (see Languages) holds its pages alone.
	Pages []*Page
	// Sections maps a top-level content folder to its list page.
	Sections map[string]*Page
	// Taxonomies maps "tags" and "categories" to their terms, sorted by name.
	Taxonomies map[string]*Taxonomy
	// Home is the home page.
	Home *Page

	// HugoURLs says URL segments and term slugs are made as Hugo makes them (hugoCompat in
	// vitrine.toml), FoldAccents that accents are removed from them too (removePathAccents).
	HugoURLs, FoldAccents bool
	// RSSName is the file name of each list's RSS feed: "index.xml", or the name a Hugo site gave its
	// RSS output ("feed.xml", from outputFormats.RSS.baseName). Empty means "index.xml".
	RSSName string

	// Legal is who publishes the site, for the legal notice and privacy pages; nil without [legal].
	Legal *Legal
	// Analytics is the audience measurement written in every page; nil without [analytics] and in
	// vitrine serve.
	Analytics *Analytics
	// Contact is the contact form; nil without [contact].
	Contact *Contact
}

// Legal is the publisher of the site, as the legal notice states it (see config.Legal for the law).
type Legal struct {
	Status                                               string // auto-entrepreneur, societe, association, particulier
	Name, Address, SIRET, SIREN, RCS, RNA, Capital, Form string
	VAT                                                  string
	VATExempt                                            bool
	Publisher, Email, Phone                              string
	HostName, HostAddress, HostPhone, HostURL            string
	// NoticeURL and PrivacyURL are the site-relative URLs of the two pages in the site's language.
	NoticeURL, PrivacyURL string
}

// Professional reports whether the publisher is a business or an association.
func (l *Legal) Professional() bool { return l != nil && l.Status != "particulier" }

// Analytics is the audience measurement tool: provider "goatcounter", "plausible", "umami" or
// "matomo", the site's code, the instance's URL (no trailing slash) and the site's domain.
type Analytics struct {
	Provider, Code, URL, Domain string
}

// Contact is the contact form: provider "formspree", "netlify", "web3forms" or "mailto", its id, the
// path of the page it follows, and the URL of the thank-you page.
type Contact struct {
	Provider, ID, Page, ThanksURL string
}

// RSSFile is the file name of each list's RSS feed.
func (s *Site) RSSFile() string {
	if s == nil || s.RSSName == "" {
		return "index.xml"
	}
	return s.RSSName
}

// Slug turns a name into a URL segment the site's way: Slugify, or Hugo's urlize on a site imported
// from Hugo.
func (s *Site) Slug(name string) string {
	if s != nil && s.HugoURLs {
		return Urlize(name, s.FoldAccents)
	}
	return Slugify(name)
}

// Language is one language of a multilingual site.
type Language struct {
	Code string // "en"
	Name string // "English", as the language names itself
	Home string // URL of its home page: "/" or "/en/"
	// Site is the language's own site: its settings, pages, sections, taxonomies and home.
	Site *Site
}

// LangSite returns the site of a language: s itself on a monolingual site or for an unknown code.
func (s *Site) LangSite(code string) *Site {
	for _, l := range s.Languages {
		if l.Code == code && l.Site != nil {
			return l.Site
		}
	}
	return s
}

// BasePath is the path of BaseURL, "/" for a site served at the root of its host and "/repo/" for a
// project site of GitHub Pages. Page URLs are relative to it: links in HTML get it in front.
func (s *Site) BasePath() string {
	rest := s.BaseURL
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return "/"
	}
	return rest[i:]
}

// RelURL turns a site-relative URL ("/posts/a/") into the path a browser asks for, the base path in
// front ("/repo/posts/a/"). Absolute URLs are left alone.
func (s *Site) RelURL(rel string) string {
	if strings.Contains(rel, "://") || strings.HasPrefix(rel, "//") {
		return rel
	}
	return strings.TrimSuffix(s.BasePath(), "/") + "/" + strings.TrimPrefix(rel, "/")
}

// AbsURL turns a site-relative URL ("/posts/a/") into an absolute one.
func (s *Site) AbsURL(rel string) string {
	if strings.Contains(rel, "://") {
		return rel
	}
	return strings.TrimSuffix(s.BaseURL, "/") + "/" + strings.TrimPrefix(rel, "/")
}

// OutputPath maps a site-relative URL to the file that serves it: "/posts/a/" → "posts/a/index.html".
func OutputPath(url string) string {
	u := strings.TrimPrefix(url, "/")
	if u == "" || strings.HasSuffix(u, "/") {
		return u + "index.html"
	}
	return u
}

// RegularPages returns the regular pages of a section, in the section's order.
func (s *Site) RegularPages(section string) []*Page {
	if p := s.Sections[section]; p != nil {
		return p.Children
	}
	return nil
}

// Taxonomy is tags or categories: its terms and their pages.
type Taxonomy struct {
	Name  string  // "tags"
	Page  *Page   // the list of terms, /tags/
	Terms []*Term // sorted by name
}

// Term is one tag or category.
type Term struct {
	Name  string  // as written in front matter, first spelling met in page order
	Slug  string  // URL segment
	Page  *Page   // its list page
	Pages []*Page // newest first
}

// Location is where an event takes place.
type Location struct {
	Name       string `yaml:"name" toml:"name"`
	Address    string `yaml:"address" toml:"address"`
	PostalCode string `yaml:"postalCode" toml:"postalCode"`
	City       string `yaml:"city" toml:"city"`
	Country    string `yaml:"country" toml:"country"`
}

// IsZero reports whether no field is set.
func (l Location) IsZero() bool { return l == Location{} }

// Event holds what an event page says beyond an article.
type Event struct {
	Start time.Time
	End   time.Time // zero when not given
	// TimeZone is the event's own zone (front matter timezone), nil for the site's. Start and End are
	// in it.
	TimeZone *time.Location
	// AllDay is set for events given as dates without a time: Start and End are then days.
	AllDay bool
	// PreviousStart is the former start of a rescheduled event.
	PreviousStart time.Time
	Location      Location
	Online        string // URL of an online event
	Status        string // scheduled, cancelled, postponed, rescheduled
	Registration  string // URL
	Price         string
}

// Resource is a file of a page bundle, copied next to the page's index.html.
type Resource struct {
	Source string // path in the source file system
	Name   string // path relative to the bundle folder
}

// Page is one page of the output: a Markdown file, or a list the generator builds.
type Page struct {
	Kind    Kind
	Section string // first folder under content/, "" at the top level
	// Source is the Markdown file's path in the source file system ("content/posts/a.md"),
	// empty for generated lists.
	Source string
	// URL is site-relative with a leading and trailing slash ("/posts/a/"), or ends in ".html"
	// when front matter's url says so.
	URL string

	Title       string
	Description string
	Date        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Draft       bool
	Slug        string
	Tags        []string
	Categories  []string
	Aliases     []string
	Weight      int
	Layout      string
	Images      []string
	Params      map[string]any
	Event       *Event // set for events

	Content template.HTML
	Summary template.HTML
	// SummaryText is Summary as plain text (markdown.Text): what meta descriptions, feed summaries and
	// social posts say when the page has no description.
	SummaryText string
	HasMore     bool // the summary was cut with <!--more-->: there is more to read
	TOC         []Heading
	WordCount   int
	ReadingTime int // minutes, at least 1 for a page with words

	Resources []Resource

	// Share is the image shown when the page is shared (OpenGraph, Twitter card, JSON-LD): the first of
	// images when given, else the generated social card. Square is the 1:1 variant (Instagram). Both are
	// set by the build before rendering; nil when the page has none.
	Share  *Image
	Square *Image

	// Cover is the first of images as published in several widths, when it is a raster file of the
	// site; Gallery the pictures of front matter's gallery (or, without it, of a project bundle's
	// images not shown elsewhere); Videos the videos the page embeds. Set by load.
	Cover   *Picture
	Gallery []*Picture
	Videos  []Video
	// Media lists the images the page publishes in several widths (body, cover, gallery, posters),
	// the cover first when there is one.
	Media []MediaFile

	// Syndication lists the page's copies on social networks, from the syndication ledger.
	Syndication []Syndication
	// Reactions are the counts and moderated replies its posts received, from data/reactions/; nil
	// when it has none.
	Reactions *Reactions

	// Unsupported lists what the page's source asks for that vitrine does not do (a shortcode it does
	// not know): left out of the output, reported by the build and by vitrine check.
	Unsupported []Notice

	// Lang is the page's language; TranslationKey identifies a page across languages (its path under
	// content/ without language); Translations are its versions in the other languages, by language.
	Lang           string
	TranslationKey string
	Translations   []*Page

	// Children are the pages a list shows, in display order (set for sections, terms, home).
	Children []*Page
	// Term is set on term pages, Taxonomy on taxonomy and term pages.
	Term     *Term
	Taxonomy *Taxonomy
	// Parent is the page's section list (or the home page for top-level pages).
	Parent *Page
	// Prev and Next are the older and newer neighbours within the section (articles and projects).
	Prev, Next *Page
}

// Image is a picture with what a <meta> or <img> tag needs to show it without layout shift.
type Image struct {
	URL    string // site-relative ("/posts/a/card.png") or absolute for images elsewhere
	Width  int    // pixels; 0 when unknown
	Height int
	Alt    string
}

// Notice is one thing of a page's source that the build left out, where it is and what to do.
type Notice struct {
	Line    int    // 1-based line in the page's source file
	Feature string // what was left out: "shortcode tabs"
	Msg     string // what happened and what to do
}

// Picture is a raster image published in several widths and formats, for <picture> and srcset.
type Picture struct {
	Src           string // site-relative URL of the default fallback file
	Width, Height int    // of the widest file: the intrinsic aspect ratio
	Type          string // MIME type of the fallback files: "image/jpeg", "image/png"
	Srcset        string // fallback files with their widths: "/a/x.480.h.jpg 480w, …"
	WebPSrcset    string // the same in WebP
	Full          string // the widest fallback file
	Alt           string
	Caption       string // HTML-escaped text, empty for none
	// Focus is the point of the photo to keep when a layout crops it, as CSS object-position
	// ("50% 0%"), from focus in front matter or in a gallery entry; empty for the centre.
	Focus string
}

// Video is a video a page shows, for its VideoObject metadata.
type Video struct {
	Title      string
	URL        string // the page where the video is watched (or the file)
	EmbedURL   string // the player's URL, for embedded videos
	ContentURL string // the file, for self-hosted videos
	Thumbnail  string // site-relative or absolute URL of the poster
	// Poster is set when no poster was given: the build draws one with the title at Thumbnail.
	Poster bool
}

// MediaFile is a source image and the output folder its files go in ("projects/a/").
type MediaFile struct {
	Source string
	Dir    string
}

// Syndication is a copy of a page published on a social network.
type Syndication struct {
	Network string // "mastodon", "bluesky", …
	URL     string
}

// Heading is one entry of a page's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// IsRegular reports whether the page comes from a content file and lists nothing.
func (p *Page) IsRegular() bool { return !p.Kind.IsList() }

// Modified is the last modification date: lastmod, else the date.
func (p *Page) Modified() time.Time {
	if !p.Lastmod.IsZero() {
		return p.Lastmod
	}
	return p.Date
}

// Visibility says which pages a build includes.
type Visibility struct {
	Now    time.Time
	Drafts bool // include drafts
	Future bool // include pages dated (or published) after Now
}

// Visible reports whether the page is part of a build made with v, and if not, why.
func (v Visibility) Visible(p *Page) (bool, string) {
	if p.Draft && !v.Drafts {
		return false, "draft"
	}
	if !v.Future {
		if !p.PublishDate.IsZero() && p.PublishDate.After(v.Now) {
			return false, "future publishDate"
		}
		if p.PublishDate.IsZero() && p.Date.After(v.Now) {
			return false, "future date"
		}
	}
	if !p.ExpiryDate.IsZero() && !p.ExpiryDate.After(v.Now) {
		return false, "expired"
	}
	return true, ""
}

// ByDateDesc orders pages newest first, then by title and URL so the order never depends on input order.
func ByDateDesc(a, b *Page) int {
	if c := b.Date.Compare(a.Date); c != 0 {
		return c
	}
	if c := strings.Compare(a.Title, b.Title); c != 0 {
		return c
	}
	return strings.Compare(a.URL, b.URL)
}

// ByWeight orders pages by weight (pages without one last), then newest first.
func ByWeight(a, b *Page) int {
	wa, wb := a.Weight, b.Weight
	switch {
	case wa == wb:
	case wa == 0:
		return 1
	case wb == 0:
		return -1
	case wa < wb:
		return -1
	default:
		return 1
	}
	return ByDateDesc(a, b)
}

// ByStart orders events soonest first.
func ByStart(a, b *Page) int {
	if a.Event != nil && b.Event != nil {
		if c := a.Event.Start.Compare(b.Event.Start); c != 0 {
			return c
		}
	}
	return strings.Compare(a.URL, b.URL)
}
