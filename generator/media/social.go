package media

import (
	"image"
	"strconv"
	"strings"

	"golang.org/x/image/draw"
)

// Sizes of the images a page is shared with.
const (
	ShareWidth   = 1200      // OpenGraph's recommended width
	SquareSize   = 1080      // Instagram's square post
	MaxShareSize = 1_000_000 // bytes: Bluesky refuses a larger link-card thumb
)

// Social returns the JPEG files a page shares its image as, encoded or from the cache: a copy at most
// ShareWidth wide and MaxShareSize bytes (OpenGraph, X, the Bluesky thumb), and a SquareSize square cut
// from its centre (Instagram). Neither is ever upscaled.
func (p *Processor) Social(im *Image) (share, square Variant, shareData, squareData []byte, err error) {
	stem := strings.TrimSuffix(im.Largest().Name, "."+strconv.Itoa(im.Largest().Width)+"."+im.sum[:10]+"."+ext(im.Format))
	w := min(ShareWidth, im.Width)
	share = Variant{Name: stem + ".share." + im.sum[:10] + ".jpg", Width: w, Height: max(1, (im.Height*w+im.Width/2)/im.Width), Format: "jpeg"}
	side := min(SquareSize, im.Width, im.Height)
	square = Variant{Name: stem + ".square." + im.sum[:10] + ".jpg", Width: side, Height: side, Format: "jpeg"}
	shareKey, squareKey := share, square
	shareKey.Format, squareKey.Format = "share.jpeg", "square.jpeg"
	shareData, squareData = p.cacheGet(im.sum, shareKey), p.cacheGet(im.sum, squareKey)
	if shareData != nil && squareData != nil {
		return
	}
	// From the widest file written when there is one: at most 1920 wide, it decodes in a fraction of
	// the time of the photo.
	p.largestMu.Lock()
	largest := p.largest[im.sum]
	p.largestMu.Unlock()
	var upright image.Image
	if largest != nil {
		upright, err = decode(im.Source, largest)
	}
	if upright == nil {
		var src image.Image
		if src, err = p.decode(im.Source); err != nil {
			return
		}
		upright = orient(src, im.orientation)
	}
	if shareData == nil {
		scaled := resize(upright, 1, share.Width, share.Height)
		for q := p.opts.Quality; ; q -= 10 {
			if shareData, err = p.encodeJPEG(flatten(scaled), q, im); err != nil {
				return
			}
			if len(shareData) <= MaxShareSize || q <= 30 {
				break
			}
		}
		p.cachePut(im.sum, shareKey, shareData)
	}
	if squareData == nil {
		b := upright.Bounds()
		c := min(b.Dx(), b.Dy())
		crop := image.Rect(0, 0, c, c).Add(b.Min).Add(image.Pt((b.Dx()-c)/2, (b.Dy()-c)/2))
		sub := toRGBA(upright.(interface {
			SubImage(image.Rectangle) image.Image
		}).SubImage(crop))
		dst := scale(sub, side, side)
		if squareData, err = p.encodeJPEG(flatten(dst), p.opts.Quality, im); err != nil {
			return
		}
		p.cachePut(im.sum, squareKey, squareData)
	}
	return
}

func (p *Processor) encodeJPEG(img image.Image, quality int, im *Image) ([]byte, error) {
	return p.encode(img, "jpeg", quality, im.keep)
}

// flatten puts an image with transparency on white, as JPEG has no alpha.
func flatten(img image.Image) image.Image {
	if opaque(img) {
		return img
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Over)
	return dst
}
