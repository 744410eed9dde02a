// Package feeds renders the RSS 2.0, Atom and JSON Feed 1.1 feeds of a list page (the home page, a
// section or a term), with the full content of the newest regular pages.
//
// The feeds are built with gorilla/feeds and completed where it stops short, through wrapper types that
// embed its structs and add fields: the RSS atom:link rel="self", language and one category per tag, Atom
// self and alternate links, categories and published dates, JSON Feed's feed_url, language and tags.
//
// Output depends only on the site and the pages: every date comes from the pages (never from the clock),
// in the offset the page's time carries, so building twice gives the same bytes.
package feeds

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gorilla/feeds"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// Files is the three feeds of one list page.
type Files struct{ RSS, Atom, JSON []byte }

// File names of the feeds, inside the list page's folder.
const (
	RSSName  = "index.xml"
	AtomName = "atom.xml"
	JSONName = "feed.json"
)

// Paths returns where the feeds of list go, site-relative without a leading slash:
// "posts/index.xml", "posts/atom.xml", "posts/feed.json" (and "index.xml", … for the home page).
func Paths(list *model.Page) (rss, atom, json string) {
	dir := strings.TrimPrefix(list.URL, "/")
	if dir != "" && !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	return dir + RSSName, dir + AtomName, dir + JSONName
}

// Build renders the feeds of list: its newest limit regular children (all of them when limit <= 0),
// newest first by model.ByDateDesc whatever the order of list.Children, with their full content.
func Build(site *model.Site, list *model.Page, limit int) (Files, error) {
	return NewBuilder(site, limit).Build(list)
}

// Builder builds the feeds of many lists of one site. A page appears in several feeds (the home, its
// section, each of its terms): its content is made absolute once and shared. Safe for concurrent use.
type Builder struct {
	site  *model.Site
	limit int
	mu    sync.Mutex
	items map[*model.Page]*itemText
}

// itemText is what a page contributes to every feed it appears in.
type itemText struct {
	once    sync.Once
	content string
	summary string
	err     error
}

// NewBuilder prepares the feeds of site with the newest limit items each.
func NewBuilder(site *model.Site, limit int) *Builder {
	return &Builder{site: site, limit: limit, items: map[*model.Page]*itemText{}}
}

// Build renders the feeds of one list page, as the package-level Build does.
func (b *Builder) Build(list *model.Page) (Files, error) {
	pages := Newest(list.Children, b.limit)
	in, err := newInput(b.site, list, pages, b.text)
	if err != nil {
		return Files{}, fmt.Errorf("feeds %s: %w", list.URL, err)
	}
	var files Files
	if files.RSS, err = in.rss(); err != nil {
		return Files{}, fmt.Errorf("feeds %s: rss: %w", list.URL, err)
	}
	if files.Atom, err = in.atom(); err != nil {
		return Files{}, fmt.Errorf("feeds %s: atom: %w", list.URL, err)
	}
	if files.JSON, err = in.json(); err != nil {
		return Files{}, fmt.Errorf("feeds %s: json: %w", list.URL, err)
	}
	return files, nil
}

// text returns a page's absolute content and plain summary, computing them on first use.
func (b *Builder) text(p *model.Page) (*itemText, error) {
	b.mu.Lock()
	t := b.items[p]
	if t == nil {
		t = &itemText{}
		b.items[p] = t
	}
	b.mu.Unlock()
	t.once.Do(func() {
		content := string(p.Content)
		if base := b.site.BasePath(); base != "/" {
			// Root-relative links are relative to the site's path, as on its pages.
			content = string(output.PrefixURLs([]byte(content), base))
		}
		t.content, t.err = absolutize(content, b.site.AbsURL(p.URL))
		t.summary = p.Description
		if t.summary == "" {
			t.summary = plainText(string(p.Summary))
		}
	})
	return t, t.err
}

