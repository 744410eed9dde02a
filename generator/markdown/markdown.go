// Package markdown turns a page's Markdown body into HTML, with what the rest of
// the build needs to know about it: the table of contents, the summary, the word
// count and the links to other Markdown files that could not be resolved.
//
// The dialect is CommonMark with the GitHub extensions (tables, strikethrough,
// task lists, autolinks), footnotes, definition lists and the `{#id .class}`
// attribute syntax on headings. Typographic replacements are off: French
// typography is applied by a later step that knows the page's language.
//
// Fenced code blocks whose language chroma knows are highlighted with CSS
// classes (never inline styles); [HighlightCSS] writes the matching stylesheet.
// Other code blocks are escaped into a plain <pre><code>.
//
// Every heading gets an id: the one written with `{#id}`, else a slug of its
// text that keeps letters and digits of any script, accents included
// ("Été à Lyon" → "été-à-lyon"), made unique within the page ("intro",
// "intro-1", …).
//
// A link whose destination is a relative path to a Markdown file
// ("../posts/a.md#intro") is rewritten to the URL of the page built from that
// file, through the [LinkResolver] given to [Converter.Convert]; a link that
// resolves to no page is left as written and reported with its line.
//
// Images and embeds go through the page's [Media] given to [Converter.ConvertWith]: an image alone in
// its paragraph with a title becomes a figure ([FigureNode]), a YouTube, Vimeo, TikTok or Instagram link
// or a video file alone in its paragraph an [EmbedNode] ([ParseEmbed] says which). Other extensions (Hugo
// shortcodes) may put these nodes in a document to have them rendered the same way.
//
// A line holding only <!--more--> divides the summary from the rest of the
// body. It is never written to the HTML, whatever [Options.Unsafe] says.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"github.com/zeebo/xxh3"
)

// Options configures a [Converter].
type Options struct {
	// Unsafe lets raw HTML in the Markdown pass through to the output. When it
	// is false (the default), raw HTML is replaced by an HTML comment saying it
	// was omitted.
	Unsafe bool
	// Typography is the language whose typographic rules apply to the text
	// (never to code, URLs or raw HTML): "fr" for French spacing and « »
	// quotes, "en" for curly quotes; "" leaves the text as written.
	Typography string
	// Cache, when set, keeps conversions between builds (see [Cache]).
	Cache Cache
}

// LinkResolver maps a link destination that points at a Markdown file
// (relative path ending in .md, possibly with #fragment, e.g.
// "../posts/a.md#intro") to the URL of the page built from it, fragment
// included. Backslash escapes and character references in the destination are
// already resolved. ok == false means no such page: Convert records a
// [LinkError] and leaves the link as is.
//
// A resolver is called from the goroutine that called Convert only.
type LinkResolver func(dest string) (url string, ok bool)

// Heading is one heading of a page.
type Heading struct {
	Level int    // 1 to 6
	ID    string // the id attribute of the heading element
	Text  string // the heading's plain text, without markup
}

// LinkError is a link to a Markdown file that the [LinkResolver] did not know.
type LinkError struct {
	Line int    // 1-based line of the link within the converted source
	Dest string // the destination as given to the resolver
}

