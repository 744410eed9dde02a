package syndicate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vitrine-ssg/vitrine/generator/model"
	"github.com/vitrine-ssg/vitrine/syndicate"
	"github.com/vitrine-ssg/vitrine/syndicate/bluesky"
	"github.com/vitrine-ssg/vitrine/syndicate/internal/fakeapi"
	"github.com/vitrine-ssg/vitrine/syndicate/mastodon"
)

// fixture reads an answer of testdata/backfeed: JSON in the shape Mastodon and the Bluesky AppView
// send (their Status and Context entities, app.bsky.feed.defs#threadViewPost), written for the demo.
func fixture(t *testing.T, name string) json.RawMessage {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "backfeed", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// demoServers are a fake Mastodon and a fake AppView holding the fixture threads of the demo site's two
// syndicated articles, at the ids its ledger (../data/syndication.json) records.
func demoServers(t *testing.T) (*syndicate.Ledger, *fakeapi.Mastodon, *fakeapi.AppView) {
	t.Helper()
	ledger, err := syndicate.OpenLedger(filepath.Join("..", syndicate.LedgerPath))
	if err != nil {
		t.Fatal(err)
	}
	m := fakeapi.NewMastodon(t, "")
	a := fakeapi.NewAppView(t)
	n := 0
	for _, article := range ledger.Articles() {
		e := ledger.Entries(article)
		if e[syndicate.Mastodon].State != syndicate.StatePublished {
			continue
		}
		slug := filepath.Base(strings.TrimSuffix(article, "/"))
		m.SetThread(e[syndicate.Mastodon].ID, fixture(t, slug+".mastodon-status.json"), fixture(t, slug+".mastodon-context.json"))
		a.SetThread(e[syndicate.Bluesky].ID, fixture(t, slug+".bluesky-thread.json"))
		n++
	}
	if n != 2 {
		t.Fatalf("the demo ledger has %d articles published, want 2", n)
	}
	return ledger, m, a
}

func sources(m *fakeapi.Mastodon, a *fakeapi.AppView) map[string]syndicate.Source {
	hc := &http.Client{Timeout: 5 * time.Second}
	return map[string]syndicate.Source{
		syndicate.Mastodon: mastodon.NewReader(m.URL, "", hc),
		syndicate.Bluesky:  bluesky.NewReader(a.URL, hc),
	}
}

var fastRetries = syndicate.RunOptions{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Second,
	Sleep: func(ctx context.Context, d time.Duration) error { return nil }}

// TestBackfeedDemo runs backfeed on the demo site's ledger against servers answering the fixture
// threads, and checks that it gives the demo's data/reactions/ files (-update writes them).
func TestBackfeedDemo(t *testing.T) {
	ledger, m, a := demoServers(t)
	dir := t.TempDir()
	out, err := syndicate.Backfeed(context.Background(), ledger, sources(m, a), dir, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("outcomes %+v", out)
	}
	for _, o := range out {
		if len(o.Errors) > 0 || !o.Changed || o.Added == 0 {
			t.Errorf("outcome %+v", o)
		}
	}
	demo := filepath.Join("..", syndicate.ReactionsDir)
	for _, name := range []string{"mastodon-bluesky-independants.json", "calendrier-editorial-association.json"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if updating() {
			if err := os.MkdirAll(demo, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(demo, name), got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(filepath.Join(demo, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the demo's (go test ./syndicate -run BackfeedDemo -update rewrites it):\n%s", name, got)
		}
	}
	var f model.ReactionsFile
	if err := json.Unmarshal(mustRead(t, filepath.Join(dir, "mastodon-bluesky-independants.json")), &f); err != nil {
		t.Fatal(err)
	}
	if f.Networks["mastodon"].Likes != 42 || f.Networks["bluesky"].Reposts != 15 || f.Networks["bluesky"].Post == "" {
		t.Errorf("counts %+v", f.Networks)
	}
	var ids []string
	for _, r := range f.Replies {
		ids = append(ids, r.ID)
	}
	// The private reply and the removed Bluesky post are left out; replies to replies are in.
	want := []string{"mastodon:113643002000000001", "mastodon:113643150000000002",
		"bluesky:at://did:plc:tomphoto2q4zk7vitrinedemo/app.bsky.feed.post/3lcwvx2abc22a",
		"bluesky:at://did:plc:camille7rdemo4kq2xmvitrine/app.bsky.feed.post/3lcwwa5def22b",
		"mastodon:113644000000000003", "mastodon:113645000000000004"}
	if !slices.Equal(ids, want) {
		t.Errorf("replies\n%q\nwant\n%q", ids, want)
	}
	r := f.Replies[2]
	if r.Author.Handle != "tom-photo.bsky.social" || !strings.Contains(r.Content, `<a href="https://bsky.app/profile/tom-photo.bsky.social/feed/conseils">bsky.app/profile/tom-photo…</a>`) ||
		r.URL != "https://bsky.app/profile/tom-photo.bsky.social/post/3lcwvx2abc22a" {
		t.Errorf("Bluesky reply %+v", r)
	}
	if h := f.Replies[0].Author.Handle; h != "@lea_ceramique@mastodon.social" {
		t.Errorf("remote handle %q", h)
	}
	if h := f.Replies[1].Author.Handle; h != "@camilleroussel@piaille.fr" {
		t.Errorf("local handle %q", h)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestBackfeedMerge runs backfeed again after changes upstream and by hand: a reply deleted upstream
// disappears, a reply hidden by hand stays hidden, a network that cannot be read keeps what it had,
// and a run that finds nothing new writes nothing.
func TestBackfeedMerge(t *testing.T) {
	ledger, m, a := demoServers(t)
	dir := t.TempDir()
	ctx := context.Background()
	if _, err := syndicate.Backfeed(ctx, ledger, sources(m, a), dir, fastRetries); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "mastodon-bluesky-independants.json")
	if _, err := syndicate.Decide(dir, "https://framapiaf.org/@marc/113644000000000003", model.ModerationHidden); err != nil {
		t.Fatal(err)
	}
	// Nothing new: nothing written.
	st, _ := os.Stat(file)
	out, err := syndicate.Backfeed(ctx, ledger, sources(m, a), dir, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		if o.Changed || o.Added != 0 || o.Removed != 0 {
			t.Errorf("second run changed %+v", o)
		}
	}
	if st2, _ := os.Stat(file); !st2.ModTime().Equal(st.ModTime()) {
		t.Error("the file was written again")
	}

	// Lea's first reply is deleted upstream; Bluesky answers 500 every time.
	var context struct {
		Ancestors   []any             `json:"ancestors"`
		Descendants []json.RawMessage `json:"descendants"`
	}
	if err := json.Unmarshal(fixture(t, "mastodon-bluesky-independants.mastodon-context.json"), &context); err != nil {
		t.Fatal(err)
	}
	context.Descendants = context.Descendants[1:]
	ctxJSON, _ := json.Marshal(context)
	id := ledger.Entries("https://camille-roussel.example/posts/mastodon-bluesky-independants/")[syndicate.Mastodon].ID
	m.SetThread(id, fixture(t, "mastodon-bluesky-independants.mastodon-status.json"), ctxJSON)
	route := "GET /xrpc/app.bsky.feed.getPostThread"
	for range 6 {
		a.Inject(route, fakeapi.Status(http.StatusInternalServerError, `{"error":"InternalServerError","message":"Internal Server Error"}`))
	}
	out, err = syndicate.Backfeed(ctx, ledger, sources(m, a), dir, fastRetries)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[1].Removed != 1 || len(out[1].Errors) != 1 || !strings.Contains(out[1].Errors[0], "gave up after 3 attempts") {
		t.Fatalf("outcomes %+v", out)
	}
	var f model.ReactionsFile
	if err := json.Unmarshal(mustRead(t, file), &f); err != nil {
		t.Fatal(err)
	}
	var bsky, marc int
	for _, r := range f.Replies {
		switch {
		case r.ID == "mastodon:113643002000000001":
			t.Error("the reply deleted upstream is still there")
		case r.Network == syndicate.Bluesky:
			bsky++
		case r.ID == "mastodon:113644000000000003":
			marc++
			if r.Moderation != model.ModerationHidden {
				t.Errorf("the decision taken by hand was lost: %+v", r)
			}
		}
	}
	if bsky != 2 || marc != 1 || f.Networks["bluesky"].Likes != 61 {
		t.Errorf("Bluesky replies kept: %d, Marc: %d, counts %+v", bsky, marc, f.Networks)
	}
}

// TestBackfeedErrors tries the failures of the networks: a rate limit that asks to wait a little
// (waited, then read), one that asks to wait too long (given up at once, said so), a post gone, a
// timeout.
func TestBackfeedErrors(t *testing.T) {
	ledger, m, a := demoServers(t)
	ctx := context.Background()
	var waits []time.Duration
	opts := fastRetries
	opts.MaxDelay = time.Minute
	opts.Sleep = func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return nil }

	m.Inject("GET /api/v1/statuses/:id", fakeapi.Status(http.StatusTooManyRequests, `{"error":"Too many requests"}`, "Retry-After", "7"))
	a.Inject("GET /xrpc/app.bsky.feed.getPostThread", fakeapi.Status(http.StatusTooManyRequests, `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`, "Retry-After", "3600"))
	dir := t.TempDir()
	out, err := syndicate.Backfeed(ctx, ledger, sources(m, a), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(waits, []time.Duration{7 * time.Second}) {
		t.Errorf("waits %v", waits)
	}
	if len(out[0].Errors) != 1 || !strings.Contains(out[0].Errors[0], "asks to wait 1h0m0s") {
		t.Errorf("outcome %+v", out[0])
	}
	if len(out[1].Errors) != 0 {
		t.Errorf("outcome %+v", out[1])
	}

	// The Mastodon post is gone (404): not retried, the file keeps what it had.
	id := ledger.Entries("https://camille-roussel.example/posts/calendrier-editorial-association/")[syndicate.Mastodon].ID
	m.DeleteThread(id)
	before := m.Count("GET /api/v1/statuses/:id")
	out, err = syndicate.Backfeed(ctx, ledger, sources(m, a), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if m.Count("GET /api/v1/statuses/:id")-before != 2 || len(out[0].Errors) != 1 || !strings.Contains(out[0].Errors[0], "404") {
		t.Errorf("outcome %+v", out[0])
	}

	// A server that does not answer in time is retried, then given up.
	slow := syndicate.RunOptions{MaxAttempts: 2, Sleep: opts.Sleep, BaseDelay: time.Millisecond}
	for range 2 {
		a.Inject("GET /xrpc/app.bsky.feed.getPostThread", fakeapi.Slow(2*time.Second))
	}
	quick := map[string]syndicate.Source{syndicate.Bluesky: bluesky.NewReader(a.URL, &http.Client{Timeout: 100 * time.Millisecond})}
	out, err = syndicate.Backfeed(ctx, ledger, quick, t.TempDir(), slow)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || len(out[0].Errors) != 1 || !strings.Contains(out[0].Errors[0], "timeout") {
		t.Errorf("outcomes %+v", out)
	}
}

// updating reports whether -update was given (the flag is declared by the package's own tests).
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestBackfeedHostileReply: a 1 MB reply from a stranger, with right-to-left overrides in its author's
// name, is stored bounded (cut, marked truncated, the link to the original kept) and the name without
// its bidirectional controls.
func TestBackfeedHostileReply(t *testing.T) {
	ledger, m, a := demoServers(t)
	article := "https://camille-roussel.example/posts/mastodon-bluesky-independants/"
	id := ledger.Entries(article)[syndicate.Mastodon].ID
	huge := strings.Repeat("Une très longue réponse. ", (1<<20)/26)
	reply, _ := json.Marshal(map[string]any{
		"id": "999", "url": "https://piaille.fr/@eve/999", "uri": "https://piaille.fr/users/eve/statuses/999",
		"created_at": "2026-01-10T12:00:00.000Z", "visibility": "public",
		"content": "<p>" + huge + "</p>",
		"account": map[string]string{"acct": "eve@piaille.fr", "display_name": "Eve \u202Egnp.exe\u202C", "url": "https://piaille.fr/@eve"},
	})
	m.SetThread(id, fixture(t, "mastodon-bluesky-independants.mastodon-status.json"),
		json.RawMessage(`{"ancestors":[],"descendants":[`+string(reply)+`]}`))
	dir := t.TempDir()
	if _, err := syndicate.Backfeed(context.Background(), ledger, sources(m, a), dir, fastRetries); err != nil {
		t.Fatal(err)
	}
	data := mustRead(t, filepath.Join(dir, "mastodon-bluesky-independants.json"))
	if len(data) > 200<<10 {
		t.Errorf("the reactions file has %d bytes: the 1 MB reply was stored whole", len(data))
	}
	var f model.ReactionsFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	var eve *model.Reply
	for i := range f.Replies {
		if f.Replies[i].URL == "https://piaille.fr/@eve/999" {
			eve = &f.Replies[i]
		}
	}
	if eve == nil {
		t.Fatalf("the long reply is not kept at all:\n%.2000s", data)
	}
	if !eve.Truncated || !strings.HasSuffix(eve.Text, "…") || len(eve.Content) > model.MaxReplyHTML {
		t.Errorf("reply not cut: truncated %v, %d bytes of text, %d of HTML", eve.Truncated, len(eve.Text), len(eve.Content))
	}
	if strings.ContainsAny(eve.Author.Name, "\u202E\u202C") {
		t.Errorf("bidi controls kept in the name %q", eve.Author.Name)
	}
}

// TestWritePendingStripsBidi: a right-to-left override in a reply or its author's handle does not
// reverse the terminal's lines.
func TestWritePendingStripsBidi(t *testing.T) {
	var b bytes.Buffer
	syndicate.WritePending(&b, []syndicate.PendingReply{{File: "data/reactions/a.json", Status: model.ReplyPending, Reason: "waits",
		Reply: model.Reply{Network: "mastodon", URL: "https://piaille.fr/@eve/1", Text: "\u202Eelif.exe",
			Author: model.ReplyAuthor{Handle: "@eve\u202E@piaille.fr"}}}})
	if strings.ContainsAny(b.String(), "\u202E\u202C\u2067") || !strings.Contains(b.String(), "@eve@piaille.fr") {
		t.Errorf("pending list:\n%q", b.String())
	}
}
