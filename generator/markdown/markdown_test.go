package markdown

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// convert converts src with default options and no resolver, failing the
// test on error.
func convert(t testing.TB, opts Options, src string, resolve LinkResolver) Result {
	t.Helper()
	res, err := New(opts).Convert([]byte(src), resolve)
	if err != nil {
		t.Fatalf("Convert(%q): %v", src, err)
	}
	return res
}

// assertContains checks that html holds every want and none of not.
func assertContains(t *testing.T, html []byte, want, not []string) {
	t.Helper()
	for _, w := range want {
		if !bytes.Contains(html, []byte(w)) {
			t.Errorf("output lacks %q\n--- output:\n%s", w, html)
		}
	}
	for _, n := range not {
		if bytes.Contains(html, []byte(n)) {
			t.Errorf("output has %q\n--- output:\n%s", n, html)
		}
	}
}

// TestTableAsGoldmark checks that tables come out as goldmark writes them, though vitrine writes the cells.
func TestTableAsGoldmark(t *testing.T) {
	src := "| a | *b* | `c` | d |\n| :-- | :-: | --: | --- |\n| 1 | 2 | 3 | 4 |\n|  | x \\| y |\n"
	var want bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.Table)).Convert([]byte(src), &want); err != nil {
		t.Fatal(err)
	}
	if got := convert(t, Options{}, src, nil).HTML; string(got) != want.String() {
		t.Errorf("got\n%s\nwant\n%s", got, want.Bytes())
	}
}

func TestFeatures(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want, not []string
	}{
		{
			name: "table",
			src:  "| Name | Qty |\n| :--- | --: |\n| pommes | 3 |\n",
			want: []string{"<table>", "<thead>", "<th style=\"text-align:left\">Name</th>", "<td style=\"text-align:right\">3</td>", "</tbody>\n</table>"},
		},
		{
			name: "strikethrough",
			src:  "un ~~deux~~ trois\n",
			want: []string{"<p>un <del>deux</del> trois</p>"},
		},
		{
			name: "task list",
			src:  "- [ ] à faire\n- [x] fait\n",
			want: []string{`<li><input disabled="" type="checkbox"> à faire</li>`, `<li><input checked="" disabled="" type="checkbox"> fait</li>`},
		},
		{
			name: "linkify",
			src:  "voir www.example.com et https://example.org/a?b=c.\n",
			want: []string{`<a href="http://www.example.com">www.example.com</a>`, `<a href="https://example.org/a?b=c">https://example.org/a?b=c</a>.`},
		},
		{
			name: "autolink",
			src:  "<https://example.org>\n",
			want: []string{`<a href="https://example.org">https://example.org</a>`},
		},
		{
			name: "footnotes",
			src:  "Texte[^a].\n\n[^a]: La note.\n",
			want: []string{`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`, `<div class="footnotes" role="doc-endnotes">`, `<li id="fn:1">`, "La note."},
		},
		{
			name: "definition list",
			src:  "Vitrine\n: Un générateur de sites.\n",
			want: []string{"<dl>\n<dt>Vitrine</dt>\n<dd>Un générateur de sites.</dd>\n</dl>"},
		},
		{
			name: "typographer off",
			src:  "\"cité\" -- et 'ça'...\n",
			want: []string{"&quot;cité&quot; -- et 'ça'..."},
			not:  []string{"&ldquo;", "“", "&ndash;", "&hellip;"},
		},
		{
			name: "heading attributes",
			src:  "## Titre {#mon-id .grand}\n",
			want: []string{`<h2 id="mon-id" class="grand">Titre</h2>`},
		},
		{
			name: "automatic id after the other attributes",
			src:  "## Titre {.grand data-x=a onclick=no}\n\n> ### Dans une citation\n\n- ## Dans une liste\n\nTexte[^1].\n\n[^1]: ## Dans une note\n",
			want: []string{`<h2 class="grand" data-x="a" id="titre">Titre</h2>`, `<h3 id="dans-une-citation">`,
				`<h2 id="dans-une-liste">`, `<h2 id="dans-une-note">`},
			not: []string{"onclick"},
		},
		{
			name: "indented code is plain",
			src:  "    <b>x</b>\n",
			want: []string{"<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := convert(t, Options{}, tt.src, nil)
			assertContains(t, res.HTML, tt.want, tt.not)
		})
	}
}