// Result is what [Converter.Convert] makes of one Markdown body.
type Result struct {
	// HTML is the whole body as HTML. The <!--more--> marker produces nothing.
	HTML []byte

	// Summary is the HTML of the top-level blocks before <!--more--> when the
	// source has the marker, else the HTML of the first top-level paragraph.
	// It is nil when that is empty (no paragraph, or the marker comes first).
	// Ids and footnote references are left out, since a list page shows many
	// summaries. It may share memory with HTML: treat both as read-only.
	Summary []byte

	// HasMore reports a <!--more--> marker: a top-level HTML block holding only
	// that comment (spaces inside the comment allowed).
	HasMore bool

	// TOC lists the headings of level 2 to 4, in source order.
	TOC []Heading

	// Anchors lists the id of every heading, all levels, in source order: the
	// fragments that links into this page may use.
	Anchors []string

	// WordCount counts the words of the text: runs of non-space characters
	// holding at least one letter or digit, so that "l’été" is one word and
	// the lone punctuation of French typography ("Bonjour !") adds none.
	// Inline code counts; code blocks, raw HTML and image descriptions don't.
	WordCount int

	// LinkErrors lists the links to Markdown files that resolve to no page.
	LinkErrors []LinkError

	// RawHTML lists the lines of the raw HTML left out of the page, when [Options.Unsafe] is off (HTML
	// comments, which no reader sees, are not listed).
	RawHTML []int

	// UnsafeURLs lists the links, images and autolinks whose URL the [safeurl] policy refuses
	// (javascript:, vbscript:, data: but raster images, unknown schemes), whatever [Options.Unsafe]
	// says: a link keeps its text and points at "#", an image or an autolink becomes its text.
	UnsafeURLs []LinkError
}

// Converter converts Markdown to HTML. It is safe for concurrent use by many
// goroutines: all per-page state lives in the call to Convert.
type Converter struct {
	md goldmark.Markdown
	// plain is md's parser without Linkify, for the pages it would find nothing in (see linkifies).
	plain  parser.Parser
	unsafe bool
	cache  Cache
	// seed tells the conversions of Converters with other options apart in a shared Cache.
	seed uint64
}

// New returns a Converter configured once for all the pages it will convert.
func New(opts Options) *Converter {
	nr := newNodeRenderer(styles.Fallback)
	nr.unsafe = opts.Unsafe
	rendererOpts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(nr, 100)),
	}
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	parserOpts := []parser.Option{parser.WithAttribute(), parser.WithASTTransformers(util.Prioritized(blockAttributes{}, 500))}
	if opts.Typography != "" {
		parserOpts = append(parserOpts, parser.WithASTTransformers(util.Prioritized(typographyTransformer{lang: opts.Typography}, 1000)))
	}
	// GFM is Linkify, Table, Strikethrough and TaskList, in that order: spelled out, so that plain is
	// md without Linkify and nothing else.
	exts := []goldmark.Extender{extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote, extension.DefinitionList}
	md := goldmark.New(
		goldmark.WithExtensions(append([]goldmark.Extender{extension.Linkify}, exts...)...),
		// Heading ids are not generated by goldmark, which slugs the raw
		// Markdown of the line (link destinations included): Convert makes
		// them from the heading's text once the page is parsed.
		goldmark.WithParserOptions(parserOpts...),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	plain := goldmark.New(goldmark.WithExtensions(exts...), goldmark.WithParserOptions(parserOpts...)).Parser()
	return &Converter{md: md, plain: plain, unsafe: opts.Unsafe, cache: opts.Cache,
		seed: xxh3.HashString(strconv.FormatBool(opts.Unsafe) + "\x00" + opts.Typography)}
}

// maxPooledBuffer is the largest output buffer kept for reuse; a rare huge
// page should not pin its buffer for the rest of the build.
const maxPooledBuffer = 1 << 20

var sinkPool = sync.Pool{New: func() any { return new(sink) }}

// convert converts one Markdown body; see Convert and ConvertWith. The HTML is left in out, a pooled
// buffer (out.result makes the Result of it), which the caller gives back with out.release. asked
// reports whether media was asked for an image or an embed: the result then depends on its answers.
func (c *Converter) convert(src []byte, resolve LinkResolver, media Media) (res Result, out *sink, asked bool, err error) {
	p := c.plain
	if linkifies(src) {
		p = c.md.Parser()
	}
	return c.convertWith(p, src, resolve, media)
}

