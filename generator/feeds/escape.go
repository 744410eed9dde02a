package feeds

import (
	"strings"
	"unicode/utf8"
)

// appendCDATA appends s as one CDATA section, as encoding/xml writes a ",cdata" field: "]]>", which
// would end it, is split across two sections. Nothing is appended for an empty s.
func appendCDATA(dst []byte, s string) []byte {
	if s == "" {
		return dst
	}
	dst = append(dst, cdataStart...)
	for {
		before, after, found := strings.Cut(s, cdataEnd)
		dst = append(dst, before...)
		if !found {
			break
		}
		dst = append(dst, cdataSplit...)
		s = after
	}
	return append(dst, cdataEnd...)
}

const cdataStart, cdataEnd, cdataSplit = "<![CDATA[", "]]>", "]]]]><![CDATA[>"

// cdataSize is the length of what appendCDATA appends.
func cdataSize(s string) int {
	if s == "" {
		return 0
	}
	return len(cdataStart) + len(s) + len(cdataEnd) + strings.Count(s, cdataEnd)*(len(cdataSplit)-len(cdataEnd))
}

// xmlSafe replaces what XML cannot hold (control characters, invalid UTF-8) with U+FFFD, as
// encoding/xml does for escaped text but not for CDATA sections.
func xmlSafe(s string) string {
	for i := 0; i < len(s); {
		// ASCII but control characters, eight bytes at a time: a word-at-a-time test unicode/utf8 does
		// not offer for this set.
		for i+8 <= len(s) {
			if x := load64(s, i); x&highBits != 0 || hasLess(x, 0x20) {
				break
			}
			i += 8
		}
		if i == len(s) {
			break
		}
		if c := s[i]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return xmlReplace(s)
			}
			i++
			continue
		}
		if twoByteRune(s, i) {
			i += 2 // all XML characters
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 || !isXMLChar(r) {
			return xmlReplace(s)
		}
		i += size
	}
	return s
}

// xmlReplace replaces with U+FFFD what XML cannot hold; strings.Map also turns invalid UTF-8 into it.
func xmlReplace(s string) string {
	return strings.Map(func(r rune) rune {
		if !isXMLChar(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

// isXMLChar reports whether r is a Char of XML 1.0.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// twoByteRune reports whether s[i:] starts with a valid two-byte UTF-8 sequence, U+0080 to U+07FF: the
// accented letters of Latin scripts, most of what is not ASCII in a page, told without decoding.
func twoByteRune(s string, i int) bool {
	return i+1 < len(s) && s[i] >= 0xC2 && s[i] <= 0xDF && s[i+1]&0xC0 == 0x80
}

// Word-at-a-time tests (from "Bit Twiddling Hacks", Sean Eron Anderson): each says whether any of the
// eight bytes of a word has a property, exactly, though not which.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// load64 returns s[i:i+8] as a little-endian word; the compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// hasLess reports whether a byte of x is less than n, for n <= 128.
func hasLess(x, n uint64) bool { return (x-lowBits*n)&^x&highBits != 0 }
