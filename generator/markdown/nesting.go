package markdown

import (
	"bytes"
	"fmt"
)

// MaxNesting is how deep lists and block quotes may nest. Deeper input is refused before it is parsed:
// the parser's work grows with the square of the depth, so one hostile line of "- - - - …" could hold a
// build for hours. No real document comes near it.
const MaxNesting = 100

// NestingError reports a line whose lists or quotes nest deeper than MaxNesting.
type NestingError struct {
	Line  int // 1-based, in the converted source
	Depth int // at least, on that line
}

func (e *NestingError) Error() string {
	return fmt.Sprintf("lists or quotes nested %d levels deep; at most %d are allowed", e.Depth, MaxNesting)
}

// checkNesting estimates, line by line, how deep the containers of a line nest: each block-quote and
// list marker that opens the line counts one, and so do each two columns of indentation before a list
// marker (a nested list item is indented under its parent). It errs on the side of counting too much,
// which a document would only meet at dozens of levels.
func checkNesting(src []byte) error {
	line := 1
	for start := 0; start < len(src); line++ {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		if d := lineDepth(src[start:end]); d > MaxNesting {
			return &NestingError{Line: line, Depth: d}
		}
		start = end + 1
	}
	return nil
}

func lineDepth(l []byte) int {
	depth, indent := 0, 0
	for i := 0; i < len(l); {
		switch c := l[i]; {
		case c == ' ':
			indent++
			i++
		case c == '\t':
			indent += 4
			i++
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(l) && (l[i+1] == ' ' || l[i+1] == '\t'):
			depth += 1 + indent/2
			indent = 0
			i += 2
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 9 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j+1 < len(l) && (l[j] == '.' || l[j] == ')') && (l[j+1] == ' ' || l[j+1] == '\t') {
				depth += 1 + indent/2
				indent = 0
				i = j + 2
				continue
			}
			return depth
		default:
			return depth
		}
	}
	return depth
}

// At returns the line of the error, in the converted source.
func (e *NestingError) At() int { return e.Line }

// maxLinkWork bounds the work of link parsing in a paragraph, estimated as its link openers ("](")
// times its size: the Markdown parser reads, for each opener whose destination never closes, up to the
// end of the paragraph, so that 150,000 "[a](" in a row take an hour. A paragraph of a hundred links
// in 10 kB costs a millionth of it; 1,000 links in one paragraph of 100 kB still pass.
const maxLinkWork = 100_000_000

// OpenersError reports a paragraph holding so many link openers that parsing it would take minutes.
type OpenersError struct {
	Line    int // 1-based, in the converted source: where the paragraph starts
	Openers int
	Bytes   int
}

func (e *OpenersError) Error() string {
	return fmt.Sprintf(`%d link openers "](" in one paragraph of %d kB: parsing them would take minutes; put a blank line between links, or write \]( where it is not a link`, e.Openers, e.Bytes>>10)
}

// At returns the line of the error, in the converted source.
func (e *OpenersError) At() int { return e.Line }

// checkLinks refuses a paragraph whose link openers times its size pass maxLinkWork. A paragraph here
// is a run of lines up to a blank one, cut also before each list item, table row, heading or quote,
// whose inline content the parser reads apart.
func checkLinks(src []byte) error {
	if n := bytes.Count(src, []byte("](")); n*len(src) <= maxLinkWork {
		return nil // fast path: the whole source as one paragraph would pass
	}
	return checkLinkWork(src, maxLinkWork)
}

// checkLinkWork is checkLinks with a bound of work.
func checkLinkWork(src []byte, work int) error {
	line, unitLine, unitStart, openers := 1, 1, 0, 0
	flush := func(end int) error {
		if openers > 0 && openers*(end-unitStart) > work {
			return &OpenersError{Line: unitLine, Openers: openers, Bytes: end - unitStart}
		}
		return nil
	}
	for start := 0; start < len(src); line++ {
		end := bytes.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		l := src[start:end]
		if t := bytes.TrimLeft(l, " \t"); len(t) == 0 || startsBlock(t) {
			if err := flush(start); err != nil {
				return err
			}
			unitLine, unitStart, openers = line, start, 0
		}
		openers += bytes.Count(l, []byte("]("))
		start = end + 1
	}
	return flush(len(src))
}

// startsBlock reports whether a line (its indentation removed) starts a block of its own: a list item,
// a table row, a heading or a quote.
func startsBlock(t []byte) bool {
	switch t[0] {
	case '|', '#', '>':
		return true
	case '-', '*', '+':
		return len(t) == 1 || t[1] == ' ' || t[1] == '\t'
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')')
}
