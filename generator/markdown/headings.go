package markdown

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// assignHeadingIDs gives every heading without an explicit {#id} an id made
// from its text, unique within the page, put in ids for the renderer (see
// renderHeading), and returns the table of contents (levels 2 to 4) and the
// ids of all headings.
//
// Explicit ids are reserved first, so that an automatic id never takes one
// that a later heading asks for.
func assignHeadingIDs(headings []*ast.Heading, src []byte, ids map[*ast.Heading]string) (toc []Heading, anchors []string) {
	if len(headings) == 0 {
		return nil, nil
	}
	used := make(map[string]struct{}, len(headings))
	for _, h := range headings {
		if v, ok := h.AttributeString("id"); ok {
			if id, ok := v.([]byte); ok {
				used[string(id)] = struct{}{}
			}
		}
	}
	anchors = make([]string, 0, len(headings))
	next := map[string]int{}
	var buf []byte
	for _, h := range headings {
		txt := plainText(h, src)
		var id string
		if v, ok := h.AttributeString("id"); ok {
			switch v := v.(type) {
			case []byte:
				id = string(v)
			case string:
				id = v
			}
		} else {
			buf = slugify(buf[:0], txt)
			id = unique(used, next, string(buf))
			ids[h] = id
		}
		anchors = append(anchors, id)
		if h.Level >= 2 && h.Level <= 4 {
			toc = append(toc, Heading{Level: h.Level, ID: id, Text: txt})
		}
	}
	return toc, anchors
}

// unique returns base, or base-1, base-2, … the first that is not used yet,
// and marks it used. next remembers, for each base, the suffix to try first:
// those below it were taken and stay so, and n headings of the same text cost
// n tries, not n²/2.
func unique(used map[string]struct{}, next map[string]int, base string) string {
	id := base
	if i := next[base]; i > 0 {
		id = base + "-" + strconv.Itoa(i)
	}
	for i := next[base] + 1; ; i++ {
		if _, taken := used[id]; !taken {
			next[base] = i - 1
			break
		}
		id = base + "-" + strconv.Itoa(i)
	}
	used[id] = struct{}{}
	return id
}

// slugify appends to b the id made from a heading's text: lower case; letters,
// digits and combining marks of any script kept; spaces, dashes and
// underscores turned into a single "-"; other characters dropped. An empty
// result becomes "section".
func slugify(b []byte, s string) []byte {
	sep := false
	start := len(b)
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if sep && len(b) > start {
				b = append(b, '-')
			}
			sep = false
			b = utf8.AppendRune(b, unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '_' || unicode.Is(unicode.Pd, r):
			sep = true
		}
	}
	if len(b) == start {
		b = append(b, "section"...)
	}
	return b
}

// plainText returns the text of an inline container as a reader sees it:
// character references resolved, markup and raw HTML left out, line breaks
// as spaces.
func plainText(n ast.Node, src []byte) string {
	var sb strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Text:
				v := c.Segment.Value(src)
				if !c.IsRaw() && (bytes.IndexByte(v, '\\') >= 0 || bytes.IndexByte(v, '&') >= 0) {
					v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
				}
				sb.Write(v)
				if c.SoftLineBreak() || c.HardLineBreak() {
					sb.WriteByte(' ')
				}
			case *ast.String:
				sb.Write(c.Value)
			case *ast.AutoLink:
				sb.Write(c.Label(src))
			case *ast.RawHTML, *ast.Image:
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return strings.TrimSpace(sb.String())
}
