package main

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests of this file are the scenarios of issue 19 ("publishing you can trust"), run through the
// command line as a user or a CI job runs it, against a Mastodon-API server that honours
// Idempotency-Key (Mastodon within its hour) and one that ignores it (GoToSocial, Akkoma, Mastodon after
// the hour).

// TestMain lets the test binary stand in for vitrine when git calls it as the ledger's merge driver.
func TestMain(m *testing.M) {
	if os.Getenv("VITRINE_TEST_AS_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// mastoToken is the access token of mastoAPI's account.
const mastoToken = "masto-token-Yq8vR2kP"

// trustNow is the clock of the scenarios: the articles' dates are fixed around it.
var trustNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// mastoAPI is a Mastodon-API server with one account: statuses rendered to HTML with their links, the
// account's statuses newest first with limit and max_id, Idempotency-Key honoured or ignored, and
// answers dropped after the status is stored when drop says so.
type mastoAPI struct {
	URL    string
	token  string
	honour bool
	// drop, when set, is asked after each stored status whether to close the connection instead of
	// answering.
	drop func() bool

	mu       sync.Mutex
	statuses []mastoStatus // oldest first
	keys     map[string]int
	posts    int
	srv      *httptest.Server
}

type mastoStatus struct {
	ID      int
	Text    string
	Created time.Time
}

func newMastoAPI(t *testing.T, honour bool) *mastoAPI {
	m := &mastoAPI{token: mastoToken, honour: honour, keys: map[string]int{}}
	m.srv = httptest.NewServer(m)
	t.Cleanup(m.srv.Close)
	m.URL = m.srv.URL
	return m
}

var mastoURLRE = regexp.MustCompile(`https?://[^\s<>"]+`)

func (m *mastoAPI) statusJSON(s mastoStatus) map[string]any {
	text := html.EscapeString(s.Text)
	content := "<p>" + mastoURLRE.ReplaceAllStringFunc(text, func(u string) string {
		return `<a href="` + u + `" rel="nofollow noopener" target="_blank">` + u + `</a>`
	}) + "</p>"
	id := strconv.Itoa(s.ID)
	return map[string]any{"id": id, "url": m.URL + "/@camille/" + id, "uri": m.URL + "/users/camille/statuses/" + id,
		"created_at": s.Created.UTC().Format("2006-01-02T15:04:05.000Z"), "content": content, "reblog": nil}
}

func (m *mastoAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if r.URL.Path == "/api/v2/instance" {
		_, _ = w.Write([]byte(`{"configuration":{"statuses":{"max_characters":500,"characters_reserved_per_url":23}}}`))
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+m.token {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"The access token is invalid"}`))
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses":
		text := r.FormValue("status")
		key := r.Header.Get("Idempotency-Key")
		m.mu.Lock()
		m.posts++
		i, seen := m.keys[key]
		if !seen || !m.honour || key == "" {
			m.statuses = append(m.statuses, mastoStatus{ID: 1000 + len(m.statuses), Text: text, Created: time.Now()})
			i = len(m.statuses) - 1
			m.keys[key] = i
		}
		s := m.statuses[i]
		m.mu.Unlock()
		drop := m.drop != nil && m.drop()
		if drop {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		_ = json.NewEncoder(w).Encode(m.statusJSON(s))
	case r.URL.Path == "/api/v1/accounts/verify_credentials":
		_, _ = w.Write([]byte(`{"id":"7","acct":"camille"}`))
	case r.URL.Path == "/api/v1/accounts/7/statuses":
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		if limit <= 0 || limit > 40 {
			limit = 20
		}
		maxID, err := strconv.Atoi(r.URL.Query().Get("max_id"))
		if err != nil {
			maxID = 1 << 30
		}
		m.mu.Lock()
		out := []map[string]any{}
		for i := len(m.statuses) - 1; i >= 0 && len(out) < limit; i-- {
			if m.statuses[i].ID < maxID {
				out = append(out, m.statusJSON(m.statuses[i]))
			}
		}
		m.mu.Unlock()
		_ = json.NewEncoder(w).Encode(out)
	default:
		http.NotFound(w, r)
	}
}

// chatter has the account post n statuses of its own, with no link to the site.
func (m *mastoAPI) chatter(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range n {
		m.statuses = append(m.statuses, mastoStatus{ID: 1000 + len(m.statuses), Text: "Bonne journée à toutes et à tous ☀️", Created: time.Now()})
	}
}

// linking returns how many statuses link to each article path ("/posts/a/").
func (m *mastoAPI) linking() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for _, s := range m.statuses {
		for _, u := range mastoURLRE.FindAllString(s.Text, -1) {
			u, _, _ = strings.Cut(u, "?")
			if i := strings.Index(u, "/posts/"); i >= 0 {
				out[u[i:]]++
			}
		}
	}
	return out
}

func (m *mastoAPI) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.statuses)
}

// trustSite writes a site posting to m's Mastodon (and to X, which has no API) with articles (slug →
// days before trustNow).
func trustSite(t *testing.T, dir, baseURL string, m *mastoAPI, articles map[string]int) {
	t.Helper()
	files := map[string]string{"vitrine.toml": fmt.Sprintf(`baseURL = %q
title = "Camille Roussel"
[syndicate]
networks = ["mastodon", "x"]
[syndicate.mastodon]
server = %q
`, baseURL, m.URL)}
	for slug, days := range articles {
		files["content/posts/"+slug+".md"] = article(slug, days)
	}
	writeFiles(t, dir, files)
}

func article(slug string, daysAgo int) string {
	return fmt.Sprintf("---\ntitle: Article %s\ndate: %s\ndescription: À propos de %s.\n---\nTexte.\n",
		slug, trustNow.Add(-time.Duration(daysAgo)*24*time.Hour-time.Hour).Format(time.RFC3339), slug)
}

// publishAt runs vitrine syndicate --publish in dir at now, with the token set.
func publishAt(t *testing.T, m *mastoAPI, now time.Time, dir string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("VITRINE_MASTODON_TOKEN", m.token)
	return syndicateAt(t, now, append([]string{"-s", dir, "--publish"}, args...)...)
}

// TestTrustDomainMove (issue 19, scenario 1): moving the site to its own domain, from http to https,
// changing a slug or moving a file keeps every post: the ledger's URLs follow, nothing is posted
// again. The old ledger format (data/syndication.json keyed by URL) is read and moved.
func TestTrustDomainMove(t *testing.T) {
	m := newMastoAPI(t, false)
	dir := t.TempDir()
	trustSite(t, dir, "http://camille.github.io/site/", m, map[string]int{"a": 3, "b": 2})
	if out, err := publishAt(t, m, trustNow, dir, "--backfill"); err != nil || m.count() != 2 {
		t.Fatalf("first publish: %v, %d statuses\n%s", err, m.count(), out)
	}
	steps := []struct {
		name  string
		apply func()
	}{
		{"own domain", func() {
			trustSite(t, dir, "http://camille-roussel.fr/", m, nil)
		}},
		{"https", func() { trustSite(t, dir, "https://camille-roussel.fr/", m, nil) }},
		{"slug changed", func() {
			writeFiles(t, dir, map[string]string{"content/posts/a.md": strings.Replace(article("a", 3), "---\nTexte", "slug: a-nouveau\n---\nTexte", 1)})
		}},
		{"file moved", func() {
			if err := os.Rename(filepath.Join(dir, "content/posts/b.md"), filepath.Join(dir, "content/posts/b-renomme.md")); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, dir, map[string]string{"content/posts/b-renomme.md": strings.Replace(article("b", 2), "---\nTexte", "slug: b\n---\nTexte", 1)})
		}},
	}
	for i, s := range steps {
		s.apply()
		out, err := publishAt(t, m, trustNow.Add(time.Duration(i+1)*time.Hour), dir)
		if err != nil || m.count() != 2 {
			t.Fatalf("%s: %v, %d statuses (want 2: nothing posted again)\n%s", s.name, err, m.count(), out)
		}
	}
	ledger := readLedger(t, dir)
	for _, want := range []string{`"url": "https://camille-roussel.fr/posts/a-nouveau/"`, `"url": "https://camille-roussel.fr/posts/b/"`} {
		if !strings.Contains(ledger, want) {
			t.Errorf("the ledger's URL did not follow the page (%s):\n%s", want, ledger)
		}
	}
	// The next build links the posts from the moved pages.
	if code, _, errOut := runCmd(t, "build", "-s", dir); code != 0 {
		t.Fatal(errOut)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "public", "posts", "a-nouveau", "index.html"))
	if !strings.Contains(string(page), m.URL+"/@camille/") {
		t.Error("the moved article does not link its Mastodon post")
	}
}

// TestTrustOldLedgerMigrated: a site whose ledger is the file of before version 2, keyed by URL, moves
// to its own domain in the same push as it upgrades vitrine: nothing is posted again, the entries are
// moved into data/syndication/ and the old file is gone.
func TestTrustOldLedgerMigrated(t *testing.T) {
	m := newMastoAPI(t, false)
	dir := t.TempDir()
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{"a": 3, "b": 2})
	writeFiles(t, dir, map[string]string{"data/syndication.json": `{
  "articles": {
    "https://camille.github.io/site/posts/a/": {
      "mastodon": {"state": "published", "key": "vitrine-0f", "id": "9", "url": "https://m.example/@c/9", "time": "2026-11-19T10:00:00Z"},
      "x": {"state": "skipped", "time": "2026-11-19T10:00:00Z"}
    },
    "https://camille.github.io/site/posts/b/": {
      "mastodon": {"state": "published", "key": "vitrine-1f", "id": "10", "url": "https://m.example/@c/10", "time": "2026-11-20T10:00:00Z"},
      "x": {"state": "skipped", "time": "2026-11-20T10:00:00Z"}
    }
  }
}
`})
	out, err := publishAt(t, m, trustNow, dir)
	if err != nil || m.count() != 0 {
		t.Fatalf("%v, %d statuses posted again\n%s", err, m.count(), out)
	}
	if _, err := os.Stat(filepath.Join(dir, "data/syndication.json")); !os.IsNotExist(err) {
		t.Errorf("the old ledger is still there: %v", err)
	}
	ledger := readLedger(t, dir)
	if !strings.Contains(ledger, `"url": "https://m.example/@c/9"`) || !strings.Contains(ledger, `"url": "https://camille-roussel.fr/posts/b/"`) || !strings.Contains(ledger, `"page": "content/posts/a.md"`) {
		t.Errorf("migrated ledger:\n%s", ledger)
	}
}

// TestTrustWrongShapeLedger (issue 19, scenario 8): a ledger that is valid JSON of another shape is an
// error naming the file and what is wrong, and nothing is sent.
func TestTrustWrongShapeLedger(t *testing.T) {
	for _, c := range []struct{ name, file, data, want string }{
		{"empty object", "data/syndication.json", `{}`, `no "articles"`},
		{"articles null", "data/syndication.json", `{"articles": null}`, `"articles" is null`},
		{"another shape", "data/syndication.json", `{"posts": {}}`, `no "articles"`},
		{"array", "data/syndication.json", `[]`, `syndication.json`},
		{"record without page", "data/syndication/content/posts/a.md.json", `{"version": 2, "url": "https://e.org/posts/a/"}`, `no "page"`},
		{"record of a newer vitrine", "data/syndication/content/posts/a.md.json", `{"version": 9, "page": "content/posts/a.md", "url": "https://e.org/posts/a/"}`, `newer vitrine`},
		{"unknown state", "data/syndication/content/posts/a.md.json", `{"version": 2, "page": "content/posts/a.md", "url": "https://e.org/posts/a/", "announce": {"mastodon": {"state": "done"}}}`, `state "done"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := newMastoAPI(t, true)
			dir := t.TempDir()
			trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{"a": 1, "b": 0})
			writeFiles(t, dir, map[string]string{c.file: c.data})
			out, err := publishAt(t, m, trustNow, dir)
			if err == nil || !strings.Contains(err.Error(), filepath.Base(c.file)) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one naming %s and saying %s\n%s", err, c.file, c.want, out)
			}
			if m.count() != 0 {
				t.Errorf("%d statuses sent from a ledger that was not understood", m.count())
			}
		})
	}
}

