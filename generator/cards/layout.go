package cards

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// lineHeight is the distance between the baselines of the title's lines, in ems.
const lineHeight = 1.16

// titleBox is where a title must fit and the sizes it may take.
type titleBox struct {
	width, height    float64 // pixels
	maxLines         int
	maxSize, minSize float64 // pixels
	step             float64 // pixels between two sizes tried
	tracking         float64 // ems
}

// titleLayout is a title laid out in its box: the face it is drawn with and its lines, each no wider
// than the box.
type titleLayout struct {
	face       *textFace
	lines      []string
	lineHeight float64 // pixels between baselines
}

// layoutTitle lays the title out: wrapped on word boundaries at the largest size whose lines fit the
// box, from maxSize down to minSize. Only when no size fits are words longer than a line broken, and
// only when the title still does not fit at minSize is it cut, with an ellipsis, after the last line
// the box holds. Lines are balanced: the narrowest width that keeps the same number of lines is used,
// so the last line is not a lone word.
func layoutTitle(f *opentype.Font, title string, box titleBox) titleLayout {
	units := breakUnits(prepare(f, title))
	width := toFixed(box.width)
	linesFor := func(size float64) int {
		n := int((box.height-size)/(size*lineHeight)) + 1
		return max(1, min(n, box.maxLines))
	}
	if len(units) == 0 {
		return titleLayout{face: newFace(f, box.maxSize, box.tracking), lineHeight: box.maxSize * lineHeight}
	}
	for _, breakWords := range []bool{false, true} {
		for size := box.maxSize; size >= box.minSize-0.001; size -= box.step {
			face := newFace(f, size, box.tracking)
			lines, ok := wrap(face, units, width, breakWords)
			if !ok || len(lines) > linesFor(size) {
				continue
			}
			if len(lines) > 1 && !breakWords {
				lines = balance(face, units, width, len(lines))
			}
			return titleLayout{face: face, lines: lines, lineHeight: size * lineHeight}
		}
	}
	// Too long even at the smallest size: keep the lines that fit and end the last with an ellipsis.
	face := newFace(f, box.minSize, box.tracking)
	lines, _ := wrap(face, units, width, true)
	n := linesFor(box.minSize)
	last := strings.Join(lines[n-1:], " ")
	lines = append(lines[:n-1:n-1], ellipsize(face, last, width))
	return titleLayout{face: face, lines: lines, lineHeight: box.minSize * lineHeight}
}

// breakUnits splits text at the spaces a line may break at, keeping French punctuation with its word:
// a line never starts with « : ; ! ? » » and never ends with « « ».
func breakUnits(s string) []string {
	var units []string
	glueNext := false
	for _, w := range strings.Split(s, " ") {
		if w == "" {
			continue
		}
		switch {
		case len(units) > 0 && (glueNext || closing(w)):
			units[len(units)-1] += " " + w
		default:
			units = append(units, w)
		}
		glueNext = opening(w)
	}
	return units
}

// closing reports whether w is only punctuation that belongs at the end of the previous word.
func closing(w string) bool {
	return strings.Trim(w, ":;!?»)]}…%.,\u202F\u00A0") == ""
}

// opening reports whether w is only punctuation that belongs at the start of the next word.
func opening(w string) bool {
	return strings.Trim(w, "«([{¿¡\u202F\u00A0") == ""
}

// wrap fills lines greedily with units no wider than width. A unit wider than a line makes it fail,
// unless breakWords is set: then the unit is cut, with a hyphen between two letters.
func wrap(t *textFace, units []string, width fixed.Int26_6, breakWords bool) ([]string, bool) {
	var lines []string
	cur := ""
	for _, u := range units {
		if cur != "" {
			if cand := cur + " " + u; t.measure(cand) <= width {
				cur = cand
				continue
			}
			lines = append(lines, cur)
			cur = ""
		}
		if t.measure(u) <= width {
			cur = u
			continue
		}
		if !breakWords {
			return nil, false
		}
		pieces := breakWord(t, u, width)
		lines = append(lines, pieces[:len(pieces)-1]...)
		cur = pieces[len(pieces)-1]
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines, true
}

// breakWord cuts a unit too wide for a line into pieces that fit, each but the last ending with a hyphen
// when cut between two letters. A piece holds at least one character.
func breakWord(t *textFace, u string, width fixed.Int26_6) []string {
	var pieces []string
	for u != "" {
		rest := u
		n := 0 // bytes of u in this piece
		piece := ""
		for rest != "" {
			r, size := utf8.DecodeRuneInString(rest)
			next := u[:n+size]
			cand := next
			if len(next) < len(u) {
				nr, _ := utf8.DecodeRuneInString(u[len(next):])
				if unicode.IsLetter(r) && unicode.IsLetter(nr) {
					cand += "-"
				}
			}
			if n > 0 && t.measure(cand) > width {
				break
			}
			n += size
			rest = rest[size:]
			piece = cand
		}
		pieces = append(pieces, strings.TrimLeft(piece, " "))
		u = strings.TrimLeft(u[n:], " ")
	}
	return pieces
}

// balance returns the lines of the narrowest wrap that still takes n lines.
func balance(t *textFace, units []string, width fixed.Int26_6, n int) []string {
	lo, hi := width/2, width // hi always wraps to n lines
	for hi-lo > 64 {
		mid := (lo + hi) / 2
		if lines, ok := wrap(t, units, mid, false); ok && len(lines) <= n {
			hi = mid
		} else {
			lo = mid
		}
	}
	lines, _ := wrap(t, units, hi, false)
	return lines
}
