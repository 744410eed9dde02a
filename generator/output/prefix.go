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
			if rootRelative(doc[vstart:vend]) {
				out = append(out, doc[last:vstart]...)
				out = append(out, prefix...)
				last = vstart
			}
		case name == "srcset":
			out = append(out, doc[last:vstart]...)
			out = append(out, prefixSrcset(doc[vstart:vend], prefix)...)
			last = vend
		}
		i = vend
	}
	if out == nil {
		return doc
	}
	return append(out, doc[last:]...)
}

// prefixSrcset prefixes the root-relative URL of each candidate of a srcset: "/a.webp 480w, /b.webp 960w".
func prefixSrcset(v []byte, prefix string) []byte {
	var out []byte
	for i, c := range bytes.Split(v, []byte(",")) {
		if i > 0 {
			out = append(out, ',')
		}
		trimmed := bytes.TrimLeft(c, " \t\n")
		out = append(out, c[:len(c)-len(trimmed)]...)
		if rootRelative(trimmed) {
			out = append(out, prefix...)
		}
		out = append(out, trimmed...)
	}
	return out
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
