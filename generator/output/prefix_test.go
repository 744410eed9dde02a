package output

import "testing"

func TestPrefixURLs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<a href="/posts/a/">a</a>`, `<a href="/repo/posts/a/">a</a>`},
		{`<a href="/">home</a><img src='/i.png' alt="/x">`, `<a href="/repo/">home</a><img src='/repo/i.png' alt="/x">`},
		{`<a href="//cdn.example/x">`, `<a href="//cdn.example/x">`},
		{`<a href="https://e.org/x">`, `<a href="https://e.org/x">`},
		{`<a href="#top">`, `<a href="#top">`},
		{`<img srcset="/a.webp 480w, /b.webp 960w, c.webp 2x">`, `<img srcset="/repo/a.webp 480w, /repo/b.webp 960w, c.webp 2x">`},
		{`<p>href=&quot;/x&quot; and data-href="/y"</p>`, `<p>href=&quot;/x&quot; and data-href="/y"</p>`},
		{`<script>a.href="/x"</script>`, `<script>a.href="/x"</script>`},
	} {
		if got := string(PrefixURLs([]byte(c.in), "/repo/")); got != c.want {
			t.Errorf("PrefixURLs(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	// A base path that came with a quote, a space or markup cannot end the attribute it is written into.
	if got := string(PrefixURLs([]byte(`<a href="/x">`), `/a"b<c>'d e&f/`)); got != `<a href="/a%22b%3Cc%3E%27d%20e%26f/x">` {
		t.Errorf("a hostile base path was written as is: %s", got)
	}
	in := []byte(`<a href="/x">`)
	if got := PrefixURLs(in, "/"); &got[0] != &in[0] {
		t.Error("a site at the root of its host must not be copied")
	}
}

func TestRelativeURLs(t *testing.T) {
	doc := `<link rel="stylesheet" href="/css/style.3f2a.css"><link rel="canonical" href="https://example.org/posts/a/">` +
		`<a href="/">Accueil</a><a href="/posts/">Articles</a><a href="/posts/a/#suite">Suite</a><a href="/posts/b/?x=1">B</a>` +
		`<a href="//cdn.example/x.js">cdn</a><a href="#top">haut</a><img src='/posts/a/photo.480.0123456789.jpg' srcset="/posts/a/p.480.webp 480w, /img/p.960.webp 960w">`
	cases := map[string]string{
		"/posts/a/index.html": `<link rel="stylesheet" href="../../css/style.3f2a.css"><link rel="canonical" href="https://example.org/posts/a/">` +
			`<a href="../../index.html">Accueil</a><a href="../index.html">Articles</a><a href="index.html#suite">Suite</a><a href="../b/index.html?x=1">B</a>` +
			`<a href="//cdn.example/x.js">cdn</a><a href="#top">haut</a><img src='photo.480.0123456789.jpg' srcset="p.480.webp 480w, ../../img/p.960.webp 960w">`,
		"/index.html": `<link rel="stylesheet" href="css/style.3f2a.css"><link rel="canonical" href="https://example.org/posts/a/">` +
			`<a href="index.html">Accueil</a><a href="posts/index.html">Articles</a><a href="posts/a/index.html#suite">Suite</a><a href="posts/b/index.html?x=1">B</a>` +
			`<a href="//cdn.example/x.js">cdn</a><a href="#top">haut</a><img src='posts/a/photo.480.0123456789.jpg' srcset="posts/a/p.480.webp 480w, img/p.960.webp 960w">`,
	}
	for page, want := range cases {
		if got := string(RelativeURLs([]byte(doc), page)); got != want {
			t.Errorf("RelativeURLs(%s):\n got %s\nwant %s", page, got, want)
		}
	}
}
