package syndicate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/bluesky"
	"github.com/vitrine-ssg/vitrine/syndicate/internal/fakeapi"
	"github.com/vitrine-ssg/vitrine/syndicate/mastodon"
	"github.com/vitrine-ssg/vitrine/syndicate/webhook"
)

const (
	runToken    = "mastodon-tok-Q7vX2pL9wK4m"
	runHandle   = "camille.test"
	runPassword = "bsky-app-pw-3hd8-k2ma"
	runSecret   = "webhook-secret-Zr5t8"
)

// runEnv is a site's ledger with fake Mastodon, PDS and webhook servers and clients for them.
type runEnv struct {
	t          *testing.T
	ledgerPath string
	mast       *fakeapi.Mastodon
	pds        *fakeapi.PDS
	hook       *hookReceiver
	targets    map[string]syndicate.Target

	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
	log    bytes.Buffer
}

func newRunEnv(t *testing.T) *runEnv {
	e := &runEnv{t: t, ledgerPath: filepath.Join(t.TempDir(), syndicate.LedgerPath),
		now: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	e.mast = fakeapi.NewMastodon(t, runToken)
	e.pds = fakeapi.NewPDS(t, runHandle, runPassword)
	e.hook = newHookReceiver(t)
	e.targets = e.clients(runToken, runPassword, &http.Client{Timeout: 2 * time.Second})
	return e
}

func (e *runEnv) clients(token, password string, hc *http.Client) map[string]syndicate.Target {
	return map[string]syndicate.Target{
		syndicate.Mastodon: mastodon.New(e.mast.URL, token, hc),
		syndicate.Bluesky:  bluesky.New(e.pds.URL, runHandle, password, hc),
		syndicate.Webhook:  webhook.New(e.hook.URL, []byte(runSecret), hc),
	}
}

// opts returns a clock that moves a second per reading and a Sleep that only records.
func (e *runEnv) opts() syndicate.RunOptions {
	return syndicate.RunOptions{
		Now: func() time.Time {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.now = e.now.Add(time.Second)
			return e.now
		},
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.sleeps = append(e.sleeps, d)
			return ctx.Err()
		},
		Log: lockedWriter{&e.mu, &e.log},
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// ledger opens the ledger from disk, as a new process would.
func (e *runEnv) ledger() *syndicate.Ledger {
	l, err := syndicate.OpenLedger(e.ledgerPath)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

// run runs with targets (e.targets when nil) on a freshly opened ledger.
func (e *runEnv) run(ctx context.Context, targets map[string]syndicate.Target, posts ...syndicate.Post) ([]syndicate.Outcome, error) {
	if targets == nil {
		targets = e.targets
	}
	out, err := syndicate.Run(ctx, e.ledger(), targets, posts, e.opts())
	e.noSecrets(out, err)
	return out, err
}

// noSecrets fails when a token, password or secret shows in the outcomes, the error, the log or the
// ledger file.
func (e *runEnv) noSecrets(out []syndicate.Outcome, err error) {
	e.t.Helper()
	o, _ := json.Marshal(out)
	var ledger []byte
	_ = filepath.WalkDir(e.ledgerPath, func(name string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(name)
			ledger = append(ledger, data...)
		}
		return nil
	})
	e.mu.Lock()
	all := string(o) + string(ledger) + e.log.String()
	e.mu.Unlock()
	if err != nil {
		all += err.Error()
	}
	for _, s := range []string{runToken, runPassword, runSecret} {
		if strings.Contains(all, s) {
			e.t.Errorf("secret %q leaked:\n%s", s, all)
		}
	}
}

// advance moves the clock on, as between two CI runs.
func (e *runEnv) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func (e *runEnv) entry(article, network string) syndicate.Entry {
	en, _ := e.ledger().Get(article, network)
	return en
}

// hookReceiver is a webhook receiver that keeps one post per Idempotency-Key.
type hookReceiver struct {
	URL      string
	mu       sync.Mutex
	requests int
	keys     map[string]syndicate.Post
}

func newHookReceiver(t *testing.T) *hookReceiver {
	h := &hookReceiver{keys: map[string]syndicate.Post{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p syndicate.Post
		_ = json.NewDecoder(r.Body).Decode(&p)
		h.mu.Lock()
		h.requests++
		h.keys[r.Header.Get("Idempotency-Key")] = p
		h.mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	h.URL = srv.URL
	return h
}

func (h *hookReceiver) posts() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.keys)
}

func article(slug string) string { return "https://camille.example/posts/" + slug + "/" }

func runPost(network, slug string) syndicate.Post {
	u := article(slug)
	link := u + "?utm_source=" + network + "&utm_medium=social&utm_campaign=" + slug
	text := "Nouvel article : " + slug + " ✨ " + link
	p := syndicate.Post{Network: network, Article: u, Slug: slug, Title: slug, Text: text, Link: link, Lang: "fr"}
	if network == syndicate.Bluesky {
		i := strings.Index(text, link)
		p.Facets = []syndicate.Facet{{ByteStart: i, ByteEnd: i + len(link), Link: link}}
	}
	return p
}

func postsFor(slug string) []syndicate.Post {
	return []syndicate.Post{runPost(syndicate.Mastodon, slug), runPost(syndicate.Bluesky, slug), runPost(syndicate.Webhook, slug)}
}

// onServers counts the posts the three servers hold.
func (e *runEnv) onServers() (mast, bsky, hook int) {
	return len(e.mast.Statuses()), len(e.pds.Records()), e.hook.posts()
}

func (e *runEnv) wantOnServers(mast, bsky, hook int) {
	e.t.Helper()
	if m, b, h := e.onServers(); m != mast || b != bsky || h != hook {
		e.t.Errorf("on the servers: mastodon %d, bluesky %d, webhook %d; want %d, %d, %d", m, b, h, mast, bsky, hook)
	}
}

func TestRunPublishesOnce(t *testing.T) {
	e := newRunEnv(t)
	posts := append(postsFor("hiver"), postsFor("printemps")...)
	out, err := e.run(context.Background(), nil, posts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.State != syndicate.StatePublished || !o.Sent || (o.URL == "") != (o.Network == syndicate.Webhook) || o.Error != "" || o.Attempts != 1 {
			t.Errorf("outcome %+v", o)
		}
	}
	e.wantOnServers(2, 2, 2)
	en := e.entry(article("hiver"), syndicate.Bluesky)
	if en.State != syndicate.StatePublished || !bluesky.ValidTID(en.Key) || en.URL != "https://bsky.app/profile/camille.test/post/"+en.Key || en.ID == "" {
		t.Errorf("bluesky entry %+v", en)
	}
	if en := e.entry(article("hiver"), syndicate.Mastodon); !strings.HasPrefix(en.URL, e.mast.URL+"/@camille/") {
		t.Errorf("mastodon entry %+v", en)
	}

	again, err := e.run(context.Background(), nil, posts...)
	if err != nil {
		t.Fatal(err)
	}
	for i, o := range again {
		if o.State != syndicate.StatePublished || o.Sent || o.URL != out[i].URL || o.Attempts != 0 {
			t.Errorf("second run %+v", o)
		}
	}
	e.wantOnServers(2, 2, 2)
	if n := e.mast.Count("POST /api/v1/statuses") + e.pds.Count("POST /xrpc/com.atproto.repo.createRecord"); n != 4 {
		t.Errorf("%d creates", n)
	}
}

func TestRunRetries(t *testing.T) {
	t.Run("500 then success", func(t *testing.T) {
		e := newRunEnv(t)
		e.mast.Inject("POST /api/v1/statuses", fakeapi.Status(500, `{"error":"We're sorry, but something went wrong on our end."}`))
		out, err := e.run(context.Background(), nil, runPost(syndicate.Mastodon, "a"))
		if err != nil || out[0].State != syndicate.StatePublished || out[0].Attempts != 2 || !out[0].Sent {
			t.Fatalf("%+v %v", out, err)
		}
		if len(e.sleeps) != 1 || e.sleeps[0] != 2*time.Second {
			t.Errorf("sleeps %v", e.sleeps)
		}
		// The first send and the retry looked first: another clone may have posted, a 500 may come
		// after the status was made.
		if n := e.mast.Count("GET /api/v1/accounts/:id/statuses"); n != 2 {
			t.Errorf("%d lookups, want one before each send", n)
		}
		e.wantOnServers(1, 0, 0)
	})
	t.Run("429 with Retry-After", func(t *testing.T) {
		e := newRunEnv(t)
		e.pds.Inject("POST /xrpc/com.atproto.repo.createRecord", fakeapi.Status(429, `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`, "Retry-After", "7"))
		out, err := e.run(context.Background(), nil, runPost(syndicate.Bluesky, "a"))
		if err != nil || out[0].State != syndicate.StatePublished || len(e.sleeps) != 1 || e.sleeps[0] != 7*time.Second {
			t.Fatalf("%+v %v, sleeps %v", out, err, e.sleeps)
		}
		e.wantOnServers(0, 1, 0)
	})
	t.Run("wait longer than allowed", func(t *testing.T) {
		e := newRunEnv(t)
		e.mast.Inject("POST /api/v1/statuses", fakeapi.Status(429, `{"error":"Too many requests"}`, "Retry-After", "3600"))
		out, err := e.run(context.Background(), nil, runPost(syndicate.Mastodon, "a"), runPost(syndicate.Bluesky, "a"))
		if err != nil || out[0].State != syndicate.StateFailed || !strings.Contains(out[0].Error, "wait 1h0m0s") || len(e.sleeps) != 0 {
			t.Fatalf("%+v %v", out, err)
		}
		if out[1].State != syndicate.StatePublished {
			t.Errorf("the run stopped at the failure: %+v", out[1])
		}
	})
	t.Run("absurd Retry-After", func(t *testing.T) {
		e := newRunEnv(t)
		e.mast.Inject("POST /api/v1/statuses", fakeapi.Status(429, `{"error":"Too many requests"}`, "Retry-After", "999999999"))
		out, err := e.run(context.Background(), nil, runPost(syndicate.Mastodon, "a"))
		if err != nil || out[0].State != syndicate.StateFailed || len(e.sleeps) != 0 {
			t.Fatalf("%+v %v, sleeps %v", out, err, e.sleeps)
		}
		// The next try is within a day, not in 31 years; a 429 was a refusal: nothing to look for.
		en := e.entry(article("a"), syndicate.Mastodon)
		if en.Retry.Sub(e.now) > 24*time.Hour || en.Unsure {
			t.Errorf("entry %+v", en)
		}
		e.advance(25 * time.Hour)
		if out, err := e.run(context.Background(), nil, runPost(syndicate.Mastodon, "a")); err != nil || out[0].State != syndicate.StatePublished {
			t.Fatalf("a day later: %+v %v", out, err)
		}
		e.wantOnServers(1, 0, 0)
	})
	t.Run("hanging server", func(t *testing.T) {
		e := newRunEnv(t)
		hc := &http.Client{Timeout: 300 * time.Millisecond}
		targets := e.clients(runToken, runPassword, hc)
		e.mast.Inject("POST /api/v1/statuses", fakeapi.Slow(5*time.Second))
		e.pds.Inject("POST /xrpc/com.atproto.repo.createRecord", fakeapi.Slow(5*time.Second))
		out, err := e.run(context.Background(), targets, runPost(syndicate.Mastodon, "a"), runPost(syndicate.Bluesky, "a"))
		if err != nil || out[0].State != syndicate.StatePublished || out[1].State != syndicate.StatePublished {
			t.Fatalf("%+v %v", out, err)
		}
		if !strings.Contains(e.log.String(), "looking it up and retrying") {
			t.Errorf("the retry is not logged: %s", e.log.String())
		}
		e.wantOnServers(1, 1, 0)
	})
	t.Run("persistent failure, then a later run", func(t *testing.T) {
		e := newRunEnv(t)
		fail := fakeapi.Status(502, `<html>Bad Gateway</html>`)
		e.mast.Inject("POST /api/v1/statuses", fail, fail, fail, fail, fail)
		out, err := e.run(context.Background(), nil, runPost(syndicate.Mastodon, "a"))
		if err != nil || out[0].State != syndicate.StateFailed || out[0].Attempts != 5 || !strings.Contains(out[0].Error, "502") || !strings.Contains(out[0].Error, "run 1 of 8") {
			t.Fatalf("%+v %v", out, err)
		}
		want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second}
		if !slicesEqual(e.sleeps, want) {
			t.Errorf("sleeps %v, want %v", e.sleeps, want)
		}
		failed := e.entry(article("a"), syndicate.Mastodon)
		if failed.State != syndicate.StateFailed || failed.Key == "" || !strings.Contains(failed.Error, "502") || failed.Runs != 1 || !failed.Retry.After(e.now) {
			t.Fatalf("ledger %+v", failed)
		}
		// A run before the next try is due leaves it; one after retries it.
		out, err = e.run(context.Background(), nil, runPost(syndicate.Mastodon, "a"))
		if err != nil || out[0].State != syndicate.StateFailed || out[0].Attempts != 0 || !strings.Contains(out[0].Error, "next try after") {
			t.Fatalf("run before the retry time: %+v %v", out, err)
		}
		e.advance(16 * time.Minute)
		out, err = e.run(context.Background(), nil, runPost(syndicate.Mastodon, "a"))
		if err != nil || out[0].State != syndicate.StatePublished {
			t.Fatalf("%+v %v", out, err)
		}
		if en := e.entry(article("a"), syndicate.Mastodon); en.Key != failed.Key || en.Error != "" {
			t.Errorf("key changed or error kept: %+v", en)
		}
		e.wantOnServers(1, 0, 0)
	})
	t.Run("lookup fails: nothing is sent until it answers", func(t *testing.T) {
		e := newRunEnv(t)
		e.pds.Inject("POST /xrpc/com.atproto.repo.createRecord", fakeapi.DropAfterServe())
		e.pds.Inject("GET /xrpc/com.atproto.repo.getRecord", fakeapi.Status(503, `{"error":"InternalServerError","message":"upstream"}`), fakeapi.Status(503, `{}`))
		out, err := e.run(context.Background(), nil, runPost(syndicate.Bluesky, "a"))
		if err != nil || out[0].State != syndicate.StatePublished || !out[0].Sent || out[0].Attempts != 1 {
			t.Fatalf("%+v %v", out, err)
		}
		if n := e.pds.Count("POST /xrpc/com.atproto.repo.createRecord"); n != 1 {
			t.Errorf("createRecord called %d times", n)
		}
	})
}

func slicesEqual(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRunUnauthorizedGoesOn(t *testing.T) {
	e := newRunEnv(t)
	targets := e.clients("wrong-"+runToken, runPassword, nil)
	out, err := e.run(context.Background(), targets, runPost(syndicate.Mastodon, "a"), runPost(syndicate.Bluesky, "a"), runPost(syndicate.Mastodon, "b"))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2} {
		// Refused at the lookup before the first send: nothing was sent.
		if out[i].State != syndicate.StateFailed || out[i].Attempts != 0 || !strings.Contains(out[i].Error, mastodon.TokenEnv) {
			t.Errorf("mastodon outcome %+v", out[i])
		}
	}
	if out[1].State != syndicate.StatePublished || len(e.sleeps) != 0 {
		t.Errorf("bluesky %+v, sleeps %v", out[1], e.sleeps)
	}
	if en := e.entry(article("a"), syndicate.Mastodon); en.State != syndicate.StateFailed || !strings.Contains(en.Error, "401") {
		t.Errorf("ledger %+v", en)
	}
}

// TestRunLostAnswer: the server stores the post but its answer never arrives (a connection dropped after
// the post was stored, or an answer later than the client's timeout). Exactly one post either way.
func TestRunLostAnswer(t *testing.T) {
	for _, c := range []struct {
		name, network, route string
		fault                fakeapi.Fault
	}{
		{"mastodon dropped", syndicate.Mastodon, "POST /api/v1/statuses", fakeapi.DropAfterServe()},
		{"mastodon timeout", syndicate.Mastodon, "POST /api/v1/statuses", fakeapi.Late(3 * time.Second)},
		{"bluesky dropped", syndicate.Bluesky, "POST /xrpc/com.atproto.repo.createRecord", fakeapi.DropAfterServe()},
		{"bluesky timeout", syndicate.Bluesky, "POST /xrpc/com.atproto.repo.createRecord", fakeapi.Late(3 * time.Second)},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newRunEnv(t)
			hc := &http.Client{Timeout: 300 * time.Millisecond}
			targets := e.clients(runToken, runPassword, hc)
			if c.network == syndicate.Mastodon {
				e.mast.Inject(c.route, c.fault)
				e.mast.IgnoreKeys() // as GoToSocial and Akkoma do: Lookup alone must save the day
			} else if c.network == syndicate.Bluesky {
				e.pds.Inject(c.route, c.fault)
			} else {
				slow := &slowOnce{h: e.hook.URL}
				srv := httptest.NewServer(slow)
				t.Cleanup(srv.Close)
				targets[syndicate.Webhook] = webhook.New(srv.URL, []byte(runSecret), hc)
			}
			out, err := e.run(context.Background(), targets, runPost(c.network, "a"))
			if err != nil || out[0].State != syndicate.StatePublished || !out[0].Sent {
				t.Fatalf("%+v %v", out, err)
			}
			if !strings.Contains(e.log.String(), "retrying") {
				t.Errorf("log: %s", e.log.String())
			}
			m, b, h := e.onServers()
			if m+b+h != 1 {
				t.Errorf("on the servers: %d %d %d", m, b, h)
			}
		})
	}
}

