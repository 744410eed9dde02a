package render

import (
	"bytes"
	"errors"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// Every action of a layout costs a call through reflect (about a microsecond here) for each function of
// its pipeline, and html/template adds one to three functions to each action: the escapers of its
// context. A page of the default theme runs a few hundred actions. optimize lowers their number once the
// layouts are parsed, without changing a byte of what they write, by rewriting the pipelines that
// html/template escaped:
//
//   - {{T "key"}} in text or a quoted attribute becomes the word itself, escaped; (T "key") given to
//     another function becomes a string constant. Each language's layouts are rewritten with its words.
//   - T, date, longDate, clock, iso and isoDate followed by the text or attribute escaper become one
//     function that returns the escaped string (for a string, the two escapers are the same).
//   - partial, partialCached, partialCachedRange and picture followed by the text escaper lose it: it
//     leaves template.HTML as it is.
//   - the three escapers of a URL attribute (filter, normalizer, attribute escaper) become one function,
//     and the text and attribute escapers one function of one argument (no variadic call).
//
// Pipelines html/template escaped otherwise (JavaScript, CSS, URL queries…) are left as they are, and so
// are the functions of the site's own layouts, which are rewritten like the theme's. The functions that
// replace html/template's escapers write what they write (TestOptimizeEscapesAsTemplates): plain strings
// are escaped here, any other value by html/template itself.
//
// html/template escapes a template when it first executes it, so optimize first executes each entry
// point of a set (what RenderJobs and partial execute) with no data into a writer that fails at once,
// which escapes everything they call and stops before anything is rendered; once every entry point is
// escaped, html/template never rewrites the set again.

// The names html/template gives its escapers in escaped pipelines.
const (
	escHTML    = "_html_template_htmlescaper"
	escAttr    = "_html_template_attrescaper"
	escURLFilt = "_html_template_urlfilter"
	escURLNorm = "_html_template_urlnormalizer"
)

// The names of the functions optimize puts in their place; funcs defines them.
const (
	fnHTML = "_vitrine_html"
	fnAttr = "_vitrine_attr"
	fnURL  = "_vitrine_url"
	// fnEsc + NAME is NAME whose result is escaped for text and quoted attributes.
	fnEsc = "_vitrine_esc_"
)

// escapedFuncs are the functions of funcs that return a string, which an escaped variant replaces.
var escapedFuncs = map[string]bool{"T": true, "date": true, "longDate": true, "clock": true, "iso": true, "isoDate": true}

// htmlFuncs are the functions of funcs that return template.HTML, which the text escaper leaves alone.
var htmlFuncs = map[string]bool{"partial": true, "partialCached": true, "partialCachedRange": true, "picture": true}

// escapingFuncs are the functions optimize's rewritten pipelines call, for the words of one language.
func escapingFuncs(words *Words) template.FuncMap {
	esc := func(s string) string {
		var b strings.Builder
		escapeHTMLText(&b, s)
		return b.String()
	}
	return template.FuncMap{
		fnHTML:             htmlText,
		fnAttr:             htmlAttr,
		fnURL:              urlAttr,
		fnEsc + "T":        func(key string, args ...any) string { return esc(words.T(key, args...)) },
		fnEsc + "date":     func(t time.Time) string { return esc(words.Date(t)) },
		fnEsc + "longDate": func(t time.Time) string { return esc(words.LongDate(t)) },
		fnEsc + "clock":    func(t time.Time) string { return esc(words.Clock(t)) },
		fnEsc + "iso":      func(t time.Time) string { return esc(t.Format(time.RFC3339)) },
		fnEsc + "isoDate":  func(t time.Time) string { return esc(t.Format("2006-01-02")) },
	}
}

// optimize escapes the templates of set from its entry points and rewrites their escaped pipelines.
// words are the language's of set's functions.
func optimize(set *template.Template, entries []string, words *Words) {
	for _, name := range entries {
		// The error is that of the writer, or an error of escaping, which html/template keeps and
		// returns again when the template is executed.
		_ = set.ExecuteTemplate(failWriter{}, name, nil)
	}
	o := optimizer{words: words}
	for _, t := range set.Templates() {
		// A template that failed to escape has no tree; one never escaped (called by no entry point)
		// has no escapers to rewrite.
		if t.Tree != nil && t.Tree.Root != nil {
			o.list(t.Tree.Root)
		}
	}
}

// failWriter fails every write: executing a template into it stops at the first text it writes.
type failWriter struct{}

var errDry = errors.New("render: escaping only")

func (failWriter) Write([]byte) (int, error) { return 0, errDry }

type optimizer struct{ words *Words }

func (o optimizer) list(l *parse.ListNode) {
	if l == nil {
		return
	}
	for i, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			if text := o.action(n); text != nil {
				l.Nodes[i] = text
			}
		case *parse.IfNode:
			o.branch(&n.BranchNode)
		case *parse.RangeNode:
			o.branch(&n.BranchNode)
		case *parse.WithNode:
			o.branch(&n.BranchNode)
		case *parse.TemplateNode:
			o.args(n.Pipe)
		case *parse.ListNode:
			o.list(n)
		}
	}
}

func (o optimizer) branch(b *parse.BranchNode) {
	o.args(b.Pipe)
	o.list(b.List)
	o.list(b.ElseList)
}

// args turns the (T "key") arguments of the commands of p into string constants.
func (o optimizer) args(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		for i, a := range c.Args {
			sub, ok := a.(*parse.PipeNode)
			if !ok {
				continue
			}
			if word, ok := o.constWord(sub); ok {
				c.Args[i] = &parse.StringNode{NodeType: parse.NodeString, Pos: sub.Pos, Quoted: strconv.Quote(word), Text: word}
				continue
			}
			o.args(sub)
		}
	}
}

