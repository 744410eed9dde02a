package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// fakeMastodon answers like a Mastodon instance: the instance's limits, statuses with an
// Idempotency-Key (the same key gives the same status), and the account's recent statuses.
type fakeMastodon struct {
	mu       sync.Mutex
	token    string
	statuses map[string]string // key → content
	order    []string
}

func (f *fakeMastodon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/api/v2/instance" {
		_, _ = w.Write([]byte(`{"configuration":{"statuses":{"max_characters":1000,"characters_reserved_per_url":23}}}`))
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"The access token is invalid"}`))
		return
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses":
		key := r.Header.Get("Idempotency-Key")
		if _, ok := f.statuses[key]; !ok {
			f.statuses[key] = r.FormValue("status")
			f.order = append(f.order, key)
		}
		id := idOf(f.order, key)
		_ = json.NewEncoder(w).Encode(map[string]string{"id": id, "url": "https://m.example/@c/" + id, "content": f.statuses[key]})
	case r.URL.Path == "/api/v1/accounts/verify_credentials":
		_, _ = w.Write([]byte(`{"id":"7","acct":"c"}`))
	case strings.HasPrefix(r.URL.Path, "/api/v1/accounts/7/statuses"):
		var list []map[string]string
		for _, k := range f.order {
			list = append(list, map[string]string{"id": idOf(f.order, k), "url": "https://m.example/@c/" + idOf(f.order, k), "content": f.statuses[k]})
		}
		_ = json.NewEncoder(w).Encode(list)
	default:
		http.NotFound(w, r)
	}
}

func idOf(order []string, key string) string {
	for i, k := range order {
		if k == key {
			return string(rune('1' + i))
		}
	}
	return "0"
}

func TestSyndicatePublish(t *testing.T) {
	fake := &fakeMastodon{token: "s3cret-token-value", statuses: map[string]string{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()

	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"vitrine.toml": `baseURL = "https://camille-roussel.fr/"
title = "Camille Roussel"
[syndicate]
networks = ["mastodon", "x"]
[syndicate.mastodon]
server = "` + srv.URL + `"
`,
		"content/posts/a.md": "---\ntitle: Un article\ndate: 2025-01-10\ndescription: Le premier.\n---\nTexte.\n",
		"content/posts/b.md": "---\ntitle: Un autre\ndate: 2025-02-10\ndescription: Le second.\n---\nTexte.\n",
	})

	// Without the token, publishing says which variable to set and sends nothing.
	t.Setenv("VITRINE_MASTODON_TOKEN", "")
	code, _, errOut := runCmd(t, "syndicate", "-s", dir, "--backfill", "--publish")
	if code == 0 || !strings.Contains(errOut, "VITRINE_MASTODON_TOKEN") {
		t.Fatalf("publish without token: %d %s", code, errOut)
	}
	if len(fake.order) != 0 {
		t.Fatal("posted without a token")
	}

	t.Setenv("VITRINE_MASTODON_TOKEN", fake.token)
	code, out, errOut := runCmd(t, "syndicate", "-s", dir, "--backfill", "--publish")
	if code != 0 {
		t.Fatalf("publish: %d %s\n%s", code, errOut, out)
	}
	if len(fake.order) != 2 {
		t.Fatalf("%d statuses posted, want 2:\n%s", len(fake.order), out)
	}
	if !strings.Contains(out, "published https://m.example/@c/") || !strings.Contains(out, "no API, left in the outbox") {
		t.Errorf("publish output:\n%s", out)
	}

	// Again: nothing new is posted.
	code, out, errOut = runCmd(t, "syndicate", "-s", dir, "--publish")
	if code != 0 || len(fake.order) != 2 {
		t.Fatalf("second publish: %d, %d statuses\n%s%s", code, len(fake.order), out, errOut)
	}

	ledger := readLedger(t, dir)
	if !strings.Contains(ledger, `"url": "https://m.example/@c/1"`) || !strings.Contains(ledger, "post it by hand") {
		t.Errorf("ledger:\n%s", ledger)
	}
	// The token appears nowhere: output, ledger, outbox.
	var everything strings.Builder
	everything.WriteString(out + errOut + ledger)
	_ = filepath.WalkDir(filepath.Join(dir, ".vitrine"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := os.ReadFile(p)
			everything.Write(data)
		}
		return nil
	})
	if strings.Contains(everything.String(), fake.token) {
		t.Error("the token leaked into the output, the ledger or the outbox")
	}

	// The next build shows the post on the article.
	if code, _, errOut := runCmd(t, "build", "-s", dir); code != 0 {
		t.Fatal(errOut)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "public", "posts", "a", "index.html"))
	if !strings.Contains(string(page), `class="u-syndication"`) {
		t.Error("the article does not link its Mastodon post")
	}
}
