package seo

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

func runeCount(s string) int { return utf8.RuneCountInString(s) }

// collapse turns every run of breaking white space into one space and trims the ends. No-break spaces
// (French typography puts them before « ; : ! ? ») are kept as they are.
func collapse(s string) string {
	if collapsed(s) {
		return s
	}
	return collapseCopy(s)
}

// collapseCopy is collapse making a new string.
func collapseCopy(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if breakingSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// collapsed reports whether collapse(s) == s, as it is for most titles and descriptions, without
// making a copy: valid UTF-8 whose breaking spaces are single ASCII spaces between other characters.
func collapsed(s string) bool {
	space := true // at the start, a space is one too many
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c == ' ' {
				if space {
					return false
				}
				space = true
				continue
			}
			if breakingSpace(rune(c)) {
				return false
			}
			space = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || breakingSpace(r) {
			return false // collapse writes U+FFFD for the invalid byte, or replaces the space
		}
		i += size
		space = false
	}
	return !space || s == ""
}

// breakingSpace reports whether a line may break at r.
func breakingSpace(r rune) bool {
	switch r {
	case '\u00a0', '\u202f', '\u2007', '\u2060':
		return false
	}
	return unicode.IsSpace(r)
}

// cut shortens s to at most limit characters, "…" included, at a word boundary; s is returned as is when
// it fits. A single word longer than the limit is cut inside.
func cut(s string, limit int) string {
	if runeCount(s) <= limit {
		return s
	}
	rs := []rune(s)
	end := limit - 1 // room for "…"
	// The last breaking space at or before end: the word that ends there fits whole.
	i := end
	for i > 0 && !breakingSpace(rs[i]) {
		i--
	}
	if i == 0 {
		i = end
	}
	head := strings.TrimRightFunc(string(rs[:i]), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:–—-([«\u00a0\u202f", r)
	})
	return head + "…"
}

// isoTime is t in RFC 3339 with its offset, "" for the zero time.
func isoTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// ogLocale turns a BCP 47 tag into OpenGraph's language_TERRITORY: "fr" → "fr_FR", "en" → "en_US",
// "fr-CA" → "fr_CA". The territory of a bare language is its most likely one.
func ogLocale(lang string) string {
	if lang == "" {
		return ""
	}
	tag, err := language.Parse(lang)
	if err != nil {
		return ""
	}
	base, _ := tag.Base()
	region, conf := tag.Region()
	if conf == language.No || base.String() == "und" {
		return ""
	}
	return base.String() + "_" + region.String()
}

// fediverseCreator is the owner's Mastodon handle, "@user@instance", from a profile URL such as
// https://piaille.fr/@camille or https://piaille.fr/users/camille; "" without a Mastodon account.
func fediverseCreator(accounts []model.Social) string {
	for _, s := range accounts {
		if !strings.EqualFold(s.Network, "mastodon") {
			continue
		}
		if h := mastodonHandle(s.URL); h != "" {
			return h
		}
	}
	return ""
}

var handleRE = regexp.MustCompile(`^@?([A-Za-z0-9_.-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$`)

func mastodonHandle(profile string) string {
	if m := handleRE.FindStringSubmatch(profile); m != nil {
		return "@" + m[1] + "@" + strings.ToLower(m[2])
	}
	u, err := url.Parse(profile)
	if err != nil || u.Hostname() == "" {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	var user string
	switch {
	case strings.HasPrefix(segs[0], "@"):
		user = segs[0][1:]
	case segs[0] == "users" && len(segs) > 1:
		user = segs[1]
	}
	if user == "" {
		return ""
	}
	if m := handleRE.FindStringSubmatch(user); m != nil {
		// A remote account seen through another instance: https://a.example/@bob@b.example.
		return "@" + m[1] + "@" + strings.ToLower(m[2])
	}
	if strings.ContainsAny(user, "@?#") {
		return ""
	}
	return "@" + user + "@" + host
}

// twitterHandle is "@name" from the owner's X (Twitter) profile URL, "" without one.
func twitterHandle(accounts []model.Social) string {
	for _, s := range accounts {
		if n := strings.ToLower(s.Network); n != "x" && n != "twitter" {
			continue
		}
		u, err := url.Parse(s.URL)
		if err != nil {
			continue
		}
		name := strings.Trim(u.Path, "/")
		if name != "" && !strings.Contains(name, "/") {
			return "@" + strings.TrimPrefix(name, "@")
		}
	}
	return ""
}

var (
	priceRE   = regexp.MustCompile(`^(?i)(€|\$|£|eur|usd|gbp|chf|cad)? ?(\d+(?:[.,]\d{1,2})?) ?(€|\$|£|eur|euros?|usd|gbp|chf|cad)?$`)
	freeWords = []string{"gratuit", "gratuite", "free", "entrée libre", "entree libre", "entrée gratuite"}
)

// parsePrice reads a price written for people ("15 €", "12,50 €", "€15", "CHF 20", "Gratuit") as a
// schema.org price and ISO 4217 currency; free entry is 0 in currency. ok is false for anything else
// ("10 € / 5 € réduit").
func parsePrice(text, currency string) (price, cur string, ok bool) {
	s := strings.ToLower(strings.Join(strings.FieldsFunc(text, unicode.IsSpace), " "))
	s = strings.TrimSuffix(s, ".")
	for _, w := range freeWords {
		if s == w {
			return "0", currency, true
		}
	}
	m := priceRE.FindStringSubmatch(s)
	if m == nil || (m[1] != "" && m[3] != "") {
		return "", "", false
	}
	sym := m[1] + m[3]
	switch sym {
	case "":
		cur = currency
	case "€", "eur", "euro", "euros":
		cur = "EUR"
	case "$", "usd":
		cur = "USD"
	case "£", "gbp":
		cur = "GBP"
	default:
		cur = strings.ToUpper(sym)
	}
	return strings.Replace(m[2], ",", ".", 1), cur, true
}
