package cards

import (
	"bytes"
	"hash/adler32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"testing"
)

// decodePNG decodes a card; image/png checks every chunk's CRC and the zlib stream's Adler-32.
func decodePNG(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// pixelsOf returns the colours of a canvas, row by row.
func pixelsOf(c *canvas) []color.RGBA {
	var out []color.RGBA
	for y := range c.h {
		for x := range c.w {
			out = append(out, c.at(x, y))
		}
	}
	return out
}

// sameImage reports the first pixel where img and want differ.
func sameImage(t *testing.T, name string, img image.Image, want []color.RGBA, w int) {
	t.Helper()
	for i, c := range want {
		x, y := i%w, i/w
		if got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); got != c {
			t.Fatalf("%s: pixel (%d, %d) is %v, want %v", name, x, y, got, c)
		}
	}
}

func TestCardWithoutPhotoIsPalettedAndExact(t *testing.T) {
	for _, c := range []struct {
		style Style
		card  Card
	}{{baseStyle, og}, {Style{}, square}, {baseStyle, Card{Title: "Court", Width: 301, Height: 157}}} {
		pal, err := newPalette(c.style)
		if err != nil {
			t.Fatal(err)
		}
		img, bg, err := paint(c.style, c.card, pal)
		if err != nil {
			t.Fatal(err)
		}
		if img.rgba != nil {
			t.Fatalf("%d×%d: %d colours: not paletted", c.card.Width, c.card.Height, len(img.pal))
		}
		data, err := encodeCanvas(img, bg)
		if err != nil {
			t.Fatal(err)
		}
		if data[25] != 3 {
			t.Errorf("colour type %d, want 3 (paletted)", data[25])
		}
		// The bands taken from the background and those compressed for the card make one valid
		// stream, whose pixels are the canvas's.
		sameImage(t, "card", decodePNG(t, data), pixelsOf(img), img.w)

		// Without the background's bands, every band is compressed: the same pixels again.
		alone, err := encodeCanvas(img, nil)
		if err != nil {
			t.Fatal(err)
		}
		sameImage(t, "card without background", decodePNG(t, alone), pixelsOf(img), img.w)
	}
}

// TestCardWithPhotoIsPaletted: the author's photo is drawn with photoColours colours, and the card
// still fits a palette.
func TestCardWithPhotoIsPaletted(t *testing.T) {
	style := baseStyle
	style.AuthorPhoto = testPhoto(t, 200, 200)
	for _, card := range []Card{og, square} {
		pal, err := newPalette(style)
		if err != nil {
			t.Fatal(err)
		}
		img, bg, err := paint(style, card, pal)
		if err != nil {
			t.Fatal(err)
		}
		if img.rgba != nil {
			t.Fatalf("%d×%d with a photo: not paletted", card.Width, card.Height)
		}
		data, err := encodeCanvas(img, bg)
		if err != nil {
			t.Fatal(err)
		}
		sameImage(t, "card with a photo", decodePNG(t, data), pixelsOf(img), img.w)
	}
}

func TestQuantize(t *testing.T) {
	c := newCanvas(64, 64, color.RGBA{255, 255, 255, 255})
	c.toRGBA()
	var pts []image.Point
	for y := 8; y < 56; y++ {
		for x := 8; x < 56; x++ {
			c.rgba.SetRGBA(x, y, color.RGBA{uint8(4 * x), uint8(4 * y), uint8(2 * (x + y)), 255})
			pts = append(pts, image.Pt(x, y))
		}
	}
	c.quantize(pts, 20)
	seen := map[color.RGBA]bool{}
	for _, p := range pts {
		got := c.rgba.RGBAAt(p.X, p.Y)
		seen[got] = true
		want := color.RGBA{uint8(4 * p.X), uint8(4 * p.Y), uint8(2 * (p.X + p.Y)), 255}
		if d := max(diff(got.R, want.R), diff(got.G, want.G), diff(got.B, want.B)); d > 40 {
			t.Fatalf("pixel %v is %v, far from %v", p, got, want)
		}
	}
	if len(seen) > 20 || len(seen) < 10 {
		t.Errorf("%d colours, want at most 20 and most of them used", len(seen))
	}
	if got := c.rgba.RGBAAt(2, 2); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("a pixel not given was changed to %v", got)
	}
	c.toPaletted()
	if c.rgba != nil || len(c.pal) != len(seen)+1 {
		t.Errorf("back to a palette: rgba %v, %d colours", c.rgba != nil, len(c.pal))
	}
}

func diff(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }

// TestCardBytesDoNotDependOnMemos draws a card, forgets the backgrounds and glyphs kept, draws others
// and the same card again: the bytes are those of the first.
func TestCardBytesDoNotDependOnMemos(t *testing.T) {
	first, err := Render(baseStyle, og)
	if err != nil {
		t.Fatal(err)
	}
	backgrounds.Lock()
	backgrounds.m = nil
	backgrounds.Unlock()
	glyphs.Lock()
	glyphs.m, glyphs.bytes = nil, 0
	glyphs.Unlock()
	for _, title := range cardTitles {
		c := og
		c.Title = title
		if _, err := Render(baseStyle, c); err != nil {
			t.Fatal(err)
		}
	}
	again, err := Render(baseStyle, og)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Error("the same card drawn after others differs from the first one drawn")
	}
}

// TestCanvasTurnsRGB draws the same shapes and text on a paletted canvas and on an RGB one, with so
// many colours that the paletted one runs out in the middle of a glyph: the pixels are the same.
func TestCanvasTurnsRGB(t *testing.T) {
	fs, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	bg := color.RGBA{250, 248, 243, 255}
	draw := func(c *canvas) {
		for i := range 240 { // a strip of 240 colours
			c.blend(i%c.w, 0, color.RGBA{uint8(i), 100, 200, 255}, levels)
		}
		fillRing(c, 60, 40, 30, 10, color.RGBA{168, 65, 26, 255})
		face := newFace(fs.bold, 40, 0)
		face.draw(c, color.RGBA{34, 29, 23, 255}, 5, 60, "Œuvre « éclair »")
		face.draw(c, color.RGBA{20, 90, 160, 255}, 7, 75, "Œuvre « éclair »")
	}
	pal := newCanvas(300, 90, bg)
	draw(pal)
	if pal.rgba == nil {
		t.Fatal("the canvas did not run out of colours: the test tests nothing")
	}
	rgb := newCanvas(300, 90, bg)
	rgb.toRGBA()
	draw(rgb)
	if !bytes.Equal(pal.rgba.Pix, rgb.rgba.Pix) {
		t.Error("a canvas that turned RGB while drawing differs from one drawn in RGB")
	}
}

func TestAdler32Combine(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 200_000)
	for i := range data {
		data[i] = byte(r.IntN(4) * 60) // few values, as rows of a card
	}
	for range 200 {
		i := r.IntN(len(data) + 1)
		a, b := data[:i], data[i:]
		if got, want := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), len(b)), adler32.Checksum(data); got != want {
			t.Fatalf("split at %d: %08x, want %08x", i, got, want)
		}
	}
	if got := adler32Combine(1, adler32.Checksum(data), len(data)); got != adler32.Checksum(data) {
		t.Errorf("after nothing: %08x", got)
	}
}
