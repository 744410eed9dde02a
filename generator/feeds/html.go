package feeds

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// urlAttrs are the attributes holding one URL that absolutize resolves; srcset is handled apart.
var urlAttrs = map[string]bool{"href": true, "src": true, "poster": true}

// absolutize resolves every relative URL of content's href, src, poster and srcset attributes against
// base, the page's absolute URL, so the content means in a feed reader what it means on the page:
// "/posts/b/" and "photo.jpg" become absolute, "#note" becomes base + "#note", and URLs with a scheme
// (https:, mailto:, tel:, data:) stay as they are. Tags without such a URL are copied byte for byte.
func absolutize(content, base string) (string, error) {
	if !strings.Contains(content, "=") {
		return content, nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	var out bytes.Buffer
	out.Grow(len(content) + len(content)/8)
	z := html.NewTokenizer(strings.NewReader(content))
	var attrs []attr // the attributes of the current tag, reused from tag to tag
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// The tokenizer's only error on a string reader is io.EOF; Raw holds what an unterminated
			// tag left.
			out.Write(z.Raw())
			return out.String(), nil
		}
		// Raw's bytes are only valid until TagName and TagAttr, which lowercase names and unescape
		// values in place: copy them first and take them back if the tag changes.
		mark := out.Len()
		raw := z.Raw()
		out.Write(raw)
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken || !mayHoldURL(raw) {
			continue
		}
		// TagName and TagAttr rather than Token, which would also make strings of the attributes
		// left as they are.
		name, more := z.TagName()
		attrs = attrs[:0]
		changed := false
		for more {
			var a attr
			a.key, a.val, more = z.TagAttr()
			switch {
			case urlAttrs[string(a.key)]:
				a.resolved = resolve(b, string(a.val))
			case string(a.key) == "srcset":
				a.resolved = resolveSrcset(b, string(a.val))
			default:
				attrs = append(attrs, a)
				continue
			}
			a.changed = a.resolved != string(a.val)
			changed = changed || a.changed
			attrs = append(attrs, a)
		}
		if changed {
			out.Truncate(mark)
			writeTag(&out, name, attrs, tt == html.SelfClosingTagToken)
		}
	}
}

// mayHoldURL reports whether a tag's raw bytes hold the name of an attribute absolutize resolves, in any
// case: most tags (<p>, <li>, chroma's <span class="…">) do not, and are copied without being parsed
// further.
func mayHoldURL(raw []byte) bool {
	for i, c := range raw {
		var name string
		switch c | 0x20 {
		case 'h':
			name = "href"
		case 's':
			name = "src" // and srcset
		case 'p':
			name = "poster"
		default:
			continue
		}
		if hasPrefixFold(raw[i:], name) {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether b starts with the lowercase ASCII word w, in any case.
func hasPrefixFold(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for i := range len(w) {
		if b[i]|0x20 != w[i] {
			return false
		}
	}
	return true
}

// attr is an attribute of a tag as the tokenizer gives it (key lowercased, value unescaped), and its
// value once resolved when changed.
type attr struct {
	key, val []byte
	resolved string
	changed  bool
}

// resolve resolves ref against base, leaving it as is when it has a scheme or does not parse.
func resolve(base *url.URL, ref string) string {
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil || u.Scheme != "" {
		return ref
	}
	return base.ResolveReference(u).String()
}

// resolveSrcset resolves each URL of a srcset ("a.webp 480w, b.webp 800w"), and returns srcset as is
// when none changes.
func resolveSrcset(base *url.URL, srcset string) string {
	var out []string
	changed := false
	for part := range strings.SplitSeq(srcset, ",") {
		fields := strings.Fields(part)
		if len(fields) == 0 {
			continue
		}
		if u := resolve(base, fields[0]); u != fields[0] {
			fields[0] = u
			changed = true
		}
		out = append(out, strings.Join(fields, " "))
	}
	if !changed {
		return srcset
	}
	return strings.Join(out, ", ")
}

// writeTag writes a start or self-closing tag with double-quoted, escaped attribute values, as goldmark
// writes them.
func writeTag(out *bytes.Buffer, name []byte, attrs []attr, selfClosing bool) {
	out.WriteByte('<')
	out.Write(name)
	for _, a := range attrs {
		out.WriteByte(' ')
		out.Write(a.key)
		out.WriteString(`="`)
		if a.changed {
			attrEscaper.WriteString(out, a.resolved)
		} else {
			attrEscaper.WriteString(out, string(a.val))
		}
		out.WriteByte('"')
	}
	if selfClosing {
		out.WriteString(" /")
	}
	out.WriteByte('>')
}

var attrEscaper = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;")

// plainText returns the text of an HTML fragment: tags dropped, entities decoded, runs of white space
// collapsed to one space, script and style left out.
func plainText(fragment string) string {
	if fragment == "" {
		return ""
	}
	var out strings.Builder
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0
	space := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.TrimSpace(out.String())
		case html.StartTagToken:
			if name, _ := z.TagName(); isHidden(name) {
				skip++
			} else if isBlock(name) {
				space = true
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); isHidden(name) && skip > 0 {
				skip--
			} else if isBlock(name) {
				space = true
			}
		case html.SelfClosingTagToken:
			if name, _ := z.TagName(); string(name) == "br" || isBlock(name) {
				space = true
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			for _, r := range string(z.Text()) {
				if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
					space = true
					continue
				}
				if space && out.Len() > 0 {
					out.WriteByte(' ')
				}
				space = false
				out.WriteRune(r)
			}
		}
	}
}

func isHidden(name []byte) bool {
	switch string(name) {
	case "script", "style", "template":
		return true
	}
	return false
}

// isBlock reports whether a tag separates words: "<p>a</p><p>b</p>" reads "a b".
func isBlock(name []byte) bool {
	switch string(name) {
	case "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
		"table", "tr", "td", "th", "figure", "figcaption", "section", "article", "hr", "dd", "dt":
		return true
	}
	return false
}
