package feeds

import (
	"bytes"
	"net/url"
	"strings"
	"unsafe"

	"golang.org/x/net/html"

	"github.com/vitrine-ssg/vitrine/generator/safeurl"
)

// urlAttrs are the attributes holding one URL that absolutize resolves; srcset is handled apart.
var urlAttrs = map[string]bool{"href": true, "src": true, "poster": true}

// absolutize resolves every relative URL of content's href, src, poster and srcset attributes against
// base, the page's absolute URL, so the content means in a feed reader what it means on the page:
// "/posts/b/" and "photo.jpg" become absolute, "#note" becomes base + "#note", and URLs with a scheme
// (https:, mailto:, tel:, data:) stay as they are. Tags without such a URL are copied byte for byte.
//
// The content is read as x/net/html's tokenizer reads it. But running the tokenizer over the whole
// content cost more than every other part of an item together (it reads a byte at a time, and
// allocates for every attribute of every tag): the bytes between the start tags that may hold such a
// URL, text and the many tags without one (chroma's <span class="…">), are only scanned here for where
// each token ends, by the tokenizer's own rules (see tagEnd and commentEnd); those start tags are read
// here when the tokenizer would give their attributes as written (see simpleTag), by the tokenizer
// otherwise; the raw text of <script>, <style>, <title>, … is left to the tokenizer. FuzzAbsolutize
// holds this to what the tokenizer alone makes.
func absolutize(content, base string) (string, error) {
	if !strings.Contains(content, "=") {
		return content, nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	a := absolutizer{s: content, base: b}
	a.scan()
	if a.out == nil {
		return content, nil
	}
	a.out = append(a.out, content[a.done:]...)
	// out is never written again: it becomes the string without a second copy.
	return unsafe.String(unsafe.SliceData(a.out), len(a.out)), nil
}

// absolutizer rewrites the tags of s whose URLs change. Its output is out followed by s[done:]; out
// stays nil until a tag changes.
type absolutizer struct {
	s    string
	base *url.URL
	out  []byte
	done int

	// z reads the start tags that may hold a URL and are not simple, and only those: it reads from
	// tags, which holds the bytes of the next such tag when Next is called.
	z     *html.Tokenizer
	tags  strings.Reader
	attrs []attr // the attributes of the current tag, reused from tag to tag
}

// scan goes through s token by token, in the tokenizer's data state, as its Next does.
func (a *absolutizer) scan() {
	s := a.s
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 || i+j+1 >= len(s) {
			return // text to the end
		}
		lt := i + j
		switch c := s[lt+1]; {
		case isLetter(c):
			nameEnd, end := tagEnd(s, lt+1)
			switch {
			case end < 0:
				return // a tag cut short, which the tokenizer returns as is
			case rawText(s[lt+1 : nameEnd]):
				i = a.tokenize(lt, 2)
			case mayHoldURL(s[lt:end]):
				i = a.tag(lt, end)
			default:
				i = end
			}
		case c == '/':
			switch {
			case lt+2 >= len(s):
				return
			case s[lt+2] == '>':
				i = lt + 3 // "</>", dropped by browsers, kept as is
			case isLetter(s[lt+2]):
				_, i = tagEnd(s, lt+2)
			default:
				i = closeAngle(s, lt+2) // a bogus comment
			}
		case c == '!' && strings.HasPrefix(s[lt:], "<!--"):
			i = commentEnd(s, lt+4)
		case c == '!' || c == '?':
			i = closeAngle(s, lt+2) // a doctype or a bogus comment
		default:
			i = lt + 1 // '<' is text
		}
		if i < 0 {
			return // the last token runs to the end
		}
	}
}

// tag rewrites the start tag s[start:end] if one of its URLs changes, and returns end.
func (a *absolutizer) tag(start, end int) int {
	if a.simpleTag(start, end) {
		return end
	}
	if a.z == nil {
		a.z = html.NewTokenizer(&a.tags)
	}
	a.tags.Reset(a.s[start:end])
	tt := a.z.Next()
	if tt != html.StartTagToken && tt != html.SelfClosingTagToken || len(a.z.Raw()) != end-start {
		// The tokenizer saw another token than scan did, which it should not: it is given the rest.
		a.z = nil
		return a.tokenize(start, -1)
	}
	a.rewrite(a.z, tt, start, end)
	return end
}

