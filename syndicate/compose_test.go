package syndicate

import (
	"errors"
	"flag"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vitrine-ssg/vitrine/generator/model"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/")

func testSite() *model.Site {
	return &model.Site{BaseURL: "https://camille-roussel.fr/", Title: "Camille Roussel", Language: "fr"}
}

func testArticle(slug, title, description string, tags ...string) *model.Page {
	return &model.Page{
		Kind:        model.KindArticle,
		Source:      "content/posts/" + slug + ".md",
		URL:         "/posts/" + slug + "/",
		Title:       title,
		Description: description,
		Tags:        tags,
		Date:        time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC),
		Share:       &model.Image{URL: "/posts/" + slug + "/card.png", Width: 1200, Height: 630},
		Square:      &model.Image{URL: "/posts/" + slug + "/card-square.png", Width: 1080, Height: 1080},
		Params:      map[string]any{},
	}
}

// goldenArticles are French articles meant to try every rule: accents, typographic spaces, emoji, CJK,
// a very long title and description, many tags.
func goldenArticles() []*model.Page {
	var manyTags []string
	for _, t := range strings.Fields("photographie portrait mariage reportage lumière studio argentique numérique " +
		"retouche Lightroom Darktable objectif focale ouverture diaphragme vitesse ISO bokeh cadrage composition " +
		"couleur noir-et-blanc paysage architecture street famille enfants animaux produits culinaire événementiel " +
		"corporate mode beauté voyage") {
		manyTags = append(manyTags, t)
	}
	return []*model.Page{
		testArticle("lumiere-naturelle-portrait",
			"La lumière naturelle en portrait\u202f: mes réglages préférés",
			"Fenêtre, contre-jour, ombre douce\u202f: comment je photographie les visages sans flash, à Lyon comme en déplacement.",
			"photographie", "lumière naturelle", "portrait", "Lyon"),
		testArticle("astuces-ete",
			"📸 Mes 5 astuces 👩‍💻 pour l’été à Lyon 🇫🇷",
			"Chaleur, lumière dure, foule\u202f? Voici comment je m’organise ☀️ pour photographier l’été sans y laisser ma santé 💪🏽.",
			"été", "Lyon ☀️", "réseaux sociaux", "auto-entreprise"),
		testArticle("carnet-tokyo-seoul",
			"Carnet de voyage\u202f: 東京 et 서울 en dix photos",
			"Deux villes, dix images, et ce que j’ai appris sur la lumière des néons. « Un voyage court, mais dense\u202f! »",
			"voyage", "réseaux sociaux", "2026", "C++", "Économie sociale", "droit à l’image", "RÉSEAUX SOCIAUX"),
		testArticle("titre-tres-long",
			"Pourquoi j’ai mis trois ans à comprendre que mon site web, mes réseaux sociaux et mon portfolio devaient raconter la même histoire, et comment je les ai enfin réconciliés sans tout refaire de zéro ni y passer mes week-ends",
			strings.Repeat("Une description très longue qui parle d’identité visuelle, de cohérence éditoriale et de temps passé devant l’écran plutôt que derrière l’appareil. ", 25),
			manyTags...),
	}
}

func composeOpts() ComposeOptions {
	return ComposeOptions{Hashtags: []string{"Lyon", "#PhotoLyon"}, UTM: true}
}

// TestComposeGolden composes every golden article for every network and compares the outbox they make
// with testdata/compose/; go test -update rewrites it.
func TestComposeGolden(t *testing.T) {
	site := testSite()
	var posts []Post
	for _, page := range goldenArticles() {
		for _, n := range Networks {
			p, err := Compose(site, page, n, composeOpts())
			if err != nil {
				t.Fatalf("%s on %s: %v", page.URL, n, err)
			}
			checkPost(t, p)
			posts = append(posts, p)
		}
	}
	got := filepath.Join(t.TempDir(), "outbox")
	if err := WriteOutbox(got, posts); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "compose")
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(golden, os.DirFS(got)); err != nil {
			t.Fatal(err)
		}
	}
	compareDirs(t, golden, got)
}

