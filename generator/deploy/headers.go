package deploy

import (
	"path"
	"strings"
)

// Cache-Control values. Pages and feeds change under the same name at each deploy; fingerprinted files
// never do.
const (
	CacheImmutable = "public, max-age=31536000, immutable"
	CachePage      = "public, max-age=300"
	CacheFile      = "public, max-age=3600"
)

// types maps extensions to content types. It is fixed, not read from the system's mime.types, so that
// two machines deploy the same headers.
var types = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".xml":         "application/xml",
	".rss":         "application/rss+xml",
	".atom":        "application/atom+xml",
	".ics":         "text/calendar; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".csv":         "text/csv; charset=utf-8",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".otf":         "font/otf",
	".pdf":         "application/pdf",
	".zip":         "application/zip",
	".mp4":         "video/mp4",
	".webm":        "video/webm",
	".mp3":         "audio/mpeg",
	".ogg":         "audio/ogg",
	".wasm":        "application/wasm",
	".gpx":         "application/gpx+xml",
}

// ContentType returns the Content-Type of a file of the site, from its extension.
func ContentType(name string) string {
	if t, ok := types[strings.ToLower(path.Ext(name))]; ok {
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