// Newest returns the newest limit regular pages of pages (all of them when limit <= 0), newest first
// by model.ByDateDesc. It leaves pages untouched; when limit is small it keeps a bounded heap rather
// than sorting a copy of everything, so a term of 10,000 articles costs one pass.
func Newest(pages []*model.Page, limit int) []*model.Page {
	if limit <= 0 || limit >= len(pages) {
		out := make([]*model.Page, 0, len(pages))
		for _, p := range pages {
			if p.IsRegular() {
				out = append(out, p)
			}
		}
		slices.SortFunc(out, model.ByDateDesc)
		if limit > 0 && len(out) > limit {
			out = out[:limit]
		}
		return out
	}
	// h is a heap whose root is the oldest page kept (the first to give way to a newer one).
	h := make([]*model.Page, 0, limit)
	older := func(i, j int) bool { return model.ByDateDesc(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			m := l
			if r := l + 1; r < len(h) && older(r, l) {
				m = r
			}
			if !older(m, i) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, p := range pages {
		if !p.IsRegular() {
			continue
		}
		if len(h) < limit {
			h = append(h, p)
			for i := len(h) - 1; i > 0; {
				parent := (i - 1) / 2
				if !older(i, parent) {
					break
				}
				h[i], h[parent] = h[parent], h[i]
				i = parent
			}
			continue
		}
		if model.ByDateDesc(p, h[0]) < 0 {
			h[0] = p
			down(0)
		}
	}
	slices.SortFunc(h, model.ByDateDesc)
	return h
}

// input is what the three formats share: the gorilla feed and, item by item, what gorilla has no
// field for.
type input struct {
	site    *model.Site
	feed    *feeds.Feed
	pages   []*model.Page
	rssURL  string
	atomURL string
	jsonURL string
	image   string // absolute URL of the author's image, "" when none
	author  feeds.Author
}

func newInput(site *model.Site, list *model.Page, pages []*model.Page, text func(*model.Page) (*itemText, error)) (*input, error) {
	rssPath, atomPath, jsonPath := Paths(list)
	in := &input{
		site:    site,
		pages:   pages,
		rssURL:  site.AbsURL(rssPath),
		atomURL: site.AbsURL(atomPath),
		jsonURL: site.AbsURL(jsonPath),
		author:  feeds.Author{Name: site.Author.Name, Email: site.Author.Email},
	}
	// Atom requires an author for every entry; the site's title stands in for a missing name.
	if in.author.Name == "" {
		in.author.Name = site.Title
	}
	if site.Author.Image != "" {
		in.image = site.AbsURL(site.Author.Image)
	}

	title := site.Title
	if list.Kind != model.KindHome && list.Title != "" {
		title = list.Title + " — " + site.Title
	}
	description := list.Description
	if description == "" {
		description = site.Description
	}
	// The feed is as new as its newest item, never as the build: the same pages give the same bytes.
	var updated, published time.Time
	for _, p := range pages {
		if m := p.Modified(); m.After(updated) {
			updated = m
		}
		if p.Date.After(published) {
			published = p.Date
		}
	}
	if updated.IsZero() {
		updated = list.Modified()
	}
	link := site.AbsURL(list.URL)
	f := &feeds.Feed{
		Title:       title,
		Link:        &feeds.Link{Href: link},
		Description: description,
		Author:      &in.author,
		Updated:     updated,
		Created:     published,
		Id:          link,
		Copyright:   site.Copyright,
	}
	if in.image != "" {
		f.Image = &feeds.Image{Url: in.image, Title: title, Link: link}
	}
	for _, p := range pages {
		abs := site.AbsURL(p.URL)
		t, err := text(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.URL, err)
		}
		content, summary := t.content, t.summary
		f.Items = append(f.Items, &feeds.Item{
			Title:       p.Title,
			Link:        &feeds.Link{Href: abs},
			Author:      &in.author,
			Description: summary,
			Id:          abs,
			IsPermaLink: "true",
			Created:     p.Date,
			Updated:     p.Modified(),
			Content:     content,
		})
	}
	in.feed = f
	return in, nil
}

// RSS: gorilla's channel and items, plus the atom namespace, the self link and the categories.

type rssDoc struct {
	*feeds.RssFeedXml
	AtomNS  string      `xml:"xmlns:atom,attr"`
	Channel *rssChannel `xml:"channel"`
}

type rssChannel struct {
	*feeds.RssFeed
	AtomLink rssAtomLink
	Items    []*rssItem `xml:"item"`
}

type rssAtomLink struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr"`
}

type rssItem struct {
	*feeds.RssItem
	Categories []string `xml:"category"`
}

func (in *input) rss() ([]byte, error) {
	ch := (&feeds.Rss{Feed: in.feed}).RssFeed()
	ch.Language = in.site.Language
	ch.ManagingEditor = rssPerson(in.author)
	channel := &rssChannel{
		RssFeed:  ch,
		AtomLink: rssAtomLink{Href: in.rssURL, Rel: "self", Type: "application/rss+xml"},
	}
	for i, it := range ch.Items {
		p := in.pages[i]
		if it.Content != nil {
			it.Content.Content = xmlSafe(it.Content.Content)
		}
		// RSS wants an e-mail address in author; gorilla writes the bare name.
		it.Author = rssPerson(in.author)
		it.Description = escapeText(it.Description)
		channel.Items = append(channel.Items, &rssItem{RssItem: it, Categories: p.Tags})
	}
	ch.Items = nil
	doc := &rssDoc{
		RssFeedXml: ch.FeedXml().(*feeds.RssFeedXml),
		AtomNS:     "http://www.w3.org/2005/Atom",
		Channel:    channel,
	}
	return marshalXML(doc)
}

