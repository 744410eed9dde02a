package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
)

// TestCISimulation (issue 19, scenarios 2 and 4) runs vitrine syndicate --publish as CI jobs run it: a
// bare git repository, an author pushing articles one after the other, and for each push a job in its
// own fresh clone that checks out the commit that triggered it (a stale checkout, as when two pushes
// come in a row) or the branch head, publishes, commits the ledger and pushes it, rebasing on what
// other jobs pushed, with the ledger's merge driver (vitrine syndicate merge) configured as the README
// says. The steps of the jobs are interleaved in a seeded random order, with the account posting
// statuses of its own in between (so that lookups must page past the 40 newest) and answers lost after
// the server stored the post; against a Mastodon-API server that honours Idempotency-Key and one that
// ignores it. After every interleaving: each article is posted exactly once per network, and the
// ledger on the branch holds every post's URL.
func TestCISimulation(t *testing.T) {
	ciSimulations(t, nil)
}

// TestPDSCISimulation is TestCISimulation with Bluesky on the reference PDS (VITRINE_PDS_URL, which
// .ci/run starts) as a second network.
func TestPDSCISimulation(t *testing.T) {
	service := os.Getenv("VITRINE_PDS_URL")
	if service == "" {
		t.Skip("no Bluesky PDS to test against: set VITRINE_PDS_URL (e.g. http://127.0.0.1:2583); .ci/run starts one")
	}
	ciSimulations(t, &service)
}

func ciSimulations(t *testing.T, pds *string) {
	if _, err := gitVersion(); err != nil {
		t.Fatalf("git is needed for the CI simulation: %v", err)
	}
	seeds := 2
	if testing.Short() {
		seeds = 1
	}
	t.Setenv("VITRINE_MASTODON_TOKEN", mastoToken)
	// The simulations wait for vitrine's retries: they run side by side, but with the PDS, whose
	// account (and app password, in the environment) is each simulation's own.
	parallel := func(t *testing.T) {
		if pds == nil {
			t.Parallel()
		}
	}
	for _, honour := range []bool{true, false} {
		name := map[bool]string{true: "key honoured", false: "key ignored"}[honour]
		t.Run(name+"/two pushes in a row", func(t *testing.T) {
			parallel(t)
			w := newCIWorld(t, honour, pds, nil)
			// Both pushes before either job: both check out their own trigger commit.
			w.push()
			w.push()
			for _, j := range w.jobs {
				w.checkout(j, true)
			}
			for _, j := range w.jobs {
				w.syndicate(j)
				w.pushLedger(j)
			}
			w.check()
		})
		if honour {
			t.Run(name+"/two concurrent jobs", func(t *testing.T) {
				parallel(t)
				w := newCIWorld(t, honour, pds, nil)
				w.push()
				w.push()
				for _, j := range w.jobs {
					w.checkout(j, true)
				}
				var wg sync.WaitGroup
				for _, j := range w.jobs {
					wg.Go(func() { w.syndicate(j) })
				}
				wg.Wait()
				for _, j := range w.jobs {
					w.pushLedger(j)
				}
				w.check()
			})
		}
		for seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed %d", name, seed), func(t *testing.T) {
				parallel(t)
				rng := rand.New(rand.NewPCG(uint64(seed), 19))
				w := newCIWorld(t, honour, pds, rng)
				w.interleave(rng, 3)
				w.check()
			})
		}
	}
}

func gitVersion() (string, error) {
	out, err := execOutput("git", "--version")
	return out, err
}

func execOutput(name string, args ...string) (string, error) {
	var b bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &b, &b
	err := cmd.Run()
	return b.String(), err
}

// ciWorld is a repository, its author, the jobs its pushes triggered, and the networks.
type ciWorld struct {
	t        *testing.T
	bare     string
	author   string
	m        *mastoAPI
	bsky     *pdsAccount
	mu       sync.Mutex
	now      time.Time
	jobs     []*ciJob
	articles []string
}

// ciJob is one CI job: the commit that triggered it, its clone, and the steps it did.
type ciJob struct {
	n       int
	trigger string
	dir     string
	steps   int // 0: to check out, 1: to syndicate, 2: to push, 3: done
}

