package render

import (
	"html/template"
	"strconv"
	"strings"
)

// The links the default theme's partials write with one call each, instead of the template actions
// their comments show (each tested against those actions): a list's page numbers, an article's
// neighbours, a page's tags.

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
		if l.Gap {
			b.WriteString("\n<li class=\"pagination-gap\" aria-hidden=\"true\">…</li>")
			continue
		}
		b.WriteString("\n<li><a href=\"")
		b.WriteString(urlAttr(l.URL))
		if l.Current {
			b.WriteString("\" aria-current=\"page\">")
		} else {
			b.WriteString("\">")
		}
		b.WriteString(strconv.Itoa(l.Number))
		b.WriteString("</a></li>")
	}
	return template.HTML(b.String())
}

// Adjacent links the page to its older and newer neighbours (Prev, Next) in a <nav>, empty
// when it has neither: the default theme's partials/adjacent.html, for what
//
//	{{- $older := .p.Prev}}{{$newer := .p.Next}}
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
	older, newer := p.Prev(), p.Next()
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
		adjacentLink(&b, older, "prev", "← "+prev)
	}
	if newer != nil {
		adjacentLink(&b, newer, "next", next+" →")
	}
	b.WriteString("\n</nav>")
	return template.HTML(b.String())
}

// adjacentLink writes the link to a neighbour v of Adjacent: rel is "prev" or "next" (its class is
// adjacent-REL), label its label with the arrow.
func adjacentLink(b *strings.Builder, v *PageView, rel, label string) {
	b.WriteString("\n<a class=\"adjacent-")
	b.WriteString(rel)
	b.WriteString("\" href=\"")
	b.WriteString(urlAttr(v.URL))
	b.WriteString("\" rel=\"")
	b.WriteString(rel)
	b.WriteString("\"><span class=\"adjacent-label\">")
	escapeHTMLText(b, label)
	b.WriteString("</span> <span class=\"adjacent-title\">")
	escapeHTMLText(b, v.Title)
	b.WriteString("</span></a>")
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
