package markdown

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// Text is the text of an HTML fragment as a reader hears it: tags dropped, entities decoded, the
// contents of script, style and template left out, block elements (paragraphs, list items, cells,
// headings, line breaks…) separating words, and every run of breaking white space turned into one
// space, trimmed at both ends. No-break spaces, which French typography puts before « : ; ! ? » and in
// "10 €", are kept as they are.
//
// It is the one HTML-to-text of vitrine: the loader computes model.Page.SummaryText with it once, and
// meta descriptions, feed summaries and social posts all read that.
func Text(fragment string) string {
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
			return out.String()
		case html.StartTagToken:
			if name, _ := z.TagName(); hiddenElement(name) {
				skip++
			} else if blockElement(name) {
				space = true
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); hiddenElement(name) {
				skip = max(0, skip-1)
			} else if blockElement(name) {
				space = true
			}
		case html.SelfClosingTagToken:
			if name, _ := z.TagName(); blockElement(name) {
				space = true
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			for _, r := range string(z.Text()) {
				if breakingSpace(r) {
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

// hiddenElement reports whether an element's text is not prose.
func hiddenElement(name []byte) bool {
	switch string(name) {
	case "script", "style", "template":
		return true
	}
	return false
}

// blockElement reports whether a tag separates words: "<p>a</p><p>b</p>" reads "a b".
func blockElement(name []byte) bool {
	switch string(name) {
	case "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
		"table", "tr", "td", "th", "figure", "figcaption", "section", "article", "hr", "dd", "dt":
		return true
	}
	return false
}

// breakingSpace reports whether a line may break at r: white space but the no-break spaces.
func breakingSpace(r rune) bool {
	switch r {
	case '\u00a0', '\u202f', '\u2007', '\u2060':
		return false
	}
	return unicode.IsSpace(r)
}
