// Package sitemap renders sitemap.xml (the sitemaps.org protocol 0.9) and robots.txt.
//
// A sitemap file holds at most 50,000 URLs and 50 MB; past that, the URLs go to sitemap1.xml,
// sitemap2.xml, … and sitemap.xml becomes the index that lists them. Locations are absolute,
// percent-encoded where the protocol wants ASCII (accents) and XML-escaped (ampersands); lastmod is the
// page's modification date in W3C Datetime with the page's own offset. Output depends only on the input.
package sitemap

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// File is one file to write.
type File struct {
	Path string // site-relative, no leading slash
	Data []byte
}

// Limits of one sitemap file set by the protocol.
const (
	MaxURLs  = 50_000
	MaxBytes = 50 * 1024 * 1024
)

// Name is the path of the sitemap, or of the sitemap index when the URLs need several files.
const Name = "sitemap.xml"

const (
	xmlns   = "http://www.sitemaps.org/schemas/sitemap/0.9"
	header  = xml.Header + `<urlset xmlns="` + xmlns + `">` + "\n"
	footer  = "</urlset>\n"
	iheader = xml.Header + `<sitemapindex xmlns="` + xmlns + `">` + "\n"
	ifooter = "</sitemapindex>\n"
)

// Build returns the sitemap of pages, in the given order; they are expected already filtered (visible,
// indexable). With more than maxPerFile pages (MaxURLs when maxPerFile <= 0), or more than MaxBytes,
// the URLs go to sitemap1.xml, sitemap2.xml, … and sitemap.xml is their index, each entry dated by the
// newest page of its file.
func Build(site *model.Site, pages []*model.Page, maxPerFile int) []File {
	return build(site, pages, maxPerFile, MaxBytes)
}

// build is Build with the size limit as a parameter, so tests can reach it.
func build(site *model.Site, pages []*model.Page, maxPerFile, maxBytes int) []File {
	chunks := split(site, pages, maxPerFile, maxBytes, false)
	if len(chunks) == 1 {
		return []File{{Path: Name, Data: chunks[0].wrap(header)}}
	}
	files := make([]File, 0, len(chunks)+1)
	var index bytes.Buffer
	index.WriteString(iheader)
	for i, c := range chunks {
		name := "sitemap" + strconv.Itoa(i+1) + ".xml"
		files = append(files, File{Path: name, Data: c.wrap(header)})
		writeEntry(&index, "sitemap", Loc(site.AbsURL(name)), c.lastmod)
	}
	index.WriteString(ifooter)
	return append([]File{{Path: Name, Data: index.Bytes()}}, files...)
}

// Set is the pages of one language of a multilingual site, written to NAME.xml (NAME-1.xml, NAME-2.xml,
// … when they need several files).
type Set struct {
	Name  string // "sitemap-en"
	Pages []*model.Page
}

// BuildSets returns the sitemaps of a multilingual site: one per language, each URL followed by the
// xhtml:link alternates of its translations (itself included, as Google asks), and sitemap.xml, the
// index of them all.
func BuildSets(site *model.Site, sets []Set, maxPerFile int) []File {
	var index bytes.Buffer
	index.WriteString(iheader)
	files := []File{{Path: Name}}
	for _, set := range sets {
		chunks := split(site, set.Pages, maxPerFile, MaxBytes, true)
		for i, c := range chunks {
			name := set.Name + ".xml"
			if len(chunks) > 1 {
				name = set.Name + "-" + strconv.Itoa(i+1) + ".xml"
			}
			files = append(files, File{Path: name, Data: c.wrap(xheader)})
			writeEntry(&index, "sitemap", Loc(site.AbsURL(name)), c.lastmod)
		}
	}
	index.WriteString(ifooter)
	files[0].Data = index.Bytes()
	return files
}

// xheader opens a sitemap whose URLs list their translations.
const xheader = xml.Header + `<urlset xmlns="` + xmlns + `" xmlns:xhtml="http://www.w3.org/1999/xhtml">` + "\n"

type chunk struct {
	buf     bytes.Buffer
	n       int
	lastmod time.Time
}

func (c *chunk) wrap(header string) []byte {
	data := make([]byte, 0, len(header)+c.buf.Len()+len(footer))
	data = append(data, header...)
	data = append(data, c.buf.Bytes()...)
	return append(data, footer...)
}

