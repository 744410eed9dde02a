package markdown

import (
	"bytes"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/vitrine-ssg/vitrine/generator/safeurl"
)

// walker gathers, in one pass over the parsed page, what Convert reports
// besides the HTML, and rewrites links to Markdown files on the way.
type walker struct {
	src        []byte
	resolve    LinkResolver
	headings   []*ast.Heading
	linkErrors []LinkError
	words      wordCounter
	more       ast.Node   // the first top-level <!--more--> block
	hidden     []ast.Node // every <!--more--> block, removed before rendering
	unsafe     bool       // raw HTML is kept
	rawHTML    []int      // lines of the raw HTML left out
	unsafeURLs []LinkError
	// dropped are the images and autolinks whose URL the policy refuses, each with the text that takes
	// its place once the walk is over.
	dropped []droppedNode
}

type droppedNode struct {
	node ast.Node
	text string
}

func (w *walker) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	if n.Type() != ast.TypeInline {
		// Words never run across blocks, table cells included.
		w.words.end()
	}
	if !entering {
		return ast.WalkContinue, nil
	}
	switch n := n.(type) {
	case *ast.Text:
		w.words.add(n.Segment.Value(w.src))
		if n.SoftLineBreak() || n.HardLineBreak() {
			w.words.end()
		}
	case *ast.String:
		w.words.add(n.Value)
	case *ast.AutoLink:
		w.words.add(n.Label(w.src))
		if u := string(n.URL(w.src)); n.AutoLinkType == ast.AutoLinkURL && !safeurl.Link(u) {
			w.refuse(n, u, string(n.Label(w.src)))
		}
	case *ast.Heading:
		w.headings = append(w.headings, n)
	case *ast.Link:
		w.link(n)
	case *ast.Image:
		if d := destination(n.Destination); !safeurl.Image(d) {
			w.refuse(n, d, plainText(n, w.src))
		}
		// Alt text is not read as part of the prose.
		return ast.WalkSkipChildren, nil
	case *FigureNode:
		if !safeurl.Image(n.Image.Dest) {
			w.unsafeURLs = append(w.unsafeURLs, LinkError{Line: n.Image.Line, Dest: n.Image.Dest})
			w.dropped = append(w.dropped, droppedNode{n, n.Image.Alt})
		}
		return ast.WalkSkipChildren, nil
	case *ast.HTMLBlock:
		if isMoreMarker(n, w.src) {
			if w.more == nil && n.Parent() != nil && n.Parent().Kind() == ast.KindDocument {
				w.more = n
			}
			w.hidden = append(w.hidden, n)
		} else if !w.unsafe && n.Lines().Len() > 0 && !isComment(w.src[n.Lines().At(0).Start:n.Lines().At(0).Stop]) {
			w.rawHTMLAt(n.Lines().At(0).Start)
		}
		return ast.WalkSkipChildren, nil
	case *ast.RawHTML:
		if !w.unsafe && n.Segments.Len() > 0 && !isComment(w.src[n.Segments.At(0).Start:n.Segments.At(0).Stop]) {
			w.rawHTMLAt(n.Segments.At(0).Start)
		}
		return ast.WalkSkipChildren, nil
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return ast.WalkSkipChildren, nil
	}
	return ast.WalkContinue, nil
}

// link hands a link to a Markdown file to the resolver and rewrites its
// destination, or records a LinkError.
func (w *walker) link(n *ast.Link) {
	dest := n.Destination
	if bytes.IndexByte(dest, '\\') >= 0 || bytes.IndexByte(dest, '&') >= 0 {
		dest = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest)))
	}
	d := string(dest)
	if !safeurl.Link(d) {
		// The link's text stays, pointing nowhere.
		w.unsafeURLs = append(w.unsafeURLs, LinkError{Line: lineOf(w.src, linkOffset(n, w.src)), Dest: d})
		n.Destination = []byte("#")
		return
	}
	if w.resolve == nil || !isMarkdownDest(d) {
		return
	}
	if u, ok := w.resolve(d); ok {
		n.Destination = []byte(u)
		return
	}
	w.linkErrors = append(w.linkErrors, LinkError{Line: lineOf(w.src, linkOffset(n, w.src)), Dest: d})
}

