package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// blockAttributes gives blocks the attributes written on the line after them, as Hugo does with
// markup.goldmark.parser.attribute.block: "A paragraph.\n{.notice}" is <p class="notice">, and a line
// holding only "{.wide}" after a list or a table gives them the class. Only id and class are kept:
// nothing else written there could be trusted with unsafe HTML off.
type blockAttributes struct{}

// Transform implements parser.ASTTransformer.
func (blockAttributes) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if p, ok := n.(*ast.Paragraph); ok && entering {
			paras = append(paras, p)
		}
		return skipInlines(n), nil
	})
	for _, p := range paras {
		lines := p.Lines()
		if lines.Len() == 0 {
			continue
		}
		last := lines.At(lines.Len() - 1)
		attrs, ok := attributeLine(last.Value(src))
		if !ok {
			continue
		}
		if lines.Len() > 1 {
			// The last line of the paragraph: it is the paragraph's, and goes.
			dropInlinesFrom(p, last.Start)
			lines.SetSliced(0, lines.Len()-1)
			setAttributes(p, attrs)
			continue
		}
		// A paragraph of its own, after a block: the block's.
		prev := p.PreviousSibling()
		if prev == nil || prev.Type() != ast.TypeBlock {
			continue
		}
		setAttributes(prev, attrs)
		p.Parent().RemoveChild(p.Parent(), p)
	}
}

// attributeLine parses a line that holds only an attribute list, {.class #id}.
func attributeLine(line []byte) (parser.Attributes, bool) {
	line = bytes.TrimSpace(line)
	if len(line) < 3 || line[0] != '{' || line[len(line)-1] != '}' {
		return nil, false
	}
	r := text.NewReader(line)
	attrs, ok := parser.ParseAttributes(r)
	if !ok {
		return nil, false
	}
	r.SkipSpaces()
	if _, _, ok := r.SkipBlankLines(); ok && r.Peek() != text.EOF {
		return nil, false
	}
	return attrs, len(attrs) > 0
}

func setAttributes(n ast.Node, attrs parser.Attributes) {
	for _, a := range attrs {
		switch string(a.Name) {
		case "id", "class":
			n.SetAttribute(a.Name, a.Value)
		}
	}
}

// dropInlinesFrom removes the inline nodes of p that start at offset from or after, and the line break
// before them.
func dropInlinesFrom(p ast.Node, from int) {
	for c := p.LastChild(); c != nil; {
		prev := c.PreviousSibling()
		t, ok := c.(*ast.Text)
		if !ok || t.Segment.Start < from {
			if ok {
				t.SetSoftLineBreak(false)
				t.SetHardLineBreak(false)
			}
			break
		}
		p.RemoveChild(p, c)
		c = prev
	}
}

// skipInlines tells ast.Walk not to walk the inline content of n, when a walk looks for blocks only. A
// block holds either blocks or inlines (the text of a paragraph, a heading or a table cell), and most of
// the nodes of a page are inlines.
func skipInlines(n ast.Node) ast.WalkStatus {
	if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
		return ast.WalkSkipChildren
	}
	return ast.WalkContinue
}
