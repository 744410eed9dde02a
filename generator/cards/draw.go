package cards

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"sync"
	"unicode"
)

// geometry is a layout's measures in pixels, scaled to the card's size.
type geometry struct {
	margin     float64
	band       float64 // width of the accent band along the left edge
	kickerSize float64
	kickerGap  float64 // from the kicker's baseline to the top of the title's box
	title      titleBox
	titleGap   float64 // from the bottom of the title's box to the top of the footer
	avatar     float64 // diameter of the author's photo
	nameSize   float64
	siteSize   float64
	footerGap  float64 // between the avatar and the names, and between the two names
	decor      float64 // radius of the disc in the top-right corner
}

func newGeometry(w, h int) geometry {
	if w > h {
		u := min(float64(w)/OpenGraphWidth, float64(h)/OpenGraphHeight)
		return geometry{
			margin: 64 * u, band: 14 * u, kickerSize: 24 * u, kickerGap: 34 * u, titleGap: 40 * u,
			title:  titleBox{maxLines: 4, maxSize: 80 * u, minSize: 44 * u, step: 2 * u, tracking: -0.01},
			avatar: 88 * u, nameSize: 30 * u, siteSize: 24 * u, footerGap: 24 * u, decor: 330 * u,
		}
	}
	u := min(float64(w), float64(h)) / SquareWidth
	return geometry{
		margin: 80 * u, band: 16 * u, kickerSize: 30 * u, kickerGap: 44 * u, titleGap: 56 * u,
		title:  titleBox{maxLines: 6, maxSize: 112 * u, minSize: 56 * u, step: 2 * u, tracking: -0.01},
		avatar: 112 * u, nameSize: 38 * u, siteSize: 30 * u, footerGap: 30 * u, decor: 420 * u,
	}
}

// frame is where the parts of a card go, decided before anything is drawn.
type frame struct {
	g           geometry
	left, right float64 // the text column
	footerTop   float64 // top of the footer, or of the bottom margin when there is no footer
	author      string  // the author's name, prepared for the bold font
	site        string  // the site's name, prepared for the font it is drawn with
	kicker      string  // in capitals, prepared
	kickerFace  *textFace
	title       titleBox // the box the title must fit in
}

func newFrame(fs *fontSet, style Style, card Card) frame {
	g := newGeometry(card.Width, card.Height)
	f := frame{
		g:          g,
		left:       g.margin + g.band/2,
		right:      float64(card.Width) - g.margin,
		footerTop:  float64(card.Height) - g.margin,
		author:     prepare(fs.bold, style.AuthorName),
		kicker:     prepare(fs.bold, strings.ToUpper(card.Kicker)),
		kickerFace: newFace(fs.bold, g.kickerSize, 0.08),
	}
	siteFont := fs.regular
	if f.author == "" {
		siteFont = fs.bold // alone, the site's name takes the author's place
	}
	f.site = prepare(siteFont, style.SiteName)
	if f.author != "" || f.site != "" || len(style.AuthorPhoto) > 0 {
		f.footerTop -= g.avatar
	}
	top := g.margin
	if f.kicker != "" {
		top += capHeight(f.kickerFace) + g.kickerGap
	}
	f.title = g.title
	f.title.width = f.right - f.left
	f.title.height = f.footerTop - g.titleGap - top
	return f
}

// paint lays the card out and draws it. Everything but the kicker and the title is the same on every
// card of a site and size: that background is drawn once (see background) and copied.
func paint(style Style, card Card, pal palette) (*canvas, *backgroundEntry, error) {
	fs, err := fonts()
	if err != nil {
		return nil, nil, err
	}
	f := newFrame(fs, style, card)
	g := f.g
	bg, err := background(fs, style, card, pal, f)
	if err != nil {
		return nil, nil, err
	}
	img := bg.img.clone()

	// The kicker, in capitals and spaced out, above the title, as large as its box allows; the two
	// together are centred in the space above the footer, a little above the middle.
	lay := layoutTitle(fs.bold, card.Title, f.title)
	bottom := f.footerTop - g.titleGap
	used := bottom - f.title.height - g.margin + capHeight(lay.face) + float64(max(0, len(lay.lines)-1))*lay.lineHeight
	y := g.margin + max(0, (bottom-g.margin-used)*0.42)
	if f.kicker != "" {
		k := f.kickerFace
		y += capHeight(k)
		k.draw(img, pal.kicker, f.left, y, ellipsize(k, f.kicker, toFixed(f.right-f.left)))
		y += g.kickerGap
	}
	y += capHeight(lay.face)
	for _, line := range lay.lines {
		lay.face.draw(img, pal.fg, f.left, y, line)
		y += lay.lineHeight
	}
	return img, bg, nil
}