// refuse records an inline whose URL the policy refuses, to be replaced by text once the walk is over
// (replacing it now would end the walk of its siblings).
func (w *walker) refuse(n ast.Node, dest, text string) {
	w.unsafeURLs = append(w.unsafeURLs, LinkError{Line: lineOf(w.src, imageOffset(n, w.src)), Dest: dest})
	w.dropped = append(w.dropped, droppedNode{n, text})
}

// isMarkdownDest reports whether a link destination is a relative path (no
// scheme, not rooted, not a bare fragment) whose path ends in .md, in any
// case and possibly percent-encoded.
func isMarkdownDest(dest string) bool {
	if dest == "" || dest[0] == '/' || dest[0] == '#' || dest[0] == '?' || hasScheme(dest) {
		return false
	}
	path := dest
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	if strings.IndexByte(path, '%') >= 0 {
		if p, err := url.PathUnescape(path); err == nil {
			path = p
		}
	}
	return len(path) >= 3 && strings.EqualFold(path[len(path)-3:], ".md")
}

// hasScheme reports whether s starts with a URL scheme (RFC 3986: a letter,
// then letters, digits, "+", "-" or ".", then ":").
func hasScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// linkOffset returns a byte offset in src on the line where the link starts.
// Inline nodes carry no position of their own in goldmark, but the text
// inside the link does: its first segment starts just after the "[". A link
// with no text ("[](a.md)", or only an image without alt text) is looked for
// in its block's lines, from the end of the text before it.
func linkOffset(link *ast.Link, src []byte) int {
	if off, ok := firstOffset(link); ok {
		return off
	}
	block := ast.Node(link)
	for block != nil && (block.Type() == ast.TypeInline || block.Lines().Len() == 0) {
		block = block.Parent()
	}
	if block == nil {
		return 0
	}
	lines := block.Lines()
	from, to := lines.At(0).Start, lines.At(lines.Len()-1).Stop
	for n := ast.Node(link); n != block; n = n.Parent() {
		found := false
		for s := n.PreviousSibling(); s != nil; s = s.PreviousSibling() {
			if off, ok := lastOffset(s); ok {
				from, found = off, true
				break
			}
		}
		if found {
			break
		}
	}
	if from <= to && to <= len(src) {
		if i := bytes.Index(src[from:to], link.Destination); i >= 0 {
			return from + i
		}
	}
	return from
}

// firstOffset returns where the first positioned inline inside n starts.
func firstOffset(n ast.Node) (int, bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			return c.Segment.Start, true
		case *ast.RawHTML:
			if c.Segments.Len() > 0 {
				return c.Segments.At(0).Start, true
			}
		}
		if off, ok := firstOffset(c); ok {
			return off, true
		}
	}
	return 0, false
}

// lastOffset returns where the last positioned inline inside n, or n itself,
// ends.
func lastOffset(n ast.Node) (int, bool) {
	switch n := n.(type) {
	case *ast.Text:
		return n.Segment.Stop, true
	case *ast.RawHTML:
		if n.Segments.Len() > 0 {
			return n.Segments.At(n.Segments.Len() - 1).Stop, true
		}
	}
	for c := n.LastChild(); c != nil; c = c.PreviousSibling() {
		if off, ok := lastOffset(c); ok {
			return off, true
		}
	}
	return 0, false
}

// lineOf returns the 1-based line of byte offset off in src. It is only
// called for link errors, which are rare, so it counts instead of indexing.
func lineOf(src []byte, off int) int {
	off = min(max(off, 0), len(src))
	return 1 + bytes.Count(src[:off], []byte{'\n'})
}

