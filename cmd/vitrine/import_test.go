package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportHugo imports a small Hugo site, then builds and checks it: the report counts pages by kind
// and the unknown shortcode is a warning of build and check alike.
func TestImportHugo(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"hugo.toml":                      "baseURL = 'https://club.example/'\ntitle = 'Club'\nlanguageCode = 'fr'\ntheme = 'ananke'\n",
		"layouts/shortcodes/notice.html": "<aside>{{ .Inner }}</aside>",
		"content/_index.md":              "---\ntitle: Accueil\n---\n",
		"content/post/premier.md":        "---\nTitle: Premier\nDate: 2024-05-01\ndescription: Le premier article.\n---\n{{< notice >}}\nGardé.\n{{< /notice >}}\n\n{{< youtube 0RKpf3rK57I >}}\n",
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
		`content/post/premier.md:6: warning: unknown shortcode "notice" left out, what it encloses is kept`,
		"Pages built: ", "article 1", "page 1",
		"Pages with features left out: 1 (article 1)",
		"shortcode notice: 1 use",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if code != 0 {
		t.Fatalf("import: %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "build", "-s", dir)
	if code != 0 || !strings.Contains(errOut, `unknown shortcode "notice"`) {
		t.Fatalf("build: %d\n%s%s", code, out, errOut)
	}
	html, err := os.ReadFile(filepath.Join(dir, "public", "post", "premier", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(html), "Gardé.") || !strings.Contains(string(html), "youtube-nocookie.com/embed/0RKpf3rK57I") || strings.Contains(string(html), "{{") {
		t.Errorf("the page:\n%s", html)
	}
	code, out, _ = runCmd(t, "check", "-s", dir)
	if !strings.Contains(out, `content/post/premier.md:6: warning: unknown shortcode "notice"`) {
		t.Errorf("check: %d\n%s", code, out)
	}
}
