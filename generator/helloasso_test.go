package generator_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
)

// TestHelloAsso: helloasso: in front matter makes a button whose HelloAsso form loads only once opened
// (a lazy iframe in a closed <details>, no script), on a page and on an upcoming event; a wrong address
// is an error with its file and line.
func TestHelloAsso(t *testing.T) {
	mem, _ := mustBuild(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
-- content/adherer.md --
---
title: Adhérer
helloasso: https://www.helloasso.com/associations/les-amis-du-vieux-lyon/adhesions/adhesion-2027/widget
---
-- content/events/fete.md --
---
title: Fête de quartier
start: 2026-12-12T14:00:00+01:00
helloasso: https://www.helloasso.com/associations/les-amis-du-vieux-lyon/evenements/fete-2026
---
-- content/about.md --
---
title: À propos
---
`, generator.Options{})
	assertFile(t, mem, "adherer/index.html", `<details class="helloasso">`, `<summary class="button">Adhérer</summary>`,
		`src="https://www.helloasso.com/associations/les-amis-du-vieux-lyon/adhesions/adhesion-2027/widget" loading="lazy"`,
		`<a href="https://www.helloasso.com/associations/les-amis-du-vieux-lyon/adhesions/adhesion-2027">Ouvrir le formulaire sur HelloAsso</a>`)
	assertFile(t, mem, "events/fete/index.html", `<summary class="button">S’inscrire</summary>`,
		`src="https://www.helloasso.com/associations/les-amis-du-vieux-lyon/evenements/fete-2026/widget"`)
	for _, name := range []string{"adherer/index.html", "about/index.html"} {
		data, _ := mem.Get(name)
		if strings.Contains(string(data), "<script src") || strings.Contains(string(data), "<iframe") && !strings.Contains(string(data), "<details") {
			t.Errorf("%s loads HelloAsso before a click", name)
		}
	}
	_, _, err := build(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
-- content/don.md --
---
title: Don
helloasso: https://evil.example/associations/x/formulaires/1
---
`, generator.Options{})
	if err == nil || !strings.Contains(err.Error(), "content/don.md:3") || !strings.Contains(err.Error(), "not the address of a HelloAsso page") {
		t.Errorf("a wrong helloasso address: %v", err)
	}
}

// TestHelloAssoParams: [params] helloasso puts the button in every page's footer, once; a wrong address
// there is an error naming the key.
func TestHelloAssoParams(t *testing.T) {
	mem, _ := mustBuild(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
[params]
helloasso = "https://www.helloasso.com/associations/les-amis-du-vieux-lyon/formulaires/1"
-- content/about.md --
---
title: À propos
---
`, generator.Options{})
	for _, name := range []string{"index.html", "about/index.html"} {
		data, _ := mem.Get(name)
		if n := strings.Count(string(data), `<summary class="button">Faire un don</summary>`); n != 1 {
			t.Errorf("%s has %d donation buttons, want 1 in the footer", name, n)
		}
		assertFile(t, mem, name, `<div class="footer-helloasso">`, `src="https://www.helloasso.com/associations/les-amis-du-vieux-lyon/formulaires/1/widget"`)
	}
	_, _, err := build(t, "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\n[params]\nhelloasso = \"https://www.helloasso.com/ailleurs\"\n", generator.Options{})
	if err == nil || !strings.Contains(err.Error(), "params.helloasso") {
		t.Errorf("a wrong [params] helloasso: %v", err)
	}
}