// TestRunWebhookLostAnswer: a webhook cannot be asked whether a post arrived; after a lost answer the
// post is unknown, shown with what to do, and never sent again until retry says so.
func TestRunWebhookLostAnswer(t *testing.T) {
	e := newRunEnv(t)
	hc := &http.Client{Timeout: 300 * time.Millisecond}
	targets := e.clients(runToken, runPassword, hc)
	slow := &slowOnce{h: e.hook.URL}
	srv := httptest.NewServer(slow)
	t.Cleanup(srv.Close)
	targets[syndicate.Webhook] = webhook.New(srv.URL, []byte(runSecret), hc)
	out, err := e.run(context.Background(), targets, runPost(syndicate.Webhook, "a"))
	if err != nil || out[0].State != syndicate.StateUnknown || out[0].Attempts != 1 ||
		!strings.Contains(out[0].Error, "vitrine syndicate mark a webhook URL") || !strings.Contains(out[0].Error, "vitrine syndicate retry a webhook") {
		t.Fatalf("%+v %v", out, err)
	}
	for range 3 {
		e.advance(24 * time.Hour)
		out, err = e.run(context.Background(), targets, runPost(syndicate.Webhook, "a"))
		if err != nil || out[0].State != syndicate.StateUnknown || out[0].Attempts != 0 {
			t.Fatalf("a later run: %+v %v", out, err)
		}
	}
	if e.hook.requests != 1 {
		t.Fatalf("webhook requests %d: an unknown post was sent again", e.hook.requests)
	}
	// retry: the user checked that the post is not there.
	l := e.ledger()
	unlock, err := l.Lock()
	if err != nil {
		t.Fatal(err)
	}
	p := runPost(syndicate.Webhook, "a")
	if _, err := l.Retry(p.Key(), p.Article, e.now); err != nil {
		t.Fatal(err)
	}
	unlock()
	out, err = e.run(context.Background(), targets, p)
	if err != nil || out[0].State != syndicate.StatePublished || !out[0].Sent {
		t.Fatalf("after retry: %+v %v", out, err)
	}
	if en := e.entry(article("a"), syndicate.Webhook); en.State != syndicate.StatePublished || en.Key != targets[syndicate.Webhook].Key(p) {
		t.Errorf("entry %+v", en)
	}
}