// TestTrustSkippedUnderLock (issue 19, scenario 3): two vitrine syndicate --publish at once on one
// folder. The second one read the ledger before the first published; it must not erase the first
// one's entries with its "no API, skipped" ones, and nothing is posted twice.
func TestTrustSkippedUnderLock(t *testing.T) {
	m := newMastoAPI(t, false)
	dir := t.TempDir()
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{})
	if out, err := publishAt(t, m, trustNow, dir); err != nil {
		t.Fatalf("baseline: %v\n%s", err, out)
	}
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{"a": 0, "b": 0})
	// The slow run stops at its first request to the instance until the other run is over.
	release, arrived := make(chan struct{}), make(chan struct{})
	var calls sync.Mutex
	n := 0
	inner := m.srv.Config.Handler
	m.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v2/instance" {
			calls.Lock()
			n++
			first := n == 1
			calls.Unlock()
			if first {
				close(arrived)
				<-release
			}
		}
		inner.ServeHTTP(w, r)
	})
	t.Setenv("VITRINE_MASTODON_TOKEN", m.token)
	slow := make(chan string)
	go func() {
		out, err := syndicateAt(t, trustNow.Add(time.Minute), "-s", dir, "--publish")
		slow <- fmt.Sprint(out, err)
	}()
	<-arrived
	fast, fastErr := syndicateAt(t, trustNow.Add(2*time.Minute), "-s", dir, "--publish")
	close(release)
	slowOut := <-slow
	if _, err := publishAt(t, m, trustNow.Add(time.Hour), dir); err != nil {
		t.Fatal(err)
	}
	if got := m.linking(); got["/posts/a/"] != 1 || got["/posts/b/"] != 1 {
		t.Errorf("statuses per article %v, want one each\nfast run: %v %s\nslow run: %s", got, fastErr, fast, slowOut)
	}
	ledger := readLedger(t, dir)
	if strings.Count(ledger, `"state": "published"`) != 2 || strings.Count(ledger, "post it by hand") != 2 {
		t.Errorf("ledger:\n%s", ledger)
	}
}

