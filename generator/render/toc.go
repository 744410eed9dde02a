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
