package cards

import (
	"image"
	"image/color"
	"sync"
)

// levels is how many steps of coverage an anti-aliased edge is drawn with, from none to full. Sixteen
// steps cannot be told from 256 on text and curves, and they keep a card within 256 colours: each pair
// of colours that meet along an edge adds at most levels-1 colours between them. That lets a card be
// a paletted PNG, a third of the bytes to compress of an RGB one and with no filter to choose.
const levels = 16

// coverage turns a coverage in [0, 1] into a number of levels, rounded.
func coverage(a float64) int {
	if a <= 0 {
		return 0
	}
	if a >= 1 {
		return levels
	}
	return int(a*levels + 0.5)
}

// maskCoverage turns an 8-bit glyph mask value into a number of levels, rounded.
func maskCoverage(m uint8) int { return (int(m)*levels + 127) / 255 }

// over paints s over d with q levels of coverage: the colour every pixel of a card is made of.
func over(d, s color.RGBA, q int) color.RGBA {
	m := func(d, s uint8) uint8 { return uint8((int(d)*(levels-q) + int(s)*q + levels/2) / levels) }
	return color.RGBA{m(d.R, s.R), m(d.G, s.G), m(d.B, s.B), 255}
}

// canvas is a card being drawn. While it holds 256 colours or fewer (any card without an author
// photo), it keeps one palette index per pixel; the 257th colour turns it into RGB pixels for good. The
// palette is in the order colours were first painted, so the same drawing gives the same palette.
// Only opaque colours are painted.
type canvas struct {
	w, h int
	// Paletted: pix holds an index into pal per pixel, and index maps each colour to its index.
	pix   []uint8
	pal   []color.RGBA
	index map[color.RGBA]uint8
	// memo caches the index of over(pal[i], colour, q) for the colours text is drawn with, by i and q;
	// 0 is unknown, else the index plus one.
	memo []blendMemo
	// Not paletted: rgba holds the pixels, and pix, pal and index are nil.
	rgba *image.RGBA
}

type blendMemo struct {
	c    color.RGBA
	full uint8 // the index of c
	t    [256][levels]uint16
}

// newCanvas returns a w×h canvas filled with bg.
func newCanvas(w, h int, bg color.RGBA) *canvas {
	return &canvas{w: w, h: h, pix: make([]uint8, w*h), pal: []color.RGBA{bg}, index: map[color.RGBA]uint8{bg: 0}}
}

// clone returns a copy of c to draw on; c is left as it is, and may be cloned by several goroutines at
// once.
func (c *canvas) clone() *canvas {
	d := &canvas{w: c.w, h: c.h}
	if c.rgba != nil {
		d.rgba = &image.RGBA{Pix: append([]uint8(nil), c.rgba.Pix...), Stride: c.rgba.Stride, Rect: c.rgba.Rect}
		return d
	}
	if b, ok := pixBuffers.Get().(*[]uint8); ok && cap(*b) >= len(c.pix) {
		d.pix = (*b)[:len(c.pix)]
	} else {
		d.pix = make([]uint8, len(c.pix))
	}
	copy(d.pix, c.pix)
	d.pal = append(make([]color.RGBA, 0, 256), c.pal...)
	d.index = make(map[color.RGBA]uint8, 256)
	for i, col := range c.pal {
		d.index[col] = uint8(i)
	}
	return d
}

// pixBuffers holds the pixels of cards already encoded, for the next cards to be drawn on: a card's
// megabyte, new each time, would cost more to clear and collect than to draw.
var pixBuffers sync.Pool

// release gives the canvas's pixels back for another card; c must not be used after.
func (c *canvas) release() {
	if b := c.pix; b != nil {
		pixBuffers.Put(&b)
	}
	c.pix = nil
}

// bounds is the canvas's rectangle, from (0, 0).
func (c *canvas) bounds() image.Rectangle { return image.Rect(0, 0, c.w, c.h) }

// at returns the colour of the pixel at (x, y), which must be inside the canvas.
func (c *canvas) at(x, y int) color.RGBA {
	if c.rgba != nil {
		return c.rgba.RGBAAt(x, y)
	}
	return c.pal[c.pix[y*c.w+x]]
}

