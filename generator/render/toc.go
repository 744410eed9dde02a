package render

import (
	"html/template"
	"strconv"
	"strings"
)

// TOCItems is the page's table of contents down to level max (headings of levels 2 to max), as the
// items of a list, one per line: <li class="toc-lLEVEL"><a href="#ID">TEXT</a></li>, each after a
// newline. The default theme writes its table of contents with it:
//
//	<ol>
//	{{- .Page.TOCItems 3}}
//	</ol>
//
// which writes what {{range .Page.TOC}}{{if le .Level 3}} … {{end}}{{end}} writes, escaped as
// html/template escapes each part there (TestTOCItemsEscapesAsTemplates), for a tenth of the cost: a
// table of contents is a dozen headings on ten thousand pages, each heading four template actions.
func (p *PageView) TOCItems(max int) template.HTML {
	var b strings.Builder
	for _, h := range p.page.TOC {
		if h.Level > max {
			continue
		}
		b.WriteString("\n<li class=\"toc-l")
		b.WriteString(strconv.Itoa(h.Level))
		b.WriteString("\"><a href=\"#")
		escapeURLPart(&b, h.ID)
		b.WriteString("\">")
		escapeHTMLText(&b, h.Text)
		b.WriteString("</a></li>")
	}
	return template.HTML(b.String())
}

// escapeURLPart writes s as html/template writes a value in the query or fragment of a URL attribute:
// every byte but RFC 3986's unreserved ones percent-encoded, in lower-case hexadecimal. What remains
// needs no escaping in an attribute.
func escapeURLPart(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

// escapeHTMLText writes s as html/template writes a string in HTML text: NUL as U+FFFD, and the
// characters that could end or start markup, quotes and + as character references; the rest, invalid
// UTF-8 included, as it is.
func escapeHTMLText(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// LinkItems are the numbered links of the pager as the items of a list, one per line: a gap as
// <li class="pagination-gap" aria-hidden="true">…</li>, a page as <li><a href="URL">N</a></li>, the
// current one with aria-current="page". The default theme writes its pagination with it, for what
//
//	{{- range .Links}}
//	{{- if .Gap}}
//	<li class="pagination-gap" aria-hidden="true">…</li>
//	{{- else}}
//	<li>{{if .Current}}<a href="{{.URL}}" aria-current="page">{{.Number}}</a>{{else}}<a href="{{.URL}}">{{.Number}}</a>{{end}}</li>
//	{{- end}}
//	{{- end}}
//
// writes (TestLinkItemsEscapesAsTemplates), in one call instead of two or three a link.
func (pg *Pager) LinkItems() template.HTML {
	var b strings.Builder
	for _, l := range pg.Links {
		switch {
		case l.Gap:
			b.WriteString("\n<li class=\"pagination-gap\" aria-hidden=\"true\">…</li>")
			continue
		case l.Current:
			b.WriteString("\n<li><a href=\"")
			b.WriteString(urlAttr(l.URL))
			b.WriteString("\" aria-current=\"page\">")
		default:
			b.WriteString("\n<li><a href=\"")
			b.WriteString(urlAttr(l.URL))
			b.WriteString("\">")
		}
		b.WriteString(strconv.Itoa(l.Number))
		b.WriteString("</a></li>")
	}
	return template.HTML(b.String())
}

// Adjacent links the page to its older and newer neighbours (PrevView, NextView) in a <nav>, empty
// when it has neither: the default theme's partials/adjacent.html, for what
//
//	{{- $older := .p.PrevView}}{{$newer := .p.NextView}}
//	{{- if or $older $newer}}
//	<nav class="wrap adjacent" aria-label="{{.label}}">
//	{{- with $older}}
//	<a class="adjacent-prev" href="{{.URL}}" rel="prev"><span class="adjacent-label">← {{$.prev}}</span> <span class="adjacent-title">{{.Title}}</span></a>
//	{{- end}}
//	{{- with $newer}}
//	<a class="adjacent-next" href="{{.URL}}" rel="next"><span class="adjacent-label">{{$.next}} →</span> <span class="adjacent-title">{{.Title}}</span></a>
//	{{- end}}
//	</nav>
//	{{- end}}
//
// writes with label, prev and next (TestAdjacentEscapesAsTemplates), in one call instead of ten.
func (p *PageView) Adjacent(label, prev, next string) template.HTML {
	older, newer := p.PrevView(), p.NextView()
	if older == nil && newer == nil {
		return ""
	}
	var b strings.Builder
	size := 300 + len(label) + len(prev) + len(next)
	for _, v := range []*PageView{older, newer} {
		if v != nil {
			size += len(v.URL) + len(v.Title)
		}
	}
	b.Grow(size)
	b.WriteString("\n<nav class=\"wrap adjacent\" aria-label=\"")
	escapeHTMLText(&b, label)
	b.WriteString("\">")
	if older != nil {
		b.WriteString("\n<a class=\"adjacent-prev\" href=\"")
		b.WriteString(urlAttr(older.URL))
		b.WriteString("\" rel=\"prev\"><span class=\"adjacent-label\">← ")
		escapeHTMLText(&b, prev)
		b.WriteString("</span> <span class=\"adjacent-title\">")
		escapeHTMLText(&b, older.Title)
		b.WriteString("</span></a>")
	}
	if newer != nil {
		b.WriteString("\n<a class=\"adjacent-next\" href=\"")
		b.WriteString(urlAttr(newer.URL))
		b.WriteString("\" rel=\"next\"><span class=\"adjacent-label\">")
		escapeHTMLText(&b, next)
		b.WriteString(" →</span> <span class=\"adjacent-title\">")
		escapeHTMLText(&b, newer.Title)
		b.WriteString("</span></a>")
	}
	b.WriteString("\n</nav>")
	return template.HTML(b.String())
}

// TagLinks lists the page's tags (TagTerms) as links to their pages, in a <ul class="tags"> after a
// newline, empty when it has none: the default theme's partials/tags.html, for what
//
//	{{- with .TagTerms}}
//	<ul class="tags">
//	{{- range .}}
//	<li><a class="p-category" href="{{.Page.URL}}">{{.Name}}</a></li>
//	{{- end}}
//	</ul>
//	{{- end}}
//
// writes (TestTagLinksEscapesAsTemplates), in one call instead of two a tag.
func (p *PageView) TagLinks() template.HTML {
	if len(p.tags) == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(32 + 96*len(p.tags))
	b.WriteString("\n<ul class=\"tags\">")
	for _, t := range p.tags {
		b.WriteString("\n<li><a class=\"p-category\" href=\"")
		b.WriteString(urlAttr(t.Page.URL))
		b.WriteString("\">")
		escapeHTMLText(&b, t.Name)
		b.WriteString("</a></li>")
	}
	b.WriteString("\n</ul>")
	return template.HTML(b.String())
}