// constWord returns the word of a pipeline that is only {{T "key"}}.
func (o optimizer) constWord(p *parse.PipeNode) (string, bool) {
	if len(p.Decl) > 0 || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 2 || ident(p.Cmds[0]) != "T" {
		return "", false
	}
	key, ok := p.Cmds[0].Args[1].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return o.words.T(key.Text), true
}

// action rewrites an escaped action, and returns the text that replaces it when it writes a constant.
func (o optimizer) action(n *parse.ActionNode) *parse.TextNode {
	p := n.Pipe
	if p == nil || len(p.Decl) > 0 {
		return nil
	}
	o.args(p)
	cmds := p.Cmds
	last := len(cmds) - 1
	switch {
	case last >= 3 && ident(cmds[last-2]) == escURLFilt && ident(cmds[last-1]) == escURLNorm && ident(cmds[last]) == escAttr &&
		len(cmds[last-2].Args) == 1 && len(cmds[last-1].Args) == 1 && len(cmds[last].Args) == 1:
		setIdent(cmds[last-2], fnURL)
		p.Cmds = cmds[:last-1]
	case last >= 1 && len(cmds[last].Args) == 1 && (ident(cmds[last]) == escHTML || ident(cmds[last]) == escAttr):
		text := ident(cmds[last]) == escHTML
		value := ident(cmds[last-1])
		if last == 1 {
			if word, ok := o.constWord(&parse.PipeNode{Cmds: cmds[:1]}); ok {
				return &parse.TextNode{NodeType: parse.NodeText, Pos: n.Pos, Text: []byte(escapeString(word))}
			}
		}
		switch {
		case escapedFuncs[value]:
			setIdent(cmds[last-1], fnEsc+value)
			p.Cmds = cmds[:last]
		case text && htmlFuncs[value]:
			p.Cmds = cmds[:last]
		case text:
			setIdent(cmds[last], fnHTML)
		default:
			setIdent(cmds[last], fnAttr)
		}
	}
	return nil
}

// ident is the function a command calls, or "".
func ident(c *parse.CommandNode) string {
	if len(c.Args) == 0 {
		return ""
	}
	if id, ok := c.Args[0].(*parse.IdentifierNode); ok {
		return id.Ident
	}
	return ""
}

// setIdent makes c call the function name instead.
func setIdent(c *parse.CommandNode, name string) {
	old := c.Args[0].(*parse.IdentifierNode)
	c.Args[0] = parse.NewIdentifier(name).SetPos(old.Pos)
}

// htmlText writes v as html/template's escaper of HTML text writes it.
func htmlText(v any) string {
	if h, ok := v.(template.HTML); ok {
		return string(h)
	}
	return escapeValue(v, textTemplate)
}

// htmlAttr writes v as html/template's escaper of quoted attribute values writes it (template.HTML
// included: the escaper strips its tags).
func htmlAttr(v any) string { return escapeValue(v, attrTemplate) }

// escapeValue escapes the values text and quoted attributes escape alike, and leaves the others to the
// html/template of e.
func escapeValue(v any, e escaping) string {
	switch v := v.(type) {
	case string:
		return escapeString(v)
	case int:
		return strconv.Itoa(v)
	case model.Kind:
		return escapeString(string(v))
	case nil:
		return ""
	}
	return byTemplate(e, v)
}

// urlAttr writes v as html/template writes it in a URL attribute (href, src…) where the URL begins: a
// string of the characters that URLs keep as they are and attributes need not escape, with no scheme
// but http, https and mailto, is written as it is; anything else by html/template.
func urlAttr(v any) string {
	if s, ok := v.(string); ok && plainURL(s) {
		return s
	}
	return byTemplate(urlTemplate, v)
}

// plainURL reports whether html/template writes s as it is at the start of a URL attribute: its bytes
// are letters, digits and the characters that its normalizer keeps and the attribute escaper does not
// touch (not %, which the normalizer keeps only before two hexadecimal digits, and not always at the
// end), and its scheme, if any, is one that its filter lets through.
func plainURL(s string) bool {
	colon := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~/#?=!$*,;@[]", c) >= 0 {
			continue
		}
		if c == ':' {
			if colon < 0 {
				colon = i
			}
			continue
		}
		return false
	}
	if colon < 0 {
		return true
	}
	scheme := s[:colon]
	return strings.Contains(scheme, "/") || strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") ||
		strings.EqualFold(scheme, "mailto")
}

// escapeString is escapeHTMLText's result as a string; most values need no escaping.
func escapeString(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 0, '"', '&', '\'', '+', '<', '>':
			var b strings.Builder
			b.Grow(len(s) + 16)
			escapeHTMLText(&b, s)
			return b.String()
		}
	}
	return s
}

// The templates that escape values of other types than strings: html/template itself, between a
// prefix and a suffix that are cut off.
var (
	textTemplate = escaping{template.Must(template.New("").Parse(`{{.}}`)), "", ""}
	attrTemplate = escaping{template.Must(template.New("").Parse(`<p title="{{.}}">`)), `<p title="`, `">`}
	urlTemplate  = escaping{template.Must(template.New("").Parse(`<a href="{{.}}">`)), `<a href="`, `">`}
	escapeBufs   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

type escaping struct {
	t              *template.Template
	prefix, suffix string
}

func byTemplate(e escaping, v any) string {
	b := escapeBufs.Get().(*bytes.Buffer)
	defer escapeBufs.Put(b)
	b.Reset()
	if err := e.t.Execute(b, v); err != nil {
		// html/template's escapers take any value; executing {{.}} fails only on a failing writer.
		panic("render: escaping a value: " + err.Error())
	}
	return string(b.Bytes()[len(e.prefix) : b.Len()-len(e.suffix)])
}
