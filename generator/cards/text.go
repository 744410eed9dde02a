package cards

import (
	"fmt"
	"image"
	"image/color"
	imagedraw "image/draw"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// fontSet holds the parsed fonts. Parsed fonts are safe for concurrent use; faces made from them are not,
// so every Render makes its own.
type fontSet struct {
	bold, medium, regular *opentype.Font
}

// fonts parses the bundled Go fonts once, on first use.
var fonts = sync.OnceValues(func() (*fontSet, error) {
	var fs fontSet
	for _, f := range []struct {
		dst *(*opentype.Font)
		src []byte
	}{{&fs.bold, gobold.TTF}, {&fs.medium, gomedium.TTF}, {&fs.regular, goregular.TTF}} {
		parsed, err := opentype.Parse(f.src)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNoFont, err)
		}
		*f.dst = parsed
	}
	return &fs, nil
})

// Runes the Go fonts lack but French text uses, drawn as spaces of a given width (in spaces) and never
// broken across lines when they are no-break spaces.
var spaceWidths = map[rune]float64{
	'\u2002': 1.8, // en space
	'\u2003': 3.6, // em space
	'\u2004': 1.2,
	'\u2005': 0.9,
	'\u2006': 0.6,
	'\u2007': 1.9, // figure space, no-break
	'\u2008': 0.9,
	'\u2009': 0.7, // thin space
	'\u200A': 0.4, // hair space
	'\u202F': 0.6, // narrow no-break space, before ; : ! ? » and after « in French
	'\u205F': 0.8,
	'\u3000': 3.6,
}

// noBreak lists the spaces a line must not be broken at.
func noBreak(r rune) bool { return r == '\u00A0' || r == '\u202F' || r == '\u2007' }

// substitutes maps runes the fonts lack to ones they have.
var substitutes = map[rune]string{
	'\u2010': "-", '\u2011': "-", '\u2012': "–", '\u2015': "—", '\u2212': "-",
	'\u2032': "’", '\u2033': "”", '\u2027': "·", '\u2043': "-", '\u02BC': "’",
}

// textFace is a font at one size, with the spacing we draw it with.
type textFace struct {
	font     *opentype.Font
	face     font.Face
	size     float64
	space    fixed.Int26_6 // advance of U+0020
	tracking fixed.Int26_6 // added between letters
	ascent   fixed.Int26_6
	descent  fixed.Int26_6
}

// newFace makes a face of f at size pixels, letters spaced by tracking em (negative tightens).
func newFace(f *opentype.Font, size, tracking float64) *textFace {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// NewFace fails only for a nil font or a non-positive size, which callers never pass.
		panic(err)
	}
	space, _ := face.GlyphAdvance(' ')
	m := face.Metrics()
	return &textFace{font: f, face: face, size: size, space: space, tracking: toFixed(size * tracking),
		ascent: m.Ascent, descent: m.Descent}
}

func toFixed(v float64) fixed.Int26_6 { return fixed.Int26_6(v*64 + 0.5) }

func fromFixed(v fixed.Int26_6) float64 { return float64(v) / 64 }

// spaceAdvance returns the advance of a space rune the font lacks, and whether r is one.
func (t *textFace) spaceAdvance(r rune) (fixed.Int26_6, bool) {
	w, ok := spaceWidths[r]
	if !ok {
		return 0, false
	}
	return fixed.Int26_6(float64(t.space) * w), true
}

// measure returns the width of s drawn on one line.
func (t *textFace) measure(s string) fixed.Int26_6 {
	var x fixed.Int26_6
	t.walk(s, func(r rune, dot fixed.Int26_6) { x = dot })
	return x
}

// walk calls fn with the pen position before each rune of s, and once more at the end with r == -1.
// Kerning and tracking are applied as when drawing.
func (t *textFace) walk(s string, fn func(r rune, dot fixed.Int26_6)) {
	var x fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if adv, ok := t.spaceAdvance(r); ok {
			if prev >= 0 {
				x += t.tracking
			}
			fn(r, x)
			x += adv
			prev = -1
			continue
		}
		if prev >= 0 {
			x += t.face.Kern(prev, r) + t.tracking
		}
		fn(r, x)
		adv, _ := t.face.GlyphAdvance(r)
		x += adv
		prev = r
	}
	fn(-1, x)
}