// rssPerson formats a person as RSS wants it, "email (Name)", or "" without an e-mail address.
func rssPerson(a feeds.Author) string {
	if a.Email == "" {
		return ""
	}
	if a.Name == "" {
		return a.Email
	}
	return a.Email + " (" + a.Name + ")"
}

// escapeText escapes plain text for RSS's description, which readers take as HTML.
func escapeText(s string) string { return textEscaper.Replace(s) }

var textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Atom: gorilla's feed and entries, plus xml:lang, self and alternate links, published dates and
// categories.

type atomFeed struct {
	*feeds.AtomFeed
	Lang    string           `xml:"xml:lang,attr,omitempty"`
	Links   []feeds.AtomLink `xml:"link"`
	Entries []*atomEntry     `xml:"entry"`
}

type atomEntry struct {
	*feeds.AtomEntry
	// Content replaces gorilla's, whose escaped character data turns every quote and newline of the
	// HTML into a character reference; CDATA keeps it as written (and smaller).
	Content    *atomContent   `xml:"content"`
	Categories []atomCategory `xml:"category"`
}

type atomContent struct {
	Type string `xml:"type,attr"`
	HTML string `xml:",cdata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// epoch stands in for the updated date of a feed that has neither items nor a date of its own, since
// Atom requires one and the build time would make the output change at every build.
var epoch = time.Unix(0, 0).UTC()

func (in *input) atom() ([]byte, error) {
	af := (&feeds.Atom{Feed: in.feed}).AtomFeed()
	if af.Updated == "" {
		af.Updated = epoch.Format(time.RFC3339)
	}
	af.Author.Uri = in.site.BaseURL
	af.Icon = in.image
	feed := &atomFeed{
		AtomFeed: af,
		Lang:     in.site.Language,
		Links: []feeds.AtomLink{
			{Href: in.atomURL, Rel: "self", Type: "application/atom+xml"},
			{Href: af.Link.Href, Rel: "alternate", Type: "text/html"},
		},
	}
	for i, e := range af.Entries {
		p := in.pages[i]
		e.Published = p.Date.Format(time.RFC3339)
		e.Links[0].Type = "text/html"
		if e.Summary != nil {
			e.Summary.Type = "text"
		}
		entry := &atomEntry{AtomEntry: e}
		if e.Content != nil {
			entry.Content = &atomContent{Type: e.Content.Type, HTML: xmlSafe(e.Content.Content)}
			e.Content = nil
		}
		for _, tag := range p.Tags {
			entry.Categories = append(entry.Categories, atomCategory{Term: tag})
		}
		feed.Entries = append(feed.Entries, entry)
	}
	af.Entries = nil
	af.Link = nil
	return marshalXML(feed)
}

// xmlSafe replaces what XML cannot hold (control characters, invalid UTF-8) with U+FFFD, as
// encoding/xml does for escaped text but not for CDATA sections.
func xmlSafe(s string) string {
	for i, r := range s {
		bad := !isXMLChar(r)
		if r == utf8.RuneError {
			_, size := utf8.DecodeRuneInString(s[i:])
			bad = size == 1
		}
		if bad {
			// strings.Map also turns invalid UTF-8 into U+FFFD.
			return strings.Map(func(r rune) rune {
				if !isXMLChar(r) {
					return utf8.RuneError
				}
				return r
			}, s)
		}
	}
	return s
}

// isXMLChar reports whether r is a Char of XML 1.0.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// JSON Feed: gorilla's feed, plus feed_url, language, the author's URL and avatar, and tags.

func (in *input) json() ([]byte, error) {
	jf := (&feeds.JSON{Feed: in.feed}).JSONFeed()
	jf.FeedUrl = in.jsonURL
	jf.Language = in.site.Language
	jf.Icon = in.image
	author := &feeds.JSONAuthor{Name: in.author.Name, Url: in.site.BaseURL, Avatar: in.image}
	jf.Author = author
	jf.Authors = []*feeds.JSONAuthor{author}
	for i, it := range jf.Items {
		// The deprecated author stays on the feed only, for JSON Feed 1.0 readers.
		it.Author = nil
		it.Authors = jf.Authors
		it.Tags = in.pages[i].Tags
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	// No indentation: feeds are read by programs, and indenting full contents doubled the cost.
	if err := enc.Encode(jf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