func TestCodeBlocks(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want, not []string
	}{
		{
			name: "go is highlighted with classes",
			src:  "```go\nfunc main() { fmt.Println(\"<hi>\") }\n```\n",
			want: []string{
				`<pre class="chroma" tabindex="0"><code class="language-go">`,
				`<span class="kd">func</span>`,
				`<span class="nf">main</span>`,
				`&#34;&lt;hi&gt;&#34;`,
				"</code></pre>\n",
			},
			not: []string{"style=", "<hi>"},
		},
		{
			name: "language name is case-insensitive",
			src:  "```Python\nimport os\n```\n",
			want: []string{`class="chroma"`, `<span class="kn">import</span>`},
		},
		{
			name: "unknown language is plain and escaped",
			src:  "```nosuchlang\n<b>&x</b>\n```\n",
			want: []string{"<pre><code class=\"language-nosuchlang\">&lt;b&gt;&amp;x&lt;/b&gt;\n</code></pre>"},
			not:  []string{"chroma", "<b>"},
		},
		{
			name: "no language is plain",
			src:  "```\nplain <text>\n```\n",
			want: []string{"<pre><code>plain &lt;text&gt;\n</code></pre>"},
			not:  []string{"chroma"},
		},
		{
			name: "attributes after the language",
			src:  "```go {linenos=true}\nx := 1\n```\n",
			want: []string{`<code class="language-go">`, `<span class="o">:=</span>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := convert(t, Options{}, tt.src, nil)
			assertContains(t, res.HTML, tt.want, tt.not)
		})
	}
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"accents kept", "# Été à Lyon\n", []string{"été-à-lyon"}},
		{"duplicates", "## Intro\n## Intro\n## Intro\n", []string{"intro", "intro-1", "intro-2"}},
		{"punctuation", "## Qu’est-ce que c’est ?\n## Go 1.26, enfin !\n", []string{"quest-ce-que-cest", "go-126-enfin"}},
		{"separator runs", "## a -- b __ c\n## snake_case\n", []string{"a-b-c", "snake-case"}},
		{"trimmed", "## - bord -\n", []string{"bord"}},
		{"empty becomes section", "## !!!\n## ?\n", []string{"section", "section-1"}},
		{"other scripts", "## Привет, мир\n## 日本語の見出し\n## Ελληνικά\n", []string{"привет-мир", "日本語の見出し", "ελληνικά"}},
		{"made from text not markup", "## Use `go vet` with [the docs](https://go.dev/x_y.md) & *more*\n", []string{"use-go-vet-with-the-docs-more"}},
		{"setext", "Titre long\n==========\n", []string{"titre-long"}},
		{"custom id", "## Titre {#perso}\n", []string{"perso"}},
		{"custom id reserved first", "## Intro\n## Autre {#intro}\n", []string{"intro-1", "intro"}},
		{"suffix already taken", "## A {#a-1}\n## A\n## A\n", []string{"a-1", "a", "a-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := convert(t, Options{}, tt.src, nil)
			if !reflect.DeepEqual(res.Anchors, tt.want) {
				t.Errorf("Anchors = %q, want %q", res.Anchors, tt.want)
			}
			for _, id := range tt.want {
				assertContains(t, res.HTML, []string{` id="` + id + `"`}, nil)
			}
		})
	}
}

func TestHeadingIDsArePerCall(t *testing.T) {
	c := New(Options{})
	for range 3 {
		res, err := c.Convert([]byte("## Intro\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Anchors, []string{"intro"}) {
			t.Fatalf("Anchors = %q: ids leak from one call to the next", res.Anchors)
		}
	}
}

func TestTOC(t *testing.T) {
	src := "# Titre\n\n## Un *joli* `code`\n\n### Sous A &amp; B\n\n#### Quatre\n\n##### Cinq\n\n## Deux {#deux}\n"
	res := convert(t, Options{}, src, nil)
	want := []Heading{
		{Level: 2, ID: "un-joli-code", Text: "Un joli code"},
		{Level: 3, ID: "sous-a-b", Text: "Sous A & B"},
		{Level: 4, ID: "quatre", Text: "Quatre"},
		{Level: 2, ID: "deux", Text: "Deux"},
	}
	if !reflect.DeepEqual(res.TOC, want) {
		t.Errorf("TOC = %+v\nwant  %+v", res.TOC, want)
	}
	if got := len(res.Anchors); got != 6 {
		t.Errorf("len(Anchors) = %d, want 6 (all levels)", got)
	}
}

// mapResolver resolves the destinations in pages and records every call.
type mapResolver struct {
	pages map[string]string
	calls []string
}

func (m *mapResolver) resolve(dest string) (string, bool) {
	m.calls = append(m.calls, dest)
	u, ok := m.pages[dest]
	return u, ok
}

func TestLinks(t *testing.T) {
	pages := map[string]string{
		"../posts/a.md#intro": "/posts/a/#intro",
		"b.md":                "/b/",
		"B.MD":                "/b/",
		"c%2Emd":              "/c/",
		"d.md?x=1":            "/d/?x=1",
		"../fête.md":          "/fete/",
	}
	tests := []struct {
		name      string
		src       string
		want, not []string
		calls     []string
		errors    []LinkError
	}{
		{
			name:  "resolved with fragment",
			src:   "Voir [A](../posts/a.md#intro).\n",
			want:  []string{`<a href="/posts/a/#intro">A</a>`},
			calls: []string{"../posts/a.md#intro"},
		},
		{
			name:  "case and percent-encoding",
			src:   "[b](B.MD) [c](c%2Emd) [d](d.md?x=1) [f](../f%C3%AAte.md) [g](<../fête.md>)\n",
			want:  []string{`<a href="/b/">b</a>`, `<a href="/c/">c</a>`, `<a href="/d/?x=1">d</a>`, `<a href="/fete/">g</a>`},
			calls: []string{"B.MD", "c%2Emd", "d.md?x=1", "../f%C3%AAte.md", "../fête.md"},
			errors: []LinkError{
				{Line: 1, Dest: "../f%C3%AAte.md"},
			},
		},
		{
			name:  "escapes resolved before resolving",
			src:   "[b](b\\.md) [b2](b&#46;md)\n",
			want:  []string{`<a href="/b/">b</a>`, `<a href="/b/">b2</a>`},
			calls: []string{"b.md", "b.md"},
		},
		{
			name:  "reference link",
			src:   "Voir [B][ref].\n\n[ref]: b.md \"Titre\"\n",
			want:  []string{`<a href="/b/" title="Titre">B</a>`},
			calls: []string{"b.md"},
		},
		{
			name: "unresolved on line 7 of several paragraphs",
			src:  "# Titre\n\nPremier paragraphe\nsur deux lignes.\n\nDeuxième paragraphe,\navec un [lien cassé](missing.md#x) ici.\n",
			want: []string{`<a href="missing.md#x">lien cassé</a>`},
			errors: []LinkError{
				{Line: 7, Dest: "missing.md#x"},
			},
			calls: []string{"missing.md#x"},
		},
		{
			name:   "unresolved in a list item",
			src:    "Intro.\n\n- un\n- deux\n  suite [x](nope.md)\n- trois\n",
			errors: []LinkError{{Line: 5, Dest: "nope.md"}},
			calls:  []string{"nope.md"},
		},
		{
			name:   "unresolved in a nested list and blockquote",
			src:    "> - a\n>   - b\n>\n>     [c *d*](nope.md)\n",
			errors: []LinkError{{Line: 4, Dest: "nope.md"}},
			calls:  []string{"nope.md"},
		},
		{
			name:   "unresolved in a table cell",
			src:    "Texte.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | [**x**](nope.md) |\n",
			errors: []LinkError{{Line: 6, Dest: "nope.md"}},
			calls:  []string{"nope.md"},
		},
		{
			name:   "link text on several lines gives the first",
			src:    "a\n\nb [début\nfin](nope.md)\n",
			errors: []LinkError{{Line: 3, Dest: "nope.md"}},
			calls:  []string{"nope.md"},
		},
		{
			name:   "link without text",
			src:    "a\n\nb\nc [](nope.md) [](other.md)\n",
			errors: []LinkError{{Line: 4, Dest: "nope.md"}, {Line: 4, Dest: "other.md"}},
			calls:  []string{"nope.md", "other.md"},
		},
		{
			name:   "link around an image",
			src:    "a\n\n[![](i.png)](nope.md)\n",
			errors: []LinkError{{Line: 3, Dest: "nope.md"}},
			calls:  []string{"nope.md"},
		},
		{
			name: "links left alone",
			src:  "[abs](/posts/a.md) [web](https://example.org/a.md) [ancre](#a.md) [mail](mailto:a@b.md) [proto](//host/a.md) [page](a.html) [dir](posts/) [vide]()\n",
			want: []string{`href="/posts/a.md"`, `href="https://example.org/a.md"`, `href="#a.md"`, `href="mailto:a@b.md"`, `href="//host/a.md"`, `href="a.html"`, `href="posts/"`},
		},
		{
			name: "images are not links",
			src:  "![photo](b.md)\n",
			want: []string{`<img src="b.md" alt="photo">`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &mapResolver{pages: pages}
			res := convert(t, Options{}, tt.src, r.resolve)
			assertContains(t, res.HTML, tt.want, tt.not)
			if !reflect.DeepEqual(r.calls, tt.calls) {
				t.Errorf("resolver calls = %q, want %q", r.calls, tt.calls)
			}
			if !reflect.DeepEqual(res.LinkErrors, tt.errors) {
				t.Errorf("LinkErrors = %+v, want %+v", res.LinkErrors, tt.errors)
			}
		})
	}
}

func TestNilResolver(t *testing.T) {
	res := convert(t, Options{}, "[a](missing.md)\n", nil)
	assertContains(t, res.HTML, []string{`href="missing.md"`}, nil)
	if res.LinkErrors != nil {
		t.Errorf("LinkErrors = %+v, want none without a resolver", res.LinkErrors)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		src     string
		summary string // "" means nil
		hasMore bool
	}{
		{
			name:    "first paragraph",
			src:     "# Titre\n\nPremier *paragraphe*.\n\nSecond.\n",
			summary: "<p>Premier <em>paragraphe</em>.</p>\n",
		},
		{
			name:    "first top-level paragraph only",
			src:     "> cité\n\n- liste\n\nEnfin[^1].\n\n[^1]: note\n",
			summary: "<p>Enfin.</p>\n",
		},
		{
			name: "no paragraph",
			src:  "# Titre\n\n- liste\n",
		},
		{
			name:    "blocks before the marker",
			src:     "# Titre\n\nUn.\n\nDeux.\n\n<!--more-->\n\nTrois.\n",
			summary: "<h1>Titre</h1>\n<p>Un.</p>\n<p>Deux.</p>\n",
			hasMore: true,
		},
		{
			name:    "marker right after a paragraph line",
			src:     "Un.\n<!--more-->\nDeux.\n",
			summary: "<p>Un.</p>\n",
			hasMore: true,
		},
		{
			name:    "marker with spaces, unsafe",
			opts:    Options{Unsafe: true},
			src:     "Un.\n\n<!-- more -->\n\n<!--other-->\n\nDeux.\n",
			summary: "<p>Un.</p>\n",
			hasMore: true,
		},
		{
			name:    "marker first",
			src:     "<!--more-->\n\nTout.\n",
			hasMore: true,
		},
		{
			name:    "second marker hidden too",
			opts:    Options{Unsafe: true},
			src:     "Un.\n\n<!--more-->\n\nDeux.\n\n<!--more-->\n\nTrois.\n",
			summary: "<p>Un.</p>\n",
			hasMore: true,
		},
		{
			name:    "marker in a quote is not a divider",
			opts:    Options{Unsafe: true},
			src:     "Un.\n\n> <!--more-->\n\nDeux.\n",
			summary: "<p>Un.</p>\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := convert(t, tt.opts, tt.src, nil)
			if got := string(res.Summary); got != tt.summary || (tt.summary == "") != (res.Summary == nil) {
				t.Errorf("Summary = %q, want %q", res.Summary, tt.summary)
			}
			if res.HasMore != tt.hasMore {
				t.Errorf("HasMore = %v, want %v", res.HasMore, tt.hasMore)
			}
			for _, marker := range []string{"<!--more-->", "<!-- more -->"} {
				if bytes.Contains(res.HTML, []byte(marker)) {
					t.Errorf("HTML shows the marker: %q", res.HTML)
				}
			}
		})
	}
}

func TestSummaryMarkerOmittedWithoutUnsafe(t *testing.T) {
	res := convert(t, Options{}, "Un.\n\n<!--more-->\n\nDeux.\n", nil)
	if want := "<p>Un.</p>\n<p>Deux.</p>\n"; string(res.HTML) != want {
		t.Errorf("HTML = %q, want %q (no trace of the marker)", res.HTML, want)
	}
}

func TestRawHTML(t *testing.T) {
	src := "<div class=\"x\">bloc</div>\n\nTexte <span>en ligne</span>.\n"
	tests := []struct {
		unsafe    bool
		want, not []string
	}{
		{false, []string{"<!-- raw HTML omitted -->", "Texte <!-- raw HTML omitted -->en ligne<!-- raw HTML omitted -->."}, []string{"<div", "<span"}},
		{true, []string{"<div class=\"x\">bloc</div>", "Texte <span>en ligne</span>."}, []string{"omitted"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("unsafe=%v", tt.unsafe), func(t *testing.T) {
			res := convert(t, Options{Unsafe: tt.unsafe}, src, nil)
			assertContains(t, res.HTML, tt.want, tt.not)
		})
	}
}

func TestWordCount(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want int
	}{
		{"empty", "", 0},
		{"plain", "Bonjour tout le monde.\n", 4},
		{"apostrophe", "l’été est là, l'hiver aussi\n", 5},
		{"french punctuation", "Bonjour ! « Salut » : oui ; — non ?\n", 4},
		{"word across markup", "un**deux** trois*quatre*\n", 2},
		{"lines", "un\ndeux  \ntrois\\\nquatre\n", 4},
		{"unicode spaces", "un\u00a0deux\u2003trois\n", 3},
		{"other scripts", "Привет мир 日本語\n", 3},
		{"headings and lists", "# Un titre\n\n- a\n- b\n", 4},
		{"inline code counts", "lancer `go vet ./...` ici\n", 4},
		{"code blocks don't", "avant\n\n```go\nfunc main() {}\n```\n\n    indenté aussi\n\naprès\n", 2},
		{"table cells", "| a | b |\n|---|---|\n| c | d |\n", 4},
		{"blocks separate words", "un\n\ndeux\n", 2},
		{"links count, images don't", "[le lien](x) ![une image](i.png) www.example.com\n", 3},
		{"raw html doesn't", "<div>un</div>\n\ndeux <b>trois</b>\n", 2},
		{"footnotes count", "a[^1]\n\n[^1]: b c\n", 3},
		{"numbers", "1 000 et 2,5\n", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convert(t, Options{}, tt.src, nil).WordCount; got != tt.want {
				t.Errorf("WordCount(%q) = %d, want %d", tt.src, got, tt.want)
			}
		})
	}
}

// TestMultibyteClass checks the shortcuts of multibyteClass against package unicode, for every character
// outside ASCII, and the wordCounter against a plain count on random text, invalid UTF-8 included.
func TestMultibyteClass(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		b := utf8.AppendRune(nil, r)
		want := uint8(wordOther)
		switch {
		case unicode.IsSpace(r):
			want = wordSpace
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			want = wordAlnum
		}
		if class, size := multibyteClass(b); class != want || size != len(b) {
			t.Fatalf("multibyteClass(%U) = %d, %d, want %d, %d", r, class, size, want, len(b))
		}
	}
	alphabet := []string{"a", "Z", "0", " ", "\t", "\n", ".", "!", "é", "×", "÷", "\u00a0", "\u202f", "’", "…", "日",
		"\xc3", "\xe2", "\xe2\x80", "\x80", "\xbf", "\xff", "\u2028", "\u0085"}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b []byte
		for range rnd.IntN(12) {
			b = append(b, alphabet[rnd.IntN(len(alphabet))]...)
		}
		var c wordCounter
		c.add(b)
		c.end()
		if want := plainWordCount(b); c.n != want {
			t.Fatalf("wordCounter counts %d words in %q, want %d", c.n, b, want)
		}
	}
}

// plainWordCount counts the words of b as the wordCounter says it does.
func plainWordCount(b []byte) int {
	n, alnum := 0, false
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		switch {
		case unicode.IsSpace(r):
			if alnum {
				n++
			}
			alnum = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			alnum = true
		}
	}
	if alnum {
		n++
	}
	return n
}

// TestConcurrent converts several pages from many goroutines with one
// Converter; run it with -race.
func TestConcurrent(t *testing.T) {
	c := New(Options{})
	docs := []string{
		benchDoc,
		"## Intro\n\n## Intro\n\n[a](a.md) [b](b.md)\n\n<!--more-->\n\n```go\nx := 1\n```\n",
		"# Été\n\nUn[^1].\n\n[^1]: note\n\n```python\nprint('x')\n```\n",
	}
	resolve := func(dest string) (string, bool) {
		if dest == "a.md" {
			return "/a/", true
		}
		return "", false
	}
	want := make([]Result, len(docs))
	for i, d := range docs {
		r, err := c.Convert([]byte(d), resolve)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = r
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(docs)*10)
	for g := range 8 {
		wg.Go(func() {
			for n := range 10 {
				i := (g + n) % len(docs)
				r, err := c.Convert([]byte(docs[i]), resolve)
				if err != nil {
					errs <- err.Error()
					continue
				}
				if !reflect.DeepEqual(r, want[i]) {
					errs <- fmt.Sprintf("goroutine %d, doc %d: result differs from the sequential one", g, i)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestHighlightCSS(t *testing.T) {
	css, err := HighlightCSS("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	for _, want := range []string{".chroma {", ".chroma .k {", ".chroma .line { display: flex; }", "@media (prefers-color-scheme: dark) {\n"} {
		if !strings.Contains(s, want) {
			t.Errorf("CSS lacks %q", want)
		}
	}
	light, dark, ok := strings.Cut(s, "@media (prefers-color-scheme: dark) {\n")
	if !ok || !strings.HasSuffix(dark, "}\n") {
		t.Fatalf("dark rules are not inside the media query:\n%s", s)
	}
	if !strings.Contains(light, "#cf222e") || strings.Contains(light, "#ff7b72") {
		t.Error("light part should hold github's colours only")
	}
	if !strings.Contains(dark, "#ff7b72") {
		t.Error("dark part should hold github-dark's colours")
	}
	// github colours names (.nx) that github-dark leaves to the text colour.
	if !strings.Contains(dark, ".chroma .nx { color: inherit }") {
		t.Errorf("dark part lacks the reset of what only the light style sets:\n%s", dark)
	}
	if strings.Count(s, "{") != strings.Count(s, "}") {
		t.Error("unbalanced braces")
	}

	for _, names := range [][2]string{{"nosuch", "github-dark"}, {"github", "nosuch"}} {
		if _, err := HighlightCSS(names[0], names[1]); err == nil || !strings.Contains(err.Error(), `"nosuch"`) {
			t.Errorf("HighlightCSS(%q, %q) error = %v, want one naming the unknown style", names[0], names[1], err)
		}
	}
}

// FuzzConvert checks invariants on any input: no panic, the summary is a part
// of the HTML, the marker never shows.
func FuzzConvert(f *testing.F) {
	seeds := []string{
		"# T\n\na *b* [c](d.md)\n<!--more-->\nb",
		"> - [x](a.md#f)\n>   [](b.md)",
		"| a |\n|---|\n| [![](i.png)](b.md) |",
		"## x {#x}\n## x\n\nt[^1]\n\n[^1]: n",
		"```go\nfunc f() {}\n```\n\n<div>\n<!--more-->\n",
	}
	for _, s := range seeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	converters := []*Converter{New(Options{}), New(Options{Unsafe: true})}
	f.Fuzz(func(t *testing.T, src string, unsafe bool) {
		c := converters[0]
		if unsafe {
			c = converters[1]
		}
		res, err := c.Convert([]byte(src), func(string) (string, bool) { return "", false })
		if _, deep := err.(*NestingError); deep {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(res.Summary, []byte(` id="`)) || bytes.Contains(res.Summary, []byte("fnref")) {
			t.Errorf("Summary keeps ids or footnote references: %s", res.Summary)
		}
		if len(res.Summary) > len(res.HTML) {
			t.Errorf("Summary is longer than the page")
		}
		lines := 1 + strings.Count(src, "\n")
		for _, e := range res.LinkErrors {
			if e.Line < 1 || e.Line > lines {
				t.Errorf("LinkError line %d out of 1..%d", e.Line, lines)
			}
		}
		if res.WordCount < 0 || res.WordCount > len(src) {
			t.Errorf("WordCount = %d for %d bytes", res.WordCount, len(src))
		}
	})
}

