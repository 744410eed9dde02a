package render

import (
	"bytes"
	"fmt"
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// TestOptimizeEscapesAsTemplates checks that the functions optimize puts in place of html/template's
// escapers write what those write, for strings made of every kind of character and for values of other
// types.
func TestOptimizeEscapesAsTemplates(t *testing.T) {
	orig := template.Must(template.New("").Parse(`{{.}}|<p title="{{.}}">|<a href="{{.}}">`))
	pieces := []string{"a", "Z", "0", "-", ".", "_", "~", " ", "é", "日本", "\u00a0", "<", ">", "&", "\"", "'", "+", "%",
		"%41", "%zz", "#", "?", "/", ":", "=", "!", "$", "*", ",", ";", "@", "[", "]", "(", ")", "\x00", "\x01", "\t", "\n",
		"\xff", "\xc3", "\ufffd", "\ufdd0", "\uffff", "\U0001F600", "&amp;", "<b>", "javascript:", "http:", "HTTPS:", "mailto:",
		"data:", "//", "ftp:"}
	r := rand.New(rand.NewPCG(1, 2))
	values := []any{nil, "", 42, -7, 0, model.Kind("<x>"), 3.5, true, template.HTML("<b>x</b> & y"), template.URL("javascript:x"), template.HTMLAttr("a=b"),
		model.KindArticle, []string{"a", "<b>"}, (*model.Event)(nil), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		values = append(values, b.String())
	}
	for _, v := range values {
		var want bytes.Buffer
		if err := orig.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		got := htmlText(v) + `|<p title="` + htmlAttr(v) + `">|<a href="` + urlAttr(v) + `">`
		if got != want.String() {
			t.Fatalf("%T %#v:\ngot  %q\nwant %q", v, v, got, want.String())
		}
	}
}

// TestOptimizeWritesAsBefore renders layouts that use every rewritten form, in every context, with
// words that need escaping, and compares with the same layouts parsed and executed by html/template
// alone.
func TestOptimizeWritesAsBefore(t *testing.T) {
	files := map[string]string{
		"i18n/fr.toml": `word = "Mots <b> & \"guillemets\" + 'apostrophes'"
count = "%d fois <i>"
home = "Accueil"
dateFormat = "{day} {month} {year}"
months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
`,
		"layouts/_default/baseof.html": `<!DOCTYPE html><html lang="{{.Site.Language}}"><title>{{T "word"}}</title>{{block "main" .}}{{end}}` +
			`{{partialCached "partials/foot.html" .}}</html>`,
		"layouts/partials/foot.html": `<footer title="{{T "word"}}">{{T "home"}} {{.Site.Title}}</footer>`,
		"layouts/partials/link.html": `<a href="{{.URL}}" title="{{.Title}}">{{.Title}}</a>`,
		"layouts/partials/attr.html": `{{.Title}} {{T "word"}}`,
		"layouts/_default/single.html": `{{define "main"}}
<p>{{T "word"}}|{{T "missing"}}|{{T "count" 3}}|{{"word" | T}}|{{T (printf "%s" "word")}}</p>
<p title="{{T "word"}}" data-n="{{T "count" .Page.Weight}}">{{$w := T "word"}}{{$w}}</p>
<p>{{date .Page.Date}} <time datetime="{{iso .Page.Date}}">{{isoDate .Page.Date}}</time> <span title="{{date .Page.Date}}">{{longDate .Page.Date}} {{clock .Page.Date}}</span></p>
<a href="{{.Page.URL}}">{{.Page.Title}}</a> <a href="{{.Page.Params.bad}}">x</a> <a href="{{.Page.Params.odd}}">y</a>
<a href="/search?q={{.Page.Title}}&amp;t={{T "word"}}">q</a> <img src="{{.Page.Params.img}}" alt="{{.Page.Title}}">
<p class="kind-{{.Page.Kind}}" title="{{partial "partials/attr.html" .Page}}">{{partial "partials/attr.html" .Page}}</p>
{{partialCached "partials/link.html" .Page .Page}} {{template "partials/link.html" .Page}}
<p title="{{template "partials/attr.html" .Page}}">{{.Page.Content}} {{.Page.Params.html}} {{.Page.Weight}} {{.Page.Params.none}}</p>
<script>var t = {{.Page.Title}}, w = {{T "word"}};</script><style>p { color: {{.Page.Params.color}} }</style>
{{template "partials/adj.html" (dict "label" (T "word") "n" (T "count" 2) "p" .Page)}}
{{end}}`,
		"layouts/partials/adj.html": `<nav aria-label="{{.label}}">{{.n}} {{.p.Title}}</nav>`,
	}
	theme := fstest.MapFS{}
	for name, text := range files {
		theme[name] = &fstest.MapFile{Data: []byte(text)}
	}
	page := &model.Page{Kind: model.KindArticle, URL: "/posts/l'été+1/", Title: `Un <titre> & "du" + 'sens'`, Weight: 7,
		Date: time.Date(2026, 3, 1, 19, 30, 0, 0, time.FixedZone("", 3600)), Content: "<p>corps</p>",
		Params: map[string]any{"bad": "javascript:alert(1)", "odd": "/a b/%41?x=<y>&z", "img": "https://ex.org/i.png",
			"html": template.HTML("<b>sûr</b>"), "color": "red"}}
	site := &model.Site{BaseURL: "https://example.org/", Title: "Le <site>", Language: "fr", Pages: []*model.Page{page}}
	r, err := New(Options{Site: site, Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := r.Jobs()
	if err != nil || len(jobs) != 1 {
		t.Fatal(len(jobs), err)
	}
	var got bytes.Buffer
	if err := r.execute(&got, jobs[0]); err != nil {
		t.Fatal(err)
	}
	// The rewrite took place: {{T "word"}} is text in the tree. Were html/template to rename its
	// escapers, optimize would match nothing and pages would only be slower: this says so.
	if tree := r.layouts[jobs[0].Layout].Lookup("main").Tree.Root.String(); !strings.Contains(tree, "<p>Mots &lt;b&gt;") {
		t.Errorf("{{T \"word\"}} was not rewritten to its escaped word:\n%s", tree)
	}

	// The same layouts and functions, without optimize.
	parts := newPartials()
	base := template.New("").Funcs(r.funcs(r.i18n, parts))
	for _, name := range []string{"_default/baseof.html", "partials/foot.html", "partials/link.html", "partials/attr.html", "partials/adj.html"} {
		template.Must(base.New(name).Parse(files["layouts/"+name]))
	}
	parts.set = base
	layout := template.Must(template.Must(base.Clone()).New("_default/single.html").Parse(files["layouts/_default/single.html"]))
	var want bytes.Buffer
	if err := layout.ExecuteTemplate(&want, baseName, jobs[0].Data); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("optimized layouts write\n%s\nhtml/template writes\n%s", got.String(), want.String())
	}
	for _, s := range []string{`Mots &lt;b&gt; &amp; &#34;guillemets&#34; &#43; &#39;apostrophes&#39;`, "#ZgotmplZ", "1 mars 2026"} {
		if !strings.Contains(got.String(), s) {
			t.Errorf("no %q in\n%s", s, got.String())
		}
	}
}

// TestPartialCachedRange checks that partialCachedRange writes what {{range}} around partialCached
// writes.
func TestPartialCachedRange(t *testing.T) {
	theme := fstest.MapFS{
		"layouts/index.html": {Data: []byte(`{{range .Site.RecentArticles 3}}
{{partialCached "partials/item.html" (dict "p" . "n" 1) . 1}}{{end}}|{{partialCachedRange "partials/item.html" (.Site.RecentArticles 3) "p" "n" 1}}`)},
		"layouts/_default/single.html": {Data: []byte(`x`)},
		"layouts/partials/item.html":   {Data: []byte(`<a href="{{.p.URL}}">{{.p.Title}} {{.n}}</a>`)},
	}
	home := &model.Page{Kind: model.KindHome, URL: "/"}
	for i := range 3 {
		home.Children = append(home.Children, &model.Page{Kind: model.KindArticle, URL: fmt.Sprintf("/posts/%d/", i), Title: fmt.Sprintf("<%d>", i), Parent: home})
	}
	site := &model.Site{BaseURL: "https://example.org/", Language: "fr", Home: home, Pages: append([]*model.Page{home}, home.Children...)}
	r, err := New(Options{Site: site, Theme: theme})
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := r.Jobs()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, j := range jobs {
		if j.Out == "index.html" {
			if err := r.execute(&out, j); err != nil {
				t.Fatal(err)
			}
		}
	}
	a, b, _ := strings.Cut(out.String(), "|")
	if a != b || !strings.Contains(a, `<a href="/posts/2/">&lt;2&gt; 1</a>`) {
		t.Errorf("range and partialCached write\n%s\npartialCachedRange writes\n%s", a, b)
	}
}
