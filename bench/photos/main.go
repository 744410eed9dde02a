// Command photos draws the demo site's sample photographs: large JPEGs (several megapixels) that look
// like photos of a bakery at dawn (warm gradients, loaves, out-of-focus lights, grain), with the EXIF a
// phone writes: a GPS position, an orientation (one is stored sideways, orientation 6, as a phone held
// upright stores it), the artist and copyright. They exercise what vitrine does to photos: resize,
// turn upright, strip the GPS position.
//
//	go run ./bench/photos -o content/projects/boulangerie-croix-rousse
//
// The same flags give the same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/vitrine-ssg/vitrine/generator/media/exif"
)

// photo is one picture to draw: its name, displayed size, how it is stored and its palette.
type photo struct {
	name          string
	width, height int // as displayed
	orientation   int // 1, or 6: stored turned 90° counter-clockwise
	seed          uint64
	top, bottom   [3]float64 // background gradient
	glow          [3]float64 // the oven's light
	loaves        int
}

var photos = []photo{
	{"fournil-aube.jpg", 3600, 2400, 1, 1, [3]float64{38, 26, 20}, [3]float64{92, 58, 34}, [3]float64{255, 150, 60}, 7},
	{"enfournement.jpg", 2400, 3600, 6, 2, [3]float64{20, 16, 14}, [3]float64{70, 40, 24}, [3]float64{255, 120, 40}, 4},
	{"miches-du-vendredi.jpg", 3200, 2133, 1, 3, [3]float64{120, 96, 74}, [3]float64{180, 150, 118}, [3]float64{255, 220, 170}, 9},
	{"levain.jpg", 2000, 3000, 1, 4, [3]float64{60, 52, 46}, [3]float64{150, 130, 110}, [3]float64{255, 235, 200}, 3},
}

// Where the demo photographer works: the slopes of the Croix-Rousse, in Lyon.
var gps = [2]float64{45.7741, 4.8318}

func main() {
	out := flag.String("o", ".", "folder to write the photos into")
	quality := flag.Int("q", 82, "JPEG quality")
	flag.Parse()
	for _, p := range photos {
		data, err := draw(p, *quality)
		if err == nil {
			err = os.WriteFile(filepath.Join(*out, p.name), data, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "photos:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d×%d, orientation %d, %d bytes\n", p.name, p.width, p.height, p.orientation, len(data))
	}
}

type loaf struct {
	cx, cy, rx, ry, tilt float64
	crust                [3]float64
}

type light struct {
	x, y, r, a float64
	c          [3]float64
}

// draw paints the photo upright, stores it as its orientation says and returns the JPEG with its EXIF.
func draw(p photo, quality int) ([]byte, error) {
	rng := rand.New(rand.NewPCG(p.seed, 0x7669747269_6e65))
	w, h := float64(p.width), float64(p.height)
	var loaves []loaf
	for i := range p.loaves {
		t := (float64(i) + .5) / float64(p.loaves)
		rx := w * (.07 + .05*rng.Float64())
		loaves = append(loaves, loaf{
			cx: w * (.08 + .84*t + .04*(rng.Float64()-.5)), cy: h * (.62 + .22*rng.Float64()),
			rx: rx, ry: rx * (.45 + .2*rng.Float64()), tilt: (rng.Float64() - .5) * .5,
			crust: [3]float64{150 + 60*rng.Float64(), 90 + 40*rng.Float64(), 40 + 20*rng.Float64()},
		})
	}
	var lights []light
	for range 26 {
		lights = append(lights, light{
			x: w * rng.Float64(), y: h * .45 * rng.Float64(), r: w * (.015 + .05*rng.Float64()), a: .08 + .25*rng.Float64(),
			c: [3]float64{p.glow[0], p.glow[1] * (.8 + .4*rng.Float64()), p.glow[2] * (.6 + .8*rng.Float64())},
		})
	}
	gx, gy := w*(.25+.5*rng.Float64()), h*.3
	img := image.NewRGBA(image.Rect(0, 0, p.width, p.height))
	for y := range p.height {
		fy := float64(y)
		v := fy / h
		for x := range p.width {
			fx := float64(x)
			var c [3]float64
			for k := range 3 {
				c[k] = p.top[k] + (p.bottom[k]-p.top[k])*v
			}
			// The oven's glow.
			d := math.Hypot((fx-gx)/w, (fy-gy)/h)
			g := math.Exp(-d * d * 9)
			for k := range 3 {
				c[k] += p.glow[k] * .45 * g
			}
			// The counter.
			if v > .58 {
				s := smooth(.58, .6, v)
				for k := range 3 {
					c[k] = c[k]*(1-s) + (p.bottom[k]*.55+12*math.Sin(fx/37+fy/190))*s
				}
			}
			// Out-of-focus lights.
			for _, l := range lights {
				if dd := math.Hypot(fx-l.x, fy-l.y); dd < l.r {
					a := l.a * (1 - smooth(.85, 1, dd/l.r))
					for k := range 3 {
						c[k] += l.c[k] * a
					}
				}
			}
			// Loaves, lit from the oven.
			for _, lf := range loaves {
				dx, dy := fx-lf.cx, fy-lf.cy
				sin, cos := math.Sincos(lf.tilt)
				ux, uy := (dx*cos+dy*sin)/lf.rx, (-dx*sin+dy*cos)/lf.ry
				r := ux*ux + uy*uy
				if r < 1.05 {
					a := 1 - smooth(.92, 1.05, r)
					shade := .55 + .6*(1-r)*(.6-.4*uy)
					score := 1.0
					if math.Abs(math.Sin(ux*7+uy*1.5)) < .12 && r < .7 {
						score = 1.25 // the baker's slashes, paler
					}
					for k := range 3 {
						c[k] = c[k]*(1-a) + lf.crust[k]*shade*score*a
					}
				}
			}
			// Vignette and grain.
			vig := 1 - .55*math.Pow(math.Hypot(fx/w-.5, fy/h-.5)*1.4, 2)
			n := (rng.Float64() + rng.Float64() - 1) * 7
			o := img.PixOffset(x, y)
			for k := range 3 {
				img.Pix[o+k] = clamp(c[k]*vig + n)
			}
			img.Pix[o+3] = 255
		}
	}
	stored := image.Image(img)
	if p.orientation == 6 {
		stored = turnCounterClockwise(img)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, stored, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	seg := exif.Build(exif.Fields{Orientation: p.orientation, Artist: "Camille Martin", Copyright: "© 2025 Camille Martin", GPS: &gps})
	return exif.Insert(buf.Bytes(), seg), nil
}

// turnCounterClockwise stores an upright picture as a phone held upright does: turned a quarter to
// the left, to be shown turned back (EXIF orientation 6).
func turnCounterClockwise(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dy(), b.Dx()))
	for y := range b.Dy() {
		for x := range b.Dx() {
			dst.SetRGBA(y, b.Dx()-1-x, src.RGBAAt(x, y))
		}
	}
	return dst
}

func smooth(a, b, x float64) float64 {
	t := math.Max(0, math.Min(1, (x-a)/(b-a)))
	return t * t * (3 - 2*t)
}

func clamp(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, v+.5)))
}
