// Package feeds renders the RSS 2.0, Atom and JSON Feed 1.1 feeds of a list page (the home page, a
// section or a term), with the full content of the newest regular pages.
//
// The feeds are built with gorilla/feeds and completed where it stops short, through wrapper types that
// embed its structs and add fields: the RSS atom:link rel="self", language and one category per tag, Atom
// self and alternate links, categories and published dates, JSON Feed's feed_url, language and tags.
//
// A page reads the same in every feed it appears in (the home, its section, each of its terms): a
// Builder converts and marshals its item once per format, and assembles each feed from the list's
// header, gorilla's feed without items marshalled as above, and the items' bytes (see Builder).
//
// Output depends only on the site and the pages: every date comes from the pages (never from the clock),
// in the offset the page's time carries, so building twice gives the same bytes.
package feeds

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

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
func Paths(site *model.Site, list *model.Page) (rss, atom, json string) {
	dir := strings.TrimPrefix(list.URL, "/")
	if dir != "" && !strings.HasSuffix(dir, "/") {
		dir += "/"
	}
	return dir + site.RSSFile(), dir + AtomName, dir + JSONName
}

// Build renders the feeds of list: its newest limit regular children (all of them when limit <= 0),
// newest first by model.ByDateDesc whatever the order of list.Children, with their full content.
func Build(site *model.Site, list *model.Page, limit int) (Files, error) {
	return NewBuilder(site, limit).Build(list)
}

// Builder builds the feeds of many lists of one site. A page appears in several feeds (the home, its
// section, each of its terms) and reads the same in all of them: its own fields and content, and the
// site's author. So its RSS <item>, Atom <entry> and JSON Feed item are serialised once, on its first
// use, and each feed is assembled from its header, marshalled for the list, and the bytes of its items.
// Safe for concurrent use.
type Builder struct {
	// Body, when set, returns a page's body (its Content), which the build keeps elsewhere than in the
	// page. It is called at most once per page. Set it before the first Build or Append.
	Body func(*model.Page) (template.HTML, error)
	// Store, when set, keeps the serialised items instead of memory: each is written to it once, when
	// made, and read back into every feed it appears in. Items are about twice the size of the content
	// they carry, and the lists of a site name most of its recent pages: a build keeps them in a
	// temporary file, so that they do not stay on the heap for the whole step. Set it before the first
	// Build or Append; the Builder writes from offset 0 on.
	Store Store

	site   *model.Site
	limit  int
	author feeds.Author
	image  string // absolute URL of the author's image, "" when none

	mu    sync.Mutex
	items map[*model.Page]*item
	end   atomic.Int64 // the size of what was written to Store
}

// Store is where a Builder keeps the serialised items; an *os.File is one. Items are written to distinct
// ranges from several goroutines at once, and never written again.
type Store interface {
	io.WriterAt
	io.ReaderAt
}

// item is what a page contributes to every feed it appears in, serialised in one record: its RSS
// <item>, its Atom <entry>, each indented as encoding/xml indents it inside the whole document (see
// rssItemIndent), and its JSON Feed object. The content's CDATA section, the largest part of both
// elements, is in the record once, inside the RSS element: the Atom element is kept without it, as
// its head, up to the content's end tag, and its tail.
type item struct {
	once sync.Once
	err  error
	// data is the record, when the Builder has no Store; off is where it lies in the Store otherwise.
	data []byte
	off  int64
	// Where the parts lie in the record.
	rss, cdata, atomHead, atomTail, json span
}

// span is a part of an item's record.
type span struct{ from, n int }

// parts are the parts of an item's record that make its element in one format, in order.
type parts [3]span

func (it *item) rssParts() parts  { return parts{it.rss} }
func (it *item) atomParts() parts { return parts{it.atomHead, it.cdata, it.atomTail} }
func (it *item) jsonParts() parts { return parts{it.json} }

