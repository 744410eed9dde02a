// Package media publishes a site's photos the way a portfolio needs them: each source image is decoded
// once, turned upright (EXIF orientation), resized to a set of widths (never upscaled) and encoded as
// WebP and in its own format, under names that carry a hash of the source and of the settings. No
// published file keeps the source's metadata (GPS position, camera serial number, XMP, IPTC) unless the
// site asks to keep its credit tags.
//
// # Planning, then processing
//
// A Processor works in two passes. Plan, called while pages are loaded, reads a source's header and
// hash and returns the files it will be published as, with their sizes: enough to write <picture>
// elements. Write then encodes every planned image on all cores and writes the files. Encoded files are
// kept in the cache folder under the source's hash and the settings, so that a build whose images did
// not change encodes nothing (Encodes counts what was encoded). The output depends on the source bytes
// and the settings only: builds are byte-identical.
//
// Publish gives the bytes a source is published as under its own name (a bundle's cover.jpg stays
// reachable at cover.jpg): the source without its metadata segments, or re-encoded upright when its
// orientation is not the stored one.
package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gen2brain/webp"

	"github.com/vitrine-ssg/vitrine/generator/internal/parallel"
	"github.com/vitrine-ssg/vitrine/generator/media/exif"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

// DefaultWidths are the widths images are published at when [images] widths is not set: a phone, a
// tablet or a laptop at 1x and 2x, a large screen.
var DefaultWidths = []int{480, 960, 1440, 1920}

// DefaultQuality is the JPEG and WebP quality when [images] quality is not set.
const DefaultQuality = 80

// webpMethod is libwebp's effort, 0 to 6. At 2, a photo's file is some 5% larger than at libwebp's
// default of 4 and is encoded several times faster (measured on the demo's photos).
const webpMethod = 2

// version changes when the processing changes, so that cached files made the old way are not reused.
const version = "media-3"

// Options configure a Processor.
type Options struct {
	Widths  []int // increasing; DefaultWidths when empty
	Quality int   // 1 to 100; DefaultQuality when 0
	// KeepMetadata names the EXIF tags published JPEGs keep: "copyright", "artist". Everything else
	// is stripped.
	KeepMetadata []string
	// CacheDir keeps encoded files between builds; "" keeps nothing.
	CacheDir string
}

// Variant is one published file of an image.
type Variant struct {
	Name          string // output path, relative to the output root: "projects/a/cover.960.1a2b3c4d5e.webp"
	Width, Height int
	Format        string // "webp", "jpeg" or "png"
}

// Image is a source image as it will be published.
type Image struct {
	Source string // path in the source file system
	// Format is the source's format, which the fallback variants keep ("jpeg" or "png"; "jpeg" for a
	// WebP source).
	Format string
	// Width and Height are the displayed size of the source, its orientation applied.
	Width, Height int
	// WebP and Fallback list the variants, narrowest first; both have the same widths.
	WebP, Fallback []Variant

	sum         string // hash of the source bytes and the settings
	dir         string // output folder
	orientation int
	keep        exif.Fields
}

// Largest returns the widest fallback variant.
func (im *Image) Largest() Variant { return im.Fallback[len(im.Fallback)-1] }

// Nearest returns the narrowest fallback variant at least w pixels wide, else the widest.
func (im *Image) Nearest(w int) Variant {
	for _, v := range im.Fallback {
		if v.Width >= w {
			return v
		}
	}
	return im.Largest()
}

// Processor plans and processes the images of one site. It is safe for concurrent use.
type Processor struct {
	fsys     fs.FS
	opts     Options
	settings string

	mu     sync.Mutex
	images map[string]*Image // by output folder + source
	errs   map[string]error

	encodes atomic.Int64

	// largest keeps the widest fallback file of each image written, by sum: the source of its share
	// and square images, smaller to decode than the photo.
	largestMu sync.Mutex
	largest   map[string][]byte
	// upright keeps, by sum, the photos stored sideways turned upright while their source was decoded
	// for its variants: Publish needs not decode them again.
	upright map[string][]byte
}

