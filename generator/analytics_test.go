package generator_test

import (
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
)

// TestAnalytics: the snippet of each provider is in every page vitrine build writes, never in vitrine
// serve's, and never without [analytics]; the privacy page says what is measured.
func TestAnalytics(t *testing.T) {
	pages := `
-- content/_index.md --
---
title: Accueil
---
-- content/posts/a.md --
---
title: Un article
date: 2026-01-01
---
Texte.
`
	for _, tc := range []struct{ table, want string }{
		{`provider = "goatcounter"` + "\ncode = \"camille\"", `<script data-goatcounter="https://camille.goatcounter.com/count" async src="https://gc.zgo.at/count.js"></script>`},
		{`provider = "goatcounter"` + "\ncode = \"camille\"\nurl = \"https://stats.example.org/\"", `<script data-goatcounter="https://stats.example.org/count" async src="https://stats.example.org/count.js"></script>`},
		{`provider = "plausible"`, `<script defer data-domain="example.org" src="https://plausible.io/js/script.js"></script>`},
		{`provider = "umami"` + "\ncode = \"94db1cb1-74f4-4a40-ad6c-962362670409\"", `<script defer src="https://cloud.umami.is/script.js" data-website-id="94db1cb1-74f4-4a40-ad6c-962362670409"></script>`},
		{`provider = "matomo"` + "\ncode = \"3\"\nurl = \"https://matomo.example.org\"", `_paq.push(["disableCookies"]);`},
	} {
		t.Run(tc.table, func(t *testing.T) {
			src := "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\ntitle = \"Site\"\n[legal]\nstatus = \"particulier\"\nhost = \"github\"\n[analytics]\n" + tc.table + "\n" + pages
			mem, _ := mustBuild(t, src, generator.Options{})
			for _, name := range []string{"index.html", "posts/a/index.html", "posts/index.html", "404.html", "mentions-legales/index.html"} {
				assertFile(t, mem, name, tc.want)
			}
			assertFile(t, mem, "confidentialite/index.html", "sans cookie ni identifiant qui vous suive", "pages vues")
			served, _ := mustBuild(t, src, generator.Options{Serve: true})
			for _, name := range served.Names() {
				if data, _ := served.Get(name); strings.HasSuffix(name, ".html") && strings.Contains(string(data), "<script") &&
					(strings.Contains(string(data), "goatcounter") || strings.Contains(string(data), "plausible.io") ||
						strings.Contains(string(data), "umami") || strings.Contains(string(data), "_paq")) {
					t.Errorf("vitrine serve wrote the analytics snippet in %s", name)
				}
			}
		})
	}
	t.Run("matomo values", func(t *testing.T) {
		mem, _ := mustBuild(t, "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\n[analytics]\nprovider = \"matomo\"\ncode = \"3\"\nurl = \"https://matomo.example.org/\"\n"+pages, generator.Options{})
		assertFile(t, mem, "index.html", `var u = "https://matomo.example.org" + "/";`, `_paq.push(["setSiteId", "3"]);`)
	})
	mem, _ := mustBuild(t, "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\n"+pages, generator.Options{})
	data, _ := mem.Get("index.html")
	if strings.Contains(string(data), "<script defer") || strings.Contains(string(data), "<script data-") || strings.Contains(string(data), "_paq") {
		t.Errorf("a script without [analytics]:\n%s", data)
	}
}
