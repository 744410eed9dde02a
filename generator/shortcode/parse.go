package shortcode

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
)

// tag is one shortcode tag of a body: {{< name params >}}, {{% name params %}}, {{< /name >}} or an
// escaped {{</* … */>}}.
type tag struct {
	start, end int    // byte offsets of the whole tag in the body
	line       int    // 1-based line of its start
	name       string // "figure", "docs/note"
	closing    bool   // {{< /name >}}
	selfClose  bool   // {{< name />}}
	markdown   bool   // {{% %}}: the inner content is Markdown for Hugo too
	escaped    bool   // {{</* … */>}}: written out as text without its comment marks
	literal    string // the text an escaped tag stands for
	pos        []string
	named      map[string]string
	order      []string // named parameters in the order written
}

// get returns a named parameter, else the positional one at index i (i < 0 for none).
func (t *tag) get(name string, i int) string {
	if v, ok := t.named[name]; ok {
		return v
	}
	if i >= 0 && i < len(t.pos) {
		return t.pos[i]
	}
	return ""
}

// has reports whether a named parameter is given.
func (t *tag) has(name string) bool {
	_, ok := t.named[name]
	return ok
}

// maxProblems is the most broken tags scan reads in a body: each may be read to the end of the body
// (a tag never closed), so that n of them would cost n² steps. With the line that says how many more
// there are, they fill the errors a build prints (load.MaxErrors).
const maxProblems = 19

// MaxTags is the most shortcode tags a body may have: pairing them costs up to the square of their
// number.
const MaxTags = 10_000

// scan finds every shortcode tag of src, in order. A tag opened and never closed is an error at its
// line; scanning goes on after it, up to maxProblems errors, then one says how many tags were left
// unread. A tag that opens after the last closing delimiter of its kind is not read at all.
func scan(src []byte) ([]*tag, []Problem) {
	var tags []*tag
	var problems []Problem
	line, lineFrom := 1, 0
	lastClose := map[byte]int{'<': bytes.LastIndex(src, []byte(">}}")), '%': bytes.LastIndex(src, []byte("%}}"))}
	for i := 0; i < len(src); {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			break
		}
		i += j
		if i+2 >= len(src) || (src[i+2] != '<' && src[i+2] != '%') {
			i += 2
			continue
		}
		line += bytes.Count(src[lineFrom:i], []byte("\n"))
		lineFrom = i
		if len(problems) == maxProblems || len(tags) == MaxTags {
			n := bytes.Count(src[i:], []byte("{{<")) + bytes.Count(src[i:], []byte("{{%"))
			msg := fmt.Sprintf("and %d more shortcode tags from here on, not read: fix the errors above first", n)
			if len(tags) == MaxTags {
				msg = fmt.Sprintf("more than %d shortcode tags in one page: split it into several pages", MaxTags)
			}
			problems = append(problems, Problem{Line: line, Msg: msg})
			break
		}
		if i > lastClose[src[i+2]] {
			closeDelim := ">}}"
			if src[i+2] == '%' {
				closeDelim = "%}}"
			}
			problems = append(problems, Problem{Line: line, Msg: fmt.Sprintf("shortcode is not closed: end it with %s", closeDelim)})
			i += 3
			continue
		}
		t, err := parseTag(src, i)
		if err != nil {
			problems = append(problems, Problem{Line: line, Msg: err.Error()})
			i += 3
			continue
		}
		t.line = line
		tags = append(tags, t)
		i = t.end
	}
	return tags, problems
}

