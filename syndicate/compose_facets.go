package syndicate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// blueskyFacets finds the links and hashtags of a Bluesky post's text as the official client's
// detectFacets does, and returns them as facets over UTF-8 byte offsets (Bluesky shows a URL without a
// link facet as plain text). A link starts with http:// or https:// after a space, an opening
// parenthesis or the start of the text, and loses a final . , ; : ! ? and an unbalanced ")"; a hashtag
// follows a space or the start of the text, loses its final punctuation, has a character that is not a
// digit, and at most 64 characters.
func blueskyFacets(text string) []Facet {
	var out []Facet
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		atStart := i == 0 || unicode.IsSpace(prev)
		switch {
		case (atStart || prev == '(') && hasSchemePrefix(text[i:]):
			end := i + strings.IndexFunc(text[i:]+" ", unicode.IsSpace)
			uri := text[i:end]
			if strings.ContainsAny(uri[len(uri)-1:], ".,;:!?") {
				uri = uri[:len(uri)-1]
			}
			if strings.HasSuffix(uri, ")") && !strings.Contains(uri, "(") {
				uri = uri[:len(uri)-1]
			}
			out = append(out, Facet{ByteStart: i, ByteEnd: i + len(uri), Link: uri})
			i = end
			continue
		case atStart && (r == '#' || r == '＃'):
			end := i + size + strings.IndexFunc(text[i+size:]+" ", isTagBreak)
			tag := strings.TrimRightFunc(text[i+size:end], unicode.IsPunct)
			if tag != "" && !strings.HasPrefix(tag, "\uFE0F") && strings.ContainsFunc(tag, isTagLetter) &&
				countGraphemes(tag) <= maxHashtagGraphemes {
				out = append(out, Facet{ByteStart: i, ByteEnd: i + size + len(tag), Tag: tag})
			}
			i = end
			continue
		}
		i += size
	}
	return out
}

func hasSchemePrefix(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// isTagBreak ends a Bluesky hashtag: a space or an invisible separator.
func isTagBreak(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("\u00AD\u2060\u200A\u200B\u200C\u200D\u20E2", r)
}

// isTagLetter is a character a hashtag needs at least one of: not a digit nor punctuation.
func isTagLetter(r rune) bool {
	return !unicode.IsDigit(r) && !unicode.IsPunct(r) && !isTagBreak(r)
}