// New returns a Processor reading sources from fsys.
func New(fsys fs.FS, opts Options) *Processor {
	if len(opts.Widths) == 0 {
		opts.Widths = DefaultWidths
	}
	opts.Widths = slices.Clone(opts.Widths)
	slices.Sort(opts.Widths)
	opts.Widths = slices.Compact(opts.Widths)
	if opts.Quality <= 0 || opts.Quality > 100 {
		opts.Quality = DefaultQuality
	}
	keep := slices.Clone(opts.KeepMetadata)
	slices.Sort(keep)
	// A system libwebp, when there is one, encodes other bytes than the embedded one: their files are
	// not mixed in the cache.
	encoder := "wasm"
	if webp.Dynamic() == nil {
		encoder = "libwebp"
	}
	settings := fmt.Sprintf("%s widths=%v quality=%d keep=%v webp=%s", version, opts.Widths, opts.Quality, keep, encoder)
	return &Processor{fsys: fsys, opts: opts, settings: settings, images: map[string]*Image{}, errs: map[string]error{},
		largest: map[string][]byte{}, upright: map[string][]byte{}}
}

// Encodes returns how many files the Processor encoded so far (files found in the cache not counted).
func (p *Processor) Encodes() int64 { return p.encodes.Load() }

// IsRaster reports whether a file name is an image the Processor handles: JPEG, PNG or WebP.
func IsRaster(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".webp":
		return true
	}
	return false
}

// Sniff reports whether data starts as a JPEG, PNG or WebP file does, whatever the file's name: a photo
// saved under another extension is still published without its metadata.
func Sniff(data []byte) bool {
	return isJPEG(data) || bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) ||
		len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP"
}

// Forget drops what was planned for the source at name or under it, which changed.
func (p *Processor) Forget(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, im := range p.images {
		if im.Source == name || strings.HasPrefix(im.Source, name+"/") {
			delete(p.images, k)
		}
	}
	for k := range p.errs {
		if _, src, _ := strings.Cut(k, "\x00"); src == name || strings.HasPrefix(src, name+"/") {
			delete(p.errs, k)
		}
	}
}

// Plan returns how the source at name (a path in the source file system) is published into the output
// folder dir ("projects/a/", "" for the root). Planning the same source and folder again returns the
// same Image.
func (p *Processor) Plan(name, dir string) (*Image, error) {
	key := dir + "\x00" + name
	p.mu.Lock()
	im, err := p.images[key], p.errs[key]
	p.mu.Unlock()
	if im != nil || err != nil {
		return im, err
	}
	im, err = p.plan(name, dir)
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.errs[key] = err
		return nil, err
	}
	if old := p.images[key]; old != nil {
		return old, nil
	}
	p.images[key] = im
	return im, nil
}

// MaxMegapixels is the largest image decoded. The largest camera sensors make about 150 megapixels; past
// that, a file of a few kilobytes that claims 50,000 × 50,000 pixels would take gigabytes to decode.
const MaxMegapixels = 200

func (p *Processor) plan(name, dir string) (*Image, error) {
	data, err := fs.ReadFile(p.fsys, name)
	if err != nil {
		return nil, err
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not an image vitrine can read: %w", name, err)
	}
	if err := checkPixels(name, cfg); err != nil {
		return nil, err
	}
	im := &Image{Source: name, Format: format, Width: cfg.Width, Height: cfg.Height, dir: dir}
	if format == "jpeg" {
		info, _ := exif.Read(data) // unreadable EXIF is stripped like any other
		im.orientation = info.Orientation
		for _, k := range p.opts.KeepMetadata {
			switch strings.ToLower(k) {
			case "artist":
				im.keep.Artist = info.Artist
			case "copyright":
				im.keep.Copyright = info.Copyright
			}
		}
	}
	// The format is the content's, never the name's: a GIF named .jpg is a GIF. The fallback variants
	// are in a format vitrine encodes, and their names say what their bytes are.
	switch format {
	case "jpeg", "png":
	case "webp":
		im.Format = "jpeg"
	case "gif":
		im.Format = "png"
	default:
		return nil, fmt.Errorf("%s: a %s image, which vitrine does not publish in several sizes: convert it to JPEG, PNG or WebP", name, format)
	}
	if im.orientation >= 5 {
		im.Width, im.Height = im.Height, im.Width
	}
	im.sum = p.sum(data)
	stem := strings.TrimSuffix(path.Base(name), path.Ext(name))
	for _, w := range p.widths(im.Width) {
		ht := max(1, (im.Height*w+im.Width/2)/im.Width)
		for _, f := range []string{"webp", im.Format} {
			v := Variant{Name: dir + stem + "." + strconv.Itoa(w) + "." + im.sum[:10] + "." + ext(f), Width: w, Height: ht, Format: f}
			if f == "webp" {
				im.WebP = append(im.WebP, v)
			} else {
				im.Fallback = append(im.Fallback, v)
			}
		}
	}
	return im, nil
}