// TestTrustBackCatalogue (issue 19, scenario 9): old articles added after the first run (an archive
// imported from another blog) are recorded skipped, not posted as news; a network added later starts
// with its own baseline; --backfill still posts old articles on purpose.
func TestTrustBackCatalogue(t *testing.T) {
	m := newMastoAPI(t, true)
	dir := t.TempDir()
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{"recent": 1})
	if _, err := publishAt(t, m, trustNow, dir); err != nil {
		t.Fatal(err)
	}
	// A new article, then the archive: two years of old articles, one older than the newest post.
	writeFiles(t, dir, map[string]string{"content/posts/nouveau.md": article("nouveau", 0)})
	if out, err := publishAt(t, m, trustNow.Add(time.Hour), dir); err != nil || m.count() != 1 {
		t.Fatalf("new article: %v, %d statuses\n%s", err, m.count(), out)
	}
	archive := map[string]string{}
	for i := range 20 {
		archive[fmt.Sprintf("content/posts/archive-%02d.md", i)] = article(fmt.Sprintf("archive-%02d", i), 40+30*i)
	}
	archive["content/posts/hier.md"] = article("hier", 2) // within max_age, but older than "nouveau"
	writeFiles(t, dir, archive)
	out, err := publishAt(t, m, trustNow.Add(2*time.Hour), dir)
	if err != nil || m.count() != 1 {
		t.Fatalf("archive: %v, %d statuses (want the 1 of before)\n%s", err, m.count(), out)
	}
	if !strings.Contains(out, "older than [syndicate] max_age") || !strings.Contains(out, "older than the newest post recorded on mastodon") {
		t.Errorf("the guard does not say why:\n%s", out)
	}
	// A network added later: its own baseline, whatever the other networks did.
	writeFiles(t, dir, map[string]string{"vitrine.toml": strings.Replace(mustRead(t, filepath.Join(dir, "vitrine.toml")), `networks = ["mastodon", "x"]`, `networks = ["mastodon", "x", "linkedin"]`, 1)})
	out, err = syndicateAt(t, trustNow.Add(3*time.Hour), "-s", dir)
	if err != nil || !strings.Contains(out, "Nothing new to post.") {
		t.Errorf("a network added later got the back-catalogue: %v\n%s", err, out)
	}
	if !strings.Contains(out, "existing when linkedin was first run") {
		t.Errorf("the new network's baseline is not said:\n%s", out)
	}
	// --backfill posts an old article on purpose: one whose posts were never recorded.
	writeFiles(t, dir, map[string]string{"content/posts/vieux.md": article("vieux", 400)})
	if out, err := publishAt(t, m, trustNow.Add(4*time.Hour), dir, "--backfill"); err != nil || m.linking()["/posts/vieux/"] != 1 {
		t.Errorf("--backfill: %v, %v\n%s", err, m.linking(), out)
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestTrustRetryAndMark (issue 19, scenarios 5 and 7): a post that fails is tried again by later runs,
// a lookup first, until it gives up with a clear line; retry asks for one more try; mark records a
// post made by hand.
func TestTrustRetryAndMark(t *testing.T) {
	m := newMastoAPI(t, false)
	dir := t.TempDir()
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{})
	if _, err := publishAt(t, m, trustNow, dir); err != nil {
		t.Fatal(err)
	}
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{"a": 0})
	// The instance refuses the token: every run fails, later runs try again, then give up.
	m.token = "another-token-entirely"
	var out string
	var err error
	at := trustNow
	for i := range 12 {
		at = at.Add(25 * time.Hour)
		t.Setenv("VITRINE_MASTODON_TOKEN", "masto-token-Yq8vR2kP")
		out, err = syndicateAt(t, at, "-s", dir, "--publish")
		if strings.Contains(out, "GAVE UP") {
			if i < 7 {
				t.Errorf("gave up after %d runs", i+1)
			}
			break
		}
		if err == nil || !strings.Contains(out, "failed") || !strings.Contains(out, "tries again") {
			t.Fatalf("run %d: %v\n%s", i+1, err, out)
		}
	}
	if !strings.Contains(out, "GAVE UP") || !strings.Contains(out, "vitrine syndicate retry a mastodon") {
		t.Fatalf("never gave up with a clear line:\n%s", out)
	}
	// The editorial calendar shows it too, with what to do.
	var cal strings.Builder
	calCmd := calendarCmd(func() time.Time { return at })
	calCmd.SetArgs([]string{"-s", dir})
	calCmd.SetOut(&cal)
	if err := calCmd.ExecuteContext(context.Background()); err != nil || !strings.Contains(cal.String(), "gave up: vitrine syndicate retry") {
		t.Errorf("calendar: %v\n%s", err, cal.String())
	}
	at = at.Add(25 * time.Hour)
	if out, _ := publishAt(t, m, at, dir); m.count() != 0 || !strings.Contains(out, "GAVE UP") {
		t.Errorf("a given-up post was tried again without retry: %d\n%s", m.count(), out)
	}
	// Fixed: retry, and the next run sends it.
	m.token = "masto-token-Yq8vR2kP"
	if out, err := syndicateAt(t, at, "retry", "-s", dir, "a", "mastodon"); err != nil || !strings.Contains(out, "retry") {
		t.Fatalf("retry: %v\n%s", err, out)
	}
	if out, err := publishAt(t, m, at.Add(time.Minute), dir); err != nil || m.count() != 1 {
		t.Fatalf("after retry: %v, %d statuses\n%s", err, m.count(), out)
	}
	// mark: the X post made by hand.
	if out, err := syndicateAt(t, at, "mark", "-s", dir, "a", "x", "https://x.com/camille/status/1862"); err != nil {
		t.Fatalf("mark: %v\n%s", err, out)
	}
	if ledger := readLedger(t, dir); !strings.Contains(ledger, `"url": "https://x.com/camille/status/1862"`) {
		t.Errorf("ledger after mark:\n%s", ledger)
	}
	if out, err := syndicateAt(t, at, "mark", "-s", dir, "nope", "x", "https://x.com/1"); err == nil || !strings.Contains(err.Error(), `no article or event "nope"`) {
		t.Errorf("mark of an unknown slug: %v %s", err, out)
	}
}