// slowOnce forwards to a webhook receiver and answers its first request too late.
type slowOnce struct {
	h    string
	done atomic.Bool
}

func (s *slowOnce) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequest(r.Method, s.h, r.Body)
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
	}
	if !s.done.Swap(true) {
		select {
		case <-time.After(3 * time.Second):
		case <-r.Context().Done():
		}
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// crashAfterPublish publishes, then "kills the process": it cancels the run before the ledger is
// written. It checks that the pending entry was on disk before the post was sent.
type crashAfterPublish struct {
	syndicate.Target
	t      *testing.T
	ledger string
	cancel context.CancelFunc
}

func (c crashAfterPublish) Publish(ctx context.Context, p syndicate.Post, key string) (syndicate.Published, error) {
	l, err := syndicate.OpenLedger(c.ledger)
	if err != nil {
		c.t.Fatal(err)
	}
	if en, _ := l.Get(p.Article, p.Network); en.State != syndicate.StatePending || en.Key != key {
		c.t.Errorf("before sending, the ledger on disk has %+v", en)
	}
	if _, err := c.Target.Publish(ctx, p, key); err != nil {
		c.t.Fatal(err)
	}
	c.cancel()
	return syndicate.Published{}, ctx.Err()
}

func TestRunKilledBeforeLedgerWrite(t *testing.T) {
	e := newRunEnv(t)
	posts := postsFor("a")
	for _, p := range posts {
		ctx, cancel := context.WithCancel(context.Background())
		crashing := map[string]syndicate.Target{}
		for n, tg := range e.targets {
			crashing[n] = crashAfterPublish{Target: tg, t: t, ledger: e.ledgerPath, cancel: cancel}
		}
		out, err := e.run(ctx, crashing, p)
		if !errors.Is(err, context.Canceled) || out[0].State != syndicate.StatePending {
			t.Fatalf("%s: %+v %v", p.Network, out, err)
		}
		cancel()
	}
	e.mast.ForgetKeys() // the re-run comes more than an hour later
	e.wantOnServers(1, 1, 1)
	out, err := e.run(context.Background(), nil, posts...)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		// The webhook cannot be asked whether the post arrived: its outcome is unknown, it is not
		// sent again blindly.
		if o.Network == syndicate.Webhook && o.State != syndicate.StateUnknown ||
			o.Network != syndicate.Webhook && (o.State != syndicate.StatePublished || o.URL == "") {
			t.Errorf("after the crash: %+v", o)
		}
	}
	e.wantOnServers(1, 1, 1)
	if e.mast.Count("POST /api/v1/statuses") != 1 || e.pds.Count("POST /xrpc/com.atproto.repo.createRecord") != 1 {
		t.Errorf("sent again although the network had the post")
	}
	if e.hook.requests != 1 {
		t.Errorf("webhook requests %d", e.hook.requests)
	}
}

