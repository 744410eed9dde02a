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
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// fontSet holds the parsed fonts. Parsed fonts are safe for concurrent use; faces made from them are not,
// so every Render makes its own.
type fontSet struct {
	bold, regular *opentype.Font
}

// fonts parses the bundled Go fonts once, on first use.
var fonts = sync.OnceValues(func() (*fontSet, error) {
	var fs fontSet
	for _, f := range []struct {
		dst *(*opentype.Font)
		src []byte
	}{{&fs.bold, gobold.TTF}, {&fs.regular, goregular.TTF}} {
		parsed, err := opentype.Parse(f.src)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errNoFont, err)
		}
		*f.dst = parsed
	}
	return &fs, nil
})

// spaceWidths lists the spaces the Go fonts lack (French typography uses U+202F and U+2009), with the
// blank they are drawn as, in widths of U+0020. Lines are only broken at U+0020 (see breakUnits).
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

// noBreak reports whether r is a no-break space.
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
}

// newFace makes a face of f at size pixels, letters spaced by tracking em (negative tightens).
func newFace(f *opentype.Font, size, tracking float64) *textFace {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// NewFace fails only for a nil font or a non-positive size, which callers never pass.
		panic(err)
	}
	space, _ := face.GlyphAdvance(' ')
	return &textFace{font: f, face: face, size: size, space: space, tracking: toFixed(size * tracking)}
}

func toFixed(v float64) fixed.Int26_6 { return fixed.Int26_6(v*64 + 0.5) }

func fromFixed(v fixed.Int26_6) float64 { return float64(v) / 64 }

// advance returns how far the pen moves for r: its glyph's advance, or the width of a space the font
// lacks (see spaceWidths).
func (t *textFace) advance(r rune) fixed.Int26_6 {
	if w, ok := spaceWidths[r]; ok {
		return fixed.Int26_6(float64(t.space) * w)
	}
	a, _ := t.face.GlyphAdvance(r)
	return a
}

// gap is the space added between two consecutive runes a and b: the tracking, and their kerning
// unless one is a space the font lacks.
func (t *textFace) gap(a, b rune) fixed.Int26_6 {
	if _, ok := spaceWidths[a]; ok {
		return t.tracking
	}
	if _, ok := spaceWidths[b]; ok {
		return t.tracking
	}
	return t.face.Kern(a, b) + t.tracking
}

// measure returns the width of s drawn on one line. Widths add up: the width of a+b is the width of a,
// the gap between a's last rune and b's first, and the width of b.
func (t *textFace) measure(s string) fixed.Int26_6 {
	var x fixed.Int26_6
	t.walk(s, func(r rune, dot fixed.Int26_6) { x = dot })
	return x
}

// walk calls fn with the pen position before each rune of s, and once more at the end with r == -1.
func (t *textFace) walk(s string, fn func(r rune, dot fixed.Int26_6)) {
	var x fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if prev >= 0 {
			x += t.gap(prev, r)
		}
		fn(r, x)
		x += t.advance(r)
		prev = r
	}
	fn(-1, x)
}

// draw draws s with its baseline's left end at (x, y). Glyphs are placed to a quarter of a pixel, which
// the eye cannot tell from exact placement, so that the few shapes a site's cards use are rasterised
// once (see glyphs).
func (t *textFace) draw(dst *canvas, c color.RGBA, x, y float64, s string) {
	ox, oy := toFixed(x), quarter(toFixed(y))
	t.walk(s, func(r rune, dot fixed.Int26_6) {
		if r < 0 || unicode.IsSpace(r) {
			return
		}
		px := quarter(ox + dot)
		g := t.glyph(r, px&63, oy&63)
		if g.mask == nil {
			return
		}
		at := g.rect.Add(image.Pt(int(px>>6), int(oy>>6)))
		clip := at.Intersect(dst.bounds())
		if clip.Empty() {
			return
		}
		dst.drawMask(clip, c, g.mask, g.rect.Dx(), clip.Min.Sub(at.Min))
	})
}

