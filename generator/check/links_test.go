package check

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/output"
)

func TestLinks(t *testing.T) {
	var m output.Memory
	files := map[string]string{
		"index.html": `<a href="/posts/a/">a</a><a href="posts/a/#intro">intro</a><a href="https://example.org/posts/a/">abs</a>
<a href="/posts/missing/">missing</a><a href="/posts/a/#nope">bad anchor</a><a href="https://other.example/x">other</a>
<img src="/img/x.png" alt=""><a href="mailto:a@b.c">mail</a><a href="/posts/a">no slash</a><a href="/posts/a#intro">no slash, anchor</a><a href="/posts/b">none</a><link rel="stylesheet" href="/style.css"><a href="#top">top</a>`,
		"posts/a/index.html": `<h2 id="intro">Intro</h2><a href="../../">home</a><img src="photo.jpg" alt="">`,
		"posts/a/photo.jpg":  "x",
		"style.css":          "x",
	}
	for n, d := range files {
		if err := m.WriteFile(n, []byte(d)); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for _, p := range Links(&m, "https://example.org/") {
		got = append(got, p.String())
	}
	want := []string{
		"index.html: #top: no element with id top in index.html",
		"index.html: /img/x.png: no such file img/x.png",
		"index.html: /posts/a/#nope: no element with id nope in posts/a/index.html",
		"index.html: /posts/b: no such file posts/b",
		"index.html: /posts/missing/: no such file posts/missing/index.html",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
