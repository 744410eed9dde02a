// Package shortcode expands Hugo's shortcodes in a Markdown body before it is converted, so that a Hugo
// site's content builds as it is.
//
// # What is expanded
//
// The shortcodes Hugo ships with: figure, youtube, vimeo, x (and twitter, tweet), instagram, gist,
// details, highlight, param, ref, relref and comment. Videos and posts of social networks become links
// and cards that load nothing from another site before the reader clicks. A youtube or vimeo shortcode
// alone on its line becomes a link alone in its paragraph, to youtube-nocookie.com or to Vimeo's player
// with do-not-track: what vitrine's Markdown turns into a click-to-load player where it does, a link
// elsewhere. x, instagram and gist become link cards. ref and relref resolve to the URL of the page
// they name; one that names no page is an error with its line, as in Hugo.
//
// Any other shortcode, such as one defined by a site in layouts/shortcodes/, is unknown: its tags are
// left out, what it encloses is kept as Markdown, and a Warning names it with its line. The raw
// {{< … >}} text never reaches the page. An escaped tag, {{</* name */>}}, is written out as the
// tag itself, as Hugo does.
//
// # How
//
// Expand returns the body with each shortcode replaced by Markdown (a fenced code block for highlight,
// a URL for ref) or by a placeholder word that Markdown leaves alone; Apply puts the HTML in place of
// the placeholders once the body is converted. Expanded text may take more or fewer lines than the
// tags did: SourceLine maps a line of the expanded body back to the body as written, for errors.
package shortcode

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strconv"
	"strings"
)

// Context is what expanding the shortcodes of one page needs from the site.
type Context struct {
	// Ref resolves the target of a ref or relref ("blog/post.md", "post", "/about#team") to the URL of
	// a page, fragment included. ok is false when no page matches.
	Ref func(target string) (url string, ok bool)
	// Param looks a parameter up for the param shortcode: the page's front matter, then the site's
	// [params]; name may be a dotted path.
	Param func(name string) (any, bool)
	// Inline converts a short Markdown text (a caption, a summary) to inline HTML; nil escapes it.
	Inline func(markdown string) string
	// Lang is the page's language, for the words of video links and cards: "fr" or "en".
	Lang string
	// Site runs a shortcode the site defines (layouts/shortcodes/NAME.html) and returns its HTML; ok is
	// false when the site has none of that name. An error is reported as a warning, what the shortcode
	// encloses kept. nil: the site's shortcodes are unknown.
	Site func(c Call) (html string, ok bool, err error)
}

// Call is one use of a shortcode, for Context.Site.
type Call struct {
	Name       string
	Positional []string
	Named      map[string]string
	Inner      string // what it encloses, as written
	Ordinal    int    // 0-based rank among the uses of the same name in the page
	Line       int
	Markdown   bool // {{% %}}: its output is Markdown
}

// Problem is an error or a warning at a line of the body as written.
type Problem struct {
	Line int
	Msg  string
}

// Warning is an unknown shortcode: its name and line.
type Warning struct {
	Line int
	Name string
	Msg  string
}

// Result is a body with its shortcodes expanded.
type Result struct {
	// Markdown is the body to convert.
	Markdown []byte
	// Errors are broken shortcodes: a tag never closed, a ref to no page, a param not set.
	Errors []Problem
	// Warnings are unknown shortcodes, left out.
	Warnings []Warning

	lines []int    // lines[i] is the body line of Markdown's line i+1
	html  []string // the HTML of placeholder i
}

// Has reports whether a body may hold shortcodes: bodies without are converted as they are.
func Has(src []byte) bool {
	return bytes.Contains(src, []byte("{{<")) || bytes.Contains(src, []byte("{{%"))
}

// SourceLine maps a line of Markdown to the line of the body as written.
func (r *Result) SourceLine(line int) int {
	if r == nil || line < 1 || len(r.lines) == 0 {
		return line
	}
	if line > len(r.lines) {
		return r.lines[len(r.lines)-1]
	}
	return r.lines[line-1]
}

// placeholder is a word Markdown renders as text and nobody writes.
const placeholderPrefix = "VTRNSC"

var (
	blockPlaceholder  = regexp.MustCompile(`<p>` + placeholderPrefix + `(\d+)X</p>\n?`)
	inlinePlaceholder = regexp.MustCompile(placeholderPrefix + `(\d+)X`)
)

