package render

import (
	"bytes"
	"fmt"
	"html/template"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// TestLinkItemsEscapesAsTemplates checks that LinkItems writes what the template it replaces writes.
func TestLinkItemsEscapesAsTemplates(t *testing.T) {
	tmpl := template.Must(template.New("pager").Parse(`<ul>
{{- range .Links}}
{{- if .Gap}}
<li class="pagination-gap" aria-hidden="true">…</li>
{{- else}}
<li>{{if .Current}}<a href="{{.URL}}" aria-current="page">{{.Number}}</a>{{else}}<a href="{{.URL}}">{{.Number}}</a>{{end}}</li>
{{- end}}
{{- end}}
</ul>`))
	for _, base := range []string{"/posts/", "/tags/été/", "/a b/\"'<+>&/", "javascript:x/", "/%41%/"} {
		var items []*model.Page
		for range 95 {
			items = append(items, &model.Page{})
		}
		for _, pg := range paginate(newSiteView(&model.Site{}, "", time.Time{}), base, items, 10) {
			var want bytes.Buffer
			if err := tmpl.Execute(&want, pg); err != nil {
				t.Fatal(err)
			}
			if got := "<ul>" + string(pg.LinkItems()) + "\n</ul>"; got != want.String() {
				t.Fatalf("page %d of %s:\ngot  %q\nwant %q", pg.Number, base, got, want.String())
			}
		}
	}
}

// TestAdjacentEscapesAsTemplates checks that Adjacent writes what the template it replaces writes.
func TestAdjacentEscapesAsTemplates(t *testing.T) {
	tmpl := template.Must(template.New("adjacent").Parse(`
{{- $older := .p.Prev}}{{$newer := .p.Next}}
{{- if or $older $newer}}
<nav class="wrap adjacent" aria-label="{{.label}}">
{{- with $older}}
<a class="adjacent-prev" href="{{.URL}}" rel="prev"><span class="adjacent-label">← {{$.prev}}</span> <span class="adjacent-title">{{.Title}}</span></a>
{{- end}}
{{- with $newer}}
<a class="adjacent-next" href="{{.URL}}" rel="next"><span class="adjacent-label">{{$.next}} →</span> <span class="adjacent-title">{{.Title}}</span></a>
{{- end}}
</nav>
{{- end}}`))
	older := &model.Page{URL: "/posts/l'été <1>/", Title: `Un "titre" & <b>+</b>`}
	newer := &model.Page{URL: "javascript:alert(1)", Title: "\x00'"}
	for _, c := range [][2]*model.Page{{nil, nil}, {older, nil}, {nil, newer}, {older, newer}, {newer, older}} {
		p := &model.Page{URL: "/p/", Prev: c[0], Next: c[1]}
		sv := newSiteView(&model.Site{}, "", time.Time{})
		v := sv.view(p)
		var want bytes.Buffer
		if err := tmpl.Execute(&want, map[string]any{"p": v, "label": `Articles "voisins" & +`, "prev": "<Préc>", "next": "Suiv'"}); err != nil {
			t.Fatal(err)
		}
		if got := string(v.Adjacent(`Articles "voisins" & +`, "<Préc>", "Suiv'")); got != want.String() {
			t.Fatalf("got  %q\nwant %q", got, want.String())
		}
	}
}

// TestUpdated checks that Updated says what the template it replaces says.
func TestUpdated(t *testing.T) {
	tmpl := template.Must(template.New("updated").Funcs(template.FuncMap{"isoDate": func(t time.Time) string { return t.Format("2006-01-02") }}).
		Parse(`{{if and (not .Lastmod.IsZero) (ne (isoDate .Lastmod) (isoDate .Date))}}true{{else}}false{{end}}`))
	paris, _ := time.LoadLocation("Europe/Paris")
	day := time.Date(2026, 3, 1, 23, 30, 0, 0, paris)
	for _, lastmod := range []time.Time{{}, day, day.Add(time.Hour), day.Add(-23 * time.Hour), day.UTC(), day.AddDate(1, 0, 0), day.AddDate(0, 1, 0)} {
		v := &PageView{Date: day, Lastmod: lastmod}
		var want bytes.Buffer
		if err := tmpl.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(v.Updated()); got != want.String() {
			t.Errorf("lastmod %v: %s, want %s", lastmod, got, want.String())
		}
	}
}

// TestTagLinksEscapesAsTemplates checks that TagLinks writes what the template it replaces writes.
func TestTagLinksEscapesAsTemplates(t *testing.T) {
	tmpl := template.Must(template.New("tags").Parse(`
{{- with .TagTerms}}
<ul class="tags">
{{- range .}}
<li><a class="p-category" href="{{.Page.URL}}">{{.Name}}</a></li>
{{- end}}
</ul>
{{- end}}`))
	terms := []*TermView{
		{Name: "vélo", Page: &PageView{URL: "/tags/velo/"}},
		{Name: `<b>"x"</b> & +'`, Page: &PageView{URL: "/tags/é t'é/"}},
		{Name: "\x00", Page: &PageView{URL: "javascript:x"}},
	}
	for n := range len(terms) + 1 {
		v := &PageView{tags: terms[:n]}
		var want bytes.Buffer
		if err := tmpl.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		if got := string(v.TagLinks()); got != want.String() {
			t.Fatalf("got  %q\nwant %q", got, want.String())
		}
	}
}
