package load

import (
	"testing"

	"github.com/vitrine-ssg/vitrine/generator/config"
)

func TestClassify(t *testing.T) {
	cfg, err := config.Parse("vitrine.toml", []byte("baseURL = \"https://e.org/\"\n[languages.en]\n[languages.de]\ncontentDir = \"content/deutsch\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	langs := newLanguages(cfg)
	for _, c := range []struct {
		path, lang, rel, key string
		bundle, list         bool
	}{
		{"content/about.md", "fr", "about.md", "about", false, false},
		{"content/about.en.md", "en", "about.md", "about", false, false},
		{"content/en/about.md", "en", "about.md", "about", false, false},
		{"content/deutsch/about.md", "de", "about.md", "about", false, false},
		{"content/posts/a/index.en.md", "en", "posts/a/index.md", "posts/a", true, false},
		{"content/posts/_index.en.md", "en", "posts/_index.md", "posts/_index", false, true},
		{"content/_index.md", "fr", "_index.md", "_index", false, true},
		{"content/v1.2.md", "fr", "v1.2.md", "v1.2", false, false}, // not a language: part of the name
	} {
		f := &file{path: c.path}
		langs.classify(f)
		if f.lang != c.lang || f.rel != c.rel || f.key != c.key || f.bundle != c.bundle || f.list != c.list {
			t.Errorf("%s: lang %q rel %q key %q bundle %v list %v", c.path, f.lang, f.rel, f.key, f.bundle, f.list)
		}
	}
	if got := langs.outputDir("content/deutsch/img/a.png"); got != "de/img/a.png" {
		t.Errorf("outputDir = %q", got)
	}
	if got := langs.outputDir("content/img/a.png"); got != "img/a.png" {
		t.Errorf("outputDir = %q", got)
	}
}
