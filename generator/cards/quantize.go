package cards

import (
	"cmp"
	"image"
	"image/color"
	"slices"
)

// photoColours is how many colours the author's photo is drawn with. A card's background takes about
// 80 colours and its text about 70: 80 more keep a card with a photo within a palette's 256, and at
// the size of an avatar (88 pixels across) 80 colours chosen for the photo look like the photo.
const photoColours = 80

// quantize draws the pixels pts of c, which must be RGB, with at most n colours: those of a median
// cut of their colours (the box with the widest channel split at its median, until there are n
// boxes), each pixel taking its nearest. The result depends only on the pixels.
func (c *canvas) quantize(pts []image.Point, n int) {
	if c.rgba == nil || len(pts) == 0 {
		return
	}
	cols := make([]color.RGBA, len(pts))
	for i, p := range pts {
		cols[i] = c.rgba.RGBAAt(p.X, p.Y)
	}
	boxes := [][]color.RGBA{slices.Clone(cols)}
	for len(boxes) < n {
		// The box whose widest channel is widest; the first of equals.
		best, bestCh, bestRange := -1, 0, 0
		for i, b := range boxes {
			if len(b) < 2 {
				continue
			}
			ch, r := widest(b)
			if r > bestRange {
				best, bestCh, bestRange = i, ch, r
			}
		}
		if best < 0 {
			break // every box holds one colour
		}
		b := boxes[best]
		slices.SortFunc(b, func(x, y color.RGBA) int {
			if d := cmp.Compare(channel(x, bestCh), channel(y, bestCh)); d != 0 {
				return d
			}
			return cmp.Compare(key(x), key(y))
		})
		m := len(b) / 2
		boxes[best] = b[:m:m]
		boxes = append(boxes, b[m:])
	}
	pal := make([]color.RGBA, len(boxes))
	for i, b := range boxes {
		var r, g, bl int
		for _, x := range b {
			r, g, bl = r+int(x.R), g+int(x.G), bl+int(x.B)
		}
		k := len(b)
		pal[i] = color.RGBA{uint8((r + k/2) / k), uint8((g + k/2) / k), uint8((bl + k/2) / k), 255}
	}
	for i, p := range pts {
		// Ordered dithering: a 4×4 Bayer pattern nudges each pixel before the nearest colour is chosen,
		// so that gradients do not turn into bands.
		o := (int(bayer[p.Y&3][p.X&3])*2 - 15) * ditherSpread / 32
		r, g, b := int(cols[i].R)+o, int(cols[i].G)+o, int(cols[i].B)+o
		near, dist := 0, 1<<30
		for k, q := range pal {
			dr, dg, db := r-int(q.R), g-int(q.G), b-int(q.B)
			if d := dr*dr + dg*dg + db*db; d < dist {
				near, dist = k, d
			}
		}
		c.rgba.SetRGBA(p.X, p.Y, pal[near])
	}
}

// bayer is the 4×4 ordered-dithering matrix, 0 to 15.
var bayer = [4][4]uint8{{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}}

// ditherSpread is how far dithering moves a pixel's channels, from -ditherSpread/2 to +ditherSpread/2:
// about the distance between two neighbouring colours of the photo's palette.
const ditherSpread = 12

func channel(c color.RGBA, ch int) uint8 {
	switch ch {
	case 0:
		return c.R
	case 1:
		return c.G
	}
	return c.B
}

func key(c color.RGBA) uint32 { return uint32(c.R)<<16 | uint32(c.G)<<8 | uint32(c.B) }

// widest returns the channel whose values spread widest in b, and how wide.
func widest(b []color.RGBA) (ch, width int) {
	lo, hi := [3]uint8{255, 255, 255}, [3]uint8{}
	for _, x := range b {
		for k := range 3 {
			v := channel(x, k)
			lo[k], hi[k] = min(lo[k], v), max(hi[k], v)
		}
	}
	for k := range 3 {
		if w := int(hi[k]) - int(lo[k]); w > width {
			ch, width = k, w
		}
	}
	return ch, width
}

// toPaletted turns an RGB canvas back into a paletted one when it holds 256 colours or fewer, in the
// order of first appearance, row by row.
func (c *canvas) toPaletted() {
	if c.rgba == nil {
		return
	}
	pix := make([]uint8, c.w*c.h)
	pal := make([]color.RGBA, 0, 256)
	index := make(map[color.RGBA]uint8, 256)
	last, lastIndex := color.RGBA{}, -1
	for i := range pix {
		p := c.rgba.Pix[4*i : 4*i+4 : 4*i+4]
		col := color.RGBA{p[0], p[1], p[2], 255}
		if lastIndex >= 0 && col == last {
			pix[i] = uint8(lastIndex)
			continue
		}
		k, ok := index[col]
		if !ok {
			if len(pal) == 256 {
				return
			}
			k = uint8(len(pal))
			pal = append(pal, col)
			index[col] = k
		}
		pix[i], last, lastIndex = k, col, int(k)
	}
	c.pix, c.pal, c.index, c.rgba = pix, pal, index, nil
}