// size is the length of the element.
func (ps parts) size() int { return ps[0].n + ps[1].n + ps[2].n }

// appendParts appends the parts ps of it's record.
func (b *Builder) appendParts(dst []byte, it *item, ps parts) ([]byte, error) {
	for _, p := range ps {
		if p.n == 0 {
			continue
		}
		if b.Store == nil {
			dst = append(dst, it.data[p.from:p.from+p.n]...)
			continue
		}
		dst = slices.Grow(dst, p.n)
		m, err := b.Store.ReadAt(dst[len(dst):len(dst)+p.n], it.off+int64(p.from))
		if dst = dst[:len(dst)+m]; m < p.n {
			// ReadAt may report io.EOF with the last byte of the Store, and an error only when it
			// reads less.
			return dst, err
		}
	}
	return dst, nil
}

// NewBuilder prepares the feeds of site with the newest limit items each.
func NewBuilder(site *model.Site, limit int) *Builder {
	b := &Builder{site: site, limit: limit, items: map[*model.Page]*item{},
		author: feeds.Author{Name: site.Author.Name, Email: site.Author.Email}}
	// Atom requires an author for every entry; the site's title stands in for a missing name.
	if b.author.Name == "" {
		b.author.Name = site.Title
	}
	if site.Author.Image != "" {
		b.image = site.AbsURL(site.Author.Image)
	}
	return b
}

// Build renders the feeds of one list page, as the package-level Build does.
func (b *Builder) Build(list *model.Page) (Files, error) {
	return b.Append(Files{}, list)
}

// Append renders the feeds of one list page as Build does, appending each to the matching slice of dst,
// and returns the extended slices: a caller can hand the same buffers back for the next list. On error,
// what the slices hold past dst's lengths is undefined.
func (b *Builder) Append(dst Files, list *model.Page) (Files, error) {
	pages := Newest(list.Children, b.limit)
	items := make([]*item, len(pages))
	for i, p := range pages {
		it, err := b.item(p)
		if err != nil {
			return dst, fmt.Errorf("feeds %s: %s: %w", list.URL, p.URL, err)
		}
		items[i] = it
	}
	f := b.feed(list, pages)
	rssURL, atomURL, jsonURL := Paths(b.site, list)
	var err error
	if dst.RSS, err = b.rss(dst.RSS, f, b.site.AbsURL(rssURL), items); err != nil {
		return dst, fmt.Errorf("feeds %s: rss: %w", list.URL, err)
	}
	if dst.Atom, err = b.atom(dst.Atom, f, b.site.AbsURL(atomURL), items); err != nil {
		return dst, fmt.Errorf("feeds %s: atom: %w", list.URL, err)
	}
	if dst.JSON, err = b.json(dst.JSON, f, b.site.AbsURL(jsonURL), items); err != nil {
		return dst, fmt.Errorf("feeds %s: json: %w", list.URL, err)
	}
	return dst, nil
}