// TestTrustLostAnswerKeyIgnored (issue 19, scenarios 5 and 6): on a server that ignores
// Idempotency-Key, an answer lost after the status was stored, with the account having posted more
// than 40 statuses since, is found by the lookup, not posted again.
func TestTrustLostAnswerKeyIgnored(t *testing.T) {
	m := newMastoAPI(t, false)
	dir := t.TempDir()
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{})
	if _, err := publishAt(t, m, trustNow, dir); err != nil {
		t.Fatal(err)
	}
	trustSite(t, dir, "https://camille-roussel.fr/", m, map[string]int{"a": 0})
	// The answer is lost, and the whole run with it (the job killed): the ledger says pending.
	var once sync.Once
	m.drop = func() bool {
		dropped := false
		once.Do(func() { dropped = true })
		return dropped
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.chatterAfterPost(ctx, cancel)
	t.Setenv("VITRINE_MASTODON_TOKEN", m.token)
	cmd := syndicateCmd(func() time.Time { return trustNow.Add(time.Minute) })
	cmd.SetArgs([]string{"-s", dir, "--publish"})
	var first strings.Builder
	cmd.SetOut(&first)
	cmd.SetErr(&first)
	_ = cmd.ExecuteContext(ctx)
	if m.count() != 46 || !strings.Contains(readLedger(t, dir), `"state": "pending"`) {
		t.Fatalf("setup: %d statuses\n%s\n%s", m.count(), first.String(), readLedger(t, dir))
	}
	out, err := publishAt(t, m, trustNow.Add(2*time.Hour), dir)
	if err != nil || m.linking()["/posts/a/"] != 1 {
		t.Errorf("after the lost answer: %v, %v\n%s", err, m.linking(), out)
	}
}