// backgrounds keeps the last backgrounds drawn, by the Key of their style and size, so the thousands
// of cards of a site draw theirs once per size. An entry is drawn once even when many cards ask for it
// at the same time, and is never drawn on: cards draw on a copy.
var backgrounds struct {
	sync.Mutex
	m map[string]*backgroundEntry
}

// maxBackgrounds is how many backgrounds are kept: a site has one style and two or three sizes.
const maxBackgrounds = 8

type backgroundEntry struct {
	once sync.Once
	img  *canvas
	err  error

	bandsOnce  sync.Once
	compressed []band // the background's bands, compressed (see encodePaletted)
}

// bands returns the background's bands compressed, or nil if it is not paletted.
func (e *backgroundEntry) bands() []band {
	e.bandsOnce.Do(func() {
		c := e.img
		if c.rgba != nil {
			return
		}
		z := zlibWriters.Get().(*zlibWriter)
		defer zlibWriters.Put(z)
		for y0 := 0; y0 < c.h; y0 += bandRows {
			b, err := z.band(c.pix[y0*c.w:min(c.h, y0+bandRows)*c.w], c.w)
			if err != nil {
				e.compressed = nil // compressing into memory does not fail; if it did, cards compress every band
				return
			}
			e.compressed = append(e.compressed, b)
		}
	})
	return e.compressed
}

// background returns the card's background: its colour, the accent shapes and the footer.
func background(fs *fontSet, style Style, card Card, pal palette, f frame) (*backgroundEntry, error) {
	k := Key(style, Card{Width: card.Width, Height: card.Height})
	backgrounds.Lock()
	e := backgrounds.m[k]
	if e == nil {
		if len(backgrounds.m) >= maxBackgrounds || backgrounds.m == nil {
			backgrounds.m = make(map[string]*backgroundEntry)
		}
		e = &backgroundEntry{}
		backgrounds.m[k] = e
	}
	backgrounds.Unlock()
	e.once.Do(func() { e.img, e.err = paintBackground(fs, style, card.Width, card.Height, pal, f) })
	return e, e.err
}

func paintBackground(fs *fontSet, style Style, w, h int, pal palette, f frame) (*canvas, error) {
	g := f.g
	img := newCanvas(w, h, pal.bg)

	// The accent shapes: a band along the left edge and a quiet disc with a ring in the top-right corner.
	fillRing(img, float64(w), 0, g.decor, 0, pal.decor)
	fillRing(img, float64(w), 0, g.decor*1.28, g.decor*1.28-g.band/4, pal.ring)
	fillRect(img, 0, 0, g.band, float64(h), pal.accent)

	// Footer: the author's photo or initials, the author's name and the site's name.
	if f.footerTop < float64(h)-g.margin {
		cy := f.footerTop + g.avatar/2
		x := f.left
		switch ini := initials(f.author); {
		case len(style.AuthorPhoto) > 0:
			photo, err := authorPhoto(style.AuthorPhoto, int(math.Round(g.avatar)))
			if err != nil {
				return nil, err
			}
			pts := drawPhoto(img, int(math.Round(x)), int(math.Round(f.footerTop)), photo)
			img.quantize(pts, photoColours)
			x += g.avatar + g.footerGap
		case ini != "":
			r := g.avatar / 2
			fillRing(img, x+r, cy, r, 0, pal.accent)
			face := newFace(fs.bold, g.avatar*0.38, 0.02)
			face.draw(img, pal.onAccent, x+r-fromFixed(face.measure(ini))/2, cy+capHeight(face)/2, ini)
			x += g.avatar + g.footerGap
		}
		width := toFixed(f.right - x)
		name := newFace(fs.bold, g.nameSize, 0)
		switch {
		case f.author != "" && f.site != "":
			sub := newFace(fs.regular, g.siteSize, 0)
			nc, sc := capHeight(name), capHeight(sub)
			base := cy - (nc+g.footerGap/2+sc)/2 + nc
			name.draw(img, pal.fg, x, base, ellipsize(name, f.author, width))
			sub.draw(img, pal.muted, x, base+g.footerGap/2+sc, ellipsize(sub, f.site, width))
		case f.author != "" || f.site != "":
			name.draw(img, pal.fg, x, cy+capHeight(name)/2, ellipsize(name, f.author+f.site, width))
		}
	}
	// A photo turned the canvas RGB; drawn with photoColours colours, it fits a palette again.
	img.toPaletted()
	return img, nil
}

