// Command corpus writes a deterministic benchmark site: N articles of French prose with headings, lists,
// tables, code in several languages, footnotes and links to other articles, 2 to 5 tags from a pool of 80
// and one category of 8, dated over six years. The same seed and N always give the same files.
//
// The site builds with vitrine (vitrine.toml, content/) and with Hugo (hugo.toml and the theme
// themes/hugo-bench/, written from the hugo-bench folder next to this file). The Hugo theme is a theme and
// not the site's layouts/ folder because vitrine reads a site's layouts/ to override its own theme; only
// hugo.toml names it, so vitrine builds the corpus with its default theme.
//
//	go run ./bench/corpus -n 1000 -o /tmp/corpus
package main

import (
	"bytes"
	"embed"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
)

// hugoTheme holds the Hugo layouts written for the comparison; "all:" keeps _partials and _markup.
//
//go:embed all:hugo-bench
var hugoTheme embed.FS

func main() {
	n := flag.Int("n", 1000, "number of articles")
	out := flag.String("o", "", "output folder (created; must not exist or be empty)")
	seed := flag.Uint64("seed", 1, "random seed")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "corpus: -o is required")
		os.Exit(2)
	}
	if err := write(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

var words = strings.Fields(`photographie lumière matin quartier association bénévoles atelier réseau
communauté projet client portrait mariage marché rivière colline ville été automne hiver printemps
histoire image regard couleur ombre fenêtre rue place café boulangerie vélo festival musique
publication calendrier stratégie audience abonnés message partage lien article récit souvenir
équipe réunion budget facture devis tarif journée semaine année saison voyage carnet papier
écran appareil objectif focale ouverture vitesse sensibilité cadrage composition tirage exposition`)

var tagPool = func() []string {
	base := strings.Fields(`Lyon Paris Marseille photographie portrait mariage paysage reportage
	Instagram Mastodon Bluesky LinkedIn stratégie éditoriale associations bénévolat économie
	sociale tutoriels lumière couleur argentique numérique retouche impression exposition
	vélo cuisine marché festival musique théâtre danse sport nature montagne rivière`)
	var tags []string
	for i := 0; len(tags) < 80; i++ {
		t := base[i%len(base)]
		if i >= len(base) {
			t = fmt.Sprintf("%s %d", t, i/len(base)+1)
		}
		tags = append(tags, t)
	}
	return tags
}()

var categories = []string{"Photographie", "Community management", "Entrepreneuriat", "Tutoriels",
	"Associations", "Événements", "Carnet de route", "Outils"}

var codes = []struct{ lang, body string }{
	{"go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfor i := 0; i < 3; i++ {\n\t\tfmt.Println(\"photo\", i)\n\t}\n}"},
	{"python", "import pathlib\n\nfor p in sorted(pathlib.Path('.').glob('*.jpg')):\n    print(p.stem.lower())"},
	{"bash", "#!/usr/bin/env bash\nset -euo pipefail\nrsync -av --delete photos/ /mnt/sauvegarde/photos/"},
	{"json", "{\n  \"@context\": \"https://schema.org\",\n  \"@type\": \"Event\",\n  \"name\": \"Balade photo\"\n}"},
	{"css", ".galerie {\n  display: grid;\n  grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));\n  gap: 1rem;\n}"},
	{"yaml", "calendrier:\n  - jour: lundi\n    reseau: mastodon\n  - jour: jeudi\n    reseau: bluesky"},
}

func write(dir string, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 42))
	posts := filepath.Join(dir, "content", "posts")
	if err := os.MkdirAll(posts, 0o755); err != nil {
		return err
	}
	config := `baseURL = "https://corpus.example/"
title = "Corpus de test"
description = "Un site généré pour mesurer la vitesse des générateurs."
language = "fr"
paginate = 10

[author]
name = "Camille Roussel"
`
	if err := os.WriteFile(filepath.Join(dir, "vitrine.toml"), []byte(config), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "_index.md"), []byte("---\ntitle: Accueil\n---\nBienvenue.\n"), 0o644); err != nil {
		return err
	}
	// The section's title, for Hugo: with capitalizeListTitles off (so that tags keep their case, as in
	// vitrine), Hugo would title the section "posts". vitrine's output is the same with or without it.
	if err := os.WriteFile(filepath.Join(posts, "_index.md"), []byte("---\ntitle: Posts\n---\n"), 0o644); err != nil {
		return err
	}
	if err := writeHugo(dir); err != nil {
		return err
	}
	start := time.Date(2020, 1, 1, 8, 0, 0, 0, time.FixedZone("", 3600))
	for i := range n {
		date := start.Add(time.Duration(r.IntN(6*365*24)) * time.Hour)
		var b strings.Builder
		title := sentence(r, 4+r.IntN(5))
		fmt.Fprintf(&b, "---\ntitle: %q\ndate: %s\ndescription: %q\ntags: [%s]\ncategories: [%q]\n---\n\n",
			strings.TrimSuffix(title, "."), date.Format(time.RFC3339), sentence(r, 14),
			pickTags(r), categories[r.IntN(len(categories))])
		target := 600 + r.IntN(900)
		words := 0
		notes := 0
		for section := 0; words < target; section++ {
			fmt.Fprintf(&b, "## %s\n\n", strings.TrimSuffix(sentence(r, 3+r.IntN(3)), "."))
			for p := 0; p < 2+r.IntN(2); p++ {
				s := paragraph(r, 40+r.IntN(50))
				words += len(strings.Fields(s))
				if r.IntN(4) == 0 {
					notes++
					s += fmt.Sprintf("[^%d]", notes)
				}
				if r.IntN(5) == 0 && i > 0 {
					other := r.IntN(i)
					s += fmt.Sprintf(" Voir aussi [l'article %d](article-%05d.md).", other, other)
				}
				b.WriteString(s + "\n\n")
			}
			switch section % 4 {
			case 0:
				for range 3 + r.IntN(3) {
					fmt.Fprintf(&b, "- %s\n", sentence(r, 5+r.IntN(6)))
				}
				b.WriteString("\n")
			case 1:
				b.WriteString("| Réseau | Heure | Audience |\n| --- | --- | ---: |\n")
				for range 3 + r.IntN(3) {
					fmt.Fprintf(&b, "| %s | %dh | %d |\n", words0(r), 7+r.IntN(14), r.IntN(5000))
				}
				b.WriteString("\n")
			case 2:
				c := codes[r.IntN(len(codes))]
				fmt.Fprintf(&b, "```%s\n%s\n```\n\n", c.lang, c.body)
			case 3:
				fmt.Fprintf(&b, "### %s\n\n%s\n\n", strings.TrimSuffix(sentence(r, 3), "."), paragraph(r, 30))
			}
		}
		for k := 1; k <= notes; k++ {
			fmt.Fprintf(&b, "[^%d]: %s\n", k, sentence(r, 8))
		}
		name := filepath.Join(posts, fmt.Sprintf("article-%05d.md", i))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// hugoConfig is the Hugo side of vitrine.toml: the same site, lists paginated by 10, RSS for every list, a
// sitemap, chroma with CSS classes, and tag and category pages at the addresses vitrine gives them
// (removePathAccents: /tags/velo/ for "vélo").
const hugoConfig = `baseURL = "https://corpus.example/"
languageCode = "fr"
defaultContentLanguage = "fr"
title = "Corpus de test"
theme = "hugo-bench"
removePathAccents = true
enableRobotsTXT = true
capitalizeListTitles = false
sectionPagesMenu = "main"
disableKinds = []

[pagination]
pagerSize = 10
disableAliases = true

[taxonomies]
tag = "tags"
category = "categories"

[outputs]
home = ["html", "rss"]
section = ["html", "rss"]
taxonomy = ["html", "rss"]
term = ["html", "rss"]

[services.rss]
limit = 20

[markup.highlight]
noClasses = false

[markup.tableOfContents]
startLevel = 2
endLevel = 3
ordered = true

[params]
description = "Un site généré pour mesurer la vitesse des générateurs."

[params.author]
name = "Camille Roussel"
`

// writeHugo writes hugo.toml and themes/hugo-bench/ with a stylesheet holding chroma's classes.
func writeHugo(dir string) error {
	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), []byte(hugoConfig), 0o644); err != nil {
		return err
	}
	theme := filepath.Join(dir, "themes", "hugo-bench")
	err := fs.WalkDir(hugoTheme, "hugo-bench", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		out := filepath.Join(theme, filepath.FromSlash(strings.TrimPrefix(p, "hugo-bench")))
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		data, err := hugoTheme.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		return err
	}
	var css bytes.Buffer
	css.WriteString("body{font-family:system-ui,sans-serif;line-height:1.6;margin:0}\n.wrap{max-width:48rem;margin:0 auto;padding:0 1rem}\n")
	if err := chromahtml.New(chromahtml.WithClasses(true)).WriteCSS(&css, styles.Get("github")); err != nil {
		return err
	}
	static := filepath.Join(theme, "static")
	if err := os.MkdirAll(filepath.Join(static, "css"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(static, "css", "style.css"), css.Bytes(), 0o644); err != nil {
		return err
	}
	favicon := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#b5532f"/></svg>` + "\n"
	return os.WriteFile(filepath.Join(static, "favicon.svg"), []byte(favicon), 0o644)
}

func words0(r *rand.Rand) string { return words[r.IntN(len(words))] }

func sentence(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words0(r)
	}
	s := strings.Join(w, " ")
	first, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[size:] + "."
}

func paragraph(r *rand.Rand, n int) string {
	var parts []string
	for n > 0 {
		k := min(n, 6+r.IntN(10))
		parts = append(parts, sentence(r, k))
		n -= k
	}
	return strings.Join(parts, " ")
}

func pickTags(r *rand.Rand) string {
	k := 2 + r.IntN(4)
	seen := map[int]bool{}
	var out []string
	for len(out) < k {
		i := r.IntN(len(tagPool))
		if !seen[i] {
			seen[i] = true
			out = append(out, fmt.Sprintf("%q", tagPool[i]))
		}
	}
	return strings.Join(out, ", ")
}