// Apply replaces the placeholders in HTML converted from Markdown: a placeholder alone in a paragraph
// gives way to its block, any other to its HTML inline.
func (r *Result) Apply(out []byte) []byte {
	if r == nil || len(r.html) == 0 || !bytes.Contains(out, []byte(placeholderPrefix)) {
		return out
	}
	get := func(m []byte, re *regexp.Regexp) []byte {
		sub := re.FindSubmatch(m)
		n, err := strconv.Atoi(string(sub[1]))
		if err != nil || n >= len(r.html) {
			return m
		}
		return []byte(r.html[n])
	}
	out = blockPlaceholder.ReplaceAllFunc(out, func(m []byte) []byte {
		h := get(m, blockPlaceholder)
		if len(h) > 0 && h[len(h)-1] != '\n' {
			h = append(h, '\n')
		}
		return h
	})
	return inlinePlaceholder.ReplaceAllFunc(out, func(m []byte) []byte { return get(m, inlinePlaceholder) })
}

// ApplyText replaces the placeholders in plain text (a heading of the table of contents) by the text
// of their HTML.
func (r *Result) ApplyText(s string) string {
	if r == nil || !strings.Contains(s, placeholderPrefix) {
		return s
	}
	return string(inlinePlaceholder.ReplaceAllFunc([]byte(s), func(m []byte) []byte {
		n, _ := strconv.Atoi(string(m[len(placeholderPrefix) : len(m)-1]))
		if n >= len(r.html) {
			return m
		}
		return []byte(html.UnescapeString(tagsRe.ReplaceAllString(r.html[n], "")))
	}))
}

var tagsRe = regexp.MustCompile(`<[^>]*>`)

// Expand expands the shortcodes of a Markdown body.
func Expand(src []byte, ctx Context) *Result {
	tags, problems := scan(src)
	nodes, more := tree(tags)
	e := &expander{src: src, ctx: ctx, res: &Result{Errors: append(problems, more...)}, srcLine: 1}
	e.res.lines = append(e.res.lines, 1)
	e.out.Grow(len(src) + len(src)/8)
	e.nodes(nodes, 0, len(src))
	e.res.Markdown = e.out.Bytes()
	return e.res
}

// expander writes the expanded body, keeping track of which line of the source each line it writes
// comes from.
type expander struct {
	src     []byte
	ctx     Context
	res     *Result
	out     bytes.Buffer
	srcLine int // line of src at the current reading position
	// ordinals counts the uses of each site shortcode so far, for Call.Ordinal.
	ordinals map[string]int
}

// copy writes src[from:to] as it is.
func (e *expander) copy(from, to int) {
	b := e.src[from:to]
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			e.out.Write(b)
			return
		}
		e.out.Write(b[:i+1])
		e.srcLine++
		e.res.lines = append(e.res.lines, e.srcLine)
		b = b[i+1:]
	}
}

// skip passes over src[from:to] without writing it.
func (e *expander) skip(from, to int) {
	e.srcLine += bytes.Count(e.src[from:to], []byte("\n"))
}

// write writes generated text; its lines belong to the current source line.
func (e *expander) write(s string) {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			e.out.WriteString(s)
			return
		}
		e.out.WriteString(s[:i+1])
		e.res.lines = append(e.res.lines, e.srcLine)
		s = s[i+1:]
	}
}

// placeholder registers HTML and returns the word that stands for it.
func (e *expander) placeholder(h string) string {
	e.res.html = append(e.res.html, h)
	return placeholderPrefix + strconv.Itoa(len(e.res.html)-1) + "X"
}

// nodes expands the shortcodes of src[from:to], copying the text around them.
func (e *expander) nodes(nodes []*node, from, to int) {
	pos := from
	for _, n := range nodes {
		e.copy(pos, n.open.start)
		pos = e.node(n)
	}
	e.copy(pos, to)
}

// lineStart reports whether only spaces precede offset i on its line, and returns them.
func (e *expander) lineStart(i int) (string, bool) {
	j := i
	for j > 0 && (e.src[j-1] == ' ' || e.src[j-1] == '\t') {
		j--
	}
	if j == 0 || e.src[j-1] == '\n' {
		return string(e.src[j:i]), true
	}
	return "", false
}

// block writes a placeholder for block HTML: in a paragraph of its own when the tag stands alone on its
// line, inline otherwise.
func (e *expander) block(t *tag, h string) {
	word := e.placeholder(h)
	if indent, ok := e.lineStart(t.start); ok {
		e.write("\n" + indent + word + "\n")
		return
	}
	e.write(word)
}

