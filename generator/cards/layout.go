package cards

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// maxTitleRunes is more characters than any card holds at its smallest size, even in the narrowest
// letters; the rest of a longer title is not laid out.
const maxTitleRunes = 1000

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
	text := prepare(f, title)
	if cut := maxTitleRunes; utf8.RuneCountInString(text) > cut {
		// No card holds this many characters: the rest would be cut anyway.
		text = string([]rune(text)[:cut])
	}
	texts := breakUnits(text)
	width := toFixed(box.width)
	linesFor := func(size float64) int {
		n := int((box.height-size)/(size*lineHeight)) + 1
		return max(1, min(n, box.maxLines))
	}
	if len(texts) == 0 {
		return titleLayout{face: newFace(f, box.maxSize, box.tracking), lineHeight: box.maxSize * lineHeight}
	}
	for _, breakWords := range []bool{false, true} {
		for size := box.maxSize; size >= box.minSize-0.001; size -= box.step {
			face := newFace(f, size, box.tracking)
			units := measureUnits(face, texts)
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
	lines, _ := wrap(face, measureUnits(face, texts), width, true)
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

// unit is a run of text a line is not broken in, measured in one face.
type unit struct {
	text        string
	width       fixed.Int26_6
	first, last rune
}

func measureUnits(t *textFace, texts []string) []unit {
	units := make([]unit, len(texts))
	for i, s := range texts {
		first, _ := utf8.DecodeRuneInString(s)
		last, _ := utf8.DecodeLastRuneInString(s)
		units[i] = unit{text: s, width: t.measure(s), first: first, last: last}
	}
	return units
}

// wrap fills lines greedily with units no wider than width. A unit wider than a line makes it fail,
// unless breakWords is set: then the unit is cut, with a hyphen between two letters. It takes time
// linear in the length of the text: widths add up (see measure).
func wrap(t *textFace, units []unit, width fixed.Int26_6, breakWords bool) ([]string, bool) {
	var lines, cur []string
	var curWidth fixed.Int26_6
	var curLast rune
	space := t.advance(' ')
	for _, u := range units {
		if len(cur) > 0 {
			w := curWidth + t.gap(curLast, ' ') + space + t.gap(' ', u.first) + u.width
			if w <= width {
				cur, curWidth, curLast = append(cur, u.text), w, u.last
				continue
			}
			lines = append(lines, strings.Join(cur, " "))
			cur = cur[:0]
		}
		if u.width <= width {
			cur, curWidth, curLast = append(cur, u.text), u.width, u.last
			continue
		}
		if !breakWords {
			return nil, false
		}
		pieces := breakWord(t, u.text, width)
		lines = append(lines, pieces[:len(pieces)-1]...)
		last := pieces[len(pieces)-1]
		cur, curWidth, curLast = append(cur, last), t.measure(last), u.last
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines, true
}

// breakWord cuts a unit too wide for a line into pieces that fit, each but the last ending with a hyphen
// when cut between two letters. A piece holds at least one character.
func breakWord(t *textFace, u string, width fixed.Int26_6) []string {
	runes := []rune(u)
	hyphen := t.advance('-')
	cutBetweenLetters := func(i int) bool { // a cut before runes[i]
		return i > 0 && i < len(runes) && unicode.IsLetter(runes[i-1]) && unicode.IsLetter(runes[i])
	}
	var pieces []string
	for start := 0; start < len(runes); {
		var w fixed.Int26_6
		end := start
		for ; end < len(runes); end++ {
			r := runes[end]
			next := w + t.advance(r)
			if end > start {
				next += t.gap(runes[end-1], r)
			}
			need := next
			if cutBetweenLetters(end + 1) {
				need += t.gap(r, '-') + hyphen
			}
			if end > start && need > width {
				break
			}
			w = next
		}
		piece := string(runes[start:end])
		if cutBetweenLetters(end) {
			piece += "-"
		}
		pieces = append(pieces, strings.TrimLeft(piece, " "))
		start = end
	}
	return pieces
}

// balance returns the lines of the narrowest wrap that still takes n lines.
func balance(t *textFace, units []unit, width fixed.Int26_6, n int) []string {
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
