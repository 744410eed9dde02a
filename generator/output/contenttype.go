package output

import (
	"path"
	"strings"
)

// ContentType returns the Content-Type of a file of a built site, from its name: feeds by their names
// (index.xml is RSS, atom.xml Atom, feed.json JSON Feed), the rest from a fixed table of extensions, so
// that the dev server and a deploy send the same headers on every machine. ok is false for an
// extension the table does not know.
func ContentType(name string) (ctype string, ok bool) {
	switch path.Base(name) {
	case "index.xml", "feed.xml", "rss.xml":
		return "application/rss+xml; charset=utf-8", true
	case "atom.xml":
		return "application/atom+xml; charset=utf-8", true
	case "feed.json":
		return "application/feed+json; charset=utf-8", true
	}
	ctype, ok = types[strings.ToLower(path.Ext(name))]
	return ctype, ok
}

// types maps extensions to content types.
var types = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".xml":         "application/xml; charset=utf-8",
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
