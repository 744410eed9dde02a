package scaffold

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeVitrine stands for vitrine in the CI scripts: it logs the command and the commit it ran on, writes
// the ledger (one file, or one file per article under data/syndication/ with FAKE_LAYOUT=dir) or the
// reactions, pushes a commit of somebody else meanwhile when FAKE_RACE names a clone, and exits with
// FAKE_EXIT.
const fakeVitrine = `#!/bin/sh
echo "$1 $(git rev-parse HEAD)" >> "$FAKE_LOG"
case "$1" in
syndicate)
  if [ "${FAKE_LAYOUT:-}" = dir ]; then
    rm -f data/syndication.json
    mkdir -p data/syndication
    echo "run on $(git rev-parse --short HEAD)" > data/syndication/article.json
  else
    echo "run on $(git rev-parse --short HEAD)" >> data/syndication.json
  fi
  if [ -n "${FAKE_LOCK_CHECK:-}" ]; then
    echo "lock $(git ls-remote "$FAKE_ORIGIN" refs/heads/vitrine-lock | cut -c1-7)" >> "$FAKE_LOG"
  fi
  if [ -n "${FAKE_RACE:-}" ]; then
    (cd "$FAKE_RACE" && git pull -q origin main && echo more >> content/other.md && git add -A &&
      git commit -qm "a push meanwhile" && git push -q origin HEAD:main)
  fi
  exit "${FAKE_EXIT:-0}" ;;
backfeed)
  mkdir -p data/reactions
  echo '{"replies": []}' > data/reactions/article.json ;;
esac
`

// ciRig is a bare repository standing for the forge, a clone for the user, and what the scripts need.
type ciRig struct {
	t               *testing.T
	dir, origin     string
	user            string // the user's clone, which pushes
	log, bin        string
	env             []string
	gitlab, forgejo string // the remote URLs the GitLab and Codeberg scripts use, mapped to origin
}

