package model

import (
	"html"
	"strings"
	"unicode"

	"github.com/rivo/uniseg"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// What is kept of a reply: replies come from strangers, and a 1 MB reply would otherwise be stored in the
// site's repository and published whole on the page. Characters are user-perceived characters (grapheme
// clusters); bytes bound them too, since one cluster may hold any number of combining marks.
const (
	// MaxReplyChars bounds a reply's text; a longer one is cut at a word boundary, ends with "…", and
	// the page links to the original for the rest (Reply.Truncated).
	MaxReplyChars = 3000
	// MaxReplyBytes bounds a reply's text in bytes.
	MaxReplyBytes = 4 * MaxReplyChars
	// MaxReplyHTML bounds a reply's HTML in bytes: room for the markup of a reply of MaxReplyBytes, not
	// for a reply of empty tags. Longer HTML is replaced by the cut text. It is over five times
	// MaxReplyBytes, what the HTML made from a cut text takes at worst (every byte an "&"), so that Kept
	// keeps what it made.
	MaxReplyHTML = 64 << 10
	// MaxNameChars bounds an author's display name and handle.
	MaxNameChars = 100
)

// Kept returns what is kept of r: the author's name and handle without bidirectional controls (an
// unterminated right-to-left override in a name would reverse what follows it on the page) and at most
// MaxNameChars long; the text at most MaxReplyChars long and the HTML at most MaxReplyHTML bytes, else
// both become the text cut at a word boundary and Truncated is set. Kept is idempotent: what backfeed
// stored is kept as is by the build.
func (r Reply) Kept() Reply {
	r.Author.Name = cut(StripBidi(r.Author.Name), MaxNameChars, 4*MaxNameChars)
	r.Author.Handle = cut(StripBidi(r.Author.Handle), MaxNameChars, 4*MaxNameChars)
	text := r.Text
	if text == "" {
		text = html.UnescapeString(stripTags(r.Content))
	}
	if len(text) <= MaxReplyBytes && uniseg.GraphemeClusterCount(text) <= MaxReplyChars && len(r.Content) <= MaxReplyHTML {
		return r
	}
	r.Text = cut(strings.TrimSpace(text), MaxReplyChars, MaxReplyBytes)
	var b strings.Builder
	for i, para := range strings.Split(r.Text, "\n\n") {
		if para = strings.TrimSpace(para); para == "" {
			continue
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	r.Content = b.String()
	r.Truncated = true
	return r
}

// cut returns s when it has at most maxChars grapheme clusters and maxBytes bytes, else its beginning
// ending with "…", within both bounds: cut after the last space of the last fifth when there is one (a
// word is not cut in two), else between two clusters (an emoji or a letter with its accents stays whole).
func cut(s string, maxChars, maxBytes int) string {
	if len(s) <= maxBytes && uniseg.GraphemeClusterCount(s) <= maxChars {
		return s
	}
	const ellipsis = "…"
	end, n, state := 0, 0, -1
	for rest := s; len(rest) > 0; {
		var cluster string
		cluster, rest, _, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if n+1 >= maxChars || end+len(cluster)+len(ellipsis) > maxBytes {
			break
		}
		n++
		end += len(cluster)
	}
	kept := s[:end]
	if i := strings.LastIndexFunc(kept, unicode.IsSpace); i > 0 && i >= len(kept)*4/5 {
		kept = kept[:i]
	}
	return strings.TrimRightFunc(kept, unicode.IsSpace) + ellipsis
}

// StripBidi removes the bidirectional controls (embeddings, overrides, isolates, marks) from s: for text
// from strangers shown where it cannot be isolated, a terminal.
func StripBidi(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

func isBidiControl(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }

// foldText is text as blocked words are matched on: default-ignorable code points removed (a soft hyphen
// or a zero-width space inside a word hides nothing), compatibility-normalized (NFKC: fullwidth and
// mathematical letters, ligatures become plain letters) and case-folded.
func foldText(s string) string {
	s = strings.Map(func(r rune) rune {
		if defaultIgnorable(r) {
			return -1
		}
		return r
	}, s)
	s = norm.NFKC.String(s)
	s = cases.Fold().String(s)
	return norm.NFKC.String(s)
}

// defaultIgnorable reports whether r is a Default_Ignorable_Code_Point (Unicode's DerivedCoreProperties):
// Other_Default_Ignorable_Code_Point, variation selectors and format characters (soft hyphen, zero-width
// space and joiners, bidirectional controls, word joiner, byte order mark), but for the interlinear
// annotation characters, the Egyptian hieroglyph format controls and the prepended concatenation marks.
func defaultIgnorable(r rune) bool {
	switch {
	case r < 0xAD:
		return false
	case r >= 0xFFF9 && r <= 0xFFFB, r >= 0x13430 && r <= 0x1343F, unicode.Is(unicode.Prepended_Concatenation_Mark, r):
		return false
	}
	return unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Cf)
}
