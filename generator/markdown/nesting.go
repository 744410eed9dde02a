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