// tokenize runs the tokenizer over s from start, a boundary between two tokens in the data state, for
// n tokens (to the end when n < 0), rewriting each start tag as tag does, and returns where it stopped.
// The two tokens of an element with raw text are its start tag and its text (or, when its text is
// empty, its end tag); scan goes on after them.
func (a *absolutizer) tokenize(start, n int) int {
	z := html.NewTokenizer(strings.NewReader(a.s[start:]))
	i := start
	for ; n != 0; n-- {
		tt := z.Next()
		if tt == html.ErrorToken {
			// The tokenizer's only error on a string reader is io.EOF; Raw holds what an unterminated
			// tag left.
			return len(a.s)
		}
		end := i + len(z.Raw())
		if (tt == html.StartTagToken || tt == html.SelfClosingTagToken) && mayHoldURL(z.Raw()) {
			a.rewrite(z, tt, i, end)
		}
		i = end
	}
	return i
}

// rewrite rewrites the start tag s[start:end], which z has just read, if one of its URLs changes.
func (a *absolutizer) rewrite(z *html.Tokenizer, tt html.TokenType, start, end int) {
	// TagName and TagAttr rather than Token, which would also make strings of the attributes left as
	// they are.
	name, more := z.TagName()
	attrs := a.attrs[:0]
	for more {
		var at attr
		at.key, at.val, more = z.TagAttr()
		attrs = append(attrs, at)
	}
	a.attrs = attrs
	a.resolve(start, end, name, attrs, tt == html.SelfClosingTagToken)
}

// simpleTag rewrites the start tag s[start:end] as rewrite does, without the tokenizer, when the
// tokenizer would give its name and attributes as they are written: a name without capitals or NUL;
// attributes with such names, each once, values quoted, or unquoted and followed by white space, with
// no '&', '\r' or NUL, which the tokenizer decodes; white space between them, and a '/' only right
// before '>'. It reports whether it did; it does nothing with other tags, which are left to the
// tokenizer. goldmark's tags are all simple.
func (a *absolutizer) simpleTag(start, end int) bool {
	// The tag is copied, so that names and values are bytes as the tokenizer gives them.
	tag := []byte(a.s[start+1 : end-1])
	plain := func(b []byte) bool {
		for _, c := range b {
			if 'A' <= c && c <= 'Z' || c == 0 {
				return false
			}
		}
		return true
	}
	k := 0
	for k < len(tag) && !isSpace(tag[k]) && tag[k] != '/' {
		k++
	}
	name := tag[:k]
	if !plain(name) {
		return false
	}
	attrs := a.attrs[:0]
	selfClosing := false
	for {
		for k < len(tag) && isSpace(tag[k]) {
			k++
		}
		if k == len(tag) {
			break
		}
		if tag[k] == '/' {
			if k != len(tag)-1 {
				return false
			}
			selfClosing = true
			break
		}
		var at attr
		from := k
		for k < len(tag) && !isSpace(tag[k]) && tag[k] != '/' && tag[k] != '=' {
			k++
		}
		if at.key = tag[from:k]; len(at.key) == 0 || !plain(at.key) {
			return false
		}
		for _, other := range attrs {
			if bytes.Equal(other.key, at.key) {
				return false
			}
		}
		j := k
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		if j < len(tag) && tag[j] == '=' {
			for j++; j < len(tag) && isSpace(tag[j]); j++ {
			}
			if j == len(tag) {
				return false
			}
			if q := tag[j]; q == '"' || q == '\'' {
				e := bytes.IndexByte(tag[j+1:], q)
				if e < 0 {
					return false
				}
				at.val, k = tag[j+1:j+1+e], j+e+2
			} else {
				for k = j; k < len(tag) && !isSpace(tag[k]); k++ {
				}
				if k == len(tag) {
					return false // a '/' ending it would be taken for the tag's
				}
				at.val = tag[j:k]
			}
			if bytes.IndexAny(at.val, "&\r\x00") >= 0 {
				return false
			}
		}
		attrs = append(attrs, at)
	}
	a.attrs = attrs
	a.resolve(start, end, name, attrs, selfClosing)
	return true
}

// resolve resolves the URLs of a start tag's attributes, and writes the tag s[start:end] again if one
// of them changed.
func (a *absolutizer) resolve(start, end int, name []byte, attrs []attr, selfClosing bool) {
	changed := false
	for i := range attrs {
		at := &attrs[i]
		switch {
		case urlAttrs[string(at.key)]:
			at.resolved = resolve(a.base, string(at.val))
		case string(at.key) == "srcset":
			at.resolved = resolveSrcset(a.base, string(at.val))
		default:
			continue
		}
		at.changed = at.resolved != string(at.val)
		changed = changed || at.changed
	}
	if !changed {
		return
	}
	if a.out == nil {
		a.out = make([]byte, 0, len(a.s)+len(a.s)/8)
	}
	a.out = append(a.out, a.s[a.done:start]...)
	a.out = appendTag(a.out, name, attrs, selfClosing)
	a.done = end
}

// The tokenizer's rules for where a token ends, from the data state. Each returns the index just past
// the token's last byte, or -1 when the token runs to the end of s.

