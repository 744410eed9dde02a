package syndicate

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// Each network counts a post's length its own way. These functions are the composer's rulers; each says
// whose rule it follows.

// countGraphemes counts user-perceived characters (Unicode extended grapheme clusters), as Bluesky
// counts a post against its 300.
func countGraphemes(s string) int { return uniseg.GraphemeClusterCount(s) }

// countMastodon counts as Mastodon's StatusLengthValidator: grapheme clusters, each URL with a scheme
// counting urlLength whatever its real length.
func countMastodon(s string, urlLength int) int {
	n, last := 0, 0
	for _, u := range findURLs(s, false) {
		n += countGraphemes(s[last:u.start]) + urlLength
		last = u.end
	}
	return n + countGraphemes(s[last:])
}

// X's weighted count, twitter-text configuration v3: every code point weighs 200 (twice a Latin letter)
// except those of the ranges below, which weigh 100; a URL, with or without scheme, weighs 23 whatever
// its length; an emoji sequence weighs 200 as a whole; the text is NFC-normalised first. The count is
// the weight divided by the scale, 100. Accented Latin letters, «, », U+00A0, ’ weigh 1; CJK, emoji,
// "…" and the narrow no-break space U+202F weigh 2.
const (
	xScale         = 100
	xDefaultWeight = 200
	xURLLength     = 23
)

var xLightRanges = [][2]rune{{0x0000, 0x10FF}, {0x2000, 0x200D}, {0x2010, 0x201F}, {0x2032, 0x2037}}

func xRuneWeight(r rune) int {
	for _, rg := range xLightRanges {
		if r >= rg[0] && r <= rg[1] {
			return 100
		}
	}
	return xDefaultWeight
}

// countX returns the length of s as twitter-text's parseTweet weighs it.
func countX(s string) int {
	s = norm.NFC.String(s)
	urls := findURLs(s, true)
	emoji := emojiSpans(s)
	weight := 0
	for i := 0; i < len(s); {
		for len(urls) > 0 && urls[0].start < i {
			urls = urls[1:]
		}
		for len(emoji) > 0 && emoji[0][0] < i {
			emoji = emoji[1:]
		}
		switch {
		case len(urls) > 0 && urls[0].start == i:
			weight += xURLLength * xScale
			i = urls[0].end
		case len(emoji) > 0 && emoji[0][0] == i:
			weight += xDefaultWeight
			i = emoji[0][1]
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			weight += xRuneWeight(r)
			i += size
		}
	}
	return weight / xScale
}

// countThreads counts as Threads documents it: characters, except that "emojis are counted as the
// number of UTF-8 bytes".
func countThreads(s string) int {
	n, state := 0, -1
	for len(s) > 0 {
		var c string
		c, s, _, state = uniseg.FirstGraphemeClusterInString(s, state)
		if isEmoji(c) {
			n += len(c)
		} else {
			n += utf8.RuneCountInString(c)
		}
	}
	return n
}