// markdownBlock writes Markdown in a paragraph of its own when the tag stands alone on its line, inline
// otherwise.
func (e *expander) markdownBlock(t *tag, md string) {
	if indent, ok := e.lineStart(t.start); ok {
		e.write("\n" + indent + md + "\n")
		return
	}
	e.write(md)
}

// node expands one shortcode and returns the offset after it.
func (e *expander) node(n *node) int {
	t := n.open
	end := t.end
	if n.close != nil {
		end = n.close.end
	}
	if t.escaped {
		e.write(t.literal)
		e.skip(t.start, t.end)
		return t.end
	}
	name := strings.TrimSuffix(t.name, "_simple")
	switch name {
	case "comment":
		e.skip(t.start, end)
	case "highlight":
		e.highlight(n)
	case "details":
		e.details(n)
	case "ref", "relref":
		e.ref(t)
		e.skip(t.start, t.end)
		if n.close != nil {
			e.nodes(n.children, t.end, n.close.start)
			e.skip(n.close.start, n.close.end)
		}
	case "param":
		e.param(t)
		e.skip(t.start, t.end)
	case "figure", "youtube", "vimeo", "x", "twitter", "tweet", "instagram", "gist":
		h, md, err := e.embed(name, t)
		switch {
		case err != nil:
			e.res.Errors = append(e.res.Errors, Problem{Line: t.line, Msg: err.Error()})
		case md != "":
			e.markdownBlock(t, md)
		default:
			e.block(t, h)
		}
		e.skip(t.start, t.end)
		if n.close != nil {
			// Hugo ignores what these enclose; so does vitrine, once it is told.
			e.skip(t.end, n.close.end)
		}
	default:
		if e.ctx.Site != nil && e.site(n) {
			return end
		}
		e.unknown(n)
	}
	return end
}

// site runs a shortcode of the site's own; false when the site has none of that name. One that fails
// is left out with a warning saying why, what it encloses kept.
func (e *expander) site(n *node) bool {
	t := n.open
	call := Call{Name: t.name, Positional: t.pos, Named: t.named, Line: t.line, Markdown: t.markdown}
	if e.ordinals == nil {
		e.ordinals = map[string]int{}
	}
	call.Ordinal = e.ordinals[t.name]
	e.ordinals[t.name]++
	if n.close != nil {
		call.Inner = string(e.src[t.end:n.close.start])
	}
	out, ok, err := e.ctx.Site(call)
	if !ok {
		return false
	}
	if err != nil {
		e.res.Warnings = append(e.res.Warnings, Warning{Line: t.line, Name: t.name,
			Msg: fmt.Sprintf("shortcode %q left out, what it encloses is kept: %v", t.name, err)})
		e.skip(t.start, t.end)
		if n.close != nil {
			e.nodes(n.children, t.end, n.close.start)
			e.skip(n.close.start, n.close.end)
		}
		return true
	}
	end := t.end
	if n.close != nil {
		end = n.close.end
	}
	if t.markdown {
		e.markdownBlock(t, out)
	} else {
		e.block(t, out)
	}
	e.skip(t.start, end)
	return true
}

// unknown drops the tags of a shortcode vitrine does not know and keeps what it encloses.
func (e *expander) unknown(n *node) {
	t := n.open
	msg := fmt.Sprintf("unknown shortcode %q left out", t.name)
	if n.close != nil {
		msg += ", what it encloses is kept"
	}
	if why, ok := unsupportedBuiltins[t.name]; ok {
		msg = fmt.Sprintf("Hugo's shortcode %q left out: %s", t.name, why)
	}
	e.res.Warnings = append(e.res.Warnings, Warning{Line: t.line, Name: t.name,
		Msg: msg + " (write its HTML in the Markdown, or remove it)"})
	e.skip(t.start, t.end)
	if n.close != nil {
		e.nodes(n.children, t.end, n.close.start)
		e.skip(n.close.start, n.close.end)
	}
}

// unsupportedBuiltins are Hugo's own shortcodes that vitrine does not make, and why.
var unsupportedBuiltins = map[string]string{
	"qr": "vitrine draws no QR codes",
}

