package model

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ligatures are letters that Unicode decomposition does not fold to ASCII.
var ligatures = map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'đ': "d", 'ł': "l", 'þ': "th"}

// folders keep the transformers that fold accents: a chain holds buffers of several kilobytes, too
// much to make again for every name of a big site.
var folders = sync.Pool{New: func() any {
	return transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
}}

// Slugify turns a name into a URL segment: lower case, accents folded (Été à Lyon → ete-a-lyon),
// anything but letters and digits turned into single hyphens.
func Slugify(s string) string {
	if slug, ok := slugifyASCII(s); ok {
		return slug
	}
	return slugifyFold(s)
}

// slugifyFold is Slugify for any name.
func slugifyFold(s string) string {
	// Invalid UTF-8 would stop the folding of accents for the whole name.
	s = strings.ToValidUTF8(s, "-")
	t := folders.Get().(transform.Transformer)
	folded, _, err := transform.String(t, s)
	folders.Put(t)
	if err != nil {
		folded = s
	}
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(folded) {
		piece, folded := ligatures[r]
		switch {
		case folded:
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_':
			piece = string(r)
		default:
			hyphen = true
			continue
		}
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteString(piece)
	}
	return b.String()
}

// slugifyASCII is Slugify for a name written in ASCII, which has no accent to fold: most names, file
// names above all. It returns the name itself when it is already a slug. ok is false for a name with
// any other character.
func slugifyASCII(s string) (slug string, ok bool) {
	clean := true // s is its own slug
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf:
			return "", false
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_':
		case c == '-':
			clean = clean && i > 0 && i < len(s)-1 && s[i-1] != '-'
		default:
			clean = false
		}
	}
	if clean {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	hyphen := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_':
		default:
			hyphen = true
			continue
		}
		if hyphen && b.Len() > 0 {
			b.WriteByte('-')
		}
		hyphen = false
		b.WriteByte(c)
	}
	return b.String(), true
}

// Urlize makes a URL segment as Hugo's urlize does, for sites imported from Hugo whose addresses must
// not move: lower case, spaces turned into one hyphen, letters (accents kept), digits, marks and
// . / _ # + ~ - @ kept, anything else dropped ("L'été à Lyon" → "lété-à-lyon", "a - b" → "a-b").
// foldAccents removes accents too, as Hugo's removePathAccents.
func Urlize(s string, foldAccents bool) string {
	var b strings.Builder
	b.Grow(len(s))
	prependHyphen, wasHyphen := false, false
	for i, r := range s {
		allowed := r != ' ' && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
			strings.ContainsRune("./_#+~-@", r) ||
			r == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]))
		switch {
		case allowed:
			wasHyphen = r == '-'
			if prependHyphen {
				if !wasHyphen {
					b.WriteByte('-')
				}
				prependHyphen = false
			}
			b.WriteRune(r)
		case b.Len() > 0 && !wasHyphen && unicode.IsSpace(r):
			prependHyphen = true
		}
	}
	out := b.String()
	if foldAccents && !isASCII(out) {
		t := folders.Get().(transform.Transformer)
		if folded, _, err := transform.String(t, out); err == nil {
			out = folded
		}
		folders.Put(t)
	}
	return strings.ToLower(out)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
