package load

import (
	"bytes"
	"image"
	_ "image/gif" // registers GIF for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"

	_ "golang.org/x/image/webp" // registers WebP for image.DecodeConfig

	"github.com/vitrine-ssg/vitrine/generator/media"
)

// imageSizes reads the pixel size of the images pages show, once per file.
type imageSizes struct {
	fsys  fs.FS
	mu    sync.Mutex
	sizes map[string][2]int // file → width, height; zero when unreadable
	media *media.Processor  // publishes raster images in several widths; nil for none
	lang  string            // the site's language, of captions without one
}

func newImageSizes(fsys fs.FS, opts Options) *imageSizes {
	return &imageSizes{fsys: fsys, sizes: map[string][2]int{}, media: opts.Media, lang: opts.Config.Language}
}

// size returns the width and height of a file of the site, or ok == false.
func (s *imageSizes) size(name string) (w, h int, ok bool) {
	s.mu.Lock()
	wh, seen := s.sizes[name]
	s.mu.Unlock()
	if !seen {
		if f, err := s.fsys.Open(name); err == nil {
			if cfg, _, err := image.DecodeConfig(f); err == nil {
				wh = [2]int{cfg.Width, cfg.Height}
			}
			f.Close()
		}
		s.mu.Lock()
		s.sizes[name] = wh
		s.mu.Unlock()
	}
	return wh[0], wh[1], wh[0] > 0
}

// goldmark writes images as <img src="…" alt="…"> with escaped, double-quoted attributes.
var imgTag = regexp.MustCompile(`<img src="([^"]*)"`)

// forget drops what is known of name and of the files under it, which changed.
func (s *imageSizes) forget(name string) {
	if s.media != nil {
		s.media.Forget(name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.sizes {
		if k == name || strings.HasPrefix(k, name+"/") {
			delete(s.sizes, k)
		}
	}
}

// addImageSizes gives each <img> of a page's HTML whose file is in the site (a bundle resource or a file
// of static/) its width and height, so browsers reserve the space before it loads: no layout shift. It
// returns the files it looked at, whose change changes the result.
func (s *imageSizes) addImageSizes(html []byte, sourceFile string) ([]byte, []string) {
	if !bytes.Contains(html, []byte("<img ")) {
		return html, nil
	}
	var files []string
	out := imgTag.ReplaceAllFunc(html, func(tag []byte) []byte {
		src := string(imgTag.FindSubmatch(tag)[1])
		src = strings.ReplaceAll(src, "&amp;", "&")
		u, err := url.Parse(src)
		if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
			return tag
		}
		name := path.Join(path.Dir(sourceFile), u.Path)
		if strings.HasPrefix(u.Path, "/") {
			name = path.Join("static", u.Path)
		}
		files = append(files, name)
		w, h, ok := s.size(name)
		if !ok {
			return tag
		}
		// tag points into html: build a new slice rather than append over what follows.
		return []byte(string(tag) + ` width="` + strconv.Itoa(w) + `" height="` + strconv.Itoa(h) + `"`)
	})
	return out, files
}