// highlight turns {{< highlight go "opts" >}}code{{< /highlight >}} into a fenced code block.
func (e *expander) highlight(n *node) {
	t := n.open
	e.skip(t.start, t.end)
	if n.close == nil {
		e.res.Errors = append(e.res.Errors, Problem{Line: t.line, Msg: "highlight has no closing {{< /highlight >}}: add it after the code"})
		return
	}
	code := string(e.src[t.end:n.close.start])
	code = strings.TrimPrefix(strings.TrimPrefix(code, "\r"), "\n")
	code = strings.TrimPrefix(code, "\r\n")
	if code != "" && !strings.HasSuffix(code, "\n") {
		code += "\n"
	}
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	indent, own := e.lineStart(t.start)
	lead := ""
	if !own {
		lead = "\n"
	}
	raw := e.src[t.end:n.close.start]
	first := e.srcLine // the line of the code's first line
	if bytes.HasPrefix(raw, []byte("\n")) || bytes.HasPrefix(raw, []byte("\r\n")) {
		first++
	}
	e.write(lead + fence + t.get("lang", 0) + "\n")
	e.res.lines[len(e.res.lines)-1] = first
	i := 0
	for l := range strings.SplitAfterSeq(code, "\n") {
		if l == "" {
			continue
		}
		e.out.WriteString(indent + l)
		i++
		e.res.lines = append(e.res.lines, first+i)
	}
	e.skip(t.end, n.close.end)
	// Code written on the lines of its tags ends no later than the closing tag's line.
	for k := len(e.res.lines) - i - 1; k < len(e.res.lines); k++ {
		e.res.lines[k] = min(e.res.lines[k], e.srcLine)
	}
	e.write(indent + fence + "\n")
}

// details wraps Markdown in a <details> element whose <summary> is the summary parameter.
func (e *expander) details(n *node) {
	t := n.open
	e.skip(t.start, t.end)
	if n.close == nil {
		e.res.Errors = append(e.res.Errors, Problem{Line: t.line, Msg: "details has no closing {{< /details >}}: add it after what it hides"})
		return
	}
	summary := t.get("summary", -1)
	if summary == "" {
		summary = words(e.ctx.Lang).details
	}
	var open strings.Builder
	open.WriteString("<details")
	if c := t.get("class", -1); c != "" {
		open.WriteString(` class="` + html.EscapeString(c) + `"`)
	}
	if nm := t.get("name", -1); nm != "" {
		open.WriteString(` name="` + html.EscapeString(nm) + `"`)
	}
	if ti := t.get("title", -1); ti != "" {
		open.WriteString(` title="` + html.EscapeString(ti) + `"`)
	}
	if o := t.get("open", -1); o == "true" {
		open.WriteString(" open")
	}
	open.WriteString("><summary>" + e.inline(summary) + "</summary>")
	indent, _ := e.lineStart(t.start)
	e.write("\n" + indent + e.placeholder(open.String()) + "\n\n")
	e.nodes(n.children, t.end, n.close.start)
	e.skip(n.close.start, n.close.end)
	e.write("\n\n" + indent + e.placeholder("</details>") + "\n")
}

// ref writes the URL of the page a ref or relref names, or reports that none has that name.
func (e *expander) ref(t *tag) {
	target := t.get("path", 0)
	if target == "" {
		e.res.Errors = append(e.res.Errors, Problem{Line: t.line, Msg: fmt.Sprintf("%s needs the page to link to: {{< %s \"blog/post.md\" >}}", t.name, t.name)})
		return
	}
	if strings.HasPrefix(target, "#") {
		e.write(target)
		return
	}
	if e.ctx.Ref == nil {
		e.write(target)
		return
	}
	u, ok := e.ctx.Ref(target)
	if !ok {
		e.res.Errors = append(e.res.Errors, Problem{Line: t.line, Msg: fmt.Sprintf("%s %q: no such page (is it a draft, or misspelled?)", t.name, target)})
		return
	}
	e.write(u)
}

// param writes the value of a page or site parameter.
func (e *expander) param(t *tag) {
	name := t.get("name", 0)
	var v any
	ok := false
	if e.ctx.Param != nil && name != "" {
		v, ok = e.ctx.Param(name)
	}
	if !ok {
		e.res.Errors = append(e.res.Errors, Problem{Line: t.line, Msg: fmt.Sprintf("param %q is set neither in the front matter nor in [params] of vitrine.toml", name)})
		return
	}
	e.write(e.placeholder(html.EscapeString(fmt.Sprint(v))))
}

// inline converts a short Markdown text to inline HTML.
func (e *expander) inline(s string) string {
	if e.ctx.Inline != nil {
		return e.ctx.Inline(s)
	}
	return html.EscapeString(s)
}
