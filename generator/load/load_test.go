package load

import (
	"github.com/vitrine-ssg/vitrine/generator/model"
	"strings"
	"testing"
	"time"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		name, src, format, front, body string
		bodyLine                       int
	}{
		{"yaml", "---\ntitle: a\n---\nbody\n", "yaml", "title: a\n", "body\n", 4},
		{"toml", "+++\ntitle = 'a'\n+++\nbody", "toml", "title = 'a'\n", "body", 4},
		{"crlf", "---\r\ntitle: a\r\n---\r\nbody", "yaml", "title: a\r\n", "body", 4},
		{"bom", "\ufeff---\ntitle: a\n---\n", "yaml", "title: a\n", "", 4},
		{"none", "just text\n", "", "", "just text\n", 1},
		{"empty front", "---\n---\nx", "yaml", "", "x", 3},
		{"dashes in body", "---\na: 1\n---\n---\n", "yaml", "a: 1\n", "---\n", 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := split([]byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			if d.format != c.format || string(d.front) != c.front || string(d.body) != c.body || d.bodyLine != c.bodyLine {
				t.Errorf("got format %q front %q body %q line %d", d.format, d.front, d.body, d.bodyLine)
			}
		})
	}
	if _, err := split([]byte("---\ntitle: a\n")); err == nil || !strings.Contains(err.Error(), "never closed") {
		t.Errorf("unclosed: %v", err)
	}
}

func TestToTime(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for in, want := range map[string]string{
		"2026-03-14":                "2026-03-14T00:00:00+01:00",
		"2026-07-14T09:30:00":       "2026-07-14T09:30:00+02:00",
		"2026-07-14 09:30":          "2026-07-14T09:30:00+02:00",
		"2026-07-14T09:30:00Z":      "2026-07-14T09:30:00Z",
		"2026-07-14T09:30:00-04:00": "2026-07-14T09:30:00-04:00",
	} {
		got, err := toTime(in, paris)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("toTime(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []any{"14/03/2026", "2026-13-01", 12, true} {
		if _, err := toTime(bad, paris); err == nil {
			t.Errorf("toTime(%v) succeeded", bad)
		}
	}
}

func TestCleanURL(t *testing.T) {
	for in, want := range map[string]string{
		"/a-propos/": "/a-propos/",
		"a-propos":   "/a-propos/",
		"/old.html":  "/old.html",
		"/":          "/",
		"/deep/path": "/deep/path/",
	} {
		if got, err := cleanURL(in); err != nil || got != want {
			t.Errorf("cleanURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"../x/", "/a/../../b", "https://evil.example/", "//evil.example/x", "/a?b", "/./a"} {
		if _, err := cleanURL(bad); err == nil {
			t.Errorf("cleanURL(%q) accepted", bad)
		}
	}
}

func TestTermsSortedWithFrenchCollation(t *testing.T) {
	site := &model.Site{Taxonomies: map[string]*model.Taxonomy{}, Home: &model.Page{}}
	var pages []*model.Page
	for _, tag := range []string{"zèbre", "Économie", "ete", "Été", "abeille", "Écologie", "eau"} {
		pages = append(pages, &model.Page{Kind: model.KindArticle, Tags: []string{tag}})
	}
	buildTaxonomies(site, pages, "fr", "", nil, false)
	var got []string
	for _, term := range site.Taxonomies["tags"].Terms {
		got = append(got, term.Name)
	}
	if strings.Join(got, ",") != "abeille,eau,Écologie,Économie,Été,zèbre" {
		t.Errorf("terms in order %s", strings.Join(got, ","))
	}
}
