package deploy

import (
	"path"
	"strings"

	"github.com/vitrine-ssg/vitrine/generator/output"
)

// Cache-Control values. Pages and feeds change under the same name at each deploy; fingerprinted files
// never do.
const (
	CacheImmutable = "public, max-age=31536000, immutable"
	CachePage      = "public, max-age=300"
	CacheFile      = "public, max-age=3600"
)

// ContentType returns the Content-Type of a file of the site, from its extension.
func ContentType(name string) string {
	if t, ok := output.ContentType(name); ok {
		return t
	}
	return "application/octet-stream"
}

// CacheControl returns the Cache-Control of a file of the site, from its name.
func CacheControl(name string) string {
	switch {
	case Fingerprinted(name):
		return CacheImmutable
	case isPage(name):
		return CachePage
	default:
		return CacheFile
	}
}

// isPage reports whether a file is a page or a feed: what changes at each deploy under the same name.
func isPage(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm", ".xml", ".json", ".ics", ".txt", ".rss", ".atom", ".webmanifest":
		return true
	}
	return false
}

// Fingerprinted reports whether a file's name carries a hash of its content: a run of at least 8
// lowercase hexadecimal digits, with a digit and a letter among them, between dots or after a dash just
// before the extension (style.90a8353109.css, photo-3f9a0c12d4.webp), or a folder named by such a hash
// of at least 16 digits.
func Fingerprinted(name string) bool {
	dir, base := path.Split(name)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if i := strings.LastIndexAny(stem, ".-"); i > 0 && isHash(stem[i+1:], 8) {
		return true
	}
	for seg := range strings.SplitSeq(strings.Trim(dir, "/"), "/") {
		if isHash(seg, 16) {
			return true
		}
	}
	return false
}

func isHash(s string, minLen int) bool {
	if len(s) < minLen || len(s) > 64 {
		return false
	}
	digit, letter := false, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'a' && r <= 'f':
			letter = true
		default:
			return false
		}
	}
	return digit && letter
}
