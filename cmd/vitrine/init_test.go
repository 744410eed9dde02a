package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/config"
)

// TestInitBuildsAndChecks makes each kind of site in each language, builds it with vitrine build and
// checks it with vitrine check: zero errors, and no warnings either.
func TestInitBuildsAndChecks(t *testing.T) {
	for _, kind := range []string{"freelance", "association"} {
		for _, lang := range []string{"fr", "en"} {
			t.Run(kind+"-"+lang, func(t *testing.T) {
				dir := filepath.Join(t.TempDir(), "site")
				code, out, errOut := runCmd(t, "init", dir, "--kind", kind, "--lang", lang, "--title", "Atelier de l’Étoile",
					"--base-url", "https://atelier-etoile.fr/", "--mastodon", "@etoile@piaille.fr", "--bluesky", "etoile.bsky.social",
					"--description", "Des ateliers de gravure à Lyon")
				if code != 0 {
					t.Fatalf("init: %s", errOut)
				}
				if !strings.Contains(out, "vitrine.toml") || !strings.Contains(out, "git init -b main") {
					t.Errorf("init output:\n%s", out)
				}
				if code, _, errOut := runCmd(t, "build", "-s", dir); code != 0 {
					t.Fatalf("build: %s", errOut)
				}
				code, out, errOut = runCmd(t, "check", "-s", dir)
				if code != 0 || !strings.Contains(out, ": 0 errors, 0 warnings") {
					t.Errorf("check (%d):\n%s%s", code, out, errOut)
				}
				home, err := os.ReadFile(filepath.Join(dir, "public", "index.html"))
				if err != nil {
					t.Fatal(err)
				}
				// The description given to init is the line under the name, and the home page's.
				for _, want := range []string{`rel="me" href="https://piaille.fr/@etoile"`, "Atelier de l’Étoile",
					`<p class="tagline">Des ateliers de gravure à Lyon</p>`, `<meta name="description" content="Des ateliers de gravure à Lyon">`} {
					if !bytes.Contains(home, []byte(want)) {
						t.Errorf("home page lacks %q", want)
					}
				}
				organization := bytes.Contains(home, []byte(`"@type":"Organization"`))
				if organization != (kind == "association") {
					t.Errorf("%s: Organization in JSON-LD = %v", kind, organization)
				}
				// An association speaks as "we", a freelancer as "I".
				we := map[string]string{"fr": "Nous contacter", "en": "Contact us"}[lang]
				if bytes.Contains(home, []byte(we)) != (kind == "association") {
					t.Errorf("%s: %q on the home page = %v", kind, we, !(kind == "association"))
				}
				if kind == "association" {
					// The upcoming event is on the home page, the calendar is published.
					if !bytes.Contains(home, []byte("home-events")) {
						t.Error("no upcoming event on the home page")
					}
					if _, err := os.Stat(filepath.Join(dir, "public", "events", "calendar.ics")); err != nil {
						t.Error(err)
					}
				}
			})
		}
	}
}

func TestInitRefusesAnExistingSite(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "vitrine.toml"), []byte("baseURL = \"https://a.example/\"\n"), 0o644)
	code, _, errOut := runCmd(t, "init", dir)
	if code == 0 || !strings.Contains(errOut, "already has vitrine.toml") {
		t.Errorf("init over a site: %d %s", code, errOut)
	}
	dir = t.TempDir()
	os.Mkdir(filepath.Join(dir, "content"), 0o755)
	if code, _, errOut := runCmd(t, "init", dir); code == 0 || !strings.Contains(errOut, "content") {
		t.Errorf("init over content/: %d %s", code, errOut)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files written: %v", entries)
	}
}

func TestInitDefaults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "club-velo")
	code, out, errOut := runCmd(t, "init", dir, "--kind", "association", "--host", "self")
	if code != 0 {
		t.Fatal(errOut)
	}
	cfg, err := config.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Title != "Club velo" || cfg.BaseURL != "https://club-velo.example/" || cfg.Language != "fr" {
		t.Errorf("defaults: %q %q %q", cfg.Title, cfg.BaseURL, cfg.Language)
	}
	if !strings.Contains(out, "baseURL vaut https://club-velo.example/") || !strings.Contains(out, "deploy/post-receive") {
		t.Errorf("no warning about the placeholder address:\n%s", out)
	}
	if code, _, errOut := runCmd(t, "init", t.TempDir(), "--host", "ftp"); code == 0 || !strings.Contains(errOut, "unknown host") {
		t.Errorf("unknown host: %s", errOut)
	}
}

