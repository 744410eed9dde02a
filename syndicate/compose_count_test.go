package syndicate

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestCountX(t *testing.T) {
	url := "https://camille-roussel.fr/posts/lumiere-naturelle-en-portrait/?utm_source=x&utm_medium=social&utm_campaign=lumiere-naturelle-en-portrait"
	for _, c := range []struct {
		text string
		want int
	}{
		{"", 0},
		{"Été à Lyon", 10},                // accented Latin weighs 1
		{"« Bonjour »", 11},               // guillemets and spaces weigh 1
		{"Prêt\u00a0?", 6},                // no-break space U+00A0 weighs 1
		{"Prêt\u202f?", 7},                // narrow no-break space U+202F weighs 2
		{"l’été…", 7},                     // ’ weighs 1, … weighs 2
		{"東京", 4},                         // CJK weighs 2
		{"😀", 2},                          // an emoji weighs 2
		{"👩‍💻", 2},                        // a ZWJ sequence twemoji knows: 2 as a whole
		{"🇫🇷", 2},                         // a flag
		{"👍🏽", 2},                         // a skin tone
		{"❤️", 2},                         // with its presentation selector
		{"😀\uFE0F", 4},                    // a selector twemoji does not pair with 😀 weighs 2 more
		{"🧑‍🚀", 5},                        // newer than twemoji-parser 11: 2 + 1 (ZWJ) + 2
		{"©", 1},                          // text, not emoji
		{url, 23},                         // a URL weighs 23 whatever its length
		{"Lire : " + url + " #Photo", 37}, // 7 + 23 + 7
		{"vitrine.fr", 23},                // bare domain with a known TLD is a URL
		{"Node.js", 7},                    // .js is no TLD
		{"IMG_4521.JPG", 12},
		{"(https://e.org/a).", 26},
		{"https://camille.example/", 24}, // .example is no TLD: twitter-text sees no URL
	} {
		if got := countX(c.text); got != c.want {
			t.Errorf("countX(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}

// TestCountXLikeTwitterText checks countX against twitter-text 3.1.0 itself, on texts mixing accents,
// emoji, CJK, URLs with and without scheme (testdata/x-weighted-length.js made the file).
func TestCountXLikeTwitterText(t *testing.T) {
	data, err := os.ReadFile("testdata/x-weighted-length.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Text   string `json:"text"`
		Length int    `json:"length"`
	}
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 500 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		if got := countX(c.Text); got != c.Length {
			t.Errorf("countX(%+q) = %d, twitter-text says %d", c.Text, got, c.Length)
		}
	}
}

func TestCountBluesky(t *testing.T) {
	for _, c := range []struct {
		text             string
		graphemes, bytes int
	}{
		{"abc", 3, 3},
		{"été", 3, 5},
		{"e\u0301te\u0301", 3, 7}, // decomposed accents: one grapheme each
		{"👩‍💻", 1, 11},            // a ZWJ sequence is one grapheme
		{"🇫🇷", 1, 8},
		{"👍🏽", 1, 8},
		{"Prêt\u202f?", 6, 9}, // U+202F takes 3 bytes
		{"東京", 2, 6},
	} {
		if g := countGraphemes(c.text); g != c.graphemes || len(c.text) != c.bytes {
			t.Errorf("%q: %d graphemes, %d bytes; want %d, %d", c.text, g, len(c.text), c.graphemes, c.bytes)
		}
	}
	// 300 graphemes of 11 bytes each overflow Bluesky's 3000-byte limit though the count is right.
	r, _ := rulesFor(Bluesky, ComposeOptions{})
	if long := strings.Repeat("👩‍💻", 300); r.fits(long) {
		t.Errorf("300 × 👩‍💻 (%d bytes) fits Bluesky", len(long))
	}
	if r.fits(strings.Repeat("é", 301)) || !r.fits(strings.Repeat("é", 300)) {
		t.Error("Bluesky's 300 graphemes")
	}
}

func TestCountMastodon(t *testing.T) {
	long := "https://camille-roussel.fr/posts/un-titre-vraiment-tres-long/?utm_source=mastodon&utm_medium=social"
	for _, c := range []struct {
		text string
		want int
	}{
		{"Été", 3},
		{long, 23},
		{"Lire " + long + " !", 30},
		{"http://e.org", 23},             // short URLs count 23 too
		{"vitrine.fr", 10},               // without a scheme, not a link for Mastodon
		{"👩‍💻 " + long, 25},              // grapheme clusters
		{"(" + long + ").", 23 + 3},      // the parentheses and the final dot are not part of it
		{"e\u0301 " + "http://a.fr", 25}, // one grapheme, a space, a URL
	} {
		if got := countMastodon(c.text, 23); got != c.want {
			t.Errorf("countMastodon(%q) = %d, want %d", c.text, got, c.want)
		}
	}
	if got := countMastodon(long, 30); got != 30 {
		t.Errorf("instance with 30 per URL: %d", got)
	}
}

func TestCountThreads(t *testing.T) {
	for _, c := range []struct {
		text string
		want int
	}{
		{"Été à Lyon", 10},
		{"😀", 4},    // an emoji counts its UTF-8 bytes
		{"👩‍💻", 11}, // the whole sequence
		{"❤️", 6},
		{"🇫🇷", 8},
		{"東京", 2},
		{"☀", 3},
	} {
		if got := countThreads(c.text); got != c.want {
			t.Errorf("countThreads(%q) = %d, want %d", c.text, got, c.want)
		}
	}
}

func TestCountUTF16(t *testing.T) {
	if got := countUTF16("Été 😀 東"); got != 8 {
		t.Errorf("countUTF16 = %d, want 8", got)
	}
}

func TestFindURLs(t *testing.T) {
	for _, c := range []struct {
		text string
		bare bool
		want []string
	}{
		{"Lire https://e.org/a?b=c&d=e.", false, []string{"https://e.org/a?b=c&d=e"}},
		{"(https://fr.wikipedia.org/wiki/Lyon_(ville))", false, []string{"https://fr.wikipedia.org/wiki/Lyon_(ville)"}},
		{"voir vitrine.fr/blog, ou e.org.", true, []string{"vitrine.fr/blog", "e.org"}},
		{"voir vitrine.fr/blog", false, nil},
		{"mail@example.org", true, nil},
		{"https://e.org/été", false, []string{"https://e.org/été"}},
		{"x https://e.org:8080/a", false, []string{"https://e.org:8080/a"}},
		{"https://localhost/a", false, nil}, // no TLD
	} {
		var got []string
		for _, u := range findURLs(c.text, c.bare) {
			got = append(got, c.text[u.start:u.end])
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("findURLs(%q, %v) = %q, want %q", c.text, c.bare, got, c.want)
		}
	}
}

func BenchmarkComposeLong(b *testing.B) {
	site := testSite()
	page := goldenArticles()[3]
	for b.Loop() {
		for _, n := range Networks {
			if _, err := Compose(site, page, n, composeOpts()); err != nil {
				b.Fatal(err)
			}
		}
	}
}