// capHeight is the height of the face's capital letters, in pixels.
func capHeight(t *textFace) float64 {
	if c := t.face.Metrics().CapHeight; c > 0 {
		return fromFixed(c)
	}
	return t.size * 0.7
}

// initials returns the first letters of the first and last words of name, in capitals: "CD" for
// "Camille Durand", "C" for "Camille".
func initials(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) == 0 {
		return ""
	}
	first := func(w string) string {
		for _, r := range w {
			return string(unicode.ToUpper(r))
		}
		return ""
	}
	s := first(words[0])
	if len(words) > 1 {
		s += first(words[len(words)-1])
	}
	return s
}

// fillRect fills the rectangle from (x0, y0) to (x1, y1) with c, anti-aliasing partial pixels.
func fillRect(dst *canvas, x0, y0, x1, y1 float64, c color.RGBA) {
	b := dst.bounds()
	for py := max(int(math.Floor(y0)), b.Min.Y); py < min(int(math.Ceil(y1)), b.Max.Y); py++ {
		cy := clamp01(min(y1, float64(py+1)) - max(y0, float64(py)))
		for px := max(int(math.Floor(x0)), b.Min.X); px < min(int(math.Ceil(x1)), b.Max.X); px++ {
			cx := clamp01(min(x1, float64(px+1)) - max(x0, float64(px)))
			dst.blend(px, py, c, coverage(cx*cy))
		}
	}
}

// fillRing fills the disc of radius outer centred on (cx, cy), minus the disc of radius inner, with c;
// edges are anti-aliased from each pixel's distance to the centre.
func fillRing(dst *canvas, cx, cy, outer, inner float64, c color.RGBA) {
	r := image.Rect(int(cx-outer)-1, int(cy-outer)-1, int(cx+outer)+2, int(cy+outer)+2).Intersect(dst.bounds())
	in2 := (inner - 1) * (inner - 1)
	out2 := (outer + 1) * (outer + 1)
	for py := r.Min.Y; py < r.Max.Y; py++ {
		dy := float64(py) + 0.5 - cy
		for px := r.Min.X; px < r.Max.X; px++ {
			dx := float64(px) + 0.5 - cx
			d2 := dx*dx + dy*dy
			if d2 >= out2 || (inner > 0 && d2 <= in2) {
				continue
			}
			d := math.Sqrt(d2)
			a := clamp01(outer - d + 0.5)
			if inner > 0 {
				a -= clamp01(inner - d + 0.5)
			}
			dst.blend(px, py, c, coverage(a))
		}
	}
}

