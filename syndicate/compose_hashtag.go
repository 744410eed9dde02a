package syndicate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxHashtagGraphemes is the longest hashtag kept: Bluesky's limit for a tag facet, and more than any
// reader wants to read.
const maxHashtagGraphemes = 64

// Hashtag turns a tag as written in front matter into a hashtag's text, without "#": letters (accents
// kept, as every network accepts them) and digits only; a tag of several words becomes CamelCase
// ("réseaux sociaux" → "RéseauxSociaux", "auto-entreprise" → "AutoEntreprise"); a single word keeps
// its case ("Lyon", "photographie"). It returns "" for a tag that cannot be a hashtag: no letter (every
// network ignores "#2026"), a single character ("C++" would give "#C"), or more than 64.
func Hashtag(tag string) string {
	tag = norm.NFC.String(tag)
	words := strings.FieldsFunc(tag, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && (!unicode.IsMark(r) || unicode.Is(unicode.Variation_Selector, r))
	})
	var b strings.Builder
	for _, w := range words {
		if len(words) > 1 {
			r, size := utf8.DecodeRuneInString(w)
			b.WriteRune(unicode.ToTitle(r))
			w = w[size:]
		}
		b.WriteString(w)
	}
	h := b.String()
	if n := countGraphemes(h); n < 2 || n > maxHashtagGraphemes || !strings.ContainsFunc(h, unicode.IsLetter) {
		return ""
	}
	return h
}

// hashtags returns the hashtags of tags, in order, each once: two tags that give the same hashtag but
// for case ("Lyon", "lyon") give the first.
func hashtags(tags ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, list := range tags {
		for _, t := range list {
			h := Hashtag(t)
			key := strings.ToLower(h)
			if h == "" || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, h)
		}
	}
	return out
}