// TestInitInteractive answers the questions as a person at a terminal would, with one wrong answer.
func TestInitInteractive(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	answers := strings.Join([]string{
		"",                         // language: fr
		"association",              // kind
		"Les Amis du Parc",         // title
		"",                         // author: the title
		"gitlab",                   // host
		"amis-du-parc.fr",          // base URL, refused
		"https://amis-du-parc.fr/", // base URL
		"https://piaille.fr/@amis", // Mastodon
		"",                         // Bluesky: none
	}, "\n") + "\n"
	var out bytes.Buffer
	cmd := initCmd(strings.NewReader(answers), func() bool { return true }, func() time.Time { return time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC) })
	cmd.SetArgs([]string{dir, "--vitrine-version", "v1.2.3"})
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	if err := cmd.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	text := out.String()
	for _, want := range []string{"Titre du site [Site]\u00a0: ", "Hébergement (github, gitlab", "an absolute address is needed", ".gitlab-ci.yml"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q:\n%s", want, text)
		}
	}
	cfg, err := config.Load(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Title != "Les Amis du Parc" || cfg.Author.Name != "Les Amis du Parc" || cfg.BaseURL != "https://amis-du-parc.fr/" ||
		cfg.Params["ownerType"] != "organization" || cfg.Syndicate.Mastodon.Server != "https://piaille.fr" || cfg.Syndicate.Bluesky.Handle != "" {
		t.Errorf("config: %+v", cfg)
	}
	ci, err := os.ReadFile(filepath.Join(dir, ".gitlab-ci.yml"))
	if err != nil || !strings.Contains(string(ci), `VITRINE_VERSION: "v1.2.3"`) {
		t.Errorf("gitlab CI: %v\n%s", err, ci)
	}
}

func TestPinnedVersion(t *testing.T) {
	old := version
	defer func() { version = old }()
	for v, want := range map[string]string{"v1.2.3": "v1.2.3", "1.2.3": "v1.2.3", "v1.3.0-rc.1": "v1.3.0-rc.1",
		"dev": "latest", "v0.0.0-20260314093000-abcdef123456": "latest"} {
		version = v
		if got := pinnedVersion(); got != want {
			t.Errorf("version %q: pinned %q, want %q", v, got, want)
		}
	}
}

// TestInitScheduleAndCI: --schedule sets when syndication also runs, --ci where it runs for a host that
// deploys by itself; a schedule that is not cron is refused before anything is written.
func TestInitScheduleAndCI(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := runCmd(t, "init", dir, "--no-input", "--host", "netlify", "--ci", "gitlab", "--schedule", "*/30 * * * *",
		"--title", "Atelier", "--mastodon", "@camille@piaille.fr")
	if code != 0 {
		t.Fatalf("init: %s", errOut)
	}
	ci, err := os.ReadFile(filepath.Join(dir, ".gitlab-ci.yml"))
	if err != nil || !strings.Contains(string(ci), `glab schedule create --cron "*/30 * * * *"`) || !strings.Contains(string(ci), "resource_group: syndicate") {
		t.Errorf(".gitlab-ci.yml (%v):\n%s", err, ci)
	}
	if _, err := os.Stat(filepath.Join(dir, ".github")); err == nil {
		t.Error("a GitHub workflow was written for --ci gitlab")
	}
	bad := t.TempDir()
	if code, _, errOut := runCmd(t, "init", bad, "--no-input", "--schedule", "hourly"); code == 0 || !strings.Contains(errOut, "cron") {
		t.Errorf("--schedule hourly: %d %s", code, errOut)
	}
	if entries, _ := os.ReadDir(bad); len(entries) != 0 {
		t.Errorf("a refused init wrote %d files", len(entries))
	}
}
