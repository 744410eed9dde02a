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