// item returns a page's serialised item, serialising it on first use.
func (b *Builder) item(p *model.Page) (*item, error) {
	b.mu.Lock()
	it := b.items[p]
	if it == nil {
		it = &item{}
		b.items[p] = it
	}
	b.mu.Unlock()
	it.once.Do(func() { it.err = it.serialise(b, p) })
	return it, it.err
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

// feed is the gorilla feed of a list without its items: what the headers of the three formats are
// made of.
func (b *Builder) feed(list *model.Page, pages []*model.Page) *feeds.Feed {
	site := b.site
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
	author := b.author
	f := &feeds.Feed{
		Title:       title,
		Link:        &feeds.Link{Href: link},
		Description: description,
		Author:      &author,
		Updated:     updated,
		Created:     published,
		Id:          link,
		Copyright:   site.Copyright,
	}
	if b.image != "" {
		f.Image = &feeds.Image{Url: b.image, Title: title, Link: link}
	}
	return f
}

// serialise makes a page's item in the three formats. Gorilla converts the page to each format's item
// (through a feed of that one item, its conversion of an item alone being unexported); the items are
// then completed as the feeds are, and marshalled.
func (it *item) serialise(b *Builder, p *model.Page) error {
	body := p.Content
	if b.Body != nil {
		var err error
		if body, err = b.Body(p); err != nil {
			return err
		}
	}
	site := b.site
	abs := site.AbsURL(p.URL)
	content := string(body)
	if base := site.BasePath(); base != "/" {
		// Root-relative links are relative to the site's path, as on its pages.
		content = string(output.PrefixURLs([]byte(content), base))
	}
	content, err := absolutize(content, abs)
	if err != nil {
		return err
	}
	summary := p.Description
	if summary == "" {
		summary = p.SummaryText
	}
	author := b.author
	one := &feeds.Feed{Items: []*feeds.Item{{
		Title:       p.Title,
		Link:        &feeds.Link{Href: abs},
		Author:      &author,
		Description: summary,
		Id:          abs,
		IsPermaLink: "true",
		Created:     p.Date,
		Updated:     p.Modified(),
		Content:     content,
	}}}
	// RSS and Atom elements are marshalled with an empty content; the content's CDATA section goes in
	// RSS's, and is shared with Atom's.
	safe := xmlSafe(content)
	// Room for the markup, the escaped summary and title, the tags, the content as CDATA and as a JSON
	// string.
	size := 3*(2*len(summary)+2*len(p.Title)+1024) + len(safe) + len(content) + len(content)/8
	rec := records.Get().(*[]byte)
	defer records.Put(rec)
	buf := slices.Grow((*rec)[:0], size)
	defer func() { *rec = buf[:0] }()

	ri := (&feeds.Rss{Feed: one}).RssFeed().Items[0]
	if ri.Content != nil {
		ri.Content.Content = ""
	}
	// RSS wants an e-mail address in author; gorilla writes the bare name.
	ri.Author = rssPerson(b.author)
	ri.Description = escapeText(ri.Description)
	if buf, err = appendXML(buf, &rssItem{RssItem: ri, Categories: p.Tags}, rssItemIndent); err != nil {
		return fmt.Errorf("rss: %w", err)
	}
	if ri.Content != nil {
		var at int
		if buf, at, err = insertCDATA(buf, 0, "</content:encoded>", safe); err != nil {
			return fmt.Errorf("rss: %w", err)
		}
		it.cdata = span{at, cdataSize(safe)}
	}
	it.rss = span{0, len(buf)}

	e := (&feeds.Atom{Feed: one}).AtomFeed().Entries[0]
	e.Published = p.Date.Format(time.RFC3339)
	e.Links[0].Type = "text/html"
	if e.Summary != nil {
		e.Summary.Type = "text"
	}
	entry := &atomEntry{AtomEntry: e}
	if e.Content != nil {
		entry.Content = &atomContent{Type: e.Content.Type}
		e.Content = nil
	}
	for _, tag := range p.Tags {
		entry.Categories = append(entry.Categories, atomCategory{Term: tag})
	}
	from := len(buf)
	if buf, err = appendXML(buf, entry, atomEntryIndent); err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	it.atomHead = span{from, len(buf) - from}
	if entry.Content != nil {
		// Text around the end tag is escaped and cannot hold another.
		i := bytes.Index(buf[from:], []byte("</content>"))
		if i < 0 {
			return fmt.Errorf("atom: no </content> in %s", buf[from:])
		}
		it.atomHead.n = i
		it.atomTail = span{from + i, len(buf) - from - i}
	}

	ji := (&feeds.JSON{Feed: one}).JSONFeed().Items[0]
	// The deprecated author stays on the feed only, for JSON Feed 1.0 readers.
	ji.Author = nil
	ji.Authors = []*feeds.JSONAuthor{b.jsonAuthor()}
	ji.Tags = p.Tags
	from = len(buf)
	if buf, err = appendJSON(buf, ji); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	it.json = span{from, len(buf) - from}
	return b.keep(it, buf)
}

// records are the buffers items are serialised in, before they are kept.
var records = sync.Pool{New: func() any { return new([]byte) }}

// keep keeps an item's record: in the Store when there is one, else in memory.
func (b *Builder) keep(it *item, rec []byte) error {
	if b.Store == nil {
		it.data = slices.Clone(rec)
		return nil
	}
	it.off = b.end.Add(int64(len(rec))) - int64(len(rec))
	_, err := b.Store.WriteAt(rec, it.off)
	return err
}

// insertCDATA puts the CDATA section of content into the element buf[from:], marshalled with an empty
// content: just before closing, the content's end tag. It returns where the section starts in buf.
func insertCDATA(buf []byte, from int, closing string, content string) ([]byte, int, error) {
	// Text around the end tag is escaped and cannot hold another.
	i := bytes.Index(buf[from:], []byte(closing))
	if i < 0 {
		return buf, 0, fmt.Errorf("no %s in %s", closing, buf[from:])
	}
	i += from
	var tail [64]byte
	t := append(tail[:0], buf[i:]...)
	return append(appendCDATA(buf[:i], content), t...), i, nil
}

// XML documents are indented by two spaces a level. encoding/xml indents an element marshalled alone
// with a prefix of its depth's indentation as it does inside the document, but for the line break
// before its start tag, which assembleXML writes.
const (
	xmlIndent       = "  "
	rssItemIndent   = "    " // rss > channel > item
	atomEntryIndent = "  "   // feed > entry
)

// assembleXML appends doc, marshalled without its items and ending with end (the closing tags around
// them), with the items inserted before end, each made of the parts of its record elem says.
func (b *Builder) assembleXML(dst []byte, doc any, end string, items []*item, elem func(*item) parts) ([]byte, error) {
	n := len(xml.Header) + headerRoom + len(end) + 1
	for _, it := range items {
		n += 1 + elem(it).size()
	}
	start := len(dst)
	dst = slices.Grow(dst, n)
	dst = append(dst, xml.Header...)
	dst, err := appendXML(dst, doc, "")
	if err != nil {
		return dst[:start], err
	}
	if !bytes.HasSuffix(dst, []byte(end)) {
		return dst[:start], fmt.Errorf("document does not end with %q", end)
	}
	dst = dst[:len(dst)-len(end)]
	for _, it := range items {
		dst = append(dst, '\n')
		if dst, err = b.appendParts(dst, it, elem(it)); err != nil {
			return dst[:start], err
		}
	}
	dst = append(dst, end...)
	return append(dst, '\n'), nil
}

// headerRoom is what a feed's header is given room for before it is marshalled: a list's title,
// description, dates, links and image.
const headerRoom = 2048

// appendXML appends v marshalled by encoding/xml, indented, each line but the first starting with prefix.
func appendXML(dst []byte, v any, prefix string) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	w := xmlWriters.Get().(*bufio.Writer)
	defer xmlWriters.Put(w)
	w.Reset(buf)
	enc := xml.NewEncoder(w)
	enc.Indent(prefix, xmlIndent)
	err := enc.Encode(v) // and flushes w
	w.Reset(nil)
	return buf.Bytes(), err
}