// quarter rounds v to a quarter of a pixel.
func quarter(v fixed.Int26_6) fixed.Int26_6 { return (v + 8) &^ 15 }

// glyphKey names a glyph's shape: a rune of a font at a size, at a fraction of a pixel (in 1/64) from
// the pixel grid.
type glyphKey struct {
	font   *opentype.Font
	size   fixed.Int26_6
	r      rune
	fx, fy fixed.Int26_6
}

// glyphShape is a glyph's coverage over rect, in pixels relative to the pen's whole pixel: mask holds
// a number of levels (0 to levels, see coverage) per pixel, row by row. A nil mask draws nothing.
type glyphShape struct {
	rect image.Rectangle
	mask []uint8
}

// glyphs keeps glyph shapes across cards and goroutines: a site's cards draw the same few hundred
// shapes thousands of times. It holds at most maxGlyphBytes of masks; past that, shapes are rasterised
// each time. A shape is the same whoever rasterised it, so what is kept never changes a card.
var glyphs struct {
	sync.RWMutex
	m     map[glyphKey]glyphShape
	bytes int
}

const maxGlyphBytes = 16 << 20

func (t *textFace) glyph(r rune, fx, fy fixed.Int26_6) glyphShape {
	k := glyphKey{t.font, toFixed(t.size), r, fx, fy}
	glyphs.RLock()
	g, ok := glyphs.m[k]
	glyphs.RUnlock()
	if ok {
		return g
	}
	dr, mask, mp, _, ok := t.face.Glyph(fixed.Point26_6{X: fx, Y: fy}, r)
	if ok && !dr.Empty() {
		// The face reuses its mask for the next glyph: copy it, as levels.
		a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		imagedraw.Draw(a, a.Bounds(), mask, mp, imagedraw.Src)
		for i, v := range a.Pix {
			a.Pix[i] = uint8(maskCoverage(v))
		}
		g = glyphShape{rect: dr, mask: a.Pix}
	}
	glyphs.Lock()
	if glyphs.bytes+g.rect.Dx()*g.rect.Dy()+64 <= maxGlyphBytes {
		if glyphs.m == nil {
			glyphs.m = make(map[glyphKey]glyphShape)
		}
		if _, dup := glyphs.m[k]; !dup {
			glyphs.m[k] = g
			glyphs.bytes += g.rect.Dx()*g.rect.Dy() + 64
		}
	}
	glyphs.Unlock()
	return g
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
	return strings.TrimFunc(b.String(), unicode.IsSpace)
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

// ellipsize shortens s with "…" until it fits in width, cutting after a whole word when that does not
// cost more than a third of the width. It takes time linear in the length of s.
func ellipsize(t *textFace, s string, width fixed.Int26_6) string {
	if t.measure(s) <= width {
		return s
	}
	runes := []rune(s)
	pre := make([]fixed.Int26_6, len(runes)+1) // pre[i] is the width of runes[:i]
	for i, r := range runes {
		pre[i+1] = pre[i] + t.advance(r)
		if i > 0 {
			pre[i+1] += t.gap(runes[i-1], r)
		}
	}
	ellipsis := t.advance('…')
	fits := func(n int) bool { return pre[n]+t.gap(runes[n-1], '…')+ellipsis <= width }
	trim := func(n int) int {
		for n > 0 && isTrimmedBeforeEllipsis(runes[n-1]) {
			n--
		}
		return n
	}
	for n := len(runes) - 1; n > 0; n-- {
		m := trim(n)
		if m == 0 || !fits(m) {
			continue
		}
		if runes[n] != ' ' { // the cut falls inside a word: end at the word before if it is long enough
			for k := m - 1; k > 0; k-- {
				if runes[k] == ' ' {
					if w := trim(k); w > 0 && pre[w]*3 >= width*2 {
						return string(runes[:w]) + "…"
					}
					break
				}
			}
		}
		return string(runes[:m]) + "…"
	}
	return "…"
}

func isTrimmedBeforeEllipsis(r rune) bool {
	return unicode.IsSpace(r) || noBreak(r) || spaceWidths[r] != 0 || strings.ContainsRune(",;:.-–—«(", r)
}
