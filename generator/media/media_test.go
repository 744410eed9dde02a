package media_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	goexif "github.com/rwcarlsen/goexif/exif"
	"github.com/rwcarlsen/goexif/tiff"

	"github.com/vitrine-ssg/vitrine/generator/media"
	"github.com/vitrine-ssg/vitrine/generator/media/exif"
	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/generator/output"
)

var lyon = [2]float64{45.7741, 4.8318}

// small widths keep the tests that are not about widths fast.
var small = []int{200, 400}

// photo returns a JPEG stored w×h with a red top-left corner and the given EXIF.
func photo(t testing.TB, w, h int, f exif.Fields) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{uint8(40 + 150*x/w), uint8(60 + 120*y/h), 90, 255}
			if x < w/4 && y < h/4 {
				c = color.RGBA{230, 20, 20, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return exif.Insert(buf.Bytes(), exif.Build(f))
}

func process(t *testing.T, fsys fstest.MapFS, opts media.Options, names ...string) (*media.Processor, *output.Memory, []*media.Image) {
	t.Helper()
	p := media.New(fsys, opts)
	var files []model.MediaFile
	var ims []*media.Image
	for _, n := range names {
		im, err := p.Plan(n, "photos/")
		if err != nil {
			t.Fatal(err)
		}
		ims = append(ims, im)
		files = append(files, model.MediaFile{Source: n, Dir: "photos/"})
	}
	mem := &output.Memory{}
	if err := p.Write(context.Background(), mem, files, nil); err != nil {
		t.Fatal(err)
	}
	return p, mem, ims
}

// TestWidths checks the widths an image is published at: the configured ones it is wider than, then
// its own width, never more.
func TestWidths(t *testing.T) {
	fsys := fstest.MapFS{
		"small.jpg": {Data: photo(t, 250, 160, exif.Fields{})},
		"large.jpg": {Data: photo(t, 600, 400, exif.Fields{})},
		"huge.jpg":  {Data: photo(t, 2400, 1600, exif.Fields{})},
	}
	_, mem, ims := process(t, fsys, media.Options{Widths: []int{400, 100, 300, 200}}, "small.jpg", "large.jpg")
	widths := func(vs []media.Variant) (out []int) {
		for _, v := range vs {
			out = append(out, v.Width)
		}
		return out
	}
	for _, c := range []struct {
		im   *media.Image
		want []int
	}{{ims[0], []int{100, 200, 250}}, {ims[1], []int{100, 200, 300, 400}}} {
		if got := widths(c.im.WebP); !equal(got, c.want) {
			t.Errorf("%s: WebP widths %v, want %v", c.im.Source, got, c.want)
		}
		if got := widths(c.im.Fallback); !equal(got, c.want) {
			t.Errorf("%s: JPEG widths %v, want %v", c.im.Source, got, c.want)
		}
		for _, v := range append(c.im.WebP, c.im.Fallback...) {
			data, ok := mem.Get(v.Name)
			if !ok {
				t.Fatalf("%s not written", v.Name)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil || format != v.Format || cfg.Width != v.Width || cfg.Height != v.Height {
				t.Errorf("%s: %s %d×%d (%v), want %s %d×%d", v.Name, format, cfg.Width, cfg.Height, err, v.Format, v.Width, v.Height)
			}
		}
	}
	if n := ims[1].Fallback[1].Name; !strings.HasPrefix(n, "photos/large.200.") || !strings.HasSuffix(n, ".jpg") {
		t.Errorf("name %q: want photos/large.200.HASH.jpg", n)
	}
	im, err := media.New(fsys, media.Options{}).Plan("huge.jpg", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := widths(im.WebP); !equal(got, media.DefaultWidths) {
		t.Errorf("default widths: got %v", got)
	}
	if im.Largest().Height != 1280 {
		t.Errorf("1920 wide: %d high, want 1280", im.Largest().Height)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestOrientation checks that a photo stored sideways (EXIF orientation 6, as phones store a portrait)
// is published upright, at every width and under its own name.
func TestOrientation(t *testing.T) {
	fsys := fstest.MapFS{"side.jpg": {Data: photo(t, 1200, 800, exif.Fields{Orientation: 6, GPS: &lyon})}}
	p, mem, ims := process(t, fsys, media.Options{Widths: small}, "side.jpg")
	im := ims[0]
	if im.Width != 800 || im.Height != 1200 {
		t.Fatalf("planned %d×%d, want 800×1200", im.Width, im.Height)
	}
	upright, err := p.Publish("side.jpg")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"side.jpg": upright}
	for _, v := range im.Fallback {
		files[v.Name], _ = mem.Get(v.Name)
	}
	for name, data := range files {
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b := img.Bounds()
		if b.Dx() > b.Dy() {
			t.Errorf("%s is %d×%d: not upright", name, b.Dx(), b.Dy())
		}
		// Stored top-left is, turned 90° clockwise, the top-right corner.
		if r, g, _, _ := img.At(b.Max.X-b.Dx()/16, b.Dy()/16).RGBA(); r>>8 < 180 || g>>8 > 80 {
			t.Errorf("%s: the red corner is not at the top right", name)
		}
	}
}

// TestNoMetadata reads every published file with an EXIF library: no GPS position, no orientation
// left to apply twice. With keepMetadata, JPEGs keep the copyright and the artist, nothing else.
func TestNoMetadata(t *testing.T) {
	src := photo(t, 1000, 700, exif.Fields{Orientation: 1, Artist: "Camille", Copyright: "© Camille", GPS: &lyon})
	if x, err := goexif.Decode(bytes.NewReader(src)); err != nil {
		t.Fatal(err)
	} else if _, _, err := x.LatLong(); err != nil {
		t.Fatalf("the source has no GPS position: %v", err)
	}
	sideways := photo(t, 1000, 700, exif.Fields{Orientation: 6, GPS: &lyon})
	for _, keep := range [][]string{nil, {"copyright", "artist"}} {
		fsys := fstest.MapFS{"a.jpg": {Data: src}, "b.jpg": {Data: sideways}}
		p, mem, _ := process(t, fsys, media.Options{KeepMetadata: keep, Widths: small}, "a.jpg", "b.jpg")
		for _, name := range []string{"a.jpg", "b.jpg"} {
			data, err := p.Publish(name)
			if err != nil {
				t.Fatal(err)
			}
			_ = mem.WriteFile("photos/"+name, data)
		}
		for _, name := range mem.Names() {
			data, _ := mem.Get(name)
			if strings.HasSuffix(name, ".webp") {
				if bytes.Contains(data, []byte("EXIF")) || bytes.Contains(data, []byte("XMP ")) {
					t.Errorf("%s has metadata", name)
				}
				continue
			}
			x, err := goexif.Decode(bytes.NewReader(data))
			if keep == nil {
				if err == nil {
					t.Errorf("%s has EXIF", name)
				}
				continue
			}
			if err != nil {
				if !strings.Contains(name, "b.") {
					t.Errorf("%s: %v", name, err)
				}
				continue
			}
			if _, _, err := x.LatLong(); err == nil {
				t.Errorf("%s has a GPS position", name)
			}
			if _, err := x.Get(goexif.Orientation); err == nil {
				t.Errorf("%s keeps an orientation", name)
			}
			tag, err := x.Get(goexif.Copyright)
			if err != nil || tag.Format() != tiff.StringVal {
				t.Errorf("%s: copyright not kept: %v", name, err)
			} else if s, _ := tag.StringVal(); s != "© Camille" {
				t.Errorf("%s: copyright %q", name, s)
			}
		}
	}
}

// TestCache checks that a second build with the same cache encodes nothing and writes the same bytes,
// and that changing a setting encodes again.
func TestCache(t *testing.T) {
	dir := t.TempDir()
	fsys := fstest.MapFS{"a.jpg": {Data: photo(t, 1600, 1000, exif.Fields{GPS: &lyon})}, "b.png": {Data: pngFile(t)}}
	p1, mem1, _ := process(t, fsys, media.Options{CacheDir: dir, Widths: small}, "a.jpg", "b.png")
	if p1.Encodes() == 0 {
		t.Fatal("the first build encoded nothing")
	}
	p2, mem2, _ := process(t, fsys, media.Options{CacheDir: dir, Widths: small}, "a.jpg", "b.png")
	if n := p2.Encodes(); n != 0 {
		t.Errorf("the second build encoded %d files", n)
	}
	p3, mem3, _ := process(t, fsys, media.Options{Widths: small}, "a.jpg", "b.png")
	if p3.Encodes() != p1.Encodes() {
		t.Errorf("without cache: %d encodes, want %d", p3.Encodes(), p1.Encodes())
	}
	for _, m := range []*output.Memory{mem2, mem3} {
		if len(m.Names()) != len(mem1.Names()) {
			t.Fatalf("%d files, want %d", len(m.Names()), len(mem1.Names()))
		}
		for _, n := range mem1.Names() {
			a, _ := mem1.Get(n)
			b, _ := m.Get(n)
			if !bytes.Equal(a, b) {
				t.Errorf("%s differs between builds", n)
			}
		}
	}
	p4, _, _ := process(t, fsys, media.Options{CacheDir: dir, Quality: 60, Widths: small}, "a.jpg")
	if p4.Encodes() == 0 {
		t.Error("a new quality reused the cache")
	}
}

func pngFile(t testing.TB) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 700, 500))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSocial checks the images a page is shared with: a JPEG at most 1200 wide under 1 MB, and a
// 1080 square.
func TestSocial(t *testing.T) {
	fsys := fstest.MapFS{"a.jpg": {Data: photo(t, 3000, 2000, exif.Fields{GPS: &lyon})}}
	p := media.New(fsys, media.Options{})
	im, err := p.Plan("a.jpg", "p/")
	if err != nil {
		t.Fatal(err)
	}
	share, square, sd, qd, err := p.Social(im)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		v    media.Variant
		data []byte
		w, h int
	}{{share, sd, 1200, 800}, {square, qd, 1080, 1080}} {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(c.data))
		if err != nil || cfg.Width != c.w || cfg.Height != c.h || c.v.Width != c.w || c.v.Height != c.h {
			t.Errorf("%s: %d×%d (%v), want %d×%d", c.v.Name, cfg.Width, cfg.Height, err, c.w, c.h)
		}
		if len(c.data) > media.MaxShareSize {
			t.Errorf("%s: %d bytes", c.v.Name, len(c.data))
		}
	}
}

