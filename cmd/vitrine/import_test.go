package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportHugo imports a small Hugo site, then builds and checks it: the report counts pages by kind,
// the site's own shortcode runs, and an unknown one is a warning of build and check alike.
func TestImportHugo(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"hugo.toml":                      "baseURL = 'https://club.example/'\ntitle = 'Club'\nlanguageCode = 'fr'\ntheme = 'ananke'\n",
		"layouts/shortcodes/notice.html": "<aside>{{ .Inner }}</aside>",
		"content/_index.md":              "---\ntitle: Accueil\n---\n",
		"content/post/premier.md":        "---\nTitle: Premier\nDate: 2024-05-01\ndescription: Le premier article.\n---\n{{< notice >}}\nGardé.\n{{< /notice >}}\n\n{{< youtube 0RKpf3rK57I >}}\n\n{{< tabs >}}\nAussi gardé.\n{{< /tabs >}}\n",
		"content/à propos.markdown":      "---\ntitle: À propos\ndescription: Qui sommes-nous.\nmenu: main\n---\nBonjour.\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCmd(t, "import", "hugo", "-n", dir)
	if code != 0 || !strings.Contains(out, "baseURL = 'https://club.example/'") || !strings.Contains(out, `theme: "ananke" is not used`) {
		t.Fatalf("import -n: %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "vitrine.toml")); err == nil {
		t.Fatal("a dry run wrote vitrine.toml")
	}
	code, out, errOut = runCmd(t, "import", "hugo", dir)
	for _, want := range []string{
		"not carried: timeZone: not set",
		"Moved layouts/ to hugo/layouts/",
		`content/post/premier.md:12: warning: unknown shortcode "tabs" left out, what it encloses is kept`,
		"Pages built: ", "article 1", "page 1",
		"Pages with features left out: 1 (article 1)",
		"shortcode tabs: 1 use",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if code != 0 {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "build", "-s", dir)
	if code != 0 || !strings.Contains(errOut, `unknown shortcode "tabs"`) {
		t.Fatalf("build: %d\n%s%s", code, out, errOut)
	}
	html, err := os.ReadFile(filepath.Join(dir, "public", "post", "premier", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "<aside>\nGardé.\n</aside>") || !strings.Contains(string(html), "Aussi gardé.") ||
		!strings.Contains(string(html), "youtube-nocookie.com/embed/0RKpf3rK57I") || strings.Contains(string(html), "{{") {
		t.Errorf("the page:\n%s", html)
	}
	code, out, _ = runCmd(t, "check", "-s", dir)
	if !strings.Contains(out, `content/post/premier.md:12: warning: unknown shortcode "tabs"`) {
		t.Errorf("check: %d\n%s", code, out)
	}
}

// TestImportHugoCompare imports a Hugo site with its old public/ folder at hand: the old URL that names
// a page (a post moved by hand since) gets a redirect in vitrine.toml, the one that names nothing is
// listed as lost, and vitrine check --urls says the same of a list of URLs.
func TestImportHugoCompare(t *testing.T) {
	dir := writeSite(t, map[string]string{
		"hugo.toml":                       "baseURL = 'https://club.example/'\ntitle = 'Club'\nlanguageCode = 'fr'\ntimeZone = 'UTC'\n[permalinks]\nposts = '/:year/:slug/'\n",
		"content/posts/sortie-velo.md":    "---\ntitle: Sortie velo\ndate: 2024-05-01\n---\nBonjour.\n",
		"content/posts/assemblee.md":      "---\ntitle: Assemblee\ndate: 2024-06-01\n---\nOrdre du jour.\n",
		"old/2024/sortie-velo/index.html": "<p>old</p>",
		"old/2024/assemblee/index.html":   "<p>old</p>",
		"old/2023/sortie-velo/index.html": "<p>the page moved since</p>",
		"old/ancienne-page/index.html":    "<p>gone</p>",
		"old/index.xml":                   "<rss/>",
	})
	code, out, errOut := runCmd(t, "import", "hugo", "--compare", filepath.Join(dir, "old"), dir)
	if code != 0 {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"Wrote 1 redirects", "1 of 5 URLs lost", "  /ancienne-page/"} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}
	conf, _ := os.ReadFile(filepath.Join(dir, "vitrine.toml"))
	if !strings.Contains(string(conf), "[redirects]\n'/2023/sortie-velo/' = '/2024/sortie-velo/'") {
		t.Errorf("vitrine.toml lacks the redirect:\n%s", conf)
	}
	list := filepath.Join(dir, "old-urls.txt")
	os.WriteFile(list, []byte("# the old sitemap\nhttps://club.example/2024/assemblee/\n/2023/sortie-velo/\nhttps://club.example/ancienne-page/\n"), 0o644)
	code, out, _ = runCmd(t, "check", "-s", dir, "--urls", list)
	if code == 0 || !strings.Contains(out, "/ancienne-page/ does not answer") || strings.Contains(out, "/2023/sortie-velo/ does not") || strings.Contains(out, "/2024/assemblee/ does not") {
		t.Errorf("check --urls: %d\n%s", code, out)
	}
}
