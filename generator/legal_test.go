package generator_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vitrine-ssg/vitrine/generator"
)

// legalSites are the [legal] tables of one site per status, each complete for it.
var legalSites = map[string]string{
	"auto-entrepreneur": `[legal]
status = "auto-entrepreneur"
name = "Camille Roussel"
address = "12 rue des Capucins, 69001 Lyon"
siret = "123 456 789 00012"
vatExempt = true
publisher = "Camille Roussel"
email = "bonjour@camille.example"
phone = "04 78 00 00 00"
host = "o2switch"
`,
	"societe": `[legal]
status = "societe"
name = "Atelier Lumière"
form = "SARL"
address = "3 place Bellecour, 69002 Lyon"
rcs = "RCS Lyon 987 654 321"
capital = "10 000 €"
vat = "FR12987654321"
publisher = "Jeanne Martin, gérante"
email = "contact@atelier.example"
phone = "04 78 11 11 11"
host = "ovh"
`,
	"association": `[legal]
status = "association"
name = "Les Amis du Vieux Lyon"
address = "5 rue Saint-Jean, 69005 Lyon"
rna = "W691234567"
publisher = "Paul Durand, président"
email = "bureau@amis.example"
phone = "04 78 22 22 22"
[legal.hosting]
name = "Codeberg e.V."
address = "Arminiusstraße 2-4, 10551 Berlin, Allemagne"
phone = "+49 30 0000000"
`,
	"particulier": `[legal]
status = "particulier"
host = "github"
`,
}

const legalContent = `
-- content/_index.md --
---
title: Accueil
---
Bienvenue.
`

// TestLegalPagesGolden builds a site of each status and compares its legal notice and privacy page with
// testdata/golden/legal-STATUS.html.
func TestLegalPagesGolden(t *testing.T) {
	for status, table := range legalSites {
		t.Run(status, func(t *testing.T) {
			mem, _ := mustBuild(t, "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\ntitle = \"Site\"\n"+table+legalContent, generator.Options{})
			var got strings.Builder
			for _, name := range []string{"mentions-legales/index.html", "confidentialite/index.html"} {
				data, ok := mem.Get(name)
				if !ok {
					t.Fatalf("%s is missing", name)
				}
				s := string(data)
				start, end := strings.Index(s, "<main"), strings.Index(s, "</main>")
				got.WriteString("== " + name + "\n" + s[start:end+len("</main>")] + "\n")
			}
			assertFile(t, mem, "index.html", `href="/mentions-legales/">Mentions légales</a>`, `href="/confidentialite/">Confidentialité</a>`)
			path := filepath.Join("testdata", "golden", "legal-"+status+".html")
			if *update {
				if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./generator -run Legal -update to create it)", err)
			}
			if got.String() != string(want) {
				t.Errorf("legal pages differ from %s:\n%s", path, firstDiff(string(want), got.String()))
			}
		})
	}
}

// TestLegalPagesBilingual checks that the pages exist in each language, under their own names, linked
// from each language's footer, and that a file of the site's own wins.
func TestLegalPagesBilingual(t *testing.T) {
	mem, _ := mustBuild(t, `
-- vitrine.toml --
baseURL = "https://example.org/"
title = "Site"
[languages.en]
title = "Site"
`+legalSites["auto-entrepreneur"]+`
-- content/_index.md --
---
title: Accueil
---
-- content/_index.en.md --
---
title: Home
---
-- content/confidentialite.md --
---
title: Ma propre politique
---
Écrite à la main.
`, generator.Options{})
	assertFile(t, mem, "mentions-legales/index.html", "TVA non applicable, art.\u00a0293\u00a0B du CGI", "SAS o2switch", "04 44 44 60 40", "Camille Roussel")
	assertFile(t, mem, "en/legal-notice/index.html", "VAT not applicable, article 293 B", "Director of the publication", `hreflang="fr"`)
	assertFile(t, mem, "en/privacy/index.html", "Privacy policy", "does not measure its audience")
	assertFile(t, mem, "confidentialite/index.html", "Ma propre politique", "Écrite à la main.")
	assertFile(t, mem, "en/index.html", `href="/en/legal-notice/">Legal notice</a>`, `href="/en/privacy/">Privacy</a>`)
}

// TestNoLegalNoPages: without [legal], no page and no footer link.
func TestNoLegalNoPages(t *testing.T) {
	mem, _ := mustBuild(t, "-- vitrine.toml --\nbaseURL = \"https://example.org/\"\ntitle = \"Site\"\n"+legalContent, generator.Options{})
	assertNoFile(t, mem, "mentions-legales/index.html")
	data, _ := mem.Get("index.html")
	if strings.Contains(string(data), "legal-links") {
		t.Error("footer links to a legal notice that does not exist")
	}
}
