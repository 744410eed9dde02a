package markdown

import "bytes"

// goldmark's Linkify extension (GFM's autolinks: "www.example.org", "https://…" or "a@b.fr" in the
// text) is a tenth of the parsing of a page: its inline parser runs at every space, tab, '*', '_', '~'
// and '(' of the text, and reads the word that follows as a possible e-mail address. Given no options,
// as here, it only makes a link where "http:", "https:", "ftp:" or "www." follows, or of an e-mail
// address, which holds an '@'. Most pages hold none of these: they are parsed without it.
//
// Without Linkify goldmark also cuts the text of a line at fewer places: fewer Text nodes side by side,
// which come to the same, since what reads them (the renderer, the word count, heading ids) reads them
// in a row, and the typography merges them first. But one quirk of goldmark shows in the HTML: the Text
// that ends a line loses its trailing spaces, and with Linkify that Text may start among them, the Text
// before keeping the others: "a \t\n" keeps a space before the line break with Linkify and none
// without. Pages with such a line are parsed with Linkify too. FuzzLinkifySkip checks that both ways
// give the same conversion.

// linkifies reports whether src must be parsed with Linkify: it may hold a link to make, or a line
// whose trailing spaces Linkify would keep.
func linkifies(src []byte) bool {
	if bytes.IndexByte(src, '@') >= 0 || bytes.Contains(src, []byte("www.")) {
		return true
	}
	// One search for ':', rare in prose, rather than one for each of "http:", "https:" and "ftp:".
	for i := bytes.IndexByte(src, ':'); i >= 0; {
		if before := src[:i]; bytes.HasSuffix(before, []byte("http")) || bytes.HasSuffix(before, []byte("https")) || bytes.HasSuffix(before, []byte("ftp")) {
			return true
		}
		next := bytes.IndexByte(src[i+1:], ':')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	for start := 0; start < len(src); {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			return keepsTrailingSpace(src[start:], false)
		}
		end += start
		if keepsTrailingSpace(src[start:end], true) {
			return true
		}
		start = end + 1
	}
	return false
}

// keepsTrailingSpace reports whether Linkify makes goldmark keep some of the spaces, tabs or '\r' that
// end a line (its '\n' left out). Linkify cuts the text at each space and tab; the last cut is where the
// Text that ends the line starts, and is trimmed; so the line keeps trailing spaces when the last space
// or tab of its trailing ones is not the first of them.
func keepsTrailingSpace(line []byte, newline bool) bool {
	i := len(line)
	for i > 0 && (line[i-1] == ' ' || line[i-1] == '\t' || line[i-1] == '\r') {
		i--
	}
	tail := line[i:]
	if len(tail) < 2 {
		return false // the usual case
	}
	// A hard line break, two spaces before the line's end, is left out of the text before it is cut.
	if newline {
		if bytes.HasSuffix(tail, []byte("  ")) {
			tail = tail[:len(tail)-2]
		} else if bytes.HasSuffix(tail, []byte("  \r")) {
			tail = tail[:len(tail)-3]
		}
	}
	return len(tail) > 1 && bytes.ContainsAny(tail[1:], " \t")
}