// colourIndex returns the palette index of col, adding it to the palette; false when the palette is
// full, and the canvas must turn to RGB.
func (c *canvas) colourIndex(col color.RGBA) (uint8, bool) {
	if i, ok := c.index[col]; ok {
		return i, true
	}
	if len(c.pal) == 256 {
		return 0, false
	}
	c.pal = append(c.pal, col)
	c.index[col] = uint8(len(c.pal) - 1)
	return uint8(len(c.pal) - 1), true
}

// toRGBA turns a paletted canvas into RGB pixels.
func (c *canvas) toRGBA() {
	img := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	for i, p := range c.pix {
		col := c.pal[p]
		img.Pix[4*i], img.Pix[4*i+1], img.Pix[4*i+2], img.Pix[4*i+3] = col.R, col.G, col.B, 255
	}
	c.rgba, c.pix, c.pal, c.index, c.memo = img, nil, nil, nil, nil
}

// blend paints col over the pixel at (x, y), inside the canvas, with q levels of coverage.
func (c *canvas) blend(x, y int, col color.RGBA, q int) {
	if q <= 0 {
		return
	}
	if c.rgba == nil {
		i := y*c.w + x
		out := col
		if q < levels {
			out = over(c.pal[c.pix[i]], col, q)
		}
		if k, ok := c.colourIndex(out); ok {
			c.pix[i] = k
			return
		}
		c.toRGBA()
	}
	p := c.rgba.Pix[c.rgba.PixOffset(x, y):]
	out := col
	if q < levels {
		out = over(color.RGBA{p[0], p[1], p[2], 255}, col, q)
	}
	p[0], p[1], p[2], p[3] = out.R, out.G, out.B, 255
}

// drawMask paints col through mask, levels of coverage stride bytes a row, whose pixel mp goes to the
// canvas's pixel at r.Min, over the rectangle r of the canvas (already clipped to it). It is how text
// is drawn, the only drawing done for every card, hence the memo of blends.
func (c *canvas) drawMask(r image.Rectangle, col color.RGBA, mask []uint8, stride int, mp image.Point) {
	if c.rgba != nil {
		c.drawMaskRGBA(r, col, mask, stride, mp)
		return
	}
	var memo *blendMemo
	for k := range c.memo {
		if c.memo[k].c == col {
			memo = &c.memo[k]
		}
	}
	if memo == nil {
		k, ok := c.colourIndex(col)
		if !ok {
			c.toRGBA()
			c.drawMaskRGBA(r, col, mask, stride, mp)
			return
		}
		c.memo = append(c.memo, blendMemo{c: col, full: k})
		memo = &c.memo[len(c.memo)-1]
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		my := mp.Y + y - r.Min.Y
		m := mask[my*stride+mp.X:][:r.Dx()]
		row := c.pix[y*c.w+r.Min.X:][:r.Dx()]
		for x, q := range m {
			switch q {
			case 0:
				continue
			case levels:
				row[x] = memo.full
				continue
			}
			d := row[x]
			if k := memo.t[d][q]; k != 0 {
				row[x] = uint8(k - 1)
				continue
			}
			k, ok := c.colourIndex(over(c.pal[d], col, int(q)))
			if !ok {
				c.toRGBA()
				c.drawMaskRGBA(image.Rect(r.Min.X+x, y, r.Max.X, y+1), col, mask, stride, image.Pt(mp.X+x, my))
				c.drawMaskRGBA(image.Rect(r.Min.X, y+1, r.Max.X, r.Max.Y), col, mask, stride, image.Pt(mp.X, my+1))
				return
			}
			memo.t[d][q] = uint16(k) + 1
			row[x] = k
		}
	}
}

func (c *canvas) drawMaskRGBA(r image.Rectangle, col color.RGBA, mask []uint8, stride int, mp image.Point) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		m := mask[(mp.Y+y-r.Min.Y)*stride+mp.X:][:r.Dx()]
		for x, q := range m {
			c.blend(r.Min.X+x, y, col, int(q))
		}
	}
}