// parseTag reads the tag starting at src[at:], "{{<" or "{{%".
func parseTag(src []byte, at int) (*tag, error) {
	delim := src[at+2]
	closeDelim := []byte(">}}")
	if delim == '%' {
		closeDelim = []byte("%}}")
	}
	t := &tag{start: at, markdown: delim == '%', named: map[string]string{}}
	i := skipSpace(src, at+3)
	if bytes.HasPrefix(src[i:], []byte("/*")) {
		// {{</* figure src="a.jpg" */>}} shows the tag itself.
		body := i + 2
		for from := body; ; {
			k := bytes.Index(src[from:], []byte("*/"))
			if k < 0 {
				break
			}
			stop := from + k
			after := skipSpace(src, stop+2)
			if bytes.HasPrefix(src[after:], closeDelim) {
				inner := strings.TrimSpace(string(src[body:stop]))
				open, cl := "{{< ", " >}}"
				if delim == '%' {
					open, cl = "{{% ", " %}}"
				}
				t.escaped, t.literal, t.end = true, open+inner+cl, after+len(closeDelim)
				return t, nil
			}
			from = stop + 2
		}
		return nil, fmt.Errorf("escaped shortcode {{%c/* is not closed by */%s", delim, closeDelim)
	}
	if i < len(src) && src[i] == '/' {
		t.closing = true
		i = skipSpace(src, i+1)
	}
	n := i
	for n < len(src) && !isSpace(src[n]) && !bytes.HasPrefix(src[n:], closeDelim) && !bytes.HasPrefix(src[n:], []byte("/"+string(closeDelim))) {
		n++
	}
	t.name = string(src[i:n])
	if t.name == "" {
		return nil, fmt.Errorf("shortcode without a name: write {{%c name %s", delim, closeDelim)
	}
	i = n
	for {
		i = skipSpace(src, i)
		if i >= len(src) {
			return nil, fmt.Errorf("shortcode %s is not closed: end it with %s", t.name, closeDelim)
		}
		if bytes.HasPrefix(src[i:], closeDelim) {
			t.end = i + len(closeDelim)
			return t, nil
		}
		if src[i] == '/' && bytes.HasPrefix(src[skipSpace(src, i+1):], closeDelim) {
			t.selfClose = true
			i = skipSpace(src, i+1)
			continue
		}
		val, next, err := token(src, i, closeDelim)
		if err != nil {
			return nil, fmt.Errorf("shortcode %s: %v", t.name, err)
		}
		// Hugo reads name = "value" with spaces around = as name="value".
		if eq := skipSpace(src, next); eq < len(src) && src[eq] == '=' {
			v, after, err := token(src, skipSpace(src, eq+1), closeDelim)
			if err != nil {
				return nil, fmt.Errorf("shortcode %s: parameter %s: %v", t.name, val, err)
			}
			if _, dup := t.named[val]; !dup {
				t.order = append(t.order, val)
			}
			t.named[val] = v
			i = after
			continue
		}
		t.pos = append(t.pos, val)
		i = next
	}
}

// token reads one parameter word: "quoted" (with \" escapes), `raw`, or bare up to a space, an = or the
// end of the tag.
func token(src []byte, i int, closeDelim []byte) (string, int, error) {
	if i >= len(src) {
		return "", i, fmt.Errorf("unexpected end of the file")
	}
	switch src[i] {
	case '"':
		var b strings.Builder
		for j := i + 1; j < len(src); j++ {
			switch src[j] {
			case '\\':
				if j+1 < len(src) {
					j++
					b.WriteByte(src[j])
				}
			case '"':
				return b.String(), j + 1, nil
			default:
				b.WriteByte(src[j])
			}
		}
		return "", i, fmt.Errorf("a quote is never closed")
	case '`':
		end := bytes.IndexByte(src[i+1:], '`')
		if end < 0 {
			return "", i, fmt.Errorf("a backquote is never closed")
		}
		return string(src[i+1 : i+1+end]), i + 2 + end, nil
	}
	j := i
	for j < len(src) && !isSpace(src[j]) && src[j] != '=' && !bytes.HasPrefix(src[j:], closeDelim) {
		j++
	}
	if j == i {
		return "", i, fmt.Errorf("unexpected %q", src[i])
	}
	return string(src[i:j]), j, nil
}

func skipSpace(src []byte, i int) int {
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// node is a shortcode use: a tag, and for a paired one its closing tag and what lies between.
type node struct {
	open     *tag
	close    *tag    // nil for a standalone shortcode
	children []*node // the shortcodes between open and close
}

// tree pairs the tags: an opening tag followed, at the same depth, by a closing tag of the same name
// encloses what lies between; any other is standalone. A closing tag with no opening is reported.
func tree(tags []*tag) ([]*node, []Problem) {
	var problems []Problem
	// closers[name] lists the indices of the closing tags of each name: an opening tag with none after
	// it in its range is standalone without looking further (a page of many figures is not read once
	// per figure).
	closers := map[string][]int{}
	for i, t := range tags {
		if t.closing && !t.escaped && !t.selfClose {
			closers[t.name] = append(closers[t.name], i)
		}
	}
	closedIn := func(name string, from, to int) bool {
		c := closers[name]
		k, _ := slices.BinarySearch(c, from)
		return k < len(c) && c[k] < to
	}
	var build func(from, to int) []*node
	build = func(from, to int) []*node {
		var out []*node
		for i := from; i < to; i++ {
			t := tags[i]
			if t.escaped {
				out = append(out, &node{open: t})
				continue
			}
			if t.closing {
				problems = append(problems, Problem{Line: t.line, Msg: fmt.Sprintf("closing shortcode {{< /%s >}} has no opening {{< %s >}}: remove it", t.name, t.name)})
				continue
			}
			n := &node{open: t}
			if !t.selfClose && closedIn(t.name, i+1, to) {
				depth := 0
				for j := i + 1; j < to; j++ {
					u := tags[j]
					if u.escaped || u.name != t.name || u.selfClose {
						continue
					}
					if !u.closing {
						depth++
						continue
					}
					if depth > 0 {
						depth--
						continue
					}
					n.close = u
					n.children = build(i+1, j)
					i = j
					break
				}
			}
			out = append(out, n)
		}
		return out
	}
	return build(0, len(tags)), problems
}
