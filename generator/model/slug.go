package model

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ligatures are letters that Unicode decomposition does not fold to ASCII.
var ligatures = map[rune]string{'œ': "oe", 'æ': "ae", 'ß': "ss", 'ø': "o", 'đ': "d", 'ł': "l", 'þ': "th"}

// Slugify turns a name into a URL segment: lower case, accents folded (Été à Lyon → ete-a-lyon),
// anything but letters and digits turned into single hyphens.
func Slugify(s string) string {
	// Invalid UTF-8 would stop the folding of accents for the whole name.
	s = strings.ToValidUTF8(s, "-")
	folded, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), s)
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
