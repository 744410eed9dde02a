package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/serve"
)

// TestFirstDayTraps runs what a newcomer types on the first day, mistakes included, and checks that each
// answer says what to do.
func TestFirstDayTraps(t *testing.T) {
	empty := t.TempDir()
	for _, cmd := range [][]string{{"build", "-s", empty}, {"check", "-s", empty}} {
		code, _, errOut := runCmd(t, cmd...)
		if code == 0 || !strings.Contains(errOut, "vitrine init") || strings.Contains(errOut, "openat") {
			t.Errorf("%v in an empty folder: %d %q, want a pointer to vitrine init", cmd, code, errOut)
		}
	}
	if ents, _ := os.ReadDir(empty); len(ents) != 0 {
		t.Errorf("a failed build wrote into an empty folder: %v", ents)
	}

	// The dev server in an empty folder stops at once instead of serving nothing forever.
	done := make(chan error, 1)
	go func() {
		_, err := serve.New(serve.Options{Dir: empty, Port: 0})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "vitrine init") {
			t.Errorf("serve in an empty folder: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("serve in an empty folder did not stop")
	}

	site := writeSite(t, map[string]string{
		"vitrine.toml":      "baseURL = \"https://atelier-roussel.fr/\"\ntitle = \"Atelier\"\n[cards]\ngenerate = false\n",
		"content/_index.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
	})
	// Both spellings of a flag, whatever the command declares.
	for _, spelling := range []string{"--baseURL", "--base-url", "--baseurl"} {
		dest := filepath.Join(t.TempDir(), "public")
		if code, _, errOut := runCmd(t, "build", "-s", site, "-d", dest, spelling, "https://autre.example/"); code != 0 {
			t.Errorf("build %s: %d %s", spelling, code, errOut)
		} else if data, _ := os.ReadFile(filepath.Join(dest, "index.html")); !strings.Contains(string(data), "https://autre.example/") {
			t.Errorf("build %s: the baseURL was not taken", spelling)
		}
	}
	// A mistyped flag or command gets the closest one.
	if code, _, errOut := runCmd(t, "build", "-s", site, "--destinaton", "x"); code == 0 || !strings.Contains(errOut, "did you mean --destination?") {
		t.Errorf("mistyped flag: %d %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "biuld"); code == 0 || !strings.Contains(errOut, "build") {
		t.Errorf("mistyped command: %d %q", code, errOut)
	}
	// vitrine new without a title shows how to write one; with one, it says the post is a draft.
	if code, _, errOut := runCmd(t, "new", "post", "-s", site); code == 0 || !strings.Contains(errOut, `vitrine new post "`) || strings.Contains(errOut, "arg(s)") {
		t.Errorf("new without a title: %d %q", code, errOut)
	}
	code, out, errOut := runCmd(t, "new", "post", "Mon premier article", "-s", site)
	if code != 0 || !strings.Contains(out, "draft") || !strings.Contains(out, "vitrine serve") {
		t.Errorf("new post: %d %q %q", code, out, errOut)
	}
	// build and check say what they left out, and how to see it.
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(site, "content", "posts", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("demain.md", "---\ntitle: Demain\ndate: 2999-01-01\n---\nPlus tard.\n")
	write("fini.md", "---\ntitle: Fini\ndate: 2020-01-01\nexpiryDate: 2021-01-01\n---\nTrop tard.\n")
	want := "Left out: 1 draft (--drafts, or draft: false to publish), 1 page dated later (--future), 1 expired page"
	for _, cmd := range [][]string{{"build", "-s", site, "-d", filepath.Join(t.TempDir(), "public")}, {"check", "-s", site}} {
		if code, out, errOut := runCmd(t, cmd...); code != 0 || !strings.Contains(out, want) {
			t.Errorf("%v: %d, want %q in %q (%s)", cmd, code, want, out, errOut)
		}
	}
	if _, out, _ := runCmd(t, "build", "-s", site, "-d", filepath.Join(t.TempDir(), "public"), "--drafts", "--future"); strings.Contains(out, "draft") || strings.Contains(out, "later") {
		t.Errorf("build --drafts --future still leaves pages out: %q", out)
	}
}

// TestCheckRefusesPlaceholderBaseURL checks that check, what the generated CI runs, fails on the
// address vitrine init writes when it is given none and on example.com/org/net, naming vitrine.toml
// and its line, while serve and build take them; a demo site says demo = true under [params].
func TestCheckRefusesPlaceholderBaseURL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if code, _, errOut := runCmd(t, "init", dir, "--kind", "freelance", "--title", "Mon site", "--host", "github"); code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	code, out, _ := runCmd(t, "check", "-s", dir)
	if code == 0 || !regexp.MustCompile(`vitrine\.toml:\d+: error: baseURL https://mon-site\.example/ is a placeholder`).MatchString(out) {
		t.Errorf("check of a site with the placeholder address: %d\n%s", code, out)
	}
	if code, _, errOut := runCmd(t, "build", "-s", dir); code != 0 {
		t.Errorf("build of a site with the placeholder address: %d %s", code, errOut)
	}
	for _, c := range []struct {
		config string
		fails  bool
	}{
		{"baseURL = \"https://www.example.com/\"\n", true},
		{"baseURL = \"https://example.org/sub/\"\n", true},
		{"baseURL = \"https://camille.example/\"\n[params]\ndemo = true\n", false},
		{"baseURL = \"https://example-atelier.fr/\"\n", false},
	} {
		site := writeSite(t, map[string]string{
			"vitrine.toml":      "title = \"T\"\n" + c.config,
			"content/_index.md": "---\ntitle: Accueil\n---\nBienvenue.\n",
		})
		code, out, errOut := runCmd(t, "check", "-s", site)
		if (code != 0) != c.fails || strings.Contains(out, "placeholder") != c.fails {
			t.Errorf("check with %q: %d, want failing %v:\n%s%s", c.config, code, c.fails, out, errOut)
		}
	}
}
