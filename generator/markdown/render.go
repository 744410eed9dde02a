package markdown

import (
	"bytes"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// nodeRenderer renders what vitrine renders its own way: fenced code through
// chroma, and the summary marks.
type nodeRenderer struct {
	// formatter is shared by all pages: it keeps no per-call state beyond a
	// mutex-guarded cache of the style's CSS, computed once.
	formatter *chromahtml.Formatter
	// style only feeds the formatter's cache: with CSS classes the output
	// does not depend on it.
	style *chroma.Style
	// cache keeps the highlighted HTML of code blocks: lexing is by far
	// the slowest part of a conversion, and snippets recur across pages
	// and across the rebuilds of vitrine serve.
	cache highlightCache
	// unsafe lets image sources with a dangerous scheme through, as [Options.Unsafe] says.
	unsafe bool
	// table is goldmark's renderer of tables, which renderTableCell leaves the cells it does not know to.
	table     *extension.TableHTMLRenderer
	tableCell renderer.NodeRendererFunc
}

func newNodeRenderer(style *chroma.Style) *nodeRenderer {
	return &nodeRenderer{
		formatter: chromahtml.New(
			chromahtml.WithClasses(true),
			// The <pre> is written by renderFencedCode, which knows the
			// language; chroma still writes its per-line spans.
			chromahtml.WithPreWrapper(noPre{}),
		),
		style: style,
		table: extension.NewTableHTMLRenderer().(*extension.TableHTMLRenderer),
	}
}

// SetOption implements renderer.SetOptioner: the renderer's options (XHTML…) reach goldmark's table
// renderer as they would if it rendered the cells itself.
func (r *nodeRenderer) SetOption(name renderer.OptionName, value any) {
	r.table.SetOption(name, value)
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(ast.KindFencedCodeBlock, r.renderFencedCode)
	reg.Register(kindMark, renderMark)
	reg.Register(ast.KindImage, r.renderImage)
	reg.Register(KindFigure, r.renderFigure)
	reg.Register(KindEmbed, r.renderEmbed)
	reg.Register(east.KindTableCell, r.renderTableCell)
	r.table.RegisterFuncs(funcOf{east.KindTableCell, &r.tableCell})
}

// funcOf is a NodeRendererFuncRegisterer that keeps the function a node renderer registers for one kind.
type funcOf struct {
	kind ast.NodeKind
	f    *renderer.NodeRendererFunc
}

func (g funcOf) Register(kind ast.NodeKind, f renderer.NodeRendererFunc) {
	if kind == g.kind {
		*g.f = f
	}
}

// renderTableCell writes a table cell as goldmark does, without its two calls to fmt and the style
// attribute it sets on each aligned cell to write it, one allocation each: tables are many cells. A cell
// with attributes of its own (vitrine sets none), or XHTML output, which aligns cells otherwise, is left
// to goldmark.
func (r *nodeRenderer) renderTableCell(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*east.TableCell)
	if n.Attributes() != nil || r.table.XHTML || r.table.TableCellAlignMethod != extension.TableCellAlignDefault {
		return r.tableCell(w, src, node, entering)
	}
	tag := "td"
	if n.Parent().Kind() == east.KindTableHeader {
		tag = "th"
	}
	if !entering {
		_, _ = w.WriteString("</")
		_, _ = w.WriteString(tag)
		_, _ = w.WriteString(">\n")
		return ast.WalkContinue, nil
	}
	_ = w.WriteByte('<')
	_, _ = w.WriteString(tag)
	if n.Alignment != east.AlignNone {
		_, _ = w.WriteString(` style="text-align:`)
		_, _ = w.WriteString(n.Alignment.String())
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// renderFencedCode writes a highlighted block for a language chroma knows:
//
//	<pre class="chroma" tabindex="0"><code class="language-go">…</code></pre>
//
// tabindex lets keyboard users scroll a wide block. Any other block is
// escaped into <pre><code>, as goldmark would.
func (r *nodeRenderer) renderFencedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	lang := n.Language(src)
	lines := n.Lines()
	if len(lang) > 0 {
		if lexer := lexers.Get(string(lang)); lexer != nil {
			var key strings.Builder
			size := len(lang) + 1
			for i := range lines.Len() {
				seg := lines.At(i)
				size += seg.Len()
			}
			key.Grow(size)
			key.Write(lang)
			key.WriteByte(0)
			for i := range lines.Len() {
				seg := lines.At(i)
				key.Write(seg.Value(src))
			}
			k := key.String()
			if out, ok := r.cache.get(k); ok {
				_, _ = w.Write(out)
				return ast.WalkSkipChildren, nil
			}
			it, err := chroma.Coalesce(lexer).Tokenise(nil, k[len(lang)+1:])
			if err == nil {
				var out bytes.Buffer
				out.WriteString(`<pre class="chroma" tabindex="0"><code class="language-`)
				out.Write(util.EscapeHTML(lang))
				out.WriteString(`">`)
				if err := r.formatter.Format(&out, r.style, it); err != nil {
					return ast.WalkStop, err
				}
				out.WriteString("</code></pre>\n")
				r.cache.put(k, out.Bytes())
				_, _ = w.Write(out.Bytes())
				return ast.WalkSkipChildren, nil
			}
		}
	}
	_, _ = w.WriteString("<pre><code")
	if len(lang) > 0 {
		_, _ = w.WriteString(` class="language-`)
		_, _ = w.Write(util.EscapeHTML(lang))
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	for i := range lines.Len() {
		seg := lines.At(i)
		html.DefaultWriter.RawWrite(w, seg.Value(src))
	}
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// highlightCacheBytes bounds the code kept by a highlightCache.
const highlightCacheBytes = 32 << 20

// highlightCache maps a code block's language and code, joined by a NUL, to
// its highlighted HTML. When full it starts over: what it returns never
// depends on what it holds, only how fast.
type highlightCache struct {
	mu   sync.Mutex
	m    map[string][]byte
	size int
}

func (c *highlightCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out, ok := c.m[key]
	return out, ok
}

func (c *highlightCache) put(key string, out []byte) {
	n := len(key) + len(out)
	if n > highlightCacheBytes/64 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || c.size+n > highlightCacheBytes {
		c.m, c.size = make(map[string][]byte), 0
	}
	if _, ok := c.m[key]; !ok {
		c.m[key] = out
		c.size += n
	}
}

// noPre is a chroma PreWrapper that writes nothing.
type noPre struct{}

func (noPre) Start(bool, string) string { return "" }
func (noPre) End(bool) string           { return "" }

// kindMark is the kind of mark nodes.
var kindMark = ast.NewNodeKind("VitrineMark")

// mark is an empty block that Convert inserts where the summary starts or
// ends; rendering it records the length of the output there.
type mark struct {
	ast.BaseBlock
	pos int
}

// Kind implements ast.Node.
func (m *mark) Kind() ast.NodeKind { return kindMark }

// Dump implements ast.Node.
func (m *mark) Dump(src []byte, level int) { ast.DumpHelper(m, src, level, nil, nil) }

func renderMark(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if s, ok := w.(*sink); ok && entering {
		node.(*mark).pos = s.Len()
	}
	return ast.WalkContinue, nil
}

// renderHeading writes a heading as goldmark does, with the id Convert made
// for it (see assignHeadingIDs) after its other attributes: where goldmark
// would write it had the id been set as an attribute, which costs a slice of
// ten attributes per heading.
func renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if !entering {
		_, _ = w.WriteString("</h")
		_ = w.WriteByte("0123456"[n.Level])
		_, _ = w.WriteString(">\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<h")
	_ = w.WriteByte("0123456"[n.Level])
	if n.Attributes() != nil {
		html.RenderAttributes(w, n, html.HeadingAttributeFilter)
	}
	if s, ok := w.(*sink); ok {
		if id, ok := s.headingIDs[n]; ok {
			_, _ = w.WriteString(` id="`)
			_, _ = w.Write(util.EscapeHTML(util.StringToReadOnlyBytes(id)))
			_ = w.WriteByte('"')
		}
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

// sink is the output of one rendering: a bytes.Buffer that goldmark writes to
// directly, without a bufio.Writer in between, so that its length is the
// position in the output at any time.
type sink struct {
	bytes.Buffer
	media mediaState
	// headingIDs are the ids Convert made for the headings without one.
	headingIDs map[*ast.Heading]string
	// The summary is out.Bytes()[summaryFrom:summaryTo], when summaryTo > summaryFrom.
	summaryFrom, summaryTo int
}

// Buffered implements util.BufWriter: nothing waits to be flushed.
func (s *sink) Buffered() int { return 0 }

// Flush implements util.BufWriter.
func (s *sink) Flush() error { return nil }

var _ util.BufWriter = (*sink)(nil)