// convertWith is convert with the parser p, md's or plain.
func (c *Converter) convertWith(p parser.Parser, src []byte, resolve LinkResolver, media Media) (res Result, out *sink, asked bool, err error) {
	if err := checkNesting(src); err != nil {
		return Result{}, nil, false, err
	}
	if err := checkLinks(src); err != nil {
		return Result{}, nil, false, err
	}
	doc := p.Parse(text.NewReader(src))
	mediaBlocks(doc, src)

	w := walker{src: src, resolve: resolve, unsafe: c.unsafe}
	if err := ast.Walk(doc, w.visit); err != nil {
		return Result{}, nil, false, fmt.Errorf("markdown: %w", err)
	}
	w.words.end()

	for _, d := range w.dropped {
		repl := ast.Node(ast.NewString([]byte(d.text)))
		if d.node.Type() == ast.TypeBlock {
			p := ast.NewParagraph()
			p.AppendChild(p, repl)
			repl = p
		}
		d.node.Parent().ReplaceChild(d.node.Parent(), d.node, repl)
	}

	res = Result{
		WordCount:  w.words.n,
		LinkErrors: w.linkErrors,
		RawHTML:    w.rawHTML,
		UnsafeURLs: w.unsafeURLs,
		HasMore:    w.more != nil,
	}
	out = sinkPool.Get().(*sink)
	if out.headingIDs == nil {
		out.headingIDs = map[*ast.Heading]string{}
	}
	res.TOC, res.Anchors = assignHeadingIDs(w.headings, src, out.headingIDs)

	// Marks record where the summary starts and ends in the output as it is
	// rendered, so that the summary is a slice of the HTML, rendered once.
	var start, end *mark
	if w.more != nil {
		end = &mark{}
		doc.ReplaceChild(doc, w.more, end)
	} else if p := firstParagraph(doc); p != nil {
		start, end = &mark{}, &mark{}
		doc.InsertBefore(doc, p, start)
		doc.InsertAfter(doc, p, end)
	}
	for _, n := range w.hidden {
		if n != w.more {
			n.Parent().RemoveChild(n.Parent(), n)
		}
	}

	out.Grow(len(src) + len(src)/2)
	out.media = mediaState{media: media}
	err = c.md.Renderer().Render(out, src, doc)
	asked = out.media.asked
	out.media = mediaState{}
	clear(out.headingIDs)
	if err != nil {
		out.release()
		return Result{}, nil, false, fmt.Errorf("markdown: render: %w", err)
	}

	out.summaryFrom, out.summaryTo = 0, 0
	if end != nil {
		from := 0
		if start != nil {
			from = start.pos
		}
		if end.pos > from {
			out.summaryFrom, out.summaryTo = from, end.pos
		}
	}
	return res, out, asked, nil
}

// result completes res with html, the HTML rendered in s or a copy of it, and the summary in it.
func (s *sink) result(res Result, html []byte) Result {
	res.HTML = html
	if s.summaryTo > s.summaryFrom {
		res.Summary = listSafe(html[s.summaryFrom:s.summaryTo:s.summaryTo])
	}
	return res
}

// release gives s back to the pool, with the HTML in it.
func (s *sink) release() {
	if s.Cap() <= maxPooledBuffer {
		s.Reset()
		sinkPool.Put(s)
	}
}

// Footnote references and ids belong to the page: on a list page showing several summaries they would
// point at notes that are not there and repeat ids. The summary is goldmark's own output, so its
// attributes have a known form.
var (
	footnoteRef = regexp.MustCompile(`<sup id="fnref[^"]*"><a href="#fn[^"]*" class="footnote-ref" role="doc-noteref">[^<]*</a></sup>`)
	idAttr      = regexp.MustCompile(` id="[^"]*"`)
)

// listSafe returns a copy of a summary without footnote references and ids, or summary itself when it
// has none.
func listSafe(summary []byte) []byte {
	if !bytes.Contains(summary, []byte(` id="`)) {
		return summary
	}
	return idAttr.ReplaceAll(footnoteRef.ReplaceAll(summary, nil), nil)
}

// firstParagraph returns the first top-level paragraph of doc, or nil.
func firstParagraph(doc ast.Node) ast.Node {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == ast.KindParagraph {
			return n
		}
	}
	return nil
}
