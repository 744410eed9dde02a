package media

import (
	"image"
	"math"
)

// Catmull-Rom resampling, written here rather than taken from golang.org/x/image/draw, whose scaler
// holds the whole image scaled in one direction in float64s (hundreds of megabytes for a camera's
// photo): this one keeps only the few source rows an output row is made of, each scaled horizontally
// once.

// taps are the source pixels one output pixel is made of, from start, and their weights.
type taps struct {
	start int
	w     []float32
}

// catmullRom is the Catmull-Rom cubic (B = 0, C = 1/2), zero from 2 on.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// weights maps each of dn output pixels to the source pixels (of sn) it is made of. When shrinking,
// the kernel is widened by the factor, so that every source pixel counts.
func weights(dn, sn int) []taps {
	scale := float64(sn) / float64(dn)
	stretch := math.Max(scale, 1)
	support := 2 * stretch
	out := make([]taps, dn)
	for i := range out {
		center := (float64(i) + .5) * scale
		lo := max(0, int(math.Floor(center-support)))
		hi := min(sn, int(math.Ceil(center+support)))
		ws := make([]float32, 0, hi-lo)
		sum := 0.0
		for j := lo; j < hi; j++ {
			w := catmullRom((float64(j) + .5 - center) / stretch)
			ws = append(ws, float32(w))
			sum += w
		}
		for k := range ws {
			ws[k] /= float32(sum)
		}
		// Drop the zero weights at both ends.
		for len(ws) > 1 && ws[0] == 0 {
			ws, lo = ws[1:], lo+1
		}
		for len(ws) > 1 && ws[len(ws)-1] == 0 {
			ws = ws[:len(ws)-1]
		}
		out[i] = taps{start: lo, w: ws}
	}
	return out
}

// scale resamples src to dw×dh with Catmull-Rom.
func scale(src *image.RGBA, dw, dh int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	xs, ys := weights(dw, sw), weights(dh, sh)
	n := 0
	for _, t := range ys {
		n = max(n, len(t.w))
	}
	// A ring of source rows scaled horizontally: the rows of one output row are consecutive and no
	// more than n, and later output rows never need an earlier source row.
	ring := make([][]float32, n)
	for k := range ring {
		ring[k] = make([]float32, 4*dw)
	}
	held := make([]int, n)
	for k := range held {
		held[k] = -1
	}
	row := func(y int) []float32 {
		slot := y % n
		r := ring[slot]
		if held[slot] == y {
			return r
		}
		held[slot] = y
		s := src.Pix[y*src.Stride:] // src starts at the origin (toRGBA)
		for x, t := range xs {
			var c0, c1, c2, c3 float32
			p := s[4*t.start:]
			for k, w := range t.w {
				c0 += w * float32(p[4*k])
				c1 += w * float32(p[4*k+1])
				c2 += w * float32(p[4*k+2])
				c3 += w * float32(p[4*k+3])
			}
			r[4*x], r[4*x+1], r[4*x+2], r[4*x+3] = c0, c1, c2, c3
		}
		return r
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	acc := make([]float32, 4*dw)
	for y, t := range ys {
		clear(acc)
		for k, w := range t.w {
			r := row(t.start + k)
			for i, v := range r {
				acc[i] += w * v
			}
		}
		d := dst.Pix[y*dst.Stride:]
		for x := range dw {
			a := clamp8(acc[4*x+3])
			d[4*x+3] = a
			for c := range 3 {
				d[4*x+c] = min(clamp8(acc[4*x+c]), a) // premultiplied: no channel above alpha
			}
		}
	}
	return dst
}

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + .5)
}