// BenchmarkConvert converts a ~1000-word article. In "fresh-code" its code
// blocks change at every conversion, as across the articles of a site; in
// "same-code" they are served from the converter's highlight cache.
func BenchmarkConvert(b *testing.B) {
	resolve := func(dest string) (string, bool) { return "/posts/" + strings.TrimSuffix(dest, ".md") + "/", true }
	b.Run("fresh-code", func(b *testing.B) {
		c := New(Options{})
		src := []byte(benchDoc)
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i++
			// Same length every time, so that only the code differs.
			page := bytes.ReplaceAll(src, []byte("bonjour"), fmt.Appendf(nil, "b%06d", i%1000000))
			if _, err := c.Convert(page, resolve); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("same-code", func(b *testing.B) {
		c := New(Options{})
		src := []byte(benchDoc)
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Convert(src, resolve); err != nil {
				b.Fatal(err)
			}
		}
	})
	// French typography on, with text written as people type it: straight quotes and apostrophes.
	b.Run("same-code-fr", func(b *testing.B) {
		c := New(Options{Typography: "fr"})
		src := []byte(strings.ReplaceAll(benchDoc, "’", "'"))
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Convert(src, resolve); err != nil {
				b.Fatal(err)
			}
		}
	})
	// The same, with no URL or e-mail address in the text, as in most articles: nothing to linkify.
	b.Run("same-code-fr-nourl", func(b *testing.B) {
		c := New(Options{Typography: "fr"})
		src := []byte(strings.NewReplacer("’", "'", "https://mastodon.social/@camille", "contact.md", "https://example.org/", "/").Replace(benchDoc))
		b.SetBytes(int64(len(src)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Convert(src, resolve); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchDoc is an article of about 1000 words with a table and two code blocks.
var benchDoc = func() string {
	var b strings.Builder
	b.WriteString("# Un article de blog\n\nCeci est l’introduction de l’article, avec un [lien](autre.md) et du *texte* en **gras**.\n\n<!--more-->\n\n")
	para := "Le photographe prépare sa séance : il choisit la lumière, règle l’appareil et vérifie le cadre. " +
		"Ensuite, il échange avec le client pour comprendre le projet[^1], puis publie le résultat sur son site `vitrine` et sur [Mastodon](https://mastodon.social/@camille).\n\n"
	for i := range 3 {
		fmt.Fprintf(&b, "## Partie %d\n\n", i+1)
		for range 4 {
			b.WriteString(para)
		}
		b.WriteString("- un point\n- un autre point avec [un lien](posts/a.md#ancre)\n- [x] une tâche\n\n")
	}
	b.WriteString("| Service | Durée | Prix |\n| --- | :---: | ---: |\n| Portrait | 1 h | 120 € |\n| Mariage | 8 h | 1 500 € |\n| Entreprise | 4 h | 600 € |\n\n")
	b.WriteString("```go\npackage main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(\"bonjour\", i)\n\t}\n}\n```\n\n")
	b.WriteString("```yaml\ntitle: Mon site\nbaseURL: https://example.org/\nparams:\n  author: Camille\n  tags: [photo, portrait]\n  greeting: bonjour\n```\n\n")
	for range 3 {
		b.WriteString(para)
	}
	b.WriteString("[^1]: Une note de bas de page.\n")
	return b.String()
}()

func TestSummaryIsListSafe(t *testing.T) {
	c := New(Options{})
	res, err := c.Convert([]byte("## Titre\n\nUn fait[^1].\n\n<!--more-->\n\nSuite.\n\n[^1]: La note.\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := string(res.Summary)
	if strings.Contains(s, "id=") || strings.Contains(s, "fnref") || !strings.Contains(s, "Un fait.") || !strings.Contains(s, "<h2>Titre</h2>") {
		t.Errorf("summary keeps page-only ids or footnote references: %s", s)
	}
	if !strings.Contains(string(res.HTML), `id="fnref:1"`) {
		t.Errorf("the page lost its footnote reference: %s", res.HTML)
	}
}

func TestBlockAttributes(t *testing.T) {
	c := New(Options{})
	for src, want := range map[string]string{
		"A paragraph.\n{.notice}\n":   `<p class="notice">A paragraph.</p>`,
		"- a\n- b\n\n{.wide #list}\n": `<ul class="wide" id="list">`,
		"Text {.not} here.\n":         `<p>Text {.not} here.</p>`,
		"A.\n{onclick=\"x()\" .ok}\n": `<p class="ok">A.</p>`,
		"Two\nlines\n{#last}\n":       "<p id=\"last\">Two\nlines</p>",
		"`{.code}`\n":                 `<p><code>{.code}</code></p>`,
	} {
		res, err := c.Convert([]byte(src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(res.HTML), want) {
			t.Errorf("%q gave %q, want %q", src, res.HTML, want)
		}
	}
}

// TestRawHTMLLeftOut checks that raw HTML left out of a page is reported with its lines, comments aside,
// and not reported when raw HTML is kept.
func TestRawHTMLLeftOut(t *testing.T) {
	src := "a\n\n<div>x</div>\n\n<span>y</span> z <!-- c -->\n\n<!-- note -->\n\n`<b>` and\n\n    <pre>\n"
	res, err := New(Options{}).Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{3, 5}; !slices.Equal(res.RawHTML, want) {
		t.Errorf("RawHTML = %v, want %v", res.RawHTML, want)
	}
	if res, _ := New(Options{Unsafe: true}).Convert([]byte(src), nil); res.RawHTML != nil {
		t.Errorf("with Unsafe, RawHTML = %v", res.RawHTML)
	}
}

// BenchmarkWordCount counts the words of French prose, read as one text: words drawn at random, as the
// branch predictor would learn the repeated paragraphs of benchDoc.
func BenchmarkWordCount(b *testing.B) {
	words := strings.Fields("le la les de des un une et à été rivière journée marché café photographie lumière " +
		"l’atelier d’été : ! ? « » 2026 1 400 € cadrage réseau publication équipe fenêtre carnet")
	rnd := rand.New(rand.NewPCG(1, 2))
	var src []byte
	for len(src) < 10000 {
		src = append(src, words[rnd.IntN(len(words))]...)
		src = append(src, " \n"[rnd.IntN(12)/11])
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		var c wordCounter
		c.add(src)
		c.end()
	}
}

// TestUnsafeURLs checks that every way Markdown writes a URL into an href or a src goes through the
// policy, with raw HTML allowed or not: links (inline, reference, with entities and escapes), images,
// titled images (figures) and autolinks. Each refused URL is reported with its line.
func TestUnsafeURLs(t *testing.T) {
	src := "[a](javascript:alert(1)) [b](VBScript:x)\n" +
		"![c](data:text/html,x) ![ok](data:image/png;base64,iVBORw0KGgo=)\n" +
		"[d][r] [e](&#106;avascript:alert(1)) [f](JAVA&#x53;CRIPT:x)\n" +
		"\n" +
		"<javascript:alert(2)> <https://ok.example/>\n" +
		"\n" +
		"![g](data:text/html;base64,PHNjcmlwdD4= \"titre\")\n" +
		"\n" +
		"[keep](https://ok.example/a) [m](mailto:a@example.org) [rel](/posts/) [file](file:///etc/passwd)\n" +
		"\n" +
		"[r]: javascript:alert(3)\n"
	for _, unsafe := range []bool{false, true} {
		res := convert(t, Options{Unsafe: unsafe}, src, nil)
		low := strings.ToLower(string(res.HTML))
		for _, bad := range []string{`="javascript:`, `="vbscript:`, `="data:text`, `="file:`, `src=""`, `href=""`} {
			if strings.Contains(low, bad) {
				t.Errorf("unsafe=%v: %q in\n%s", unsafe, bad, res.HTML)
			}
		}
		for _, want := range []string{`<a href="#">a</a>`, `<a href="#">d</a>`, `<a href="#">e</a>`, `<img src="data:image/png;base64,iVBORw0KGgo=" alt="ok">`,
			`javascript:alert(2) <a href="https://ok.example/">`, `<a href="https://ok.example/a">keep</a>`, `<a href="mailto:a@example.org">m</a>`,
			`<a href="/posts/">rel</a>`, `<p>g</p>`} {
			if !strings.Contains(string(res.HTML), want) {
				t.Errorf("unsafe=%v: no %s in\n%s", unsafe, want, res.HTML)
			}
		}
		var lines []int
		for _, u := range res.UnsafeURLs {
			lines = append(lines, u.Line)
		}
		if want := []int{1, 1, 2, 3, 3, 3, 5, 7, 9}; !slices.Equal(lines, want) {
			t.Errorf("unsafe=%v: refused at lines %v, want %v (%+v)", unsafe, lines, want, res.UnsafeURLs)
		}
	}
}