// tagEnd reads a start or end tag whose name starts at s[i], a letter: its name, then attributes,
// each a name, and when followed by "=" a value, quoted or not; the tag ends at the first '>' outside
// a quoted value. It also returns where the name ends.
func tagEnd(s string, i int) (nameEnd, end int) {
	k := i + 1
	for k < len(s) && !isSpace(s[k]) && s[k] != '/' && s[k] != '>' {
		k++
	}
	nameEnd = k
	for {
		if k = skipSpace(s, k); k >= len(s) {
			return nameEnd, -1
		}
		if s[k] == '>' {
			return nameEnd, k + 1
		}
		// An attribute's name: up to white space, '/', '>' or '=', though it may start with '='.
		if s[k] == '=' {
			k++
		}
		for k < len(s) && !isSpace(s[k]) && s[k] != '/' && s[k] != '>' && s[k] != '=' {
			k++
		}
		// Its value.
		if k = skipSpace(s, k); k >= len(s) {
			return nameEnd, -1
		}
		switch s[k] {
		case '/':
			k++
		case '=':
			if k = skipSpace(s, k+1); k >= len(s) {
				return nameEnd, -1
			}
			switch q := s[k]; q {
			case '>':
				// An empty value; the '>' ends the tag.
			case '"', '\'':
				e := strings.IndexByte(s[k+1:], q)
				if e < 0 {
					return nameEnd, -1
				}
				k += e + 2
			default:
				// Unquoted, up to white space, which it takes, or '>', which ends the tag.
				for k++; k < len(s) && !isSpace(s[k]) && s[k] != '>'; k++ {
				}
				if k < len(s) && s[k] != '>' {
					k++
				}
			}
		}
	}
}

// commentEnd reads a comment whose text starts at s[i], after "<!--": it ends at "-->", at "--!>", or
// at a '>' right after "<!--" and any dashes.
func commentEnd(s string, i int) int {
	dashes, beginning := 0, true
	for ; i < len(s); i++ {
		switch s[i] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return i + 1
			}
		case '!':
			if dashes >= 2 {
				if i++; i >= len(s) {
					return -1
				}
				switch s[i] {
				case '>':
					return i + 1
				case '-':
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	return -1
}

// closeAngle reads up to the first '>' from s[i] on.
func closeAngle(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	if j := strings.IndexByte(s[i:], '>'); j >= 0 {
		return i + j + 1
	}
	return -1
}

// rawText reports whether a start tag of this name is followed by raw text, in which the tokenizer
// finds no tag but its end tag.
func rawText(name string) bool {
	switch len(name) {
	case 3, 5, 6, 7, 8, 9:
	default:
		return false
	}
	for _, t := range [...]string{"iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp"} {
		if strings.EqualFold(name, t) {
			return true
		}
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }

// skipSpace returns the index of the first byte from s[i] on that is not white space.
func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

// mayHoldURL reports whether a tag's raw bytes hold the name of an attribute absolutize resolves, in any
// case: most tags (<p>, <li>, chroma's <span class="…">) do not, and are copied without being parsed
// further.
func mayHoldURL[T string | []byte](raw T) bool {
	for i := range len(raw) {
		var name string
		switch raw[i] | 0x20 {
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
func hasPrefixFold[T string | []byte](b T, w string) bool {
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

// resolve resolves ref against base, leaving it as is when it has a scheme or does not parse. A URL
// whose scheme the policy refuses as a link and as an image (javascript:, data:text/html…, which raw
// HTML may hold when [markup] unsafe is on) becomes the page's own URL: the feed reader gets no more
// than the page would give.
func resolve(base *url.URL, ref string) string {
	if safeurl.Scheme(ref) != "" && !safeurl.Link(ref) && !safeurl.Image(ref) {
		return resolve(base, "#")
	}
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

// appendTag appends a start or self-closing tag with double-quoted, escaped attribute values, as
// goldmark writes them.
func appendTag(out []byte, name []byte, attrs []attr, selfClosing bool) []byte {
	out = append(out, '<')
	out = append(out, name...)
	for _, a := range attrs {
		out = append(out, ' ')
		out = append(out, a.key...)
		out = append(out, `="`...)
		if a.changed {
			out = appendEscaped(out, a.resolved)
		} else {
			out = appendEscaped(out, string(a.val))
		}
		out = append(out, '"')
	}
	if selfClosing {
		out = append(out, " /"...)
	}
	return append(out, '>')
}

// appendEscaped appends an attribute value with &, ", < and > escaped.
func appendEscaped(out []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			out = append(out, "&amp;"...)
		case '"':
			out = append(out, "&quot;"...)
		case '<':
			out = append(out, "&lt;"...)
		case '>':
			out = append(out, "&gt;"...)
		default:
			out = append(out, c)
		}
	}
	return out
}