func compareDirs(t *testing.T, want, got string) {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(got, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(got, p)
		seen[rel] = true
		g, _ := os.ReadFile(p)
		w, err := os.ReadFile(filepath.Join(want, rel))
		if err != nil {
			t.Errorf("%s: not in the golden files (run go test -update)", rel)
			return nil
		}
		if string(g) != string(w) {
			t.Errorf("%s differs (run go test -update and review the diff):\n--- got\n%s\n--- want\n%s", rel, g, w)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = filepath.WalkDir(want, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if rel, _ := filepath.Rel(want, p); !seen[rel] {
				t.Errorf("%s: golden file no longer made", rel)
			}
		}
		return nil
	})
}

// checkPost checks what must hold of every post: it fits its network by the network's own count, its
// facets point at their link or hashtag, its link and hashtags are in its text whole.
func checkPost(t *testing.T, p Post) {
	t.Helper()
	r, err := rulesFor(p.Network, ComposeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Length != r.count(p.Text) || p.Limit != r.limit || p.Length > p.Limit || !r.fits(p.Text) {
		t.Errorf("%s on %s: length %d/%d, recounted %d, fits %v", p.Slug, p.Network, p.Length, p.Limit, r.count(p.Text), r.fits(p.Text))
	}
	if !utf8.ValidString(p.Text) {
		t.Errorf("%s on %s: invalid UTF-8", p.Slug, p.Network)
	}
	checkFacets(t, p.Text, p.Facets)
	for _, f := range p.Facets {
		if f.Link != "" && !strings.HasPrefix(f.Link, "https://") && !strings.HasPrefix(f.Link, "http://") {
			t.Errorf("%s on %s: a link facet to %q", p.Slug, p.Network, f.Link)
		}
		// A tag facet is what Bluesky's client makes of the text: it may hold quotes or "#" when the
		// author wrote them ("#\"A" is a tag there too), but never a space, nor end with punctuation.
		if last, _ := utf8.DecodeLastRuneInString(f.Tag); f.Tag != "" &&
			(strings.ContainsFunc(f.Tag, isTagBreak) || unicode.IsPunct(last) || countGraphemes(f.Tag) > maxHashtagGraphemes) {
			t.Errorf("%s on %s: a tag facet %q", p.Slug, p.Network, f.Tag)
		}
	}
	for _, h := range p.Hashtags {
		if strings.ContainsAny(h, "<>\"'&# \t\n") {
			t.Errorf("%s on %s: hashtag %q", p.Slug, p.Network, h)
		}
	}
	if p.Link != "" && !strings.Contains(p.Text, p.Link) {
		t.Errorf("%s on %s: link %q not in the text", p.Slug, p.Network, p.Link)
	}
	for _, h := range p.Hashtags {
		if !hasHashtag(p.Text, h) {
			t.Errorf("%s on %s: hashtag %q not in the text", p.Slug, p.Network, h)
		}
	}
	if p.Network == Bluesky && p.Link != "" && !slicesContainsLink(p.Facets, p.Link) {
		t.Errorf("%s on Bluesky: no facet for the link", p.Slug)
	}
	if p.Network == Instagram && (p.Link != "" || strings.Contains(p.Text, p.Article) || len(p.Hashtags) > 30) {
		t.Errorf("%s on Instagram: link %q or %d hashtags", p.Slug, p.Link, len(p.Hashtags))
	}
}

func slicesContainsLink(facets []Facet, link string) bool {
	for _, f := range facets {
		if f.Link == link {
			return true
		}
	}
	return false
}

// checkFacets checks each facet by slicing the text's UTF-8 bytes.
func checkFacets(t *testing.T, text string, facets []Facet) {
	t.Helper()
	for _, f := range facets {
		if f.ByteStart < 0 || f.ByteEnd > len(text) || f.ByteStart >= f.ByteEnd {
			t.Errorf("facet %+v out of the text (%d bytes)", f, len(text))
			continue
		}
		got := text[f.ByteStart:f.ByteEnd]
		switch {
		case f.Link != "" && got != f.Link:
			t.Errorf("link facet %+v covers %q", f, got)
		case f.Tag != "" && got != "#"+f.Tag && got != "＃"+f.Tag:
			t.Errorf("tag facet %+v covers %q", f, got)
		}
	}
}

func TestBlueskyFacets(t *testing.T) {
	text := "Été 📸 à Lyon\u202f! #Lumière https://e.org/été?x=1. (https://f.fr/a) #Lyon, #2026 #👩‍💻 fin#non #\"Lyon\" ##A"
	facets := blueskyFacets(text)
	checkFacets(t, text, facets)
	want := []Facet{
		{ByteStart: 23, ByteEnd: 32, Tag: "Lumière"},                // after 3 accented letters, an emoji and U+202F
		{ByteStart: 33, ByteEnd: 56, Link: "https://e.org/été?x=1"}, // without the final dot
		{ByteStart: 59, ByteEnd: 73, Link: "https://f.fr/a"},        // without the closing parenthesis
		{ByteStart: 75, ByteEnd: 80, Tag: "Lyon"},                   // without the comma; #2026 is no tag
		{ByteStart: 88, ByteEnd: 93, Tag: "👩"},                      // Bluesky ends a tag at a zero-width joiner
		// As in Bluesky's client, what follows "#" up to a space is the tag, less its final punctuation.
		{ByteStart: 109, ByteEnd: 115, Tag: "\"Lyon"},
		{ByteStart: 117, ByteEnd: 120, Tag: "#A"},
	}
	if len(facets) != len(want) {
		t.Fatalf("facets = %+v\nwant %+v", facets, want)
	}
	for i := range want {
		if facets[i] != want[i] {
			t.Errorf("facet %d = %+v, want %+v", i, facets[i], want[i])
		}
	}
}

func TestHashtag(t *testing.T) {
	for _, c := range []struct{ tag, want string }{
		{"Lyon", "Lyon"},
		{"photographie", "photographie"},
		{"réseaux sociaux", "RéseauxSociaux"},
		{"auto-entreprise", "AutoEntreprise"},
		{"Économie sociale", "ÉconomieSociale"},
		{"droit à l’image", "DroitÀLImage"},
		{"stratégie éditoriale", "StratégieÉditoriale"},
		{"#PhotoLyon", "PhotoLyon"},
		{"e\u0301te\u0301", "été"}, // NFC
		{"SEO local", "SEOLocal"},
		{"C++", ""},
		{"R&D", "RD"},
		{"Lyon ☀️", "Lyon"},
		{"2026", ""},
		{"!!!", ""},
		{"a" + strings.Repeat("b", 64), ""},
		{"東京 写真", "東京写真"},
	} {
		if got := Hashtag(c.tag); got != c.want {
			t.Errorf("Hashtag(%q) = %q, want %q", c.tag, got, c.want)
		}
	}
	got := hashtags([]string{"Lyon", "réseaux sociaux", "2026"}, []string{"lyon", "Réseaux Sociaux", "#Photo"})
	if strings.Join(got, " ") != "Lyon RéseauxSociaux Photo" {
		t.Errorf("hashtags = %q", got)
	}
}

func TestCuts(t *testing.T) {
	got := cuts("Un été, à Lyon : https://e.org/a #Lyon 👩‍💻 fin")
	want := []string{"Un…", "Un été…", "Un été, à…", "Un été, à Lyon…", "Un été, à Lyon : https://e.org/a …", "Un été, à Lyon : https://e.org/a #Lyon …", "Un été, à Lyon : https://e.org/a #Lyon 👩‍💻…"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("cuts:\n got %q\nwant %q", got, want)
	}
}

func TestComposeTruncation(t *testing.T) {
	site := testSite()
	page := testArticle("a", "Un titre", strings.Repeat("mot ", 200), "un", "deux", "trois")
	// X: the hashtags go first, then the description is cut on a word.
	p, err := Compose(site, page, X, composeOpts())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Hashtags) != 0 || !strings.Contains(p.Text, "mot…") || p.Length > 280 || p.Length < 270 {
		t.Errorf("X post: %d %q", p.Length, p.Text)
	}
	// A title too long for X alone is cut after the description is dropped.
	page = testArticle("b", strings.Repeat("titre ", 80), "une description", "un")
	p, err = Compose(site, page, X, composeOpts())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(p.Text, "description") || !strings.HasPrefix(p.Text, "titre titre") || !strings.Contains(p.Text, "titre…") {
		t.Errorf("long title: %q", p.Text)
	}
	checkPost(t, p)
	// A link that cannot fit: too long, said so, and the post kept for review.
	page = testArticle(strings.Repeat("x", 400), "Titre", "", "un")
	p, err = Compose(site, page, Bluesky, composeOpts())
	if !errors.Is(err, ErrTooLong) || p.Length <= p.Limit || p.Text == "" {
		t.Errorf("too long: %v, %d/%d", err, p.Length, p.Limit)
	}
}