// split writes the entries of pages into chunks of at most maxPerFile URLs and maxBytes bytes.
func split(site *model.Site, pages []*model.Page, maxPerFile, maxBytes int, alternates bool) []*chunk {
	if maxPerFile <= 0 || maxPerFile > MaxURLs {
		maxPerFile = MaxURLs
	}
	head := len(header)
	if alternates {
		head = len(xheader)
	}
	var chunks []*chunk
	cur := &chunk{}
	var entry bytes.Buffer
	for _, p := range pages {
		entry.Reset()
		var alt []*model.Page
		if alternates && len(p.Translations) > 0 {
			alt = append(append(alt, p), p.Translations...)
		}
		writeURL(&entry, site, p, alt)
		if cur.n == maxPerFile || (cur.n > 0 && head+cur.buf.Len()+entry.Len()+len(footer) > maxBytes) {
			chunks = append(chunks, cur)
			cur = &chunk{}
		}
		cur.buf.Write(entry.Bytes())
		cur.n++
		if m := p.Modified(); m.After(cur.lastmod) {
			cur.lastmod = m
		}
	}
	return append(chunks, cur)
}

// writeURL writes the <url> entry of a page, with an xhtml:link for each of alt.
func writeURL(buf *bytes.Buffer, site *model.Site, p *model.Page, alt []*model.Page) {
	if len(alt) == 0 {
		writeEntry(buf, "url", Loc(site.AbsURL(p.URL)), p.Modified())
		return
	}
	var inner bytes.Buffer
	writeEntry(&inner, "url", Loc(site.AbsURL(p.URL)), p.Modified())
	body := inner.Bytes()
	closing := []byte("  </url>\n")
	buf.Write(body[:len(body)-len(closing)])
	for _, a := range alt {
		buf.WriteString(`    <xhtml:link rel="alternate" hreflang="`)
		_ = xml.EscapeText(buf, []byte(a.Lang))
		buf.WriteString(`" href="`)
		_ = xml.EscapeText(buf, []byte(Loc(site.AbsURL(a.URL))))
		buf.WriteString("\"/>\n")
	}
	buf.Write(closing)
}

// writeEntry writes <elem><loc>…</loc><lastmod>…</lastmod></elem>, lastmod left out when zero.
func writeEntry(buf *bytes.Buffer, elem, loc string, lastmod time.Time) {
	buf.WriteString("  <")
	buf.WriteString(elem)
	buf.WriteString(">\n    <loc>")
	// EscapeText only fails when the writer does; a bytes.Buffer never does.
	_ = xml.EscapeText(buf, []byte(loc))
	buf.WriteString("</loc>\n")
	if !lastmod.IsZero() {
		buf.WriteString("    <lastmod>")
		buf.WriteString(lastmod.Format(time.RFC3339))
		buf.WriteString("</lastmod>\n")
	}
	buf.WriteString("  </")
	buf.WriteString(elem)
	buf.WriteString(">\n")
}

// Loc turns an absolute URL into the ASCII form the sitemap protocol asks for: an internationalized
// host in punycode, and the bytes of the rest that are not allowed in a URI (non-ASCII letters, spaces,
// quotes, angle brackets, …) percent-encoded. Existing %XX escapes and reserved characters are kept,
// so a URL already encoded is left as is. XML escaping is the writer's job.
func Loc(abs string) string {
	rest := abs
	var prefix string
	if i := strings.Index(abs, "://"); i >= 0 {
		hostEnd := len(abs)
		if j := strings.IndexAny(abs[i+3:], "/?#"); j >= 0 {
			hostEnd = i + 3 + j
		}
		host := abs[i+3 : hostEnd]
		if !isASCII(host) {
			if h, err := idna.Lookup.ToASCII(host); err == nil {
				host = h
			}
		}
		prefix, rest = abs[:i+3]+host, abs[hostEnd:]
	}
	if isPlain(rest) {
		return prefix + rest
	}
	var b strings.Builder
	b.Grow(len(prefix) + len(rest)*2)
	b.WriteString(prefix)
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if allowed(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if !allowed(s[i]) {
			return false
		}
	}
	return true
}

// allowed reports whether c may appear as is in a URI (RFC 3986: unreserved, reserved and "%").
func allowed(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", c) >= 0
}

// Robots returns robots.txt: everything allowed, and where the sitemap is.
func Robots(site *model.Site) []byte {
	return []byte("User-agent: *\nAllow: /\n\nSitemap: " + Loc(site.AbsURL(Name)) + "\n")
}
