package scaffold

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// syndicationFile is the CI file that syndicates for o, and the forge whose CI runs it.
func syndicationFile(t *testing.T, o Options) (File, string) {
	t.Helper()
	fs := files(t, o)
	forge := o.CI
	switch o.Host {
	case "github", "s3":
		return fs[".github/workflows/deploy.yml"], "github"
	case "gitlab":
		return fs[".gitlab-ci.yml"], "gitlab"
	case "codeberg":
		return fs[".woodpecker.yml"], "codeberg"
	}
	name := map[string]string{"": ".github/workflows/syndicate.yml", "github": ".github/workflows/syndicate.yml",
		"gitlab": ".gitlab-ci.yml", "codeberg": ".woodpecker.yml"}[forge]
	f, ok := fs[name]
	if !ok {
		t.Fatalf("%s with CI %q: no %s", o.Host, forge, name)
	}
	if forge == "" {
		forge = "github"
	}
	return f, forge
}

// syncScript extracts the shell of the syndication job from a CI file of forge, as the forge runs it.
func syncScript(t *testing.T, f File, forge string) string {
	t.Helper()
	switch forge {
	case "github":
		w := loadWorkflow(t, f)
		for _, s := range w.Jobs["syndicate"].Steps {
			if strings.Contains(s.Run, "vitrine syndicate") {
				return s.Run
			}
		}
	case "gitlab":
		var ci struct {
			Syndicate struct {
				Script []string `yaml:"script"`
			} `yaml:"syndicate"`
		}
		if err := yaml.Unmarshal(f.Data, &ci); err != nil {
			t.Fatal(err)
		}
		return strings.Join(ci.Syndicate.Script, "\n")
	case "codeberg":
		var ci struct {
			Steps []struct {
				Name     string   `yaml:"name"`
				Commands []string `yaml:"commands"`
			} `yaml:"steps"`
		}
		if err := yaml.Unmarshal(f.Data, &ci); err != nil {
			t.Fatal(err)
		}
		for _, s := range ci.Steps {
			if s.Name == "syndicate" {
				// Woodpecker turns $$ into $ before the shell sees the commands.
				return strings.ReplaceAll(strings.Join(s.Commands, "\n"), "$$", "$")
			}
		}
	}
	t.Fatalf("%s: no syndication script in %s:\n%s", forge, f.Path, f.Data)
	return ""
}

// everyCIFile lists the options of every host whose files syndicate, with every CI for the hosts
// that deploy by themselves.
func everyCIFile() []Options {
	var out []Options
	for _, host := range []string{"github", "s3", "gitlab", "codeberg", "netlify", "cloudflare"} {
		cis := []string{""}
		if host == "netlify" || host == "cloudflare" {
			cis = CIs
		}
		for _, c := range cis {
			o := opts("freelance", "fr", host)
			o.CI = c
			out = append(out, o)
		}
	}
	return out
}

// TestCIFilesSyndicateSafely checks every CI file init writes: the job syndicates from the branch head,
// never beside another one, commits both ledger layouts, and runs on a schedule too.
func TestCIFilesSyndicateSafely(t *testing.T) {
	for _, o := range everyCIFile() {
		f, forge := syndicationFile(t, o)
		where := o.Host + "/" + forge + ": " + f.Path
		text := string(f.Data)
		script := syncScript(t, f, forge)
		fetch := strings.Index(script, "git fetch")
		reset := strings.Index(script, "-B ")
		run := strings.Index(script, "vitrine syndicate")
		if fetch < 0 || reset < fetch || !strings.Contains(script[reset:], "FETCH_HEAD") || run < reset {
			t.Errorf("%s: does not syndicate from the branch head:\n%s", where, script)
		}
		for _, want := range []string{`'data/syndication*'`, "git pull --quiet --rebase", "vitrine backfeed", "data/reactions"} {
			if !strings.Contains(script, want) {
				t.Errorf("%s: the script lacks %q", where, want)
			}
		}
		if sh, err := exec.LookPath("sh"); err == nil {
			if out, err := exec.Command(sh, "-n", "-c", script).CombinedOutput(); err != nil {
				t.Errorf("%s: sh -n: %v\n%s", where, err, out)
			}
		}
		if sc, err := exec.LookPath("shellcheck"); err == nil {
			cmd := exec.Command(sc, "--shell=sh", "-")
			cmd.Stdin = strings.NewReader(script)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: shellcheck: %v\n%s", where, err, out)
			}
		} else if os.Getenv("VITRINE_ACTIONLINT") != "" {
			t.Error("shellcheck is not installed: .ci/run installs it (apt-get install shellcheck)")
		}
		switch forge {
		case "github":
			var w struct {
				On struct {
					Schedule []struct {
						Cron string `yaml:"cron"`
					} `yaml:"schedule"`
				} `yaml:"on"`
				Jobs map[string]struct {
					If          string         `yaml:"if"`
					Concurrency map[string]any `yaml:"concurrency"`
				} `yaml:"jobs"`
			}
			if err := yaml.Unmarshal(f.Data, &w); err != nil {
				t.Fatal(err)
			}
			if len(w.On.Schedule) != 1 || w.On.Schedule[0].Cron != DefaultSchedule {
				t.Errorf("%s: schedule %+v", where, w.On.Schedule)
			}
			if w.Jobs["syndicate"].Concurrency["group"] != "vitrine-syndicate" || w.Jobs["syndicate"].Concurrency["cancel-in-progress"] != false {
				t.Errorf("%s: syndicate concurrency %v", where, w.Jobs["syndicate"].Concurrency)
			}
			for name, j := range w.Jobs {
				if name != "syndicate" && !strings.Contains(j.If, "!= 'schedule'") {
					t.Errorf("%s: job %s runs on the schedule too (if %q)", where, name, j.If)
				}
			}
		case "gitlab":
			if !strings.Contains(text, "resource_group: syndicate") || !strings.Contains(text, `glab schedule create --cron "17 * * * *"`) ||
				!strings.Contains(script, `"${CI_PIPELINE_SOURCE}" = schedule`) {
				t.Errorf("%s: not serialized or not scheduled:\n%s", where, text)
			}
			if o.Host == "gitlab" && !strings.Contains(text, `$CI_PIPELINE_SOURCE != "schedule"`) {
				t.Errorf("%s: the pages job runs on the schedule", where)
			}
		case "codeberg":
			if !strings.Contains(text, "- event: cron") || !strings.Contains(text, `"0 17 * * * *"`) ||
				!strings.Contains(script, "--force-with-lease=refs/heads/vitrine-lock:") {
				t.Errorf("%s: not serialized or not scheduled:\n%s", where, text)
			}
		}
	}
}