func TestRunConcurrentRuns(t *testing.T) {
	e := newRunEnv(t)
	release := make(chan struct{})
	e.mast.Inject("POST /api/v1/statuses", fakeapi.Block(release))
	posts := append(postsFor("a"), postsFor("b")...)
	first, second := e.ledger(), e.ledger() // two processes, each with the ledger as it was
	done := make(chan error)
	go func() {
		_, err := syndicate.Run(context.Background(), first, e.targets, posts, e.opts())
		done <- err
	}()
	for e.mast.Count("POST /api/v1/statuses") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	_, err := syndicate.Run(context.Background(), second, e.targets, posts, e.opts())
	if err == nil || !strings.Contains(err.Error(), "another vitrine syndicate is running") {
		t.Errorf("second run: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// The second process tries again later, with the ledger it read before the first run wrote.
	out, err := syndicate.Run(context.Background(), second, e.targets, posts, e.opts())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Sent || o.State != syndicate.StatePublished {
			t.Errorf("stale run: %+v", o)
		}
	}
	e.wantOnServers(2, 2, 2)

	// Two runs started together: one gets the lock (or both, one after the other); never a duplicate.
	more := postsFor("c")
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			_, err := syndicate.Run(context.Background(), e.ledger(), e.targets, more, e.opts())
			if err != nil && !strings.Contains(err.Error(), "another vitrine syndicate") {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	e.wantOnServers(3, 3, 3)
}

func TestRunOneBlueskySession(t *testing.T) {
	e := newRunEnv(t)
	var posts []syndicate.Post
	for _, s := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		posts = append(posts, runPost(syndicate.Bluesky, s))
	}
	e.pds.Inject("POST /xrpc/com.atproto.repo.createRecord", fakeapi.DropAfterServe()) // a Lookup too
	if _, err := e.run(context.Background(), nil, posts...); err != nil {
		t.Fatal(err)
	}
	e.pds.ExpireSessions()
	if _, err := e.run(context.Background(), nil, append(posts, runPost(syndicate.Bluesky, "i"))...); err != nil {
		t.Fatal(err)
	}
	e.wantOnServers(0, 9, 0)
	if n := e.pds.Count("POST /xrpc/com.atproto.server.createSession"); n != 1 {
		t.Errorf("createSession called %d times for 9 posts", n)
	}
}

func TestRunSecretsNeverShow(t *testing.T) {
	e := newRunEnv(t)
	// Servers that echo what they were sent in their errors.
	e.mast.Inject("POST /api/v1/statuses", fakeapi.Status(401, `{"error":"The access token `+runToken+` is invalid"}`))
	e.pds.Inject("POST /xrpc/com.atproto.server.createSession", fakeapi.Status(400, `{"error":"InvalidRequest","message":"password `+runPassword+` refused"}`))
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"unknown signer ` + runSecret + `"}`))
	}))
	defer echo.Close()
	targets := e.clients(runToken, runPassword, nil)
	targets[syndicate.Webhook] = webhook.New(echo.URL, []byte(runSecret), nil)
	out, err := e.run(context.Background(), targets, postsFor("a")...) // noSecrets checks everything
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.State != syndicate.StateFailed || !strings.Contains(o.Error, "***") {
			t.Errorf("%+v", o)
		}
	}
}

func TestRunWaitLiveAndLedgerStates(t *testing.T) {
	e := newRunEnv(t)
	l := e.ledger()
	if err := l.Set(article("old"), syndicate.Mastodon, syndicate.Entry{State: syndicate.StateSkipped}); err != nil {
		t.Fatal(err)
	}
	calls := map[string]int{}
	opts := e.opts()
	opts.WaitLive = func(ctx context.Context, url string) error {
		calls[url]++
		if url == article("draft") {
			return errors.New(url + " did not answer 200")
		}
		return nil
	}
	posts := append(postsFor("live"), runPost(syndicate.Mastodon, "draft"), runPost(syndicate.Bluesky, "draft"),
		runPost(syndicate.Mastodon, "old"), runPost(syndicate.LinkedIn, "live"))
	out, err := syndicate.Run(context.Background(), e.ledger(), e.targets, posts, opts)
	if err != nil {
		t.Fatal(err)
	}
	if calls[article("live")] != 1 || calls[article("draft")] != 1 || calls[article("old")] != 0 {
		t.Errorf("WaitLive calls %v", calls)
	}
	for _, o := range out[3:5] {
		if o.State != "" || !strings.Contains(o.Error, "did not answer 200") {
			t.Errorf("not live: %+v", o)
		}
	}
	if _, ok := e.ledger().Get(article("draft"), syndicate.Mastodon); ok {
		t.Errorf("ledger has the article that was not live")
	}
	if out[5].State != syndicate.StateSkipped || out[5].Sent {
		t.Errorf("skipped: %+v", out[5])
	}
	if out[6].State != "" || !strings.Contains(out[6].Error, "no client for linkedin") {
		t.Errorf("no client: %+v", out[6])
	}
	e.wantOnServers(1, 1, 1)
}

func TestRunCancelledWhileWaiting(t *testing.T) {
	e := newRunEnv(t)
	e.mast.Inject("POST /api/v1/statuses", fakeapi.Status(503, `{"error":"down"}`))
	ctx, cancel := context.WithCancel(context.Background())
	opts := e.opts()
	opts.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	out, err := syndicate.Run(ctx, e.ledger(), e.targets, []syndicate.Post{runPost(syndicate.Mastodon, "a"), runPost(syndicate.Bluesky, "a")}, opts)
	if !errors.Is(err, context.Canceled) || len(out) != 1 || out[0].State != syndicate.StatePending {
		t.Fatalf("%+v %v", out, err)
	}
	if en := e.entry(article("a"), syndicate.Mastodon); en.State != syndicate.StatePending || en.Key == "" {
		t.Errorf("ledger %+v", en)
	}
}

func TestWaitLive(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	if err := syndicate.WaitLive(context.Background(), nil, srv.URL, 10*time.Second); err != nil || n.Load() != 3 {
		t.Errorf("WaitLive: %v after %d requests", err, n.Load())
	}
	never := httptest.NewServer(http.NotFoundHandler())
	defer never.Close()
	err := syndicate.WaitLive(context.Background(), nil, never.URL+"/posts/a/", 700*time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "404 Not Found") || !strings.Contains(err.Error(), "/posts/a/") {
		t.Errorf("never live: %v", err)
	}
}