// widths returns the widths an image w pixels wide is published at: the configured ones below w, then
// w itself when it is below the widest configured (never upscaled).
func (p *Processor) widths(w int) []int {
	var out []int
	for _, x := range p.opts.Widths {
		if x < w {
			out = append(out, x)
		}
	}
	if top := p.opts.Widths[len(p.opts.Widths)-1]; w <= top {
		out = append(out, w)
	} else if len(out) == 0 || out[len(out)-1] != top {
		out = append(out, top)
	}
	return out
}

func ext(format string) string {
	if format == "jpeg" {
		return "jpg"
	}
	return format
}

// Write writes the files of the given images, each planned before, encoding them (or taking them from
// the cache) on all cores, each source decoded once. done, unless nil, is called as each source's
// files are written (Count of them), from the goroutine that wrote them.
func (p *Processor) Write(ctx context.Context, w output.Writer, files []model.MediaFile, done func()) error {
	bySum, err := p.bySum(files)
	if err != nil {
		return err
	}
	sums := slices.Sorted(maps.Keys(bySum))
	return parallel.Do(ctx, len(sums), func(i int) error {
		if done != nil {
			defer done()
		}
		ims := bySum[sums[i]]
		data, err := p.variants(ims[0])
		if err != nil {
			return err
		}
		p.largestMu.Lock()
		p.largest[sums[i]] = data[len(data)-1]
		p.largestMu.Unlock()
		for _, im := range ims {
			for k, v := range append(slices.Clone(im.WebP), im.Fallback...) {
				if err := w.WriteFile(v.Name, data[k]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// bySum groups the images of files by the hash of their source and settings: each group is encoded once.
func (p *Processor) bySum(files []model.MediaFile) (map[string][]*Image, error) {
	bySum := map[string][]*Image{}
	for _, f := range files {
		im, err := p.Plan(f.Source, f.Dir)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(bySum[im.sum], im) {
			bySum[im.sum] = append(bySum[im.sum], im)
		}
	}
	return bySum, nil
}

// Count returns how many images Write encodes (or takes from the cache) for files: one per distinct
// source and settings, each told to Write's done when its files are written.
func (p *Processor) Count(files []model.MediaFile) int {
	bySum, err := p.bySum(files)
	if err != nil {
		return 0 // Write reports the error
	}
	return len(bySum)
}

// variants returns the encoded files of an image, WebP ones first then fallbacks, in the order of
// im.WebP and im.Fallback: from the cache, or encoded from the source decoded once.
func (p *Processor) variants(im *Image) ([][]byte, error) {
	all := append(slices.Clone(im.WebP), im.Fallback...)
	files := make([][]byte, len(all))
	cached := 0
	for k, v := range all {
		if data := p.cacheGet(im.sum, v); data != nil {
			files[k] = data
			cached++
		}
	}
	if cached == len(all) {
		return files, nil
	}
	src, err := p.decode(im.Source)
	if err != nil {
		return nil, err
	}
	if im.orientation > 1 && p.cacheGet(im.sum, uprightVariant) == nil {
		// Published under its own name too (see Publish): turned upright now, from this decoding.
		up, err := p.encode(orient(src, im.orientation), "jpeg", p.opts.Quality, im.keep)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", im.Source, err)
		}
		p.cachePut(im.sum, uprightVariant, up)
		p.largestMu.Lock()
		p.upright[im.sum] = up
		p.largestMu.Unlock()
	}
	// Widest first: each width is scaled from the next wider one, never by more than a few times, which
	// keeps CatmullRom's quality at a fraction of the cost of scaling each from the source.
	from, o := src, im.orientation
	n := len(im.WebP)
	for k := n - 1; k >= 0; k-- {
		wv, fv := im.WebP[k], im.Fallback[k]
		scaled := resize(from, o, wv.Width, wv.Height)
		from, o = scaled, 1
		if files[k] == nil {
			if files[k], err = p.encode(scaled, "webp", p.opts.Quality, im.keep); err != nil {
				return nil, fmt.Errorf("%s: %w", im.Source, err)
			}
			p.cachePut(im.sum, wv, files[k])
		}
		if files[n+k] == nil {
			if files[n+k], err = p.encode(scaled, fv.Format, p.opts.Quality, im.keep); err != nil {
				return nil, fmt.Errorf("%s: %w", im.Source, err)
			}
			p.cachePut(im.sum, fv, files[n+k])
		}
	}
	return files, nil
}

func (p *Processor) decode(name string) (image.Image, error) {
	data, err := fs.ReadFile(p.fsys, name)
	if err != nil {
		return nil, err
	}
	return decode(name, data)
}

// decode decodes an image once its header says it is no larger than MaxMegapixels: every decode of
// vitrine goes through it, so that a file of a few kilobytes claiming 20,000 × 20,000 pixels is refused
// from its header on every path (resized, turned upright, shared), not decoded into gigabytes.
func decode(name string, data []byte) (image.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: not an image vitrine can read: %w", name, err)
	}
	if err := checkPixels(name, cfg); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: decode: %w", name, err)
	}
	return img, nil
}

// checkPixels refuses an image larger than MaxMegapixels.
func checkPixels(name string, cfg image.Config) error {
	if mp := float64(cfg.Width) * float64(cfg.Height) / 1e6; mp > MaxMegapixels {
		return fmt.Errorf("%s: %d×%d pixels (%.0f megapixels), more than the %d vitrine decodes: resize it first", name, cfg.Width, cfg.Height, mp, MaxMegapixels)
	}
	return nil
}

// encode encodes an image, counted; JPEGs get the kept EXIF tags.
func (p *Processor) encode(img image.Image, format string, quality int, keep exif.Fields) ([]byte, error) {
	p.encodes.Add(1)
	var buf bytes.Buffer
	var err error
	switch format {
	case "webp":
		if !opaque(img) {
			img = toNRGBA(img)
		}
		err = webp.Encode(&buf, img, webp.Options{Quality: quality, Method: webpMethod})
	case "png":
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	default:
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality})
		if err == nil {
			return exif.Insert(buf.Bytes(), exif.Build(keep)), nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// Publish returns the bytes the source at name is published as under its own name: without metadata,
// upright. A JPEG stored upright keeps its compressed data untouched (only metadata segments go); one
// that must be turned is re-encoded, through the cache.
func (p *Processor) Publish(name string) ([]byte, error) {
	data, err := fs.ReadFile(p.fsys, name)
	if err != nil {
		return nil, err
	}
	keep := exif.Fields{}
	orientation := 0
	if isJPEG(data) {
		info, _ := exif.Read(data)
		orientation = info.Orientation
		for _, k := range p.opts.KeepMetadata {
			switch strings.ToLower(k) {
			case "artist":
				keep.Artist = info.Artist
			case "copyright":
				keep.Copyright = info.Copyright
			}
		}
	}
	if orientation <= 1 {
		return Strip(data, keep)
	}
	sum := p.sum(data)
	p.largestMu.Lock()
	out := p.upright[sum]
	p.largestMu.Unlock()
	if out == nil {
		out = p.cacheGet(sum, uprightVariant)
	}
	if out != nil {
		return out, nil
	}
	img, err := decode(name, data)
	if err != nil {
		return nil, err
	}
	out, err = p.encode(orient(img, orientation), "jpeg", p.opts.Quality, keep)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.cachePut(sum, uprightVariant, out)
	return out, nil
}

// uprightVariant keys, in the cache, a photo stored sideways turned upright at its own size.
var uprightVariant = Variant{Format: "jpeg"}

// sum is the hash of a source's bytes and the settings, which names its files.
func (p *Processor) sum(data []byte) string {
	h := sha256.New()
	h.Write([]byte(p.settings))
	h.Write([]byte{0})
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

func (p *Processor) cachePath(sum string, v Variant) string {
	return filepath.Join(p.opts.CacheDir, "images", sum[:2], sum+"."+strconv.Itoa(v.Width)+"."+ext(v.Format))
}

func (p *Processor) cacheGet(sum string, v Variant) []byte {
	if p.opts.CacheDir == "" {
		return nil
	}
	data, err := os.ReadFile(p.cachePath(sum, v))
	if err != nil {
		return nil
	}
	return data
}

// cachePut stores a file in the cache, written beside and renamed so that a build stopped midway never
// leaves half a file; a cache that cannot be written only costs time.
func (p *Processor) cachePut(sum string, v Variant, data []byte) {
	if p.opts.CacheDir == "" {
		return
	}
	_ = output.WriteAtomic(p.cachePath(sum, v), data)
}
