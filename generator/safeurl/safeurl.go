// Package safeurl is the one policy for the URLs that content and configuration put into an href or a
// src, whatever the path they take: Markdown links, images and autolinks, shortcodes, front matter
// (an event's online and registration links, a page's images), the feeds' content, JSON-LD.
//
// A URL is read as a browser reads it: leading and trailing spaces and control characters are ignored,
// tabs and line breaks inside are dropped, and the scheme is what comes before the first ":" when only
// letters, digits, "+", "-" and "." stand before it. A URL without a scheme (a path, "#fragment",
// "//host/path") is relative and always safe. With a scheme, a link may only use one that opens a page
// or an application (http, https, mailto, tel, sms, geo, webcal, xmpp); an image, http or https or a
// data: URL of a raster image (PNG, JPEG, GIF, WebP, AVIF). Everything else, javascript:, vbscript:,
// data:text/html, file: and any unknown scheme, is unsafe.
//
// Callers drop what is unsafe (or write "#" in its place) and say so with the file and line: a URL is
// never repaired.
package safeurl

import (
	"fmt"
	"strings"
)

// Link reports whether u may be the target of a link (href).
func Link(u string) bool {
	scheme, _ := split(u)
	switch scheme {
	case "", "http", "https", "mailto", "tel", "sms", "geo", "webcal", "xmpp":
		return true
	}
	return false
}

// Image reports whether u may be the source of an image (src, srcset, poster).
func Image(u string) bool {
	scheme, rest := split(u)
	switch scheme {
	case "", "http", "https":
		return true
	case "data":
		mime, _, _ := strings.Cut(rest, ",")
		mime, _, _ = strings.Cut(mime, ";")
		switch strings.ToLower(strings.TrimSpace(mime)) {
		case "image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/avif":
			return true
		}
	}
	return false
}

// Scheme returns the scheme of u as a browser reads it, in lower case, or "" for a relative URL.
func Scheme(u string) string {
	s, _ := split(u)
	return s
}

// split returns the scheme of u in lower case and what follows its ":", after dropping what a browser
// ignores: surrounding spaces and control characters, tabs and line breaks inside.
func split(u string) (scheme, rest string) {
	u = strings.TrimFunc(u, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(u, "\t\n\r") {
		u = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, u)
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(u[:i]), u[i+1:]
		default:
			return "", u
		}
	}
	return "", u
}

// Refused is the warning for a URL the policy refused: what it was ("link", "registration"), the URL
// (cut when long, as data: URLs are) and what to write instead.
func Refused(what, u string) string {
	shown := strings.ToValidUTF8(u, "?")
	if len(shown) > 60 {
		cut := 60
		for cut > 0 && shown[cut]&0xC0 == 0x80 {
			cut--
		}
		shown = shown[:cut] + "…"
	}
	scheme := Scheme(u)
	return fmt.Sprintf("%s %q left out: a %s: URL can run code or open what a page must not link to (write an http(s), mailto: or tel: URL, or a path on the site)", what, shown, scheme)
}

// File reports whether u may name a file that other sites fetch or link to by its URL: a page's cover
// in og:image and JSON-LD, a feed's image. Relative, http or https only: a data: URL is no address.
func File(u string) bool {
	switch Scheme(u) {
	case "", "http", "https":
		return true
	}
	return false
}
