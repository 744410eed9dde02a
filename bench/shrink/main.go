// Command shrink makes the README's screenshots small: it scales a PNG down by a factor and rewrites it
// with the best compression, in place. bench/screenshots.sh runs it on each picture it takes.
//
//	go run ./bench/shrink -scale 0.5 docs/screenshot-default-home-desktop.png
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"

	xdraw "golang.org/x/image/draw"
)

func main() {
	scale := flag.Float64("scale", 0.5, "the factor the width and height are multiplied by")
	flag.Parse()
	for _, name := range flag.Args() {
		if err := shrink(name, *scale); err != nil {
			fmt.Fprintln(os.Stderr, "shrink:", err)
			os.Exit(1)
		}
	}
}

func shrink(name string, scale float64) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	b := src.Bounds()
	w, h := max(1, int(float64(b.Dx())*scale)), max(1, int(float64(b.Dy())*scale))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, b, xdraw.Src, nil)
	var out bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&out, dst); err != nil {
		return err
	}
	// Written beside, then renamed: an interrupted run leaves the picture whole.
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, out.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}
