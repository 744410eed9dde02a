package syndicate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLedger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "syndication.json")
	l, err := OpenLedger(path)
	if err != nil || l.Exists() {
		t.Fatalf("new ledger: %v, exists %v", err, l.Exists())
	}
	when := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	if err := l.Set("https://e.org/posts/b/", Mastodon, Entry{State: StatePending, Key: "k1", Time: when}); err != nil {
		t.Fatal(err)
	}
	if err := l.Set("https://e.org/posts/a/", Bluesky, Entry{State: StatePublished, URL: "https://bsky.app/x", Time: when}); err != nil {
		t.Fatal(err)
	}
	again, err := OpenLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := again.Get("https://e.org/posts/b/", Mastodon); !ok || e.Key != "k1" || e.State != StatePending {
		t.Errorf("reopened entry: %+v %v", e, ok)
	}
	data, _ := os.ReadFile(path)
	if strings.Index(string(data), "posts/a/") > strings.Index(string(data), "posts/b/") {
		t.Errorf("articles not sorted:\n%s", data)
	}
	if got := again.Articles(); len(got) != 2 || got[0] != "https://e.org/posts/a/" {
		t.Errorf("Articles = %v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	if err := os.WriteFile(path, []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenLedger(path); err == nil || !strings.Contains(err.Error(), "syndication.json") {
		t.Errorf("corrupt ledger: %v", err)
	}
}

func TestLedgerLock(t *testing.T) {
	l, _ := OpenLedger(filepath.Join(t.TempDir(), "syndication.json"))
	unlock, err := l.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Lock(); err == nil || !strings.Contains(err.Error(), "another vitrine syndicate") {
		t.Errorf("second lock: %v", err)
	}
	unlock()
	unlock2, err := l.Lock()
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}
