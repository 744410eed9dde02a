package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorded serves the fixture answers of syndicate/testdata/backfeed for the demo's Mastodon statuses
// and Bluesky threads, by status id and at:// URI.
func recorded(t *testing.T) *httptest.Server {
	t.Helper()
	fixture := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("../../syndicate/testdata/backfeed", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	slugs := map[string]string{
		"113642851234567890": "mastodon-bluesky-independants",
		"114065123456789012": "calendrier-editorial-association",
		"at://did:plc:camille7rdemo4kq2xmvitrine/app.bsky.feed.post/3lcwuufpt223l": "mastodon-bluesky-independants",
		"at://did:plc:camille7rdemo4kq2xmvitrine/app.bsky.feed.post/3liyirc7l2272": "calendrier-editorial-association",
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/statuses/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write(fixture(slugs[r.PathValue("id")] + ".mastodon-status.json"))
	})
	mux.HandleFunc("GET /api/v1/statuses/{id}/context", func(w http.ResponseWriter, r *http.Request) {
		w.Write(fixture(slugs[r.PathValue("id")] + ".mastodon-context.json"))
	})
	mux.HandleFunc("GET /xrpc/app.bsky.feed.getPostThread", func(w http.ResponseWriter, r *http.Request) {
		w.Write(fixture(slugs[r.URL.Query().Get("uri")] + ".bluesky-thread.json"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestBackfeedCommand runs vitrine backfeed on a copy of the demo site with moderation by approval:
// the replies are recorded, none is shown until approved, --pending lists them, --approve shows one.
func TestBackfeedCommand(t *testing.T) {
	srv := recorded(t)
	dir := t.TempDir()
	for _, d := range []string{"content", "static", "data"} {
		if err := os.CopyFS(filepath.Join(dir, d), os.DirFS("../../"+d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.RemoveAll(filepath.Join(dir, "data", "reactions")); err != nil {
		t.Fatal(err)
	}
	toml, err := os.ReadFile("../../vitrine.toml")
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.Replace(string(toml), `server = "https://piaille.fr"`, `server = "`+srv.URL+`"`, 1)
	conf = strings.Replace(conf, `handle = "camille-roussel.example"`, `handle = "camille-roussel.example"`+"\nappview = \""+srv.URL+`"`, 1)
	conf = strings.Replace(conf, "[reactions]\n", "[reactions]\nmoderation = \"approve\"\n", 1)
	writeFiles(t, dir, map[string]string{"vitrine.toml": conf})

	code, out, errOut := runCmd(t, "backfeed", "-s", dir)
	if code != 0 || !strings.Contains(out, "data/reactions/mastodon-bluesky-independants.json: 6 new, 0 gone") ||
		!strings.Contains(out, "8 replies wait for approval") {
		t.Fatalf("backfeed: %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCmd(t, "backfeed", "-s", dir)
	if code != 0 || !strings.Contains(out, "mastodon-bluesky-independants.json: unchanged") {
		t.Errorf("second backfeed: %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "backfeed", "-s", dir, "--pending")
	if code != 0 || !strings.Contains(out, "pending (waits for approval)") || !strings.Contains(out, "https://framapiaf.org/@marc/113644000000000003") ||
		!strings.Contains(out, "hidden (blocked word: casino)") {
		t.Errorf("--pending: %d\n%s", code, out)
	}
	code, out, errOut = runCmd(t, "backfeed", "-s", dir, "--approve", "https://framapiaf.org/@marc/113644000000000003")
	if code != 0 || !strings.Contains(out, "approved") {
		t.Fatalf("--approve: %d %s %s", code, out, errOut)
	}
	code, _, errOut = runCmd(t, "build", "-s", dir)
	if code != 0 {
		t.Fatalf("build: %s", errOut)
	}
	page, err := os.ReadFile(filepath.Join(dir, "public/posts/mastodon-bluesky-independants/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Pour notre club vélo") || strings.Contains(string(page), "Merci pour ce comparatif") {
		t.Errorf("the page shows other replies than the approved one")
	}
	if code, _, errOut := runCmd(t, "backfeed", "-s", dir, "--hide", "https://nowhere.example/1"); code == 0 || !strings.Contains(errOut, "no reply") {
		t.Errorf("--hide of an unknown reply: %d %s", code, errOut)
	}
}