// drawPhoto draws the square photo with its top-left corner at (x, y), inside a circle.
// It returns the pixels it painted.
func drawPhoto(dst *canvas, x, y int, photo *image.RGBA) []image.Point {
	var pts []image.Point
	d := photo.Bounds().Dx()
	r := float64(d) / 2
	for py := range d {
		dy := float64(py) + 0.5 - r
		for px := range d {
			dx := float64(px) + 0.5 - r
			a := clamp01(r - math.Sqrt(dx*dx+dy*dy) + 0.5)
			c := photo.RGBAAt(px, py)
			if a == 0 || c.A == 0 || !(image.Point{x + px, y + py}.In(dst.bounds())) {
				continue
			}
			if c.A < 255 { // premultiplied: back to the colour, its alpha into the coverage
				un := func(v uint8) uint8 { return uint8(min(255, (int(v)*255+int(c.A)/2)/int(c.A))) }
				c = color.RGBA{un(c.R), un(c.G), un(c.B), 255}
				a *= float64(photo.RGBAAt(px, py).A) / 255
			}
			if q := coverage(a); q > 0 {
				dst.blend(x+px, y+py, c, q)
				pts = append(pts, image.Pt(x+px, y+py))
			}
		}
	}
	return pts
}

func clamp01(v float64) float64 { return min(1, max(0, v)) }

// palette holds the colours a card is drawn with.
type palette struct {
	bg, fg, accent color.RGBA
	kicker         color.RGBA // the accent, or the foreground when the accent is hard to read
	muted          color.RGBA // secondary text: the site's name
	onAccent       color.RGBA // text on the accent: the initials
	decor, ring    color.RGBA // the corner shapes, the accent faded into the background
}

// Default colours, for a style that leaves one empty.
const (
	defaultBackground = "#ffffff"
	defaultForeground = "#1b1f23"
	defaultAccent     = "#1d3557"
)

// minKickerContrast is WCAG's minimum contrast for large text and graphics.
const minKickerContrast = 3

func newPalette(s Style) (palette, error) {
	var p palette
	for _, c := range []struct {
		name, value, def string
		dst              *color.RGBA
	}{
		{"background", s.Background, defaultBackground, &p.bg},
		{"foreground", s.Foreground, defaultForeground, &p.fg},
		{"accent", s.Accent, defaultAccent, &p.accent},
	} {
		v := c.value
		if strings.TrimSpace(v) == "" {
			v = c.def
		}
		col, err := parseHex(v)
		if err != nil {
			return p, fmt.Errorf("cards: %s colour: %w", c.name, err)
		}
		*c.dst = col
	}
	p.kicker = p.accent
	if contrast(p.accent, p.bg) < minKickerContrast {
		p.kicker = p.fg
	}
	p.muted = mix(p.fg, p.bg, 0.3)
	if contrast(p.muted, p.bg) < 4.5 {
		p.muted = p.fg
	}
	p.onAccent = p.bg
	if contrast(p.fg, p.accent) > contrast(p.bg, p.accent) {
		p.onAccent = p.fg
	}
	p.decor = mix(p.bg, p.accent, 0.07)
	p.ring = mix(p.bg, p.accent, 0.22)
	return p, nil
}

// parseHex reads a CSS hex colour: #rgb, #rgba, #rrggbb or #rrggbbaa. Alpha is ignored: a card is opaque.
func parseHex(s string) (color.RGBA, error) {
	h, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if !ok {
		return color.RGBA{}, fmt.Errorf("%q is not a CSS hex colour like \"#1d3557\"", s)
	}
	if len(h) == 3 || len(h) == 4 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) == 8 {
		h = h[:6]
	}
	var v [3]uint8
	if len(h) != 6 {
		return color.RGBA{}, fmt.Errorf("%q is not a CSS hex colour like \"#1d3557\"", s)
	}
	for i := range v {
		hi, ok1 := hexDigit(h[2*i])
		lo, ok2 := hexDigit(h[2*i+1])
		if !ok1 || !ok2 {
			return color.RGBA{}, fmt.Errorf("%q is not a CSS hex colour like \"#1d3557\"", s)
		}
		v[i] = hi<<4 | lo
	}
	return color.RGBA{v[0], v[1], v[2], 255}, nil
}

func hexDigit(c byte) (uint8, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// mix returns a + (b - a)·t, channel by channel.
func mix(a, b color.RGBA, t float64) color.RGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 255}
}

// contrast is the WCAG 2 contrast ratio of two colours, from 1 to 21.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is the WCAG 2 relative luminance of c.
func luminance(c color.RGBA) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}