// TestStrip checks metadata stripping without re-encoding: PNG text chunks, WebP EXIF chunks.
func TestStrip(t *testing.T) {
	plain := pngFile(t)
	// A tEXt chunk after the signature and the IHDR chunk (8 + 25 bytes).
	chunk := []byte("\x00\x00\x00\x0ctEXtGPS\x0045.7,4.8\x00\x00\x00\x00")
	withText := append(append(append([]byte(nil), plain[:33]...), chunk...), plain[33:]...)
	out, err := media.Strip(withText, exif.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, plain) {
		t.Error("the PNG text chunk was not removed, or more was")
	}
	webp := []byte("RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00EXIF\x04\x00\x00\x00GPS!")
	out, err = media.Strip(webp, exif.Fields{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("EXIF")) || out[20] != 0 {
		t.Errorf("WebP EXIF left: %q", out)
	}
}

// TestFormatFromContent plans images whose names lie about their format: every file published is
// named after what its bytes are, the variants in a format vitrine encodes.
func TestFormatFromContent(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 500, 300))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 13)
	}
	var gifData, jpegData, pngData bytes.Buffer
	if err := gif.Encode(&gifData, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegData, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(&pngData, img); err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"gif.jpg": {Data: gifData.Bytes()}, "jpeg.png": {Data: jpegData.Bytes()}, "png.jpg": {Data: pngData.Bytes()},
		"jpeg.webp": {Data: jpegData.Bytes()}}
	_, mem, ims := process(t, fsys, media.Options{Widths: small}, "gif.jpg", "jpeg.png", "png.jpg", "jpeg.webp")
	kinds := map[string]string{".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}
	n := 0
	for _, name := range mem.Names() {
		data, _ := mem.Get(name)
		want, ok := kinds[path.Ext(name)]
		if !ok {
			t.Errorf("%s: an unexpected extension", name)
			continue
		}
		if got := http.DetectContentType(data); got != want {
			t.Errorf("%s holds %s", name, got)
		}
		n++
	}
	if n < 8 {
		t.Errorf("only %d files: %s", n, mem.Names())
	}
	for _, im := range ims {
		if im.Format != "jpeg" && im.Format != "png" {
			t.Errorf("%s: fallback format %q", im.Source, im.Format)
		}
	}
	if ims[0].Format != "png" || ims[1].Format != "jpeg" || ims[2].Format != "png" {
		t.Errorf("formats %s %s %s, want png jpeg png: taken from the names?", ims[0].Format, ims[1].Format, ims[2].Format)
	}
}