func newCIWorld(t *testing.T, honour bool, pds *string, rng *rand.Rand) *ciWorld {
	root := t.TempDir()
	w := &ciWorld{t: t, bare: filepath.Join(root, "site.git"), author: filepath.Join(root, "author"), now: trustNow}
	w.m = newMastoAPI(t, honour)
	if rng != nil && !honour {
		// Some answers are lost after the server stored the status.
		var mu sync.Mutex
		w.m.drop = func() bool {
			mu.Lock()
			defer mu.Unlock()
			return rng.IntN(6) == 0
		}
	}
	networks := `["mastodon"]`
	bluesky := ""
	if pds != nil {
		w.bsky = newPDSAccount(t, *pds)
		t.Setenv("VITRINE_BLUESKY_APP_PASSWORD", w.bsky.password)
		networks = `["mastodon", "bluesky"]`
		bluesky = fmt.Sprintf("[syndicate.bluesky]\nservice = %q\nhandle = %q\n", w.bsky.service, w.bsky.handle)
	}
	gitIn(t, root, false, "init", "-q", "--bare", "-b", "main", w.bare)
	gitIn(t, root, false, "clone", "-q", w.bare, w.author)
	writeFiles(t, w.author, map[string]string{
		"vitrine.toml":      fmt.Sprintf("baseURL = \"https://camille-roussel.fr/\"\ntitle = \"Camille Roussel\"\n[syndicate]\nnetworks = %s\n[syndicate.mastodon]\nserver = %q\n%s", networks, w.m.URL, bluesky),
		"content/_index.md": "---\ntitle: Accueil\n---\n",
	})
	gitIn(t, w.author, false, "add", "-A")
	gitIn(t, w.author, false, "commit", "-q", "-m", "site")
	gitIn(t, w.author, false, "push", "-q", "origin", "HEAD:main")
	// The first job of the site records the baseline.
	first := &ciJob{n: 0, trigger: w.head()}
	w.checkout(first, true)
	w.syndicate(first)
	w.pushLedger(first)
	return w
}

func (w *ciWorld) head() string {
	out, _ := gitIn(w.t, w.author, false, "rev-parse", "HEAD")
	return strings.TrimSpace(out)
}

func (w *ciWorld) tick() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.now = w.now.Add(time.Minute)
	return w.now
}

// push has the author push a new article, which triggers a job.
func (w *ciWorld) push() {
	n := len(w.articles) + 1
	slug := fmt.Sprintf("article-%02d", n)
	gitIn(w.t, w.author, false, "pull", "-q", "--rebase", "origin", "main")
	at := w.tick()
	writeFiles(w.t, w.author, map[string]string{"content/posts/" + slug + ".md": fmt.Sprintf(
		"---\ntitle: Article %d\ndate: %s\ndescription: Le numéro %d.\n---\nTexte.\n", n, at.Add(-time.Second).Format(time.RFC3339), n)})
	gitIn(w.t, w.author, false, "add", "-A")
	gitIn(w.t, w.author, false, "commit", "-q", "-m", slug)
	gitIn(w.t, w.author, false, "push", "-q", "origin", "HEAD:main")
	w.articles = append(w.articles, "/posts/"+slug+"/")
	w.jobs = append(w.jobs, &ciJob{n: n, trigger: w.head()})
}

// checkout clones the repository for a job, at its trigger commit (stale) or at the branch head, and
// configures the ledger's merge driver as the README says.
func (w *ciWorld) checkout(j *ciJob, stale bool) {
	j.dir = filepath.Join(filepath.Dir(w.bare), fmt.Sprintf("job-%d", j.n))
	gitIn(w.t, filepath.Dir(w.bare), false, "clone", "-q", w.bare, j.dir)
	if stale {
		gitIn(w.t, j.dir, false, "checkout", "-q", "--detach", j.trigger)
	}
	gitIn(w.t, j.dir, false, "config", "merge."+syndicate.MergeDriver+".driver", os.Args[0]+" syndicate merge %O %A %B")
	j.steps = 1
}

// syndicate runs vitrine syndicate --publish in the job's clone. A run may fail (an answer lost, the
// next try not due): the ledger says so and a later job resolves it.
func (w *ciWorld) syndicate(j *ciJob) {
	out, err := syndicateAt(w.t, w.tick(), "-s", j.dir, "--publish")
	if err != nil {
		w.t.Logf("job %d: %v\n%s", j.n, err, out)
	}
	if strings.Contains(out, "UNKNOWN") {
		w.t.Errorf("job %d: an unknown post on a network that can be asked:\n%s", j.n, out)
	}
	j.steps = 2
}

// pushLedger commits the job's ledger and pushes it, rebasing on what was pushed meanwhile.
func (w *ciWorld) pushLedger(j *ciJob) {
	gitIn(w.t, j.dir, false, "add", "-A", "data")
	if _, err := gitIn(w.t, j.dir, true, "diff", "--cached", "--quiet"); err != nil {
		gitIn(w.t, j.dir, false, "commit", "-q", "-m", fmt.Sprintf("syndication ledger of job %d [skip ci]", j.n))
		for try := 0; ; try++ {
			if _, err := gitIn(w.t, j.dir, true, "push", "-q", "origin", "HEAD:main"); err == nil {
				break
			}
			if try == 5 {
				w.t.Fatalf("job %d: cannot push its ledger", j.n)
			}
			gitIn(w.t, j.dir, false, "fetch", "-q", "origin")
			if out, err := gitIn(w.t, j.dir, true, "rebase", "origin/main"); err != nil {
				w.t.Fatalf("job %d: the ledger commits conflict:\n%s", j.n, out)
			}
		}
	}
	j.steps = 3
}

