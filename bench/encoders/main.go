// Command encoders measures what encoding a photo costs vitrine against the reference encoders of
// Debian, on the same pixels: WebP through github.com/gen2brain/webp (the system's libwebp when it
// finds one, else libwebp compiled to WebAssembly) against cwebp (package webp), and JPEG through Go's
// image/jpeg against libjpeg-turbo's cjpeg (package libjpeg-turbo-progs), at the quality and effort
// vitrine uses.
//
//	go run ./bench/encoders content/projects/boulangerie-croix-rousse/*.jpg
//	go run -tags nodynamic ./bench/encoders …   # the WebAssembly libwebp, as on a machine without libwebp
//
// Each photo is scaled to each of vitrine's default widths, and each scaled picture encoded -n times by
// each encoder. Reported: processor time per megapixel (user + system; for the commands, of the child
// process, which also reads a PPM file) and bytes, and their ratios to the reference.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gen2brain/webp"
	xdraw "golang.org/x/image/draw"

	"github.com/vitrine-ssg/vitrine/generator/media"
)

func main() {
	runs := flag.Int("n", 3, "encodings of each picture by each encoder")
	flag.Parse()
	if err := run(flag.Args(), *runs); err != nil {
		fmt.Fprintln(os.Stderr, "encoders:", err)
		os.Exit(1)
	}
}

// cost is what a set of encodings took.
type cost struct {
	cpu   time.Duration
	bytes int
	mp    float64 // megapixels encoded
}

func (c cost) msPerMP() float64 { return float64(c.cpu.Microseconds()) / 1000 / c.mp }

func run(photos []string, runs int) error {
	if len(photos) == 0 {
		return fmt.Errorf("no photo given")
	}
	tmp, err := os.MkdirTemp("", "encoders-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	webpLib := "libwebp in WebAssembly"
	if webp.Dynamic() == nil {
		webpLib = "the system's libwebp"
	}
	q := media.DefaultQuality
	var goWebP, refWebP, goJPEG, refJPEG cost
	for _, name := range photos {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		src, _, err := image.Decode(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for _, w := range media.DefaultWidths {
			b := src.Bounds()
			if w > b.Dx() {
				continue
			}
			h := b.Dy() * w / b.Dx()
			img := image.NewRGBA(image.Rect(0, 0, w, h))
			xdraw.CatmullRom.Scale(img, img.Bounds(), src, b, xdraw.Src, nil)
			ppm := filepath.Join(tmp, "in.ppm")
			if err := os.WriteFile(ppm, toPPM(img), 0o644); err != nil {
				return err
			}
			mp := float64(w*h) / 1e6 * float64(runs)
			for range runs {
				var buf bytes.Buffer
				c := cpuTime()
				if err := webp.Encode(&buf, img, webp.Options{Quality: q, Method: 2}); err != nil {
					return err
				}
				goWebP.cpu += cpuTime() - c
				goWebP.bytes += buf.Len()
				buf.Reset()
				c = cpuTime()
				if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
					return err
				}
				goJPEG.cpu += cpuTime() - c
				goJPEG.bytes += buf.Len()

				out := filepath.Join(tmp, "out.webp")
				d, err := command("cwebp", "-quiet", "-q", fmt.Sprint(q), "-m", "2", ppm, "-o", out)
				if err != nil {
					return err
				}
				refWebP.cpu += d
				refWebP.bytes += size(out)
				out = filepath.Join(tmp, "out.jpg")
				if d, err = command("cjpeg", "-quality", fmt.Sprint(q), "-outfile", out, ppm); err != nil {
					return err
				}
				refJPEG.cpu += d
				refJPEG.bytes += size(out)
			}
			goWebP.mp += mp
			refWebP.mp += mp
			goJPEG.mp += mp
			refJPEG.mp += mp
		}
	}
	fmt.Printf("%d photos at widths %v, quality %d, %d runs each\n\n", len(photos), media.DefaultWidths, q, runs)
	fmt.Println("| encoder | CPU ms per megapixel | KB per megapixel | CPU / reference | bytes / reference |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: |")
	line := func(name string, c, ref cost) {
		fmt.Printf("| %s | %.1f | %.0f | %.2f | %.2f |\n", name, c.msPerMP(), float64(c.bytes)/c.mp/1000, c.msPerMP()/ref.msPerMP(), float64(c.bytes)/float64(ref.bytes))
	}
	line("WebP, vitrine ("+webpLib+", method 2)", goWebP, refWebP)
	line("WebP, cwebp -m 2", refWebP, refWebP)
	line("JPEG, vitrine (Go's image/jpeg)", goJPEG, refJPEG)
	line("JPEG, cjpeg (libjpeg-turbo)", refJPEG, refJPEG)
	return nil
}

// command runs a reference encoder and returns its processor time.
func command(name string, args ...string) (time.Duration, error) {
	cmd := exec.Command(name, args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %w (Debian: apt-get install webp libjpeg-turbo-progs)", name, err)
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

func size(name string) int {
	st, err := os.Stat(name)
	if err != nil {
		return 0
	}
	return int(st.Size())
}

// toPPM writes img as a binary PPM, which both commands read.
func toPPM(img *image.RGBA) []byte {
	b := img.Bounds()
	out := fmt.Appendf(nil, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			out = append(out, c.R, c.G, c.B)
		}
	}
	return out
}

// cpuTime is the processor time this process used so far, all threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