// xmlWriters are buffers for xml.NewEncoder, which uses a *bufio.Writer of its size rather than make
// one, of 4 kB, for each of the many small documents (items, headers) marshalled here.
var xmlWriters = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}

// appendJSON appends v marshalled by encoding/json, HTML characters as they are, without a line break.
func appendJSON(dst []byte, v any) ([]byte, error) {
	buf := bytes.NewBuffer(dst)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	// No indentation: feeds are read by programs, and indenting full contents doubled the cost.
	err := enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), err
}

// RSS: gorilla's channel and items, plus the atom namespace, the self link and the categories.

type rssDoc struct {
	*feeds.RssFeedXml
	AtomNS  string      `xml:"xmlns:atom,attr"`
	Channel *rssChannel `xml:"channel"`
}

// rssChannel is marshalled without items (gorilla's are nil); they come last in the channel.
type rssChannel struct {
	*feeds.RssFeed
	AtomLink rssAtomLink
}

// rssEnd follows the last element of the channel: its items go before it.
const rssEnd = "\n  </channel>\n</rss>"

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

func (b *Builder) rss(dst []byte, f *feeds.Feed, self string, items []*item) ([]byte, error) {
	ch := (&feeds.Rss{Feed: f}).RssFeed()
	ch.Language = b.site.Language
	ch.ManagingEditor = rssPerson(b.author)
	doc := &rssDoc{
		RssFeedXml: ch.FeedXml().(*feeds.RssFeedXml),
		AtomNS:     "http://www.w3.org/2005/Atom",
		Channel: &rssChannel{
			RssFeed:  ch,
			AtomLink: rssAtomLink{Href: self, Rel: "self", Type: "application/rss+xml"},
		},
	}
	return b.assembleXML(dst, doc, rssEnd, items, (*item).rssParts)
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

// atomFeed is marshalled without entries (gorilla's are nil); they come last in the feed.
type atomFeed struct {
	*feeds.AtomFeed
	Lang  string           `xml:"xml:lang,attr,omitempty"`
	Links []feeds.AtomLink `xml:"link"`
}

// atomEnd follows the last element of the feed: its entries go before it.
const atomEnd = "\n</feed>"

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

func (b *Builder) atom(dst []byte, f *feeds.Feed, self string, items []*item) ([]byte, error) {
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	if af.Updated == "" {
		af.Updated = epoch.Format(time.RFC3339)
	}
	af.Author.Uri = b.site.BaseURL
	af.Icon = b.image
	feed := &atomFeed{
		AtomFeed: af,
		Lang:     b.site.Language,
		Links: []feeds.AtomLink{
			{Href: self, Rel: "self", Type: "application/atom+xml"},
			{Href: af.Link.Href, Rel: "alternate", Type: "text/html"},
		},
	}
	af.Link = nil
	return b.assembleXML(dst, feed, atomEnd, items, (*item).atomParts)
}

// JSON Feed: gorilla's feed, plus feed_url, language, the author's URL and avatar, and tags.

// jsonAuthor is the author of the feed and of every item.
func (b *Builder) jsonAuthor() *feeds.JSONAuthor {
	return &feeds.JSONAuthor{Name: b.author.Name, Url: b.site.BaseURL, Avatar: b.image}
}

func (b *Builder) json(dst []byte, f *feeds.Feed, self string, items []*item) ([]byte, error) {
	jf := (&feeds.JSON{Feed: f}).JSONFeed()
	jf.FeedUrl = self
	jf.Language = b.site.Language
	jf.Icon = b.image
	author := b.jsonAuthor()
	jf.Author = author
	jf.Authors = []*feeds.JSONAuthor{author}
	n := headerRoom + len(`,"items":[]}`) + 1
	for _, it := range items {
		n += 1 + it.json.n
	}
	start := len(dst)
	dst = slices.Grow(dst, n)
	// Marshalled without items (gorilla's are nil, and omitted), the last field: they are written in
	// place of the closing brace.
	dst, err := appendJSON(dst, jf)
	if err != nil {
		return dst[:start], err
	}
	if len(items) > 0 {
		if !bytes.HasSuffix(dst, []byte("}")) {
			return dst[:start], fmt.Errorf("feed does not end with }")
		}
		dst = append(dst[:len(dst)-1], `,"items":[`...)
		for i, it := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, err = b.appendParts(dst, it, it.jsonParts()); err != nil {
				return dst[:start], err
			}
		}
		dst = append(dst, "]}"...)
	}
	return append(dst, '\n'), nil
}
