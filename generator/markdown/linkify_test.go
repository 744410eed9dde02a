package markdown

import (
	"bytes"
	"slices"
	"testing"

	"github.com/yuin/goldmark/parser"
)

func TestLinkifies(t *testing.T) {
	for src, want := range map[string]bool{
		"Du texte, *des* (parenthèses) et ~~rien~~ à lier.\n": false,
		"Voir https://example.org.\n":                         true,
		"Voir http://example.org.\n":                          true,
		"ftp://example.org":                                   true,
		"www.example.org":                                     true,
		"camille@example.org":                                 true,
		"@camille":                                            true,
		"http, https et ftp : des protocoles":                 false,
		"Note : voir (https://example.org)":                   true,
		"HTTPS://EXAMPLE.ORG et WWW.EXAMPLE.ORG":              false, // Linkify's prefixes are lower case
		"[lien](page.md) et <https://example.org>":            true,
		// Trailing spaces, which goldmark cuts at each space or tab with Linkify.
		"a \t\nb":     true,
		"a\t \nb":     true,
		"a\r \nb":     true,
		"a \t":        true,
		"a    \nb":    true,
		"a   \t\r\nb": true,
		"a \nb":       false,
		"a \r\nb":     false,
		"a  \nb":      false, // a hard line break
		"a   \nb":     false,
		"a\t  \nb":    false,
		"a  \r\nb":    false,
		"a   \r\nb":   false,
		"a \\\nb":     false,
		"  \n\n\t\n":  false,
		"":            false,
	} {
		if got := linkifies([]byte(src)); got != want {
			t.Errorf("linkifies(%q) = %v, want %v", src, got, want)
		}
	}
}

// TestLinkifyQuirk shows why linkifies sends pages with trailing spaces to Linkify: with it, goldmark
// keeps some of them. Should goldmark stop doing so, keepsTrailingSpace can go.
func TestLinkifyQuirk(t *testing.T) {
	c := New(Options{})
	with, without := conversionWith(t, c, c.md.Parser(), "a \t\nb"), conversionWith(t, c, c.plain, "a \t\nb")
	if string(with.HTML) != "<p>a \nb</p>\n" || string(without.HTML) != "<p>a\nb</p>\n" {
		t.Errorf("with Linkify %q, without %q", with.HTML, without.HTML)
	}
}

// FuzzLinkifySkip checks that a page that linkifies says needs no Linkify converts the same without
// it: HTML, summary, headings, word count, link errors and raw HTML.
func FuzzLinkifySkip(f *testing.F) {
	for _, s := range []string{
		"# Titre {#t .c}\n\nUn *mot* (entre parenthèses) et ~~barré~~, _souligné_.\n<!--more-->\n\n## Deux  \n",
		"Il dit \"bonjour\" : « ça va ? » 1 400 € \nà 14 h ; *fin*!\\\nsuite  \ntrois   \n\tquatre\n",
		"a *b*  c `d`  \n[e  f](a.md)   [](nope.md)\n{.x .y}\n",
		"| a  | b (c) |\n|---|:-:|\n| *x*  y | [z](a.md) |\n\n- [ ] t  (u)\n- v\n\n> w  *x*\n",
		"Terme\n: définition  (ici)\n\nNote[^1].\n\n[^1]: La *note* ( bas ).\n",
		"![img](i.png \"Un titre\")\n\n[vidéo](clip.mp4)\n\n<span>x</span> y \r\nz\r\n",
		"a\r\nb \r\n*c* \r\nd\t\ne\v \f\n",
	} {
		f.Add(s, false, false)
		f.Add(s, true, true)
	}
	var converters [4]*Converter
	for i := range converters {
		o := Options{Unsafe: i&1 != 0}
		if i&2 != 0 {
			o.Typography = "fr"
		}
		converters[i] = New(o)
	}
	f.Fuzz(func(t *testing.T, src string, unsafe, french bool) {
		if linkifies([]byte(src)) || checkNesting([]byte(src)) != nil {
			return
		}
		i := 0
		if unsafe {
			i |= 1
		}
		if french {
			i |= 2
		}
		c := converters[i]
		with, without := conversionWith(t, c, c.md.Parser(), src), conversionWith(t, c, c.plain, src)
		if !bytes.Equal(with.HTML, without.HTML) {
			t.Fatalf("%q:\nwith Linkify    %q\nwithout Linkify %q", src, with.HTML, without.HTML)
		}
		if !bytes.Equal(with.Summary, without.Summary) || with.HasMore != without.HasMore {
			t.Errorf("%q: summary %q, %v with Linkify, %q, %v without", src, with.Summary, with.HasMore, without.Summary, without.HasMore)
		}
		if !slices.Equal(with.TOC, without.TOC) || !slices.Equal(with.Anchors, without.Anchors) {
			t.Errorf("%q: headings %v %q with Linkify, %v %q without", src, with.TOC, with.Anchors, without.TOC, without.Anchors)
		}
		if with.WordCount != without.WordCount {
			t.Errorf("%q: %d words with Linkify, %d without", src, with.WordCount, without.WordCount)
		}
		if !slices.Equal(with.LinkErrors, without.LinkErrors) || !slices.Equal(with.RawHTML, without.RawHTML) {
			t.Errorf("%q: link errors %v, raw HTML %v with Linkify, %v, %v without", src, with.LinkErrors, with.RawHTML, without.LinkErrors, without.RawHTML)
		}
	})
}

// conversionWith converts src with the parser p, resolving the links to a.md only.
func conversionWith(t *testing.T, c *Converter, p parser.Parser, src string) Result {
	t.Helper()
	resolve := func(dest string) (string, bool) { return "/a/", dest == "a.md" }
	res, out, _, err := c.convertWith(p, []byte(src), resolve, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer out.release()
	return out.result(res, bytes.Clone(out.Bytes()))
}