func newCIRig(t *testing.T) *ciRig {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	r := &ciRig{t: t, dir: dir, origin: filepath.Join(dir, "origin.git"), user: filepath.Join(dir, "user"),
		log: filepath.Join(dir, "vitrine.log"), bin: filepath.Join(dir, "bin"),
		gitlab: "https://oauth2:push-token@gitlab.example/camille/site.git", forgejo: "https://camille:cb-token@codeberg.org/camille/site.git"}
	gitconfig := filepath.Join(dir, "gitconfig")
	config := "[user]\n\tname = Camille\n\temail = camille@example.org\n[init]\n\tdefaultBranch = main\n" +
		"[url \"" + r.origin + "\"]\n\tinsteadOf = " + r.gitlab + "\n\tinsteadOf = " + r.forgejo + "\n"
	must(t, os.WriteFile(gitconfig, []byte(config), 0o644))
	must(t, os.MkdirAll(r.bin, 0o755))
	must(t, os.WriteFile(filepath.Join(r.bin, "vitrine"), []byte(fakeVitrine), 0o755))
	must(t, os.WriteFile(filepath.Join(r.bin, "gh"), []byte("#!/bin/sh\necho \"gh $*\" >> \"$FAKE_LOG\"\n"), 0o755))
	r.env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+gitconfig, "GIT_CONFIG_NOSYSTEM=1", "FAKE_LOG="+r.log,
		"FAKE_ORIGIN="+r.origin, "PATH="+r.bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"VITRINE_MASTODON_TOKEN=token", "HOME="+dir)
	r.git(dir, "init", "-q", "--bare", r.origin)
	r.git(dir, "clone", "-q", r.origin, r.user)
	must(t, os.MkdirAll(filepath.Join(r.user, "content"), 0o755))
	must(t, os.MkdirAll(filepath.Join(r.user, "data"), 0o755))
	must(t, os.WriteFile(filepath.Join(r.user, "content", "other.md"), []byte("x\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(r.user, "data", "syndication.json"), []byte("ledger\n"), 0o644))
	r.git(r.user, "add", "-A")
	r.git(r.user, "commit", "-qm", "first")
	r.git(r.user, "push", "-q", "origin", "HEAD:main")
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (r *ciRig) git(dir string, args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir, cmd.Env = dir, r.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// push makes a commit in the user's clone and pushes it: a new article.
func (r *ciRig) push(msg string) string {
	r.git(r.user, "pull", "-q", "origin", "main")
	f, err := os.OpenFile(filepath.Join(r.user, "content", "other.md"), os.O_APPEND|os.O_WRONLY, 0)
	must(r.t, err)
	_, _ = f.WriteString(msg + "\n")
	f.Close()
	r.git(r.user, "commit", "-qam", msg)
	r.git(r.user, "push", "-q", "origin", "HEAD:main")
	return r.git(r.user, "rev-parse", "HEAD")
}

// checkout is the CI's checkout: a fresh clone at commit sha, the one that triggered the run.
func (r *ciRig) checkout(name, sha string) string {
	dir := filepath.Join(r.dir, name)
	r.git(r.dir, "clone", "-q", r.origin, dir)
	r.git(dir, "checkout", "-q", sha)
	return dir
}

// run runs a CI script in dir as the forge does (sh -e) with extra environment; it returns the output
// and whether it succeeded.
func (r *ciRig) run(dir, script string, env ...string) (string, bool) {
	r.t.Helper()
	cmd := exec.Command("sh", "-e", "-c", script)
	cmd.Dir, cmd.Env = dir, append(append(append([]string{}, r.env...), env...), "CI_WORKSPACE="+dir)
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// forgeEnv is what each forge's runner sets that the scripts read, with the event of the run.
func forgeEnv(forge string, scheduled bool) []string {
	switch forge {
	case "gitlab":
		src := "push"
		if scheduled {
			src = "schedule"
		}
		return []string{"CI_PIPELINE_SOURCE=" + src, "CI_DEFAULT_BRANCH=main", "VITRINE_PUSH_TOKEN=push-token",
			"CI_SERVER_HOST=gitlab.example", "CI_PROJECT_PATH=camille/site"}
	case "codeberg":
		ev := "push"
		if scheduled {
			ev = "cron"
		}
		return []string{"CI_PIPELINE_EVENT=" + ev, "CI_REPO_OWNER=camille", "CODEBERG_TOKEN=cb-token", "CI_REPO=camille/site", "CI_PIPELINE_NUMBER=7"}
	}
	ev := "push"
	if scheduled {
		ev = "schedule"
	}
	return []string{"GITHUB_EVENT_NAME=" + ev}
}

// TestCIScriptsRun runs the syndication script of every CI file init writes, against a real git
// repository standing for the forge: started on a stale commit it syndicates from the branch head; a
// push during the run is rebased on; a failed run still commits the ledger; both ledger layouts are
// committed; a scheduled run brings the reactions back and deploys them.
func TestCIScriptsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs git many times")
	}
	for _, o := range []Options{opts("freelance", "fr", "github"), opts("freelance", "fr", "gitlab"), opts("freelance", "fr", "codeberg"),
		func() Options { o := opts("freelance", "fr", "netlify"); o.CI = "codeberg"; return o }()} {
		f, forge := syndicationFile(t, o)
		script := syncScript(t, f, forge)
		t.Run(o.Host+"-"+forge, func(t *testing.T) {
			r := newCIRig(t)
			stale := r.push("article one")      // the push that triggers the run
			head := r.push("article two")       // a later push, before the run starts
			ci := r.checkout("ci-stale", stale) // the run's checkout: the triggering commit

			// 1. The stale run syndicates from the head, and its ledger commit lands on the head.
			out, ok := r.run(ci, script, append(forgeEnv(forge, false), "FAKE_LOCK_CHECK=1")...)
			if !ok {
				t.Fatalf("the script failed:\n%s", out)
			}
			log, _ := os.ReadFile(r.log)
			if !strings.Contains(string(log), "syndicate "+head) || strings.Contains(string(log), stale) {
				t.Errorf("vitrine did not run on the branch head %.7s:\n%s", head, log)
			}
			if strings.Contains(string(log), "backfeed") {
				t.Errorf("backfeed ran on a push:\n%s", log)
			}
			if forge == "codeberg" {
				if !strings.Contains(string(log), "lock ") || strings.Contains(string(log), "lock \n") {
					t.Errorf("vitrine ran without the lock branch held:\n%s", log)
				}
				if held := r.git(r.dir, "ls-remote", r.origin, "refs/heads/vitrine-lock"); held != "" {
					t.Errorf("the lock was not released: %s", held)
				}
			}
			top := r.git(r.dir, "--git-dir", r.origin, "log", "-1", "--format=%s%n%P", "main")
			if !strings.HasPrefix(top, "Syndication ledger [skip ci]\n"+head) {
				t.Errorf("the ledger commit is not on the head %.7s: %q", head, top)
			}

			// 2. Somebody pushes while the job runs: the job rebases and pushes; nothing is lost.
			must(t, os.Remove(r.log))
			ci2 := r.checkout("ci-race", r.git(r.dir, "--git-dir", r.origin, "rev-parse", "main"))
			out, ok = r.run(ci2, script, append(forgeEnv(forge, false), "FAKE_RACE="+r.user)...)
			if !ok || !strings.Contains(out, "rebasing") {
				t.Fatalf("the script did not rebase on the push made meanwhile (ok %v):\n%s", ok, out)
			}
			subjects := r.git(r.dir, "--git-dir", r.origin, "log", "-3", "--format=%s", "main")
			if subjects != "Syndication ledger [skip ci]\na push meanwhile\nSyndication ledger [skip ci]" {
				t.Errorf("history after the race:\n%s", subjects)
			}
			ledger := r.git(r.dir, "--git-dir", r.origin, "show", "main:data/syndication.json")
			if strings.Count(ledger, "run on") != 2 {
				t.Errorf("ledger after two runs:\n%s", ledger)
			}

			// 3. vitrine fails (a network down): the ledger is committed all the same, the job fails.
			ci3 := r.checkout("ci-fail", "main")
			out, ok = r.run(ci3, script, append(forgeEnv(forge, false), "FAKE_EXIT=3")...)
			if ok {
				t.Errorf("a failed vitrine syndicate made a green job:\n%s", out)
			}
			if n := strings.Count(r.git(r.dir, "--git-dir", r.origin, "show", "main:data/syndication.json"), "run on"); n != 3 {
				t.Errorf("the ledger of the failed run was not committed (%d runs in it):\n%s", n, out)
			}

			// 4. The ledger moves to one file per article: the deletion and the folder are committed.
			ci4 := r.checkout("ci-layout", "main")
			if out, ok := r.run(ci4, script, append(forgeEnv(forge, false), "FAKE_LAYOUT=dir")...); !ok {
				t.Fatalf("new layout:\n%s", out)
			}
			tree := r.git(r.dir, "--git-dir", r.origin, "ls-tree", "-r", "--name-only", "main", "data")
			if tree != "data/syndication/article.json" {
				t.Errorf("data/ after the layout change:\n%s", tree)
			}

			// 5. A scheduled run: syndication, then backfeed, whose commit deploys (no [skip ci]).
			must(t, os.Remove(r.log))
			ci5 := r.checkout("ci-cron", "main")
			if out, ok := r.run(ci5, script, forgeEnv(forge, true)...); !ok {
				t.Fatalf("scheduled run:\n%s", out)
			}
			log, _ = os.ReadFile(r.log)
			if !strings.Contains(string(log), "backfeed ") {
				t.Errorf("backfeed did not run on the schedule:\n%s", log)
			}
			top = r.git(r.dir, "--git-dir", r.origin, "log", "-1", "--format=%s", "main")
			if top != "Reactions from the networks (vitrine backfeed)" {
				t.Errorf("last commit after the scheduled run: %q", top)
			}
			if redeploy := strings.Contains(string(log), "gh workflow run deploy.yml --ref main"); redeploy != (o.Host == "github") {
				t.Errorf("gh workflow run: %v for host %s:\n%s", redeploy, o.Host, log)
			}

			// 6. Woodpecker: a lock left by a run that died over an hour ago is taken over, then released.
			if forge != "codeberg" {
				return
			}
			root := r.git(r.user, "rev-parse", "HEAD^{tree}")
			cmd := exec.Command("git", "commit-tree", root, "-m", "vitrine: syndication running (pipeline 1)")
			cmd.Dir, cmd.Env = r.user, append(append([]string{}, r.env...), "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z")
			dead, err := cmd.Output()
			must(t, err)
			r.git(r.user, "push", "-q", "origin", strings.TrimSpace(string(dead))+":refs/heads/vitrine-lock")
			ci6 := r.checkout("ci-dead-lock", "main")
			out, ok = r.run(ci6, script, forgeEnv(forge, false)...)
			if !ok || !strings.Contains(out, "over an hour old: taking it over") {
				t.Errorf("the dead run's lock was not taken over (ok %v):\n%s", ok, out)
			}
			if held := r.git(r.dir, "ls-remote", r.origin, "refs/heads/vitrine-lock"); held != "" {
				t.Errorf("the lock taken over was not released: %s", held)
			}
		})
	}
}