func TestComposeRules(t *testing.T) {
	site := testSite()
	page := testArticle("regles", "Prêt\u202f? Partez\u202f!", "Une description.", "un", "deux", "trois")
	opts := composeOpts()

	x, _ := Compose(site, page, X, opts)
	if strings.Contains(x.Text, "\u202f") || !strings.Contains(x.Text, "Prêt\u00a0?") {
		t.Errorf("X keeps U+202F: %q", x.Text)
	}
	m, _ := Compose(site, page, Mastodon, opts)
	if !strings.Contains(m.Text, "Prêt\u202f?") || m.Lang != "fr" {
		t.Errorf("Mastodon: %q %q", m.Text, m.Lang)
	}
	want := "https://camille-roussel.fr/posts/regles/?utm_source=mastodon&utm_medium=social&utm_campaign=regles"
	if m.Link != want || m.Article != "https://camille-roussel.fr/posts/regles/" || m.Image != "posts/regles/card.png" {
		t.Errorf("Mastodon post: link %q article %q image %q", m.Link, m.Article, m.Image)
	}
	th, _ := Compose(site, page, Threads, opts)
	if len(th.Hashtags) != 1 || th.Hashtags[0] != "un" {
		t.Errorf("Threads hashtags: %q", th.Hashtags)
	}
	ig, _ := Compose(site, page, Instagram, opts)
	if ig.Link != "" || strings.Contains(ig.Text, "https://") || !strings.Contains(ig.Text, "lien dans la bio") ||
		ig.Image != "posts/regles/card-square.png" || ig.ImageAlt == "" {
		t.Errorf("Instagram: %+v", ig)
	}
	en := *site
	en.Language = "en"
	ig, _ = Compose(&en, page, Instagram, opts)
	if !strings.Contains(ig.Text, "link in bio") || ig.Lang != "en" {
		t.Errorf("Instagram in English: %q", ig.Text)
	}

	opts.UTM = false
	m, _ = Compose(site, page, Mastodon, opts)
	if m.Link != "https://camille-roussel.fr/posts/regles/" {
		t.Errorf("utm = false: %q", m.Link)
	}
	opts.MastodonMaxChars, opts.MastodonURLLength = 60, 30
	m, _ = Compose(site, page, Mastodon, opts)
	if m.Limit != 60 || m.Length > 60 || countMastodon(m.Text, 30) != m.Length {
		t.Errorf("instance limits: %d/%d %q", m.Length, m.Limit, m.Text)
	}

	if _, err := Compose(site, page, "myspace", opts); err == nil {
		t.Error("unknown network composed")
	}
	// Without a description, the summary's text stands in.
	opts = composeOpts()
	page.Description, page.Summary, page.SummaryText = "", template.HTML("<p>Le <em>résumé</em> de l’article.</p>"), "Le résumé de l’article."
	m, _ = Compose(site, page, Mastodon, opts)
	if !strings.Contains(m.Text, "Le résumé de l’article.") {
		t.Errorf("summary as description: %q", m.Text)
	}
	// No card: no image.
	page.Share = nil
	if m, _ = Compose(site, page, Mastodon, opts); m.Image != "" {
		t.Errorf("image without a card: %q", m.Image)
	}
}

