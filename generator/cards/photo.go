package cards

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	_ "image/gif"  // decode GIF author photos and read GIF sizes
	_ "image/jpeg" // decode JPEG author photos and read JPEG sizes
	_ "image/png"  // decode PNG author photos and read PNG sizes
	"sync"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // decode WebP author photos and read WebP sizes

	"github.com/vitrine-ssg/vitrine/generator/media/exif"
)

// maxPhotoPixels bounds the size of an author photo we agree to decode (a 12,000 × 8,000 picture).
const maxPhotoPixels = 96_000_000

// photos keeps the last author photos decoded and scaled, so the thousands of cards of a site decode
// its one photo once per diameter. An entry is computed once even when many cards ask for it at the
// same time.
var photos struct {
	sync.Mutex
	m map[photoKey]*photoEntry
}

// maxPhotos is how many scaled photos are kept; sites have one author, tests a few.
const maxPhotos = 8

type photoKey struct {
	sum      [sha256.Size]byte
	diameter int
}

type photoEntry struct {
	once sync.Once
	img  *image.RGBA // read only once made: shared by every card
	err  error
}

// authorPhoto returns the photo cropped to a centred square, turned upright and scaled to d×d pixels.
func authorPhoto(data []byte, d int) (*image.RGBA, error) {
	k := photoKey{sha256.Sum256(data), d}
	photos.Lock()
	e := photos.m[k]
	if e == nil {
		if len(photos.m) >= maxPhotos || photos.m == nil {
			photos.m = make(map[photoKey]*photoEntry)
		}
		e = &photoEntry{}
		photos.m[k] = e
	}
	photos.Unlock()
	e.once.Do(func() { e.img, e.err = scalePhoto(data, d) })
	return e.img, e.err
}

func scalePhoto(data []byte, d int) (*image.RGBA, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("cards: author photo: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxPhotoPixels {
		return nil, fmt.Errorf("cards: author photo: %s of %d×%d pixels: too large", format, cfg.Width, cfg.Height)
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("cards: author photo: %w", err)
	}
	b := src.Bounds()
	s := min(b.Dx(), b.Dy())
	crop := image.Rect(0, 0, s, s).Add(b.Min).Add(image.Pt((b.Dx()-s)/2, (b.Dy()-s)/2))
	dst := image.NewRGBA(image.Rect(0, 0, d, d))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, crop, xdraw.Src, nil)
	if format == "jpeg" {
		// Cropping the centre square commutes with turning the picture, so turning the small square
		// is enough.
		dst = orient(dst, jpegOrientation(data))
	}
	return dst, nil
}

// orient turns a square image as EXIF orientation o (1 to 8) says it must be to be seen upright.
func orient(img *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return img
	}
	n := img.Bounds().Dx()
	out := image.NewRGBA(img.Bounds())
	last := n - 1
	for y := range n {
		for x := range n {
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = last-x, y
			case 3: // upside down
				sx, sy = last-x, last-y
			case 4: // mirrored upside down
				sx, sy = x, last-y
			case 5: // transposed
				sx, sy = y, x
			case 6: // needs a quarter turn clockwise
				sx, sy = y, last-x
			case 7: // transversed
				sx, sy = last-y, last-x
			case 8: // needs a quarter turn counter-clockwise
				sx, sy = last-y, x
			}
			out.SetRGBA(x, y, img.RGBAAt(sx, sy))
		}
	}
	return out
}

// jpegOrientation reads the EXIF orientation of a JPEG file: 1 (upright) when absent or unreadable.
func jpegOrientation(data []byte) int {
	if info, err := exif.Read(data); err == nil && info.Orientation >= 1 && info.Orientation <= 8 {
		return info.Orientation
	}
	return 1
}

// Size reads the pixel size of an image file's bytes (JPEG, PNG, GIF or WebP) from its header, without
// decoding the pixels, for the width and height of meta tags and <img>. It is the size as shown: for a
// JPEG whose EXIF orientation turns it a quarter, width and height are swapped, as browsers swap them.
func Size(data []byte) (width, height int, err error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return 0, 0, fmt.Errorf("cards: image size: %w", err)
	}
	if format == "jpeg" && jpegOrientation(data) >= 5 {
		return cfg.Height, cfg.Width, nil
	}
	return cfg.Width, cfg.Height, nil
}