// chatterAfterPost makes the account post 45 statuses of its own right after the next status is
// stored, and cancels the run.
func (m *mastoAPI) chatterAfterPost(ctx context.Context, cancel context.CancelFunc) {
	inner := m.drop
	m.drop = func() bool {
		d := inner()
		if d {
			m.chatter(45)
			cancel()
		}
		return d
	}
}

// readLedger returns every file of a site's ledger (data/syndication/, and the file of before version 2),
// concatenated in name order.
func readLedger(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	if data, err := os.ReadFile(filepath.Join(dir, "data", "syndication.json")); err == nil {
		b.WriteString("== data/syndication.json\n")
		b.Write(data)
	}
	err := filepath.WalkDir(filepath.Join(dir, "data", "syndication"), func(name string, d os.DirEntry, err error) error {
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if !d.IsDir() {
			data, err := os.ReadFile(name)
			if err != nil {
				return err
			}
			b.WriteString("== " + name + "\n")
			b.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// git runs git in dir and returns its output; it fails the test on error unless allow.
func gitIn(t *testing.T, dir string, allow bool, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=ci", "GIT_AUTHOR_EMAIL=ci@example.com", "GIT_COMMITTER_NAME=ci",
		"GIT_COMMITTER_EMAIL=ci@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir, "VITRINE_TEST_AS_MAIN=1")
	out, err := cmd.CombinedOutput()
	if err != nil && !allow {
		t.Fatalf("git %s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out), err
}