func TestComposeTemplates(t *testing.T) {
	site := testSite()
	page := testArticle("gabarit", "Titre", "Description", "un")
	siteFS := fstest.MapFS{"syndicate/mastodon.txt": {Data: []byte(
		"Nouveau : {{.Title}} {{.URL}} {{range .Hashtags}}#{{.}} {{end}}— {{.Site}}\n\n\n\n")}}
	themeFS := fstest.MapFS{
		"syndicate/mastodon.txt": {Data: []byte("theme {{.Title}}")},
		"syndicate/bluesky.txt":  {Data: []byte("theme {{.Title}} {{.URL}}")},
	}
	opts := ComposeOptions{Templates: []fs.FS{siteFS, themeFS}}
	m, err := Compose(site, page, Mastodon, opts)
	if err != nil || m.Text != "Nouveau : Titre https://camille-roussel.fr/posts/gabarit/ #un — Camille Roussel" {
		t.Errorf("site template: %q %v", m.Text, err)
	}
	b, err := Compose(site, page, Bluesky, opts)
	if err != nil || b.Text != "theme Titre https://camille-roussel.fr/posts/gabarit/" || len(b.Facets) != 1 {
		t.Errorf("theme template: %q %v", b.Text, err)
	}
	x, err := Compose(site, page, X, opts)
	if err != nil || !strings.HasPrefix(x.Text, "Titre\n\nDescription") {
		t.Errorf("default template: %q %v", x.Text, err)
	}
	bad := fstest.MapFS{"syndicate/x.txt": {Data: []byte("{{.Titre}}")}}
	if _, err := Compose(site, page, X, ComposeOptions{Templates: []fs.FS{bad}}); err == nil || !strings.Contains(err.Error(), "Titre") {
		t.Errorf("bad template: %v", err)
	}
}