func TestScheduleOption(t *testing.T) {
	o := opts("freelance", "fr", "github")
	o.Schedule = "  0  */6 * * 1-5 "
	if w := string(files(t, o)[".github/workflows/deploy.yml"].Data); !strings.Contains(w, `- cron: "0 */6 * * 1-5"`) {
		t.Errorf("custom schedule not written:\n%s", w)
	}
	o = opts("freelance", "fr", "codeberg")
	o.Schedule = "off"
	if w := string(files(t, o)[".woodpecker.yml"].Data); strings.Contains(w, "event: cron") {
		t.Errorf("schedule off, yet a cron:\n%s", w)
	}
	o = opts("freelance", "fr", "github")
	o.Schedule = "off"
	if w := string(files(t, o)[".github/workflows/deploy.yml"].Data); strings.Contains(w, "schedule:") {
		t.Errorf("schedule off, yet a schedule:\n%s", w)
	}
	for _, bad := range []string{"hourly", "* * * *", "17 * * * * *", `17 * * * "x"`} {
		o := opts("freelance", "fr", "github")
		o.Schedule = bad
		if _, err := Files(o); err == nil || !strings.Contains(err.Error(), "cron") {
			t.Errorf("schedule %q: %v", bad, err)
		}
	}
	o = opts("freelance", "fr", "netlify")
	o.CI = "jenkins"
	if _, err := Files(o); err == nil || !strings.Contains(err.Error(), "github, gitlab, codeberg") {
		t.Errorf("CI jenkins: %v", err)
	}
}

// TestActionlint runs actionlint on every GitHub Actions workflow init writes, when it is installed
// (go install github.com/rhysd/actionlint/cmd/actionlint; .ci/run does), or VITRINE_ACTIONLINT names it.
func TestActionlint(t *testing.T) {
	bin := os.Getenv("VITRINE_ACTIONLINT")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("actionlint"); err != nil {
			t.Skip("actionlint is not installed (go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12, or set VITRINE_ACTIONLINT): the workflows are only parsed as YAML")
		}
	}
	dir := t.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, host := range Hosts {
		for _, social := range []bool{true, false} {
			o := opts("association", "en", host)
			if !social {
				o.Mastodon, o.Bluesky = "", ""
			}
			for name, f := range files(t, o) {
				if strings.HasPrefix(name, ".github/workflows/") {
					base := host + "-" + map[bool]string{true: "social", false: "plain"}[social] + "-" + filepath.Base(name)
					paths = append(paths, filepath.Join(wf, base))
					if err := os.WriteFile(paths[len(paths)-1], f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
	if len(paths) < 6 {
		t.Fatalf("only %d workflows to check", len(paths))
	}
	if out, err := exec.Command(bin, append([]string{"-no-color"}, paths...)...).CombinedOutput(); err != nil {
		t.Errorf("actionlint on %d workflows: %v\n%s", len(paths), err, out)
	}
}

// TestREADMESnippetIsTheFile: the README shows the workflow init writes, byte for byte.
func TestREADMESnippetIsTheFile(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Kind: "freelance", Lang: "en", Host: "netlify", Title: "Camille Roussel", BaseURL: "https://camille-roussel.fr/",
		Mastodon: "@camille@piaille.fr", Bluesky: "camille.bsky.social", VitrineVersion: "v0.4.0", Now: now}
	want := files(t, o)[".github/workflows/syndicate.yml"].Data
	m := regexp.MustCompile("(?s)<!-- vitrine init --host netlify: \\.github/workflows/syndicate\\.yml -->\n```yaml\n(.*?)```\n").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no block marked <!-- vitrine init --host netlify: .github/workflows/syndicate.yml --> followed by ```yaml")
	}
	if !bytes.Equal(m[1], want) {
		t.Errorf("README.md's workflow differs from what vitrine init writes; put this in it:\n%s", want)
	}
}