// interleave pushes articles and runs the jobs' steps in a random order: each step is one of the
// author's pushes or the next step of a job already triggered.
func (w *ciWorld) interleave(rng *rand.Rand, articles int) {
	for {
		type action func()
		var enabled []action
		if len(w.articles) < articles {
			enabled = append(enabled, w.push)
		}
		for _, j := range w.jobs {
			switch j.steps {
			case 0:
				enabled = append(enabled, func() { w.checkout(j, rng.IntN(2) == 0) })
			case 1:
				enabled = append(enabled, func() {
					if rng.IntN(3) == 0 {
						w.m.chatter(45) // the account posts on its own
					}
					w.syndicate(j)
				})
			case 2:
				enabled = append(enabled, func() { w.pushLedger(j) })
			}
		}
		if len(enabled) == 0 {
			break
		}
		enabled[rng.IntN(len(enabled))]()
	}
	// The scheduled job that comes later resolves what a lost answer left pending or failed.
	late := &ciJob{n: 99}
	w.mu.Lock()
	w.now = w.now.Add(2 * time.Hour)
	w.mu.Unlock()
	w.checkout(late, false)
	w.syndicate(late)
	w.pushLedger(late)
}

// check: every article posted exactly once per network, and the ledger on the branch holds each
// post's URL.
func (w *ciWorld) check() {
	t := w.t
	t.Helper()
	final := filepath.Join(filepath.Dir(w.bare), "final")
	gitIn(t, filepath.Dir(w.bare), false, "clone", "-q", w.bare, final)
	ledger, err := syndicate.OpenLedger(filepath.Join(final, syndicate.LedgerPath))
	if err != nil {
		t.Fatalf("the merged ledger: %v", err)
	}
	linking := w.m.linking()
	var onBluesky map[string][]string
	if w.bsky != nil {
		onBluesky = w.bsky.posts(t)
	}
	for _, a := range w.articles {
		url := "https://camille-roussel.fr" + a
		if linking[a] != 1 {
			t.Errorf("%s: %d Mastodon statuses, want 1", a, linking[a])
		}
		if e, _ := ledger.Get(url, syndicate.Mastodon); e.State != syndicate.StatePublished || !strings.HasPrefix(e.URL, w.m.URL+"/@camille/") {
			t.Errorf("%s: the merged ledger's Mastodon entry is %+v", a, e)
		}
		if w.bsky == nil {
			continue
		}
		if len(onBluesky[a]) != 1 {
			t.Errorf("%s: %d Bluesky posts (%v), want 1", a, len(onBluesky[a]), onBluesky[a])
		}
		if e, _ := ledger.Get(url, syndicate.Bluesky); e.State != syndicate.StatePublished || len(onBluesky[a]) == 1 && !strings.HasSuffix(e.ID, "/"+onBluesky[a][0]) {
			t.Errorf("%s: the merged ledger's Bluesky entry is %+v, the PDS has %v", a, e, onBluesky[a])
		}
	}
	if out, _ := gitIn(t, final, true, "grep", "-l", "<<<<<<<", "--", "data"); out != "" {
		t.Errorf("conflict markers in the ledger: %s", out)
	}
}

// pdsAccount is an account on the reference PDS, with an app password.
type pdsAccount struct {
	service, handle, password, did string
}

func newPDSAccount(t *testing.T, service string) *pdsAccount {
	suffix := fmt.Sprintf("%08x", rand.Uint32())
	a := &pdsAccount{service: service, handle: "ci" + suffix + ".test"}
	var acct struct {
		AccessJwt string `json:"accessJwt"`
		DID       string `json:"did"`
	}
	pdsPost(t, service, "com.atproto.server.createAccount", "", map[string]string{
		"handle": a.handle, "email": a.handle + "@example.com", "password": "account-" + suffix}, &acct)
	var app struct {
		Password string `json:"password"`
	}
	pdsPost(t, service, "com.atproto.server.createAppPassword", acct.AccessJwt, map[string]string{"name": "vitrine"}, &app)
	a.password, a.did = app.Password, acct.DID
	return a
}

func pdsPost(t *testing.T, service, nsid, bearer string, in, out any) {
	t.Helper()
	body, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, service+"/xrpc/"+nsid, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s: %v", nsid, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		t.Fatalf("%s: %s %s", nsid, resp.Status, b.String())
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("%s: %v", nsid, err)
	}
}

// posts returns the record keys of the account's posts by the path of the article they link to.
func (a *pdsAccount) posts(t *testing.T) map[string][]string {
	t.Helper()
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(a.service + "/xrpc/com.atproto.repo.listRecords?limit=100&collection=app.bsky.feed.post&repo=" + a.did)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Records []struct {
			URI   string `json:"uri"`
			Value struct {
				Embed struct {
					External struct {
						URI string `json:"uri"`
					} `json:"external"`
				} `json:"embed"`
			} `json:"value"`
		} `json:"records"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, r := range list.Records {
		u, _, _ := strings.Cut(r.Value.Embed.External.URI, "?")
		if i := strings.Index(u, "/posts/"); i >= 0 {
			out[u[i:]] = append(out[u[i:]], r.URI[strings.LastIndex(r.URI, "/")+1:])
		}
	}
	return out
}
