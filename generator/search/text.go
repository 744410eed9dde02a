package search

import (
	"strings"

	"golang.org/x/net/html"
)

// skipped are the elements whose text is not read: code run by the browser, and the controls and
// figures' fallbacks a reader never reads as prose.
var skipped = map[string]bool{"script": true, "style": true, "template": true, "noscript": true, "svg": true, "button": true}

// blocks end a word where they start or end even with no space around them in the HTML.
var blocks = map[string]bool{"p": true, "div": true, "li": true, "td": true, "th": true, "br": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "pre": true, "blockquote": true, "figcaption": true, "dt": true, "dd": true, "tr": true}

// Text returns the text of an HTML fragment (a page's body), its entities decoded.
func Text(fragment string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(fragment))
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if skipped[tag] {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			if blocks[tag] {
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}
