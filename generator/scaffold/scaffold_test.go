package scaffold

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"

	"github.com/vitrine-ssg/vitrine/generator/config"
	"github.com/vitrine-ssg/vitrine/syndicate"
)

var now = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

func opts(kind, lang, host string) Options {
	return Options{Kind: kind, Lang: lang, Host: host, Title: "Atelier « L’Étoile »", BaseURL: "https://etoile.example",
		Author: `Camille "Cam" Roussel \ photo`, Mastodon: "@camille@piaille.fr", Bluesky: "camille.bsky.social",
		VitrineVersion: "v0.4.0", Now: now}
}

func files(t *testing.T, o Options) map[string]File {
	t.Helper()
	fs, err := Files(o)
	if err != nil {
		t.Fatalf("%s/%s/%s: %v", o.Kind, o.Lang, o.Host, err)
	}
	m := map[string]File{}
	for _, f := range fs {
		m[f.Path] = f
	}
	return m
}

// TestEveryFileParses generates every combination and loads each file with the parser of its format:
// YAML with a YAML library, TOML with a TOML library, vitrine.toml with vitrine's own strict config.
func TestEveryFileParses(t *testing.T) {
	for _, kind := range Kinds {
		for _, lang := range Languages {
			for _, host := range Hosts {
				for _, variant := range []string{"social", "no social", "gitlab", "codeberg", "no schedule"} {
					social := variant != "no social"
					o := opts(kind, lang, host)
					if !social {
						o.Mastodon, o.Bluesky = "", ""
					}
					switch variant {
					case "gitlab", "codeberg":
						if host != "netlify" && host != "cloudflare" {
							continue
						}
						o.CI = variant
					case "no schedule":
						o.Schedule = "off"
					}
					for name, f := range files(t, o) {
						where := kind + "/" + lang + "/" + host + " (" + variant + "): " + name
						text := string(f.Data)
						if strings.Contains(text, "{%") || strings.Contains(text, "%}") || strings.Contains(text, "<no value>") {
							t.Errorf("%s: template leftovers:\n%s", where, text)
						}
						switch {
						case name == "vitrine.toml":
							cfg, err := config.Parse(name, f.Data)
							if err != nil {
								t.Errorf("%s: %v", where, err)
								continue
							}
							if cfg.Author.Name != o.Author || cfg.Language != lang || cfg.BaseURL != "https://etoile.example/" {
								t.Errorf("%s: author %q, language %q, baseURL %q", where, cfg.Author.Name, cfg.Language, cfg.BaseURL)
							}
							owner, _ := cfg.Params["ownerType"].(string)
							if (kind == "association") != (owner == "organization") {
								t.Errorf("%s: ownerType %q for kind %s", where, owner, kind)
							}
							if social && (cfg.Syndicate.Mastodon.Server != "https://piaille.fr" || cfg.Syndicate.Bluesky.Handle != "camille.bsky.social" ||
								cfg.Social["mastodon"] != "https://piaille.fr/@camille" || cfg.Social["bluesky"] != "https://bsky.app/profile/camille.bsky.social") {
								t.Errorf("%s: accounts %v %+v %+v", where, cfg.Social, cfg.Syndicate.Mastodon, cfg.Syndicate.Bluesky)
							}
						case strings.HasSuffix(name, ".yml"), strings.HasSuffix(name, ".yaml"):
							var v map[string]any
							if err := yaml.Unmarshal(f.Data, &v); err != nil {
								t.Errorf("%s: %v\n%s", where, err, text)
							}
						case strings.HasSuffix(name, ".toml"):
							var v map[string]any
							if err := toml.Unmarshal(f.Data, &v); err != nil {
								t.Errorf("%s: %v", where, err)
							}
						case strings.HasSuffix(name, ".md"):
							front, _, ok := strings.Cut(strings.TrimPrefix(text, "---\n"), "\n---\n")
							var v map[string]any
							if !strings.HasPrefix(text, "---\n") || !ok {
								t.Errorf("%s: no front matter", where)
							} else if err := yaml.Unmarshal([]byte(front), &v); err != nil {
								t.Errorf("%s: front matter: %v", where, err)
							} else if v["title"] == nil || v["description"] == nil {
								t.Errorf("%s: title or description missing", where)
							}
						}
					}
				}
			}
		}
	}
}

