package media

import (
	"image"
	"image/color"
	"testing"
)

// TestScale checks the resampler on pictures whose result is known: a flat colour stays flat (the
// weights sum to one, edges included), a horizontal ramp stays a ramp, increasing.
func TestScale(t *testing.T) {
	flat := image.NewRGBA(image.Rect(0, 0, 301, 199))
	for i := 0; i < len(flat.Pix); i += 4 {
		copy(flat.Pix[i:], []byte{200, 100, 50, 255})
	}
	for _, size := range [][2]int{{100, 66}, {300, 199}, {17, 5}, {301, 100}} {
		out := scale(flat, size[0], size[1])
		if out.Rect.Dx() != size[0] || out.Rect.Dy() != size[1] {
			t.Fatalf("size %v, want %v", out.Rect, size)
		}
		for i := 0; i < len(out.Pix); i += 4 {
			if c := out.Pix[i : i+4]; c[0] != 200 || c[1] != 100 || c[2] != 50 || c[3] != 255 {
				t.Fatalf("%v: pixel %d is %v", size, i/4, c)
			}
		}
	}
	ramp := image.NewRGBA(image.Rect(0, 0, 512, 8))
	for y := range 8 {
		for x := range 512 {
			ramp.SetRGBA(x, y, color.RGBA{uint8(x / 2), uint8(x / 2), uint8(x / 2), 255})
		}
	}
	out := scale(ramp, 200, 3)
	for x := 1; x < 200; x++ {
		if out.RGBAAt(x, 1).R < out.RGBAAt(x-1, 1).R {
			t.Fatalf("the ramp goes down at %d", x)
		}
	}
	if a, b := out.RGBAAt(0, 1).R, out.RGBAAt(199, 1).R; a > 3 || b < 252 {
		t.Errorf("ramp from %d to %d, want about 0 to 255", a, b)
	}
}