// draw draws s with its baseline's left end at (x, y).
func (t *textFace) draw(dst *image.RGBA, c color.RGBA, x, y float64, s string) {
	src := image.NewUniform(c)
	ox, oy := toFixed(x), toFixed(y)
	t.walk(s, func(r rune, dot fixed.Int26_6) {
		if r < 0 || unicode.IsSpace(r) {
			return
		}
		dr, mask, mp, _, ok := t.face.Glyph(fixed.Point26_6{X: ox + dot, Y: oy}, r)
		if !ok {
			return
		}
		imagedraw.DrawMask(dst, dr, src, image.Point{}, mask, mp, imagedraw.Over)
	})
}

// prepare turns text into what the font can draw: NFC-normalised, runes the font lacks replaced (see the
// package doc), control characters dropped, runs of spaces collapsed and the ends trimmed.
func prepare(f *opentype.Font, s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "")
	}
	s = norm.NFC.String(s)
	var buf sfnt.Buffer
	has := func(r rune) bool {
		i, err := f.GlyphIndex(&buf, r)
		return err == nil && i != 0
	}
	var b strings.Builder
	b.Grow(len(s))
	space := true // drop leading spaces
	put := func(r rune) {
		isSpace := r == ' '
		if isSpace && space {
			return
		}
		space = isSpace || noBreak(r) || spaceWidths[r] != 0
		b.WriteRune(r)
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			put(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Zero-width and formatting characters draw nothing.
		case has(r):
			put(r)
		case spaceWidths[r] != 0:
			put(r)
		case unicode.Is(unicode.Zs, r):
			put(' ')
		case substitutes[r] != "":
			for _, s := range substitutes[r] {
				put(s)
			}
		default:
			for _, d := range fallback(r, has) {
				put(d)
			}
		}
	}
	return strings.TrimRightFunc(b.String(), func(r rune) bool { return r == ' ' })
}

// fallback returns what to draw for a rune the font lacks: the letter with fewer accents ("ễ" → "ê",
// then "e"), else the compatibility decomposition's letters the font has ("ｆ" → "f"), else nothing.
func fallback(r rune, has func(rune) bool) []rune {
	d := []rune(norm.NFD.String(string(r)))
	for len(d) > 1 {
		d = d[:len(d)-1]
		c := []rune(norm.NFC.String(string(d)))
		if len(c) == 1 && has(c[0]) {
			return c
		}
	}
	var out []rune
	for _, k := range norm.NFKD.String(string(r)) {
		if k != r && has(k) && !unicode.Is(unicode.Mn, k) {
			out = append(out, k)
		}
	}
	return out
}

// ellipsize shortens s with "…" until it fits in width, cutting after a whole word when one fits.
func ellipsize(t *textFace, s string, width fixed.Int26_6) string {
	if t.measure(s) <= width {
		return s
	}
	runes := []rune(s)
	for n := len(runes) - 1; n >= 0; n-- {
		head := strings.TrimRightFunc(string(runes[:n]), isTrimmedBeforeEllipsis)
		if head == "" && n > 0 {
			continue
		}
		if cand := head + "…"; t.measure(cand) <= width {
			// Prefer a cut at a word boundary if it does not lose more than a third of the line.
			if i := strings.LastIndexByte(head, ' '); i > 0 && n < len(runes) && runes[n] != ' ' {
				word := strings.TrimRightFunc(head[:i], isTrimmedBeforeEllipsis) + "…"
				if t.measure(word)*3 >= width*2 {
					return word
				}
			}
			return cand
		}
	}
	return "…"
}

func isTrimmedBeforeEllipsis(r rune) bool {
	return unicode.IsSpace(r) || noBreak(r) || spaceWidths[r] != 0 || strings.ContainsRune(",;:.-–—«(", r)
}
