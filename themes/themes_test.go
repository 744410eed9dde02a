package themes

import (
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

// TestWithFallback checks the layered view of a theme over the default one: in layouts/ and i18n/ the
// theme's files win and the default theme's fill the gaps, listings merged; elsewhere only the theme's.
func TestWithFallback(t *testing.T) {
	mine := fstest.MapFS{
		"layouts/404.html":        {Data: []byte("mine")},
		"layouts/partials/x.html": {Data: []byte("x")},
		"static/css/style.css":    {Data: []byte("body{}")},
	}
	l := WithFallback(mine)
	if data, err := fs.ReadFile(l, "layouts/404.html"); err != nil || string(data) != "mine" {
		t.Errorf("404.html: %q, %v: want the theme's own", data, err)
	}
	if _, err := fs.ReadFile(l, "layouts/_default/baseof.html"); err != nil {
		t.Errorf("baseof.html should come from the default theme: %v", err)
	}
	if _, err := fs.ReadFile(l, "i18n/fr.toml"); err != nil {
		t.Errorf("i18n/fr.toml should come from the default theme: %v", err)
	}
	if _, err := fs.Stat(l, "static/favicon.svg"); err == nil {
		t.Error("static/ should be the theme's only")
	}
	var names []string
	if err := fs.WalkDir(l, "layouts/partials", func(p string, d fs.DirEntry, err error) error {
		names = append(names, p)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, "layouts/partials/x.html") || !slices.Contains(names, "layouts/partials/card.html") || !slices.IsSorted(names) {
		t.Errorf("layouts/partials lists %v: want the theme's and the default theme's, sorted", names)
	}
	root, err := fs.ReadDir(l, ".")
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, e := range root {
		top = append(top, e.Name())
	}
	if !slices.Equal(top, []string{"i18n", "layouts", "static"}) {
		t.Errorf("root lists %v", top)
	}
	for _, name := range Names {
		if _, err := fs.Stat(Builtin(name), "theme.toml"); err != nil {
			t.Errorf("built-in theme %s: %v", name, err)
		}
	}
	if Builtin("nope") != nil {
		t.Error("an unknown theme should be nil")
	}
}
