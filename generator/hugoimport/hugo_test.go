package hugoimport

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vitrine-ssg/vitrine/generator/config"
)

func notes(im *Import) string {
	var b strings.Builder
	for _, n := range im.Notes {
		b.WriteString(n.String() + "\n")
	}
	return b.String()
}

func TestConvertTOML(t *testing.T) {
	fsys := fstest.MapFS{
		"hugo.toml": {Data: []byte(`
baseURL = "https://club.example/"
Title = "Le Club"
languageCode = "fr-FR"
timeZone = "Europe/Paris"
relativeURLs = true
theme = "ananke"
copyright = "© Le Club"
enableEmoji = true
[pagination]
  pagerSize = 7
[services.rss]
  limit = 15
[markup.goldmark.renderer]
  unsafe = true
[markup.highlight]
  style = "monokai"
[params]
  description = "Le club de vélo"
  mainSections = ["posts"]
  [params.author]
    name = "Léa"
    email = "lea@club.example"
[taxonomies]
  tag = "tags"
  series = "series"
[permalinks]
  posts = "/:year/:slug/"
[[menus.main]]
  name = "Sorties"
  pageRef = "/sorties"
  weight = 2
[[menus.main]]
  pageRef = "/a-propos"
  weight = 1
[[menus.main]]
  name = "Sous-menu"
  parent = "Sorties"
  url = "/x/"
`)},
		"content/a-propos.md":          {Data: []byte("---\ntitle: À propos\nlinkTitle: Le club\n---\n")},
		"content/Été/index.md":         {Data: []byte("---\ntitle: x\n---\n")},
		"content/page.html":            {Data: []byte("<p>x</p>")},
		"layouts/shortcodes/note.html": {Data: []byte("{{ .Inner }}")},
	}
	im, err := Convert(fsys)
	if err != nil {
		t.Fatal(err)
	}
	conf := string(im.Config)
	for _, want := range []string{
		"baseURL = 'https://club.example/'", "title = 'Le Club'", "language = 'fr'", "timezone = 'Europe/Paris'",
		"paginate = 7", "copyright = '© Le Club'", "description = 'Le club de vélo'", "name = 'Léa'",
		"email = 'lea@club.example'", "unsafe = true", "highlightStyle = 'monokai'", "limit = 15",
		"name = 'Le club'\nurl = '/a-propos/'\nweight = 1", "name = 'Sorties'\nurl = '/sorties/'\nweight = 2",
		"mainSections = ['posts']",
		// Hugo's addresses are kept: its URL model (accents kept in content/Été/), its permalinks.
		"hugoCompat = true", "[permalinks]\nposts = '/:year/:slug/'", "series = 'series'",
		// Pages that work opened from disk, as in Hugo.
		"relativeURLs = true",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("vitrine.toml lacks %q:\n%s", want, conf)
		}
	}
	if strings.Contains(conf, "Sous-menu") {
		t.Errorf("a child entry was carried:\n%s", conf)
	}
	if _, err := config.Parse("vitrine.toml", im.Config); err != nil {
		t.Errorf("vitrine refuses what the import wrote: %v", err)
	}
	n := notes(im)
	for _, want := range []string{
		"theme: \"ananke\" is not used", "enableEmoji: emoji codes", "taxonomies.series: vitrine lists tags and categories only",
		"menu.main: 1 entry under a parent left out", "content/*.html: 1 file without front matter:",
		"layouts/shortcodes/: the site's shortcodes (note) run as Go templates", "layouts/: Hugo templates",
	} {
		if !strings.Contains(n, want) {
			t.Errorf("notes lack %q:\n%s", want, n)
		}
	}
	if len(im.Moves) != 1 || im.Moves[0] != [2]string{"layouts", "hugo/layouts"} {
		t.Errorf("moves: %v", im.Moves)
	}
}

func TestConvertConfigFolderAndLanguages(t *testing.T) {
	fsys := fstest.MapFS{
		"config/_default/hugo.yaml":      {Data: []byte("baseURL: https://site.example\ndefaultContentLanguage: fr\n")},
		"config/_default/params.yaml":    {Data: []byte("tagline: Bonjour\nempty: ~\n")},
		"config/_default/languages.toml": {Data: []byte("[fr]\nlanguageName = 'Français'\ntitle = 'Mon site'\ncontentDir = 'content/fr'\nweight = 1\n[en]\nlanguageName = 'English'\ntitle = 'My site'\ncontentDir = 'content/en'\nweight = 2\n")},
		"config/_default/menus.en.toml":  {Data: []byte("[[main]]\nname = 'Blog'\nurl = '/en/blog/'\n")},
		"config/_default/menus.fr.json":  {Data: []byte(`{"main": [{"name": "Blogue", "url": "/blog/"}]}`)},
	}
	im, err := Convert(fsys)
	if err != nil {
		t.Fatal(err)
	}
	conf, n := string(im.Config), notes(im)
	for _, want := range []string{"baseURL = 'https://site.example/'", "title = 'Mon site'", "language = 'fr'", "timezone = 'UTC'",
		"tagline = 'Bonjour'", "name = 'Blogue'"} {
		if !strings.Contains(conf, want) {
			t.Errorf("vitrine.toml lacks %q:\n%s", want, conf)
		}
	}
	if strings.Contains(conf, "empty") {
		t.Errorf("a null value was written:\n%s", conf)
	}
	if !strings.Contains(n, "timeZone: not set") {
		t.Errorf("notes lack the time zone:\n%s", n)
	}
	// Where vitrine builds several languages, each keeps its folder; elsewhere the note says to move it.
	if !strings.Contains(conf, "[languages.en]\ncontentDir = 'content/en'") && !strings.Contains(n, "languages.fr.contentDir: \"content/fr\"") {
		t.Errorf("the languages' folders are lost:\n%s\n%s", conf, n)
	}
	if _, err := config.Parse("vitrine.toml", im.Config); err != nil {
		t.Errorf("vitrine refuses what the import wrote: %v\n%s", err, conf)
	}
}

func TestConvertNeedsAConfiguration(t *testing.T) {
	if _, err := Convert(fstest.MapFS{"content/a.md": {Data: []byte("x")}}); err == nil || !strings.Contains(err.Error(), "no Hugo configuration") {
		t.Errorf("err = %v", err)
	}
	if _, err := Convert(fstest.MapFS{"hugo.toml": {Data: []byte("title = \n")}}); err == nil || !strings.Contains(err.Error(), "hugo.toml:1") {
		t.Errorf("err = %v", err)
	}
}

func TestApply(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"hugo.toml":                    "baseURL = 'https://a.example/'\n",
		"layouts/_default/single.html": "{{ .Content }}",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(data), 0o644)
	}
	im, err := Convert(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := im.Apply(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "hugo", "layouts", "_default", "single.html")); err != nil {
		t.Errorf("layouts not moved: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "vitrine.toml")); err != nil {
		t.Errorf("vitrine.toml not written: %v", err)
	}
	if err := im.Apply(dir); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("a second import: %v", err)
	}
}