func TestKinds(t *testing.T) {
	fl := files(t, opts("freelance", "fr", "github"))
	as := files(t, opts("association", "fr", "github"))
	en := files(t, opts("association", "en", "github"))
	for _, p := range []string{"content/_index.md", "content/posts/bienvenue.md", "content/projects/premier-projet/index.md", "content/services.md", ".gitignore"} {
		if _, ok := fl[p]; !ok {
			t.Errorf("freelance site lacks %s", p)
		}
	}
	for _, p := range []string{"content/events/_index.md", "content/events/assemblee-generale.md", "content/events/portes-ouvertes.md", "content/adherer.md"} {
		if _, ok := as[p]; !ok {
			t.Errorf("association site lacks %s", p)
		}
	}
	for _, p := range []string{"content/events/annual-general-meeting.md", "content/join.md", "content/posts/welcome.md"} {
		if _, ok := en[p]; !ok {
			t.Errorf("English association site lacks %s", p)
		}
	}
	// The upcoming event is a month ahead of init, the past one a month behind, in the site's zone.
	ag := string(as["content/events/assemblee-generale.md"].Data)
	if !strings.Contains(ag, "start: 2026-04-14T18:30:00+02:00") {
		t.Errorf("upcoming event start:\n%s", ag)
	}
	if po := string(as["content/events/portes-ouvertes.md"].Data); !strings.Contains(po, "start: 2026-02-14T10:00:00+01:00") {
		t.Errorf("past event start:\n%s", po)
	}
	gi := string(fl[".gitignore"].Data)
	for _, l := range []string{"public/", ".vitrine/cache/", syndicate.CalendarFile, syndicate.LedgerPath + "/.lock"} {
		if !strings.Contains(gi, l+"\n") {
			t.Errorf(".gitignore lacks %s", l)
		}
	}
}

