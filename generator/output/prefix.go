package output

import (
	"bytes"
	"strings"
)

// urlAttrs are the attributes whose value is one URL.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "poster": true, "cite": true, "data": true}

// PrefixURLs puts base (a site's path, "/repo/") in front of the root-relative URLs of an HTML
// document: those of href, src, action, formaction, poster, cite and data attributes, and of each
// candidate of srcset. A site served under a sub-path of its host (a GitHub Pages project site) then
// works with the links its layouts and its Markdown write from its own root ("/posts/a/", "/img/a.png").
// Protocol-relative URLs ("//cdn…") and absolute ones are left alone; with base "/" the document is
// returned as is.
//
// It reads attributes as a browser does in tags, double- or single-quoted and preceded by a space: in
// text, html/template and Markdown escape quotes, so `href="/` is never found there.
func PrefixURLs(doc []byte, base string) []byte {
	prefix := strings.TrimSuffix(base, "/")
	if prefix == "" || !strings.HasPrefix(prefix, "/") {
		return doc
	}
	// The base path was checked when vitrine.toml was read; a quote or an angle bracket that came through
	// another way still cannot end the attribute it is written into.
	prefix = escapePath(prefix)
	return mapURLs(doc, func(u []byte) []byte {
		if !rootRelative(u) {
			return nil
		}
		return append([]byte(prefix), u...)
	})
}

// mapURLs returns doc with each URL of its href, src, action, formaction, poster, cite and data
// attributes and of each candidate of its srcset replaced by what fn returns for it (nil: unchanged).
func mapURLs(doc []byte, fn func(u []byte) []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i+2 < len(doc); i++ {
		if doc[i] != '=' || doc[i+1] != '"' && doc[i+1] != '\'' {
			continue
		}
		start := i
		for start > 0 && isAttrChar(doc[start-1]) {
			start--
		}
		if start == i || start == 0 || !isSpace(doc[start-1]) {
			continue
		}
		name := strings.ToLower(string(doc[start:i]))
		q := doc[i+1]
		vstart := i + 2
		vend := bytes.IndexByte(doc[vstart:], q)
		if vend < 0 {
			break
		}
		vend += vstart
		switch {
		case urlAttrs[name]:
			if r := fn(doc[vstart:vend]); r != nil {
				out = append(out, doc[last:vstart]...)
				out = append(out, r...)
				last = vend
			}
		case name == "srcset":
			out = append(out, doc[last:vstart]...)
			out = append(out, mapSrcset(doc[vstart:vend], fn)...)
			last = vend
		}
		i = vend
	}
	if out == nil {
		return doc
	}
	return append(out, doc[last:]...)
}

// mapSrcset maps the URL of each candidate of a srcset: "/a.webp 480w, /b.webp 960w".
func mapSrcset(v []byte, fn func(u []byte) []byte) []byte {
	var out []byte
	for i, c := range bytes.Split(v, []byte(",")) {
		if i > 0 {
			out = append(out, ',')
		}
		trimmed := bytes.TrimLeft(c, " \t\n")
		out = append(out, c[:len(c)-len(trimmed)]...)
		u, rest := trimmed, []byte(nil)
		if j := bytes.IndexAny(trimmed, " \t\n"); j >= 0 {
			u, rest = trimmed[:j], trimmed[j:]
		}
		if r := fn(u); r != nil {
			u = r
		}
		out = append(out, u...)
		out = append(out, rest...)
	}
	return out
}

// RelativeURLs makes the root-relative URLs of an HTML document (those PrefixURLs reads) relative to
// page, the path of the document from the site's host ("/posts/a/index.html", base path included), and
// appends index.html to those of a folder: the built site then works opened from disk (file://), where
// "/" is the root of the disk and a folder shows no index.html. Absolute and protocol-relative URLs
// (canonical links, feeds' addresses) are left alone.
func RelativeURLs(doc []byte, page string) []byte {
	dir := page[:strings.LastIndexByte(page, '/')+1]
	return mapURLs(doc, func(u []byte) []byte {
		if !rootRelative(u) {
			return nil
		}
		target, suffix := string(u), ""
		if j := strings.IndexAny(target, "?#"); j >= 0 {
			target, suffix = target[:j], target[j:]
		}
		if strings.HasSuffix(target, "/") {
			target += "index.html"
		}
		return []byte(relative(dir, target) + suffix)
	})
}

// relative returns the path of target from the folder dir, both absolute, dir ending with "/".
func relative(dir, target string) string {
	from := strings.Split(strings.Trim(dir, "/"), "/")
	if dir == "/" {
		from = nil
	}
	to := strings.Split(strings.TrimPrefix(target, "/"), "/")
	n := 0
	for n < len(from) && n < len(to)-1 && from[n] == to[n] {
		n++
	}
	return strings.Repeat("../", len(from)-n) + strings.Join(to[n:], "/")
}

func rootRelative(v []byte) bool {
	return len(v) > 0 && v[0] == '/' && (len(v) == 1 || v[1] != '/')
}

func isAttrChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == ':'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// escapePath percent-encodes the bytes of a URL path that could end or change an HTML attribute or a
// line: controls, spaces, quotes, angle brackets, backslashes, the ampersand and bytes outside ASCII.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("\"'<>\\`&", c) >= 0 {
			if b == nil {
				b = append(make([]byte, 0, len(p)+8), p[:i]...)
			}
			b = append(b, '%', hex[c>>4], hex[c&15])
		} else if b != nil {
			b = append(b, c)
		}
	}
	if b == nil {
		return p
	}
	return string(b)
}