// FuzzCompose checks, whatever the title, description and tags, that a post fits its network by the
// network's count, that its facets cover exactly their link or hashtag, and that truncation cut no link
// and no hashtag: every link or hashtag of the post is one of the article's, whole.
func FuzzCompose(f *testing.F) {
	f.Add("La lumière naturelle\u202f: réglages", "Fenêtre, contre-jour 📸 https://e.org/a?b=c #Lyon fin.", "photo,réseaux sociaux")
	f.Add(strings.Repeat("👩‍💻 ", 200), strings.Repeat("東京 ", 300), strings.Repeat("tag,", 40))
	f.Add("Titre", strings.Repeat("https://exemple.fr/un/chemin ", 30), "a b,c-d")
	f.Add(strings.Repeat("mot", 500), "", "")
	f.Add("Titre", "Citation #\"A et ##B", "x")
	site := testSite()
	f.Fuzz(func(t *testing.T, title, description, tags string) {
		if !utf8.ValidString(title + description + tags) {
			return
		}
		page := testArticle("fuzz", title, description, strings.Split(tags, ",")...)
		inputs := map[string]bool{}
		for _, w := range strings.Fields(oneLine(title) + " " + description) {
			inputs[strings.TrimRight(w, ",;:.…!?)")] = true
		}
		for _, n := range Networks {
			p, err := Compose(site, page, n, composeOpts())
			if errors.Is(err, ErrTooLong) {
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", n, err)
			}
			checkPost(t, p)
			for _, w := range strings.Fields(p.Text) {
				w = strings.TrimRight(w, ",;:.…!?)")
				if strings.Contains(w, "://") && !inputs[w] && w != p.Link && !strings.HasPrefix(w, "(") {
					t.Errorf("%s: link %q cut (%q)", n, w, p.Text)
				}
			}
			for _, fc := range p.Facets {
				if fc.Tag != "" && !inputs["#"+fc.Tag] && !inputs["＃"+fc.Tag] && !slicesContains(p.Hashtags, fc.Tag) &&
					!strings.Contains(description+title, "#"+fc.Tag) && !strings.Contains(description+title, "＃"+fc.Tag) {
					t.Errorf("%s: hashtag %q cut (%q)", n, fc.Tag, p.Text)
				}
			}
		}
	})
}

func slicesContains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// TestComposeHostile composes posts from an article whose title, description and tags hold markup,
// script URLs and template syntax: posts are plain text, their links and hashtags only what is safe.
func TestComposeHostile(t *testing.T) {
	site := testSite()
	page := testArticle("hostile", `<script>alert("x")</script> {{ template "x" }}`,
		"Voir javascript:alert(1) et data:text/html,<script>alert(2)</script> puis https://exemple.fr/ok.",
		"<script>", `" onmouseover="x`, "{{ .Site }}", "javascript:alert(1)", "Lyon")
	for _, n := range Networks {
		p, err := Compose(site, page, n, composeOpts())
		if err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		checkPost(t, p)
		if !strings.Contains(p.Text, "<script>") && n != Instagram {
			t.Errorf("%s: the title's text is lost: %q", n, p.Text)
		}
		for _, f := range p.Facets {
			if strings.Contains(f.Link, "javascript") || strings.Contains(f.Link, "data:") {
				t.Errorf("%s: facet links to %q", n, f.Link)
			}
		}
	}
}