// workflow is the part of a GitHub Actions workflow the tests look at.
type workflow struct {
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]struct {
		Needs       any               `yaml:"needs"`
		Permissions map[string]string `yaml:"permissions"`
		Environment map[string]string `yaml:"environment"`
		Steps       []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			If   string            `yaml:"if"`
			With map[string]any    `yaml:"with"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func loadWorkflow(t *testing.T, f File) workflow {
	t.Helper()
	var w workflow
	if err := yaml.Unmarshal(f.Data, &w); err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	return w
}

// steps returns the uses: and run: of a job's steps, one string each.
func (w workflow) steps(job string) []string {
	var out []string
	for _, s := range w.Jobs[job].Steps {
		out = append(out, s.Uses+s.Run)
	}
	return out
}

func hasStep(steps []string, sub string) bool {
	return slices.ContainsFunc(steps, func(s string) bool { return strings.Contains(s, sub) })
}

func TestGitHubWorkflow(t *testing.T) {
	w := loadWorkflow(t, files(t, opts("freelance", "fr", "github"))[".github/workflows/deploy.yml"])
	if w.Env["VITRINE_VERSION"] != "v0.4.0" {
		t.Errorf("vitrine not pinned: %v", w.Env)
	}
	if _, ok := w.On["push"]; !ok {
		t.Errorf("not run on push: %v", w.On)
	}
	build := w.steps("build")
	for _, want := range []string{"actions/checkout@", "actions/setup-go@", `go install "github.com/vitrine-ssg/vitrine/cmd/vitrine@${VITRINE_VERSION}"`,
		"actions/configure-pages@", "vitrine check", "vitrine build", "actions/upload-pages-artifact@"} {
		if !hasStep(build, want) {
			t.Errorf("build job lacks %q: %q", want, build)
		}
	}
	cached := false
	for _, s := range w.Jobs["build"].Steps {
		if strings.HasPrefix(s.Uses, "actions/cache@") && s.With["path"] == ".vitrine/cache" {
			cached = true
		}
		if strings.HasPrefix(s.Uses, "actions/upload-pages-artifact@") && s.With["path"] != "public" {
			t.Errorf("artifact path %v", s.With["path"])
		}
	}
	if !cached {
		t.Error("build job does not cache .vitrine/cache")
	}
	d := w.Jobs["deploy"]
	if d.Needs != "build" || d.Permissions["pages"] != "write" || d.Permissions["id-token"] != "write" || d.Environment["name"] != "github-pages" {
		t.Errorf("deploy job: needs %v, permissions %v, environment %v", d.Needs, d.Permissions, d.Environment)
	}
	if !hasStep(w.steps("deploy"), "actions/deploy-pages@") {
		t.Error("deploy job does not use actions/deploy-pages")
	}
	s := w.Jobs["syndicate"]
	if s.Needs != "deploy" || s.Permissions["contents"] != "write" {
		t.Errorf("syndicate job: needs %v, permissions %v", s.Needs, s.Permissions)
	}
	syn := w.steps("syndicate")
	for _, want := range []string{"vitrine syndicate --publish --wait-live", `commit "Syndication ledger [skip ci]" 'data/syndication*'`, "git push"} {
		if !hasStep(syn, want) {
			t.Errorf("syndicate job lacks %q", want)
		}
	}
	for _, st := range s.Steps {
		if strings.Contains(st.Run, "--publish") {
			if st.Env["VITRINE_MASTODON_TOKEN"] != "${{ secrets.VITRINE_MASTODON_TOKEN }}" ||
				st.Env["VITRINE_BLUESKY_APP_PASSWORD"] != "${{ secrets.VITRINE_BLUESKY_APP_PASSWORD }}" {
				t.Errorf("secrets: %v", st.Env)
			}
		}
		if strings.Contains(st.Run, "git commit") && !strings.Contains(st.Run, "vitrine syndicate --publish --wait-live || status=$?") {
			t.Errorf("the ledger is not committed after a failed publication:\n%s", st.Run)
		}
	}

	// Without an account, no syndication job.
	o := opts("freelance", "fr", "github")
	o.Mastodon, o.Bluesky = "", ""
	if w := loadWorkflow(t, files(t, o)[".github/workflows/deploy.yml"]); w.Jobs["syndicate"].Steps != nil {
		t.Error("a syndicate job without accounts")
	}
}

func TestS3Workflow(t *testing.T) {
	o := opts("freelance", "en", "s3")
	o.Bucket, o.Endpoint, o.Region = "s3://my-bucket/site", "https://s3.fr-par.scw.cloud", "fr-par"
	w := loadWorkflow(t, files(t, o)[".github/workflows/deploy.yml"])
	var env map[string]string
	for _, s := range w.Jobs["deploy"].Steps {
		if strings.Contains(s.Run, "vitrine deploy") {
			env = s.Env
			if s.Run != "vitrine deploy s3://my-bucket/site" {
				t.Errorf("deploy step: %q", s.Run)
			}
		}
	}
	if env["AWS_ACCESS_KEY_ID"] != "${{ secrets.AWS_ACCESS_KEY_ID }}" || env["AWS_ENDPOINT_URL"] != "https://s3.fr-par.scw.cloud" || env["AWS_REGION"] != "fr-par" {
		t.Errorf("deploy env: %v", env)
	}
	if w.Jobs["syndicate"].Needs != "deploy" {
		t.Errorf("syndicate needs %v", w.Jobs["syndicate"].Needs)
	}
}

func TestSyndicateWorkflowForSelfDeployingHosts(t *testing.T) {
	for _, host := range []string{"netlify", "cloudflare"} {
		fs := files(t, opts("freelance", "fr", host))
		w := loadWorkflow(t, fs[".github/workflows/syndicate.yml"])
		if w.Jobs["syndicate"].Needs != nil || !hasStep(w.steps("syndicate"), "--wait-live") {
			t.Errorf("%s: syndicate workflow %+v", host, w.Jobs["syndicate"])
		}
	}
}

func TestGitLab(t *testing.T) {
	var ci struct {
		Variables map[string]string `yaml:"variables"`
		Default   struct {
			Image        string   `yaml:"image"`
			BeforeScript []string `yaml:"before_script"`
		} `yaml:"default"`
		Pages struct {
			Stage string `yaml:"stage"`
			Cache []struct {
				Paths []string `yaml:"paths"`
			} `yaml:"cache"`
			Script    []string            `yaml:"script"`
			Artifacts map[string][]string `yaml:"artifacts"`
		} `yaml:"pages"`
		Syndicate struct {
			Needs []struct {
				Job      string `yaml:"job"`
				Optional bool   `yaml:"optional"`
			} `yaml:"needs"`
			ResourceGroup string   `yaml:"resource_group"`
			Script        []string `yaml:"script"`
		} `yaml:"syndicate"`
	}
	if err := yaml.Unmarshal(files(t, opts("association", "fr", "gitlab"))[".gitlab-ci.yml"].Data, &ci); err != nil {
		t.Fatal(err)
	}
	if ci.Variables["VITRINE_VERSION"] != "v0.4.0" || !strings.Contains(strings.Join(ci.Default.BeforeScript, "\n"), "vitrine@${VITRINE_VERSION}") {
		t.Errorf("vitrine not pinned: %v %v", ci.Variables, ci.Default.BeforeScript)
	}
	if !slices.Contains(ci.Pages.Script, "vitrine build") || !slices.Equal(ci.Pages.Artifacts["paths"], []string{"public"}) {
		t.Errorf("pages job: %v %v", ci.Pages.Script, ci.Pages.Artifacts)
	}
	cached := false
	for _, c := range ci.Pages.Cache {
		cached = cached || slices.Contains(c.Paths, ".vitrine/cache")
	}
	if !cached {
		t.Error("pages job does not cache .vitrine/cache")
	}
	script := strings.Join(ci.Syndicate.Script, "\n")
	if len(ci.Syndicate.Needs) != 1 || ci.Syndicate.Needs[0].Job != "pages" || !ci.Syndicate.Needs[0].Optional || ci.Syndicate.ResourceGroup == "" ||
		!strings.Contains(script, "--publish --wait-live") || !strings.Contains(script, "[skip ci]") {
		t.Errorf("syndicate job: %v\n%s", ci.Syndicate.Needs, script)
	}
}

func TestNetlifyAndCloudflare(t *testing.T) {
	var n struct {
		Build struct {
			Command     string            `toml:"command"`
			Publish     string            `toml:"publish"`
			Environment map[string]string `toml:"environment"`
		} `toml:"build"`
		Headers []struct {
			For    string            `toml:"for"`
			Values map[string]string `toml:"values"`
		} `toml:"headers"`
	}
	if err := toml.Unmarshal(files(t, opts("freelance", "fr", "netlify"))["netlify.toml"].Data, &n); err != nil {
		t.Fatal(err)
	}
	if n.Build.Publish != "public" || n.Build.Command != "go run github.com/vitrine-ssg/vitrine/cmd/vitrine@v0.4.0 build" || n.Build.Environment["GO_VERSION"] == "" {
		t.Errorf("netlify build: %+v", n.Build)
	}
	if len(n.Headers) == 0 || n.Headers[0].For != "/css/*" || !strings.Contains(n.Headers[0].Values["Cache-Control"], "immutable") {
		t.Errorf("netlify headers: %+v", n.Headers)
	}

	fs := files(t, opts("freelance", "fr", "cloudflare"))
	var w struct {
		Name      string `toml:"name"`
		OutputDir string `toml:"pages_build_output_dir"`
		Compat    string `toml:"compatibility_date"`
	}
	if err := toml.Unmarshal(fs["wrangler.toml"].Data, &w); err != nil {
		t.Fatal(err)
	}
	if w.Name != "atelier-l-etoile" || w.OutputDir != "public" || w.Compat != "2026-03-14" {
		t.Errorf("wrangler.toml: %+v", w)
	}
	if !strings.Contains(string(fs["wrangler.toml"].Data), "vitrine@v0.4.0 build") {
		t.Error("wrangler.toml does not document the build command")
	}
	if h := string(fs["static/_headers"].Data); !strings.Contains(h, "/css/*\n  Cache-Control: public, max-age=31536000, immutable") {
		t.Errorf("_headers:\n%s", h)
	}
}

func TestWoodpecker(t *testing.T) {
	var ci struct {
		When  []map[string]any `yaml:"when"`
		Steps []struct {
			Name        string         `yaml:"name"`
			Image       string         `yaml:"image"`
			Environment map[string]any `yaml:"environment"`
			Commands    []string       `yaml:"commands"`
		} `yaml:"steps"`
	}
	if err := yaml.Unmarshal(files(t, opts("freelance", "fr", "codeberg"))[".woodpecker.yml"].Data, &ci); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range ci.Steps {
		names = append(names, s.Name)
		cmds := strings.Join(s.Commands, "\n")
		switch s.Name {
		case "build":
			if !strings.Contains(cmds, "vitrine@$${VITRINE_VERSION}") || !strings.Contains(cmds, "vitrine build") || s.Environment["VITRINE_VERSION"] != "v0.4.0" {
				t.Errorf("build step: %v\n%s", s.Environment, cmds)
			}
		case "publish":
			if !strings.Contains(cmds, "HEAD:pages") || s.Environment["CODEBERG_TOKEN"] == nil {
				t.Errorf("publish step does not push to the pages branch:\n%s", cmds)
			}
		case "syndicate":
			if !strings.Contains(cmds, "--publish --wait-live") || !strings.Contains(cmds, "[skip ci]") {
				t.Errorf("syndicate step:\n%s", cmds)
			}
		}
	}
	if !slices.Equal(names, []string{"build", "publish", "syndicate"}) {
		t.Errorf("steps %v", names)
	}
	if len(ci.When) == 0 || ci.When[0]["branch"] != "main" {
		t.Errorf("when: %v", ci.When)
	}
}

func TestSelfHook(t *testing.T) {
	o := opts("freelance", "fr", "self")
	o.ServerDir = "/srv/etoile"
	fs := files(t, o)
	hook := fs["deploy/post-receive"]
	if hook.Mode != 0o755 || !strings.HasPrefix(string(hook.Data), "#!/bin/sh\n") {
		t.Errorf("hook mode %v, starts %q", hook.Mode, string(hook.Data)[:20])
	}
	for _, want := range []string{`: "${SITE_DIR:=/srv/etoile}"`, `: "${KEEP:=5}"`, "ln -sfn", "mv -T", "git archive"} {
		if !strings.Contains(string(hook.Data), want) {
			t.Errorf("hook lacks %q", want)
		}
	}
	if sh, err := exec.LookPath("sh"); err == nil {
		p := filepath.Join(t.TempDir(), "post-receive")
		os.WriteFile(p, hook.Data, 0o755)
		if out, err := exec.Command(sh, "-n", p).CombinedOutput(); err != nil {
			t.Errorf("sh -n: %v\n%s", err, out)
		}
	}
	if n := string(fs["deploy/nginx.conf"].Data); !strings.Contains(n, "root /srv/etoile/current;") || !strings.Contains(n, "server_name etoile.example;") {
		t.Errorf("nginx.conf:\n%s", n)
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		change func(*Options)
		want   string
	}{
		{func(o *Options) { o.Kind = "shop" }, "unknown kind"},
		{func(o *Options) { o.Lang = "de" }, "unknown language"},
		{func(o *Options) { o.Host = "ftp" }, "unknown host"},
		{func(o *Options) { o.Title = " " }, "title"},
		{func(o *Options) { o.BaseURL = "mon-site.fr" }, "base URL"},
		{func(o *Options) { o.Mastodon = "camille" }, "Mastodon"},
		{func(o *Options) { o.Bluesky = "camille" }, "Bluesky"},
		{func(o *Options) { o.LinkedIn = "linkedin.com/in/x" }, "LinkedIn"},
		{func(o *Options) { o.Host, o.Bucket = "s3", "bucket" }, "s3://bucket"},
		{func(o *Options) { o.Host, o.ServerDir = "self", "www" }, "absolute path"},
		{func(o *Options) { o.Host, o.ServerDir = "self", "/var/www/a b" }, "absolute path"},
		{func(o *Options) { o.VitrineVersion = "v1; rm -rf /" }, "not a version"},
	} {
		o := opts("freelance", "fr", "github")
		tc.change(&o)
		if _, err := Files(o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want an error with %q, got %v", tc.want, err)
		}
	}
	o := Options{Title: "Mon site", BaseURL: "https://a.example"}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	if o.Kind != "freelance" || o.Lang != "fr" || o.Host != "github" || o.Author != "Mon site" || o.BaseURL != "https://a.example/" || o.VitrineVersion != "latest" || o.Branch != "main" {
		t.Errorf("defaults: %+v", o)
	}
}

func TestAccounts(t *testing.T) {
	for in, want := range map[string][2]string{
		"@camille@piaille.fr":           {"https://piaille.fr/@camille", "https://piaille.fr"},
		"camille@piaille.fr":            {"https://piaille.fr/@camille", "https://piaille.fr"},
		"https://piaille.fr/@camille/":  {"https://piaille.fr/@camille", "https://piaille.fr"},
		"https://mastodon.social/@a_b1": {"https://mastodon.social/@a_b1", "https://mastodon.social"},
	} {
		p, s, err := MastodonProfile(in)
		if err != nil || p != want[0] || s != want[1] {
			t.Errorf("%q: %q %q %v", in, p, s, err)
		}
	}
	for _, bad := range []string{"camille", "@camille@", "https://piaille.fr/camille", "@a@b c.fr"} {
		if _, _, err := MastodonProfile(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	for in, want := range map[string]string{
		"camille.bsky.social": "camille.bsky.social", "@Camille.bsky.social": "camille.bsky.social",
		"https://bsky.app/profile/camille.example/": "camille.example",
	} {
		if h, err := BlueskyHandle(in); err != nil || h != want {
			t.Errorf("%q: %q %v", in, h, err)
		}
	}
	for _, bad := range []string{"camille", "did:plc:abc", "camille..bsky.social"} {
		if _, err := BlueskyHandle(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSiteName(t *testing.T) {
	for in, want := range map[string]string{"Atelier « L’Étoile »": "atelier-l-etoile", "Club Vélo 69": "club-velo-69", "!!!": "site", "Œuvre": "oeuvre"} {
		if got := SiteName(in); got != want {
			t.Errorf("SiteName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriteRefusesAnExistingSite(t *testing.T) {
	fs, err := Files(opts("freelance", "fr", "self"))
	if err != nil {
		t.Fatal(err)
	}
	for _, existing := range []string{"vitrine.toml", "content/about.md", "deploy/post-receive"} {
		dir := t.TempDir()
		os.MkdirAll(filepath.Dir(filepath.Join(dir, existing)), 0o755)
		os.WriteFile(filepath.Join(dir, existing), []byte("mine\n"), 0o644)
		if _, err := Write(dir, fs); err == nil || !strings.Contains(err.Error(), "never overwrites") {
			t.Errorf("%s: %v", existing, err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Errorf("%s: files written before refusing: %v", existing, entries)
		}
		if data, _ := os.ReadFile(filepath.Join(dir, existing)); string(data) != "mine\n" {
			t.Errorf("%s overwritten", existing)
		}
	}

	// A folder with a .gitignore (a fresh clone) is fine: the missing lines are added.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("node_modules/\npublic/"), 0o644)
	written, err := Write(dir, fs)
	if err != nil {
		t.Fatal(err)
	}
	gi, _ := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if string(gi) != "node_modules/\npublic/\n\n# vitrine\n.vitrine/cache/\n.vitrine/outbox/\n.vitrine/calendar.ics\ndata/syndication/.lock\n" {
		t.Errorf(".gitignore merged as %q", gi)
	}
	if !slices.Contains(written, "vitrine.toml") || !slices.Contains(written, ".gitignore") {
		t.Errorf("written %v", written)
	}
	if st, err := os.Stat(filepath.Join(dir, "deploy/post-receive")); err != nil || st.Mode().Perm() != 0o755 {
		t.Errorf("hook not executable: %v %v", st, err)
	}
}