// isMoreMarker reports whether an HTML block is the summary divider
// <!--more-->, with optional spaces inside the comment.
func isMoreMarker(n *ast.HTMLBlock, src []byte) bool {
	if n.HTMLBlockType != ast.HTMLBlockType2 || n.Lines().Len() != 1 {
		return false
	}
	if n.HasClosure() {
		return false
	}
	seg := n.Lines().At(0)
	v := bytes.TrimSpace(seg.Value(src))
	if len(v) < len("<!---->") || !bytes.HasPrefix(v, []byte("<!--")) || !bytes.HasSuffix(v, []byte("-->")) {
		return false
	}
	return string(bytes.TrimSpace(v[4:len(v)-3])) == "more"
}

// wordCounter counts words across the text nodes of a page. A word is a run
// of non-space characters holding at least one letter or digit; it may span
// several inline nodes ("foo**bar**" is one word).
type wordCounter struct {
	n     int
	alnum int // 1 when the current run holds a letter or digit, else 0
}

// add reads every character of a page's text. Letters and spaces alternate too irregularly for a
// branch on each character's class to be predicted, so the count is updated by arithmetic; and the
// accented letters and the punctuation of French text are sorted without decoding them.
func (c *wordCounter) add(b []byte) {
	n, alnum := c.n, c.alnum
	for i := 0; i < len(b); i++ {
		class := charClass[b[i]]
		if class == wordMultibyte {
			var size int
			class, size = multibyteClass(b[i:])
			i += size - 1
		}
		// A space ends the run, a word if it held a letter or digit; a letter or digit marks the run.
		space := int(class & wordSpace)
		n += alnum & space
		alnum = (alnum | int(class>>1)) &^ space
	}
	c.n, c.alnum = n, alnum
}

// Classes of characters for the wordCounter. wordOther is neither a space nor a letter or digit.
const (
	wordOther     = 0
	wordSpace     = 1
	wordAlnum     = 2
	wordMultibyte = 4 // the first byte of a character outside ASCII: multibyteClass says
)

// charClass sorts the bytes that start a character: the ASCII characters, and the others' first bytes.
var charClass = func() (t [256]uint8) {
	for _, c := range " \t\n\r\f\v" {
		t[c] = wordSpace
	}
	for c := range utf8.RuneSelf {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			t[c] = wordAlnum
		}
	}
	for c := utf8.RuneSelf; c < len(t); c++ {
		t[c] = wordMultibyte
	}
	return t
}()

// multibyteClass returns the class of the character b starts with, and its length. The letters of
// U+00C0 to U+00FF (à, é, ç…) and U+2000 to U+203F (spaces, ’, “, …) are told apart without decoding;
// TestMultibyteClass checks that they agree with package unicode.
func multibyteClass(b []byte) (uint8, int) {
	switch b[0] {
	case 0xc3: // U+00C0 to U+00FF: letters, but for × and ÷
		if len(b) > 1 && b[1]&0xc0 == 0x80 {
			if b[1] == 0x97 || b[1] == 0xb7 {
				return wordOther, 2
			}
			return wordAlnum, 2
		}
	case 0xe2: // U+2000 to U+203F: spaces (U+2000 to U+200A, U+2028, U+2029, U+202F) and punctuation
		if len(b) > 2 && b[1] == 0x80 && b[2]&0xc0 == 0x80 {
			if c := b[2]; c <= 0x8a || c == 0xa8 || c == 0xa9 || c == 0xaf {
				return wordSpace, 3
			}
			return wordOther, 3
		}
	}
	r, size := utf8.DecodeRune(b)
	switch {
	case unicode.IsSpace(r):
		return wordSpace, size
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return wordAlnum, size
	}
	return wordOther, size
}

// end closes the current run of characters.
func (c *wordCounter) end() {
	c.n += c.alnum
	c.alnum = 0
}

// isComment reports an HTML comment, which a reader does not see whether it is kept or not.
func isComment(b []byte) bool { return bytes.HasPrefix(bytes.TrimSpace(b), []byte("<!--")) }

// rawHTMLAt records the line of raw HTML left out, once per line.
func (w *walker) rawHTMLAt(off int) {
	if line := lineOf(w.src, off); len(w.rawHTML) == 0 || w.rawHTML[len(w.rawHTML)-1] != line {
		w.rawHTML = append(w.rawHTML, line)
	}
}