// countUTF16 counts UTF-16 code units, as the JavaScript and Java counters of LinkedIn, Facebook and
// Instagram do: an emoji outside the Basic Multilingual Plane counts two.
func countUTF16(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// isEmoji reports whether a grapheme cluster looks like an emoji: a sequence with a presentation
// selector, a zero-width joiner, a skin-tone modifier, a keycap or tag characters; a flag; a pictograph
// of the supplementary planes; or a symbol from U+2000 on. It errs towards yes, where counting more
// keeps a post within its limit.
func isEmoji(c string) bool {
	first, _ := utf8.DecodeRuneInString(c)
	for _, r := range c {
		switch {
		case r == 0xFE0F, r == 0x200D, r == 0x20E3, r >= 0x1F1E6 && r <= 0x1F1FF, r >= 0x1F3FB && r <= 0x1F3FF,
			r >= 0xE0020 && r <= 0xE007F:
			return !unicode.IsLetter(first)
		}
	}
	return first >= 0x1F000 || first >= 0x2000 && unicode.In(first, unicode.So, unicode.Sm)
}

// span is a URL's place in a text: bytes [start, end).
type span struct{ start, end int }

// findURLs finds the URLs of s as twitter-text's extractUrlsWithIndices does: with an http or https
// scheme, and, when bare is set, also domains without a scheme whose top-level domain is known
// ("vitrine.fr/blog"). Mastodon counts only the former, X both.
func findURLs(s string, bare bool) []span {
	var out []span
	for i := 0; i < len(s); {
		if !validURLPreceding(s, i) {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		end := matchURL(s, i, bare)
		if end > i {
			out = append(out, span{i, end})
			i = end
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return out
}

// validURLPreceding reports whether a URL may start at byte i: at the start of the text or after a
// character that is not a letter or digit of ASCII, @, $ or # (twitter-text's validUrlPrecedingChars).
func validURLPreceding(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	switch {
	case r < 0x80 && (isASCIIAlnum(byte(r)) || r == '@' || r == '$' || r == '#'):
		return false
	case r == '＠' || r == '＃' || r == 0xFFFE || r == 0xFEFF || r == 0xFFFF:
		return false
	}
	return true
}

// matchURL returns the end of the URL that starts at byte i, or i when none does.
func matchURL(s string, i int, bare bool) int {
	j := i
	scheme := false
	for _, p := range []string{"https://", "http://"} {
		if len(s)-i >= len(p) && strings.EqualFold(s[i:i+len(p)], p) {
			j, scheme = i+len(p), true
			break
		}
	}
	if !scheme {
		if !bare {
			return i
		}
		// A bare domain must not follow "-", "_", "." or "/" (twitter-text's
		// invalidUrlWithoutProtocolPrecedingChars).
		if i > 0 && strings.ContainsRune("-_./", rune(s[i-1])) {
			return i
		}
	}
	end := matchDomain(s, j, !scheme)
	if end == j {
		return i
	}
	// Port.
	if end < len(s) && s[end] == ':' {
		k := end + 1
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k > end+1 {
			end = k
		}
	}
	if end < len(s) && s[end] == '/' {
		end = matchRun(s, end+1, end+1, isURLPathRune, isURLPathEnd, true)
	}
	if end < len(s) && s[end] == '?' {
		if q := matchRun(s, end+1, end, isURLQueryRune, isURLQueryEnd, false); q > end {
			end = q
		}
	}
	return end
}

// matchDomain returns the end of the domain starting at byte i: labels separated by dots, the last a
// known top-level domain; i when there is none. A bare domain must be ASCII or accented Latin.
func matchDomain(s string, i int, asciiOnly bool) int {
	var ends []int // end of each label
	var labels []string
	k := i
	for {
		start := k
		for k < len(s) {
			r, size := utf8.DecodeRuneInString(s[k:])
			if !isDomainRune(r) && r != '-' && r != '_' {
				break
			}
			// Without a scheme, twitter-text keeps only the ASCII (and accented Latin) part of a domain.
			if asciiOnly && (r >= 0x80 && !isLatinAccent(r) || r < 0x80 && !isASCIIAlnum(byte(r)) && r != '-' && r != '_') {
				break
			}
			k += size
		}
		if k == start {
			break
		}
		labels = append(labels, s[start:k])
		ends = append(ends, k)
		if k < len(s) && s[k] == '.' {
			k++
			continue
		}
		break
	}
	for n := len(labels) - 1; n >= 1; n-- {
		name := labels[n-1]
		if !validLabel(name) || strings.Contains(name, "_") {
			continue
		}
		// The top-level domain is the label's leading run of ASCII letters, digits and hyphens, and must
		// not be followed by "@" or "+" (twitter-text's lookahead after its list of TLDs).
		l := labels[n]
		p := 0
		for p < len(l) && (isASCIIAlnum(l[p]) || l[p] == '-') {
			p++
		}
		end := ends[n] - len(l) + p
		if end < len(s) && (s[end] == '@' || s[end] == '+') {
			continue
		}
		if isTLD(l[:p]) {
			return end
		}
	}
	return i
}

// validLabel reports whether a label starts and ends with a domain character (not "-" or "_").
func validLabel(l string) bool {
	first, _ := utf8.DecodeRuneInString(l)
	last, _ := utf8.DecodeLastRuneInString(l)
	return isDomainRune(first) && isDomainRune(last)
}

// matchRun consumes the runes of s from i that ok accepts, with balanced parentheses when parens is set
// (two levels, as in Wikipedia URLs), and returns the end of the last rune that end accepts, or min.
func matchRun(s string, i, min int, ok, end func(rune) bool, parens bool) int {
	best := min
	for k := i; k < len(s); {
		r, size := utf8.DecodeRuneInString(s[k:])
		if parens && r == '(' {
			if n := balancedParens(s, k); n > k {
				k, best = n, n
				continue
			}
			break
		}
		if !ok(r) {
			break
		}
		k += size
		if end(r) {
			best = k
		}
	}
	return best
}

// balancedParens returns the end of "(…)" or "(…(…)…)" starting at byte i, or i.
func balancedParens(s string, i int) int {
	depth := 0
	for k := i; k < len(s); {
		r, size := utf8.DecodeRuneInString(s[k:])
		switch {
		case r == '(':
			depth++
			if depth > 2 {
				return i
			}
		case r == ')':
			depth--
			if depth == 0 {
				if k == i+1 {
					return i
				}
				return k + size
			}
		case !isURLPathRune(r):
			return i
		}
		k += size
	}
	return i
}

func isASCIIAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// asciiPunct is twitter-text's punct class.
const asciiPunct = "!'#%&()*+,\\-./:;<=>?@[]^_{|}~$"

// isDomainRune is twitter-text's validDomainChars: anything but punctuation, spaces, directional marks
// and invalid characters.
func isDomainRune(r rune) bool {
	if r < 0x80 {
		return r > ' ' && !strings.ContainsRune(asciiPunct, r)
	}
	switch {
	case r == 0x85 || r == 0xA0 || r == 0x1680 || r == 0x180E || r >= 0x2000 && r <= 0x200A,
		r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000,
		r >= 0x202A && r <= 0x202E || r == 0x061C || r == 0x200E || r == 0x200F || r >= 0x2066 && r <= 0x2069,
		r == 0xFFFE || r == 0xFEFF || r == 0xFFFF:
		return false
	}
	return true
}

// isLatinAccent is twitter-text's latinAccentChars.
func isLatinAccent(r rune) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x24F, r >= 0x300 && r <= 0x36F,
		r >= 0x1E00 && r <= 0x1EFF:
		return true
	}
	return strings.ContainsRune("\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268\u026F\u0272\u0289\u028B\u02BB", r)
}

func isCyrillic(r rune) bool { return r >= 0x400 && r <= 0x4FF }

// isURLPathRune is twitter-text's validGeneralUrlPathChars.
func isURLPathRune(r rune) bool {
	if r < 0x80 {
		return isASCIIAlnum(byte(r)) || strings.ContainsRune("!*';:=+,.$/%#[]-_~@|&", r)
	}
	return r == '\u2013' || isCyrillic(r) || isLatinAccent(r)
}

// isURLPathEnd is twitter-text's validUrlPathEndingChars (balanced parentheses aside).
func isURLPathEnd(r rune) bool {
	if r < 0x80 {
		return isASCIIAlnum(byte(r)) || strings.ContainsRune("+-=_#/", r)
	}
	return isCyrillic(r) || isLatinAccent(r)
}

// isURLQueryRune is twitter-text's validUrlQueryChars.
func isURLQueryRune(r rune) bool {
	return r < 0x80 && (isASCIIAlnum(byte(r)) || strings.ContainsRune("!?*'@();:&=+$/%#[]-_.,~|", r))
}

// isURLQueryEnd is twitter-text's validUrlQueryEndingChars.
func isURLQueryEnd(r rune) bool {
	return r < 0x80 && (isASCIIAlnum(byte(r)) || strings.ContainsRune("-_&=#/", r))
}

var tlds = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields(genericTLDs + " " + countryTLDs) {
		m[t] = true
	}
	return m
})

// isTLD reports whether a label is a top-level domain twitter-text knows, or punycode.
func isTLD(label string) bool {
	l := strings.ToLower(label)
	return tlds()[l] || strings.HasPrefix(l, "xn--") && len(l) > 4
}
