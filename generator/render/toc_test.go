package render

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

// TestTOCItemsEscapesAsTemplates checks that TOCItems writes what the template it replaces writes,
// for headings made of every kind of character: markup, quotes, +, NUL, reserved URL characters,
// accents, noncharacters and invalid UTF-8.
func TestTOCItemsEscapesAsTemplates(t *testing.T) {
	tmpl := template.Must(template.New("toc").Parse(`<ol>
{{- range .}}{{if le .Level 3}}
<li class="toc-l{{.Level}}"><a href="#{{.ID}}">{{.Text}}</a></li>
{{- end}}{{end}}
</ol>`))
	pieces := []string{"a", "Z", "0", "-", ".", "_", "~", " ", "é", "É", "œ", "日本", "\u00a0", "\u202f", "<", ">", "&", "\"", "'",
		"+", "%", "%41", "#", "?", "/", ":", "=", "!", "$", "*", ",", ";", "@", "[", "]", "(", ")", "\x00", "\x01", "\t", "\n",
		"\xff", "\xc3", "\ufffd", "\ufdd0", "\ufdef", "\ufff0", "\uffff", "\U0001F600", "&amp;", "<script>", "javascript:x"}
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		var b bytes.Buffer
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	cases := [][]model.Heading{nil, {{Level: 4, ID: "x", Text: "deep"}}, {{Level: 2, ID: "", Text: ""}}}
	for range 500 {
		var hs []model.Heading
		for range r.IntN(6) {
			hs = append(hs, model.Heading{Level: 2 + r.IntN(4), ID: word(), Text: word()})
		}
		cases = append(cases, hs)
	}
	for _, hs := range cases {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, hs); err != nil {
			t.Fatal(err)
		}
		v := &PageView{page: &model.Page{TOC: hs}}
		got := "<ol>" + string(v.TOCItems(3)) + "\n</ol>"
		if got != want.String() {
			t.Fatalf("headings %+v:\ngot  %q\nwant %q", hs, got, want.String())
		}
	}
}
